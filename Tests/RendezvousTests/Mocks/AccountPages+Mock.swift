import Foundation
import RendezvousDomain
@testable import RendezvousWeb

extension SignInPage {
    static let mock = SignInPage(language: .en, csrf: Mock.csrf, email: "", next: "/organize/toulouse", notice: nil, error: nil)
    static let mockError = SignInPage(language: .fr, csrf: Mock.csrf, email: "ana@example.org", next: nil, notice: nil,
                                      error: "Adresse ou mot de passe incorrect.")
}

extension Invitation {
    static let mock = Invitation(
        id: UUID(uuidString: "5E6F7A8B-9C0D-4E1F-A2B3-C4D5E6F7A8B9")!, chapterID: Mock.chapter.id, email: "newcomer@example.org", role: .organizer,
        token: Mock.token, invitedBy: "Ana Organiser", createdAt: Date(timeIntervalSince1970: 1_800_000_000),
        expiresAt: Date(timeIntervalSince1970: 1_800_604_800))
}

extension SimpleFormPage {
    static let mockChangePassword = SimpleFormPage.changePassword(
        language: .en, session: SessionNav(Mock.session(Mock.organizer)), email: Mock.organizer.email,
        errors: ["current": "This is not your password."])
    static let mockForgotPassword = SimpleFormPage.forgotPassword(language: .en)
    static let mockForgotPasswordSent = SimpleFormPage.forgotPassword(language: .en, notice: "If an account has this email, a link is on its way.")
    static let mockResetPassword = SimpleFormPage.resetPassword(token: Mock.token, language: .en)

    static func mockInvitation(_ visitor: InvitationVisitor, errors: [String: String] = [:]) -> SimpleFormPage {
        .invitation(.mock, token: Mock.token, chapterName: Mock.chapter.name, visitor: visitor, language: .en, name: errors.isEmpty ? "" : "New Comer", errors: errors)
    }
    static let mockInvitationWithdrawn = SimpleFormPage.invitationWithdrawn(
        chapterName: Mock.chapter.name, path: AccountRoute.invitation(token: Mock.token).path, language: .fr)
}
