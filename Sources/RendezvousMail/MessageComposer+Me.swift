import Foundation
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

extension MessageComposer {
    /// "My Rendezvous": the one-time sign-in link, in the language of the page that asked. The
    /// token is derived again from the link's id: the outbox never holds a usable link.
    func attendeeSignInMessage(_ item: OutboxItem, now: Date) -> Outcome {
        guard let id = item.payload["link"].flatMap(UUID.init(uuidString:)) else { return .skip("no link") }
        let language = item.payload["language"].flatMap(Language.init(rawValue:)) ?? .en
        func t(_ key: String, _ arguments: [String: String] = [:]) -> String { Strings.text(key, language, arguments) }
        let url = "\(baseURL)/me/signin/\(persistence.attendees.signInToken(for: id))"
        let (text, html) = Self.bodies(greeting: t("mail.hello"), paragraphs: [t("me.mail.body"), t("me.mail.ignore")], facts: [],
                                       links: [(t("me.mail.button"), url)], footer: t("mail.footer", ["chapter": "Rendezvous"]),
                                       unsubscribe: nil, language: language)
        return .message(MailMessage(from: from, to: .init(email: item.recipient), subject: t("me.mail.subject"), text: text, html: html,
                                    messageID: messageID(item), date: now, language: language.rawValue))
    }
}
