import Foundation
import RendezvousDomain
import RendezvousLocalization

/// Sign-in: email and password, with the double-submit token and where to go afterwards.
struct SignInPage: Page {
    static let template = "account/signin"

    var chrome: Chrome
    var action = AccountRoute.signIn.path
    var forgotURL = AccountRoute.forgotPassword.path
    var csrf: String
    var next: String?
    var notice: String?
    var error: String?
    var fields: [FormField]

    /// `next` must already be a safe path of this site (`AuthController.safeNext`).
    init(language: Language, csrf: String, email: String, next: String?, notice: String?, error: String?) {
        func t(_ key: String) -> String { Strings.text(key, language) }
        chrome = Chrome(title: t("auth.signIn"), language: language, path: AccountRoute.signIn.path)
        self.csrf = csrf
        self.next = next
        self.notice = notice
        self.error = error
        fields = [
            FormField(name: "email", label: t("form.email"), value: email, type: "email", required: true, error: nil, maxLength: 254, autocomplete: "username"),
            FormField(name: "password", label: t("auth.password"), value: "", type: "password", required: true, error: nil, maxLength: 200, autocomplete: "current-password"),
        ]
    }
}
