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
        /// "32 people are waiting: open a second evening?" past the chapter's threshold.
        var overflow: String? = nil
        var overflowURL: String? = nil
    }
    struct RecentRow { var name: String; var event: String; var status: String; var statusLabel: String; var when: String }
    struct PastRow {
        var title: String; var url: String; var date: String; var expected: Int; var came: String; var noShow: String
        /// The evening's result (after the evening): mean rating, contacts made, share who met three people.
        var rating = "—"; var contacts = "—"; var metThree = "—"
    }
    struct Link { var label: String; var url: String }

    var chrome: Chrome
    var name: String
    /// "3 meetups created as drafts" after a series.
    var notice: String? = nil
    var links: [Link]
    var upcoming: [EventRow]
    var past: [PastRow]
    var noShowAverage: String?
    /// The no-show forecast for the chapter's next evenings, in words (issue 15).
    var forecast: [String] = []
    var recent: [RecentRow]
}
