import Foundation

/// The chapter's audit log: who did what, when.
struct AuditPage: Page {
    static let template = "organize/audit"

    struct Entry { var when: String; var who: String; var action: String; var subject: String }
    var chrome: Chrome
    var name: String
    var dashboardURL: String
    var entries: [Entry]
    var pager: Pager? = nil
}
