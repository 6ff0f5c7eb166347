import Foundation

/// The chapter's outbox: every message with its state, the relay's alert, and retries for the
/// failed ones.
struct OutboxPage: Page {
    static let template = "organize/outbox"

    struct Row { var when: String; var recipient: String; var subject: String; var status: String; var statusClass: String; var error: String?; var retryURL: String? }
    var chrome: Chrome
    var name: String
    var dashboardURL: String
    var filesNote: String?
    var mailAlert: MailAlertView?
    var notice: String?
    var csrf: String
    var retryAllURL: String?
    var rows: [Row]
}
