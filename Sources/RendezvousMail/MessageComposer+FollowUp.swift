import Foundation
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

extension MessageComposer {
    /// The morning after (people met, who wants to meet you, the speaker's links, "how was it?")
    /// and the two-week nudge, read from the data as it is when the mail leaves: a contact accepted
    /// overnight is in it, one removed is not, and a nudge with nothing left open is not sent.
    func followUpMessage(_ item: OutboxItem, now: Date) async throws -> Outcome {
        guard let id = item.registrationID, let registration = try await persistence.registrations.registration(id: id) else { return .skip("registration gone") }
        let p = registration.profile
        guard !p.email.isEmpty, !(p.firstName + p.lastName).isEmpty else { return .skip("no email address") }
        guard let detail = try await persistence.events.eventDetail(id: registration.eventID) else { return .skip("event gone") }
        if try await persistence.outbox.isUnsubscribed(id) { return .skip("unsubscribed") }
        let language = try await persistence.registrations.language(of: id) ?? detail.chapter.locale
        func t(_ key: String, _ arguments: [String: String] = [:]) -> String { Strings.text(key, language, arguments) }
        let content = try await persistence.followUp.content(for: registration)
        let event = detail.event
        let meURL = "\(baseURL)/me"
        let feedbackURL = "\(baseURL)/feedback/\(content.feedbackToken)"

        /// One person: name, job and company; with `links`, what they share and, to accept, My Rendezvous.
        func person(_ contact: MetContact, accept: Bool = false, links withLinks: Bool = true) -> MailSection.Item {
            var links: [(String, String)] = []
            if withLinks, let linkedin = contact.linkedinURL { links.append((t("followUp.mail.linkedin"), linkedin)) }
            if withLinks, let email = contact.email { links.append((email, "mailto:\(email)")) }
            if accept { links.append((t("followUp.mail.accept"), meURL)) }
            return .init(title: contact.name, detail: [contact.jobTitle, contact.company].filter { !$0.isEmpty }.joined(separator: ", "), links: links)
        }

        var sections: [MailSection] = []
        var paragraphs: [String]
        let subject: String
        switch item.kind {
        case .followUp:
            subject = t("followUp.mail.subject", ["event": event.title])
            paragraphs = [t("followUp.mail.thanks", ["event": event.title])]
            if content.met.isEmpty && content.wantToMeet.isEmpty && content.waiting.isEmpty {
                paragraphs.append(t("followUp.mail.nobody"))
            }
            if !content.met.isEmpty {
                sections.append(MailSection(title: Strings.plural("followUp.mail.metTitle", count: content.met.count, language),
                                            intro: t("followUp.mail.metIntro"), items: content.met.map { person($0, accept: false) }))
            }
            if !content.wantToMeet.isEmpty {
                sections.append(MailSection(title: Strings.plural("followUp.mail.wantTitle", count: content.wantToMeet.count, language),
                                            intro: t("followUp.mail.wantIntro"), items: content.wantToMeet.map { person($0, accept: true) }))
            }
            if !content.waiting.isEmpty {
                // Said "we met", not answered yet: named only (what they share comes with their answer).
                sections.append(MailSection(title: Strings.plural("followUp.mail.waitingTitle", count: content.waiting.count, language),
                                            intro: t("followUp.mail.waitingIntro"),
                                            items: content.waiting.map { person($0, links: false) }))
            }
            if !content.resources.isEmpty {
                sections.append(MailSection(title: t("followUp.mail.resourcesTitle"),
                                            items: content.resources.map { .init(title: $0.label, detail: "", links: [(t("followUp.mail.open"), $0.url)]) }))
            }
            sections.append(MailSection(title: t("followUp.mail.feedbackTitle"), intro: t("followUp.mail.feedbackIntro"),
                                        scale: (0...10).map { (String($0), "\(feedbackURL)?score=\($0)&lang=\(language.rawValue)") },
                                        scaleLegend: t("followUp.mail.feedbackLegend")))
        case .followUpNudge:
            let notFollowed = content.met.filter { !$0.followedUp }
            guard !notFollowed.isEmpty || !content.wantToMeet.isEmpty else { return .skip("nothing left to follow up") }
            subject = t("followUp.nudge.subject", ["event": event.title])
            paragraphs = [t("followUp.nudge.body", ["event": event.title])]
            if !notFollowed.isEmpty {
                sections.append(MailSection(title: Strings.plural("followUp.nudge.openTitle", count: notFollowed.count, language),
                                            items: notFollowed.map { person($0, accept: false) }))
            }
            if !content.wantToMeet.isEmpty {
                sections.append(MailSection(title: Strings.plural("followUp.mail.wantTitle", count: content.wantToMeet.count, language),
                                            intro: t("followUp.mail.wantIntro"), items: content.wantToMeet.map { person($0, accept: true) }))
            }
            paragraphs.append(t("followUp.nudge.last"))
        default:
            return .skip("not a follow-up")
        }
        let unsubscribe = try await persistence.outbox.unsubscribeToken(of: registration.id).map { "\(baseURL)/unsubscribe/\($0)" }
        let links = [(t("followUp.mail.me"), meURL)]
        let (text, html) = Self.bodies(greeting: t("mail.greeting", ["name": p.firstName]), paragraphs: paragraphs, sections: sections, facts: [],
                                       links: links, footer: t("mail.footer", ["chapter": detail.chapter.name]),
                                       unsubscribe: unsubscribe.map { (t("followUp.mail.stop"), $0) }, language: language)
        return .message(MailMessage(
            from: MailMessage.Address(name: detail.chapter.name, email: from.email),
            to: .init(name: "\(p.firstName) \(p.lastName)", email: p.email), replyTo: try await replyTo(detail.chapter.id),
            subject: subject, text: text, html: html, messageID: messageID(item), date: now, unsubscribeURL: unsubscribe,
            language: language.rawValue))
    }
}
