import Foundation

/// The network admins' overview: every chapter, whether it is active, and the mail relay's state.
struct AdminOverviewPage: Page {
    static let template = "admin/overview"

    struct Row { var name: String; var url: String; var country: String; var organizers: String; var last: String; var next: String; var status: String; var statusClass: String; var handoverURL: String }
    var chrome: Chrome
    var mailAlert: MailAlertView?
    var links: [PageLink]
    var summary: String
    var rows: [Row]
    var pager: Pager? = nil
}
