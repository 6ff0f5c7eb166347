import Foundation
import RendezvousDomain
import RendezvousLocalization

/// Who is looking at an invitation, which decides what its page offers.
enum InvitationVisitor {
    /// No account has the invited email: the page creates one (name and a new password).
    case newAccount
    /// An account has it, and the visitor is not signed in as it: sign in first.
    case signInFirst
    /// Signed in as someone else.
    case otherAccount(WebSession)
    /// Signed in as the invited account: one button.
    case invitedAccount(WebSession)
}

extension SimpleFormPage {
    /// An invitation to join a chapter's team, as `visitor` sees it; `name` and `errors` when a new
    /// account's form comes back.
    static func invitation(_ invitation: Invitation, token: String, chapterName: String, visitor: InvitationVisitor, language: Language,
                           name: String = "", errors: [String: String] = [:]) -> SimpleFormPage {
        func t(_ key: String, _ arguments: [String: String] = [:]) -> String { Strings.text(key, language, arguments) }
        let role = t(invitation.role == .organizer ? "team.organizer" : "team.door")
        let path = AccountRoute.invitation(token: token).path
        var page = SimpleFormPage(
            chrome: Chrome(title: t("team.invitation"), language: language, path: path),
            heading: t("team.invitedTo", ["chapter": chapterName, "role": role]),
            intro: t("team.invitedBy", ["name": invitation.invitedBy, "email": invitation.email]),
            error: errors.isEmpty ? nil : t("form.errors"), action: path, csrf: "", fields: [], submit: t("team.accept"))
        switch visitor {
        case .newAccount:
            page.fields = [
                // The name the applicant gave, when the invitation comes from an approved application.
                FormField(name: "name", label: t("team.yourName"), value: name.isEmpty ? invitation.name : name, required: true, error: errors["name"], maxLength: 80, autocomplete: "name"),
                FormField(name: "password", label: t("auth.newPassword"), value: "", type: "password", required: true,
                          hint: t("auth.passwordHint"), error: errors["password"], maxLength: 200, autocomplete: "new-password"),
            ]
        case .signInFirst:
            page.notice = t("team.signInToAccept", ["email": invitation.email])
            page.link = PageLink(url: AccountRoute.signIn.path("next", path), label: t("team.signInFirst"))
            page.noForm = true
        case .otherAccount(let session):
            page.chrome.session = SessionNav(session)
            page.error = t("team.wrongAccount", ["email": invitation.email, "current": session.user.email])
            page.noForm = true
        case .invitedAccount(let session):
            page.chrome.session = SessionNav(session)
            page.notice = t("team.joinAs", ["email": invitation.email])
            page.csrf = session.csrfToken
        }
        return page
    }

    /// The link of an invitation the chapter's organisers withdrew: it says so, and what to do.
    static func invitationWithdrawn(chapterName: String, path: String, language: Language) -> SimpleFormPage {
        func t(_ key: String, _ arguments: [String: String] = [:]) -> String { Strings.text(key, language, arguments) }
        return SimpleFormPage(
            chrome: Chrome(title: t("team.withdrawnTitle"), language: language, path: path),
            heading: t("team.withdrawnTitle"), intro: t("team.withdrawnText", ["chapter": chapterName]),
            action: path, csrf: "", fields: [], submit: "", link: PageLink(url: PublicRoute.home.path, label: t("error.back")), noForm: true)
    }
}
