import Foundation
import RendezvousDomain
import RendezvousLocalization

extension SimpleFormPage {
    /// The link in a mail's footer: one button, then the confirmation.
    static func unsubscribe(token: String, language: Language, done: Bool) -> SimpleFormPage {
        func t(_ key: String) -> String { Strings.text(key, language) }
        let path = PublicRoute.unsubscribe(token: token).path
        return SimpleFormPage(
            chrome: Chrome(title: t("mail.unsubscribe"), language: language, path: path),
            heading: t("mail.unsubscribe"), intro: done ? nil : t("unsubscribe.intro"), notice: done ? t("unsubscribe.done") : nil,
            action: path, csrf: "", fields: [], submit: t("unsubscribe.confirm"))
    }
}
