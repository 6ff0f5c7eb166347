import Foundation
import RendezvousDomain
import RendezvousLocalization

extension SimpleFormPage {
    /// A signed-in person changes their password: the current one, then the new one.
    static func changePassword(language: Language, session: SessionNav, email: String, errors: [String: String] = [:], notice: String? = nil) -> SimpleFormPage {
        func t(_ key: String) -> String { Strings.text(key, language) }
        var chrome = Chrome(title: t("auth.changePassword"), language: language, path: AccountRoute.password.path)
        chrome.session = session
        return SimpleFormPage(
            chrome: chrome, heading: t("auth.changePassword"), intro: email, notice: notice,
            error: errors.isEmpty ? nil : t("form.errors"), action: AccountRoute.password.path, csrf: session.csrf,
            fields: [
                FormField(name: "current", label: t("auth.currentPassword"), value: "", type: "password", required: true, error: errors["current"], maxLength: 200, autocomplete: "current-password"),
                FormField(name: "password", label: t("auth.newPassword"), value: "", type: "password", required: true, hint: t("auth.passwordHint"), error: errors["password"], maxLength: 200, autocomplete: "new-password"),
            ],
            submit: t("auth.changePassword"))
    }

    /// A forgotten password: the email to send a link to, then the same notice whatever the email.
    static func forgotPassword(language: Language, notice: String? = nil) -> SimpleFormPage {
        func t(_ key: String) -> String { Strings.text(key, language) }
        return SimpleFormPage(
            chrome: Chrome(title: t("auth.forgot"), language: language, path: AccountRoute.forgotPassword.path),
            heading: t("auth.forgot"), intro: t("auth.forgotIntro"), notice: notice, error: nil, action: AccountRoute.forgotPassword.path, csrf: "",
            fields: notice == nil ? [FormField(name: "email", label: t("form.email"), value: "", type: "email", required: true, error: nil, maxLength: 254, autocomplete: "username")] : [],
            submit: t("auth.sendLink"))
    }

    /// The reset link's page: a new password.
    static func resetPassword(token: String, language: Language, error: String? = nil) -> SimpleFormPage {
        func t(_ key: String) -> String { Strings.text(key, language) }
        let path = AccountRoute.resetPassword(token: token).path
        return SimpleFormPage(
            chrome: Chrome(title: t("auth.changePassword"), language: language, path: path),
            heading: t("auth.changePassword"), intro: nil, error: error, action: path, csrf: "",
            fields: [FormField(name: "password", label: t("auth.newPassword"), value: "", type: "password", required: true, hint: t("auth.passwordHint"), error: error, maxLength: 200, autocomplete: "new-password")],
            submit: t("auth.changePassword"))
    }
}
