import Foundation

/// A chapter's dashboard: its links, upcoming events with their fill, recent registrations, past
/// events with their no-shows.
struct DashboardPage: Page {
    static let template = "organize/dashboard"

    struct EventRow {
        var title: String
        var url: String
        var date: String
        var status: String
        var statusLabel: String
        var fill: String
        var fillPercent: Int
        var waitlist: Int
    }
    struct RecentRow { var name: String; var event: String; var status: String; var statusLabel: String; var when: String }
    struct PastRow { var title: String; var url: String; var date: String; var expected: Int; var came: String; var noShow: String }
    struct Link { var label: String; var url: String }

    var chrome: Chrome
    var name: String
    var links: [Link]
    var upcoming: [EventRow]
    var past: [PastRow]
    var noShowAverage: String?
    var recent: [RecentRow]
}
