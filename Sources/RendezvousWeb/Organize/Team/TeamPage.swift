import Foundation

/// The chapter's team, its pending invitations (who invited whom, when, until when; send again or
/// withdraw), and the invitation form.
struct TeamPage: Page {
    static let template = "organize/team"

    struct Member { var name: String; var email: String; var role: String; var removeURL: String; var canRemove: Bool }
    struct Pending {
        var id: String
        var email: String
        var name: String
        var hasName: Bool
        var role: String
        var invitedBy: String
        var sent: String
        var expires: String
        /// Its 14 days are over: "Send again" opens it for 14 more.
        var expired: Bool
        var link: String
        var resendURL: String
        var revokeURL: String
    }
    var chrome: Chrome
    var csrf: String
    var name: String
    var dashboardURL: String
    var auditURL: String
    var members: [Member]
    var pending: [Pending]
    var inviteURL: String
    var roles: [SelectField.Option]
    var email: String
    var error: String?
    var notice: String?
    var newLink: String?
}
