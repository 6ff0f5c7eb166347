import Foundation

/// An event as its organisers see it: status, actions, capacity, copy, and the attendee list with
/// its filters and the add form.
struct OrganizerEventPage: Page {
    static let template = "organize/event"

    struct Attendee {
        var id: String
        var name: String
        var email: String
        var role: String
        var status: String
        var statusLabel: String
        var position: Int?
        var note: String
        var source: String
        /// When they registered, the chapter's way.
        var registered: String
        var arrived: String?
        var canCancel: Bool
        var canPromote: Bool
        var cancelURL: String
        var promoteURL: String
        var noteURL: String
        /// Answers to the organisers' registration questions ("Dietary needs?: Vegetarian").
        var answers: [String] = []
    }
    struct Filter { var value: String; var label: String; var selected: Bool }
    struct Action { var url: String; var label: String; var style: String }

    var chrome: Chrome
    var csrf: String
    var title: String
    var chapterName: String
    var dashboardURL: String
    var publicURL: String
    var editURL: String
    var exportURL: String
    var importURL: String
    var badgesURL: String
    var doorURL: String
    var messageURL: String
    var date: String
    var statusLabel: String
    var status: String
    var availability: String
    var notice: String?
    var error: String?
    var actions: [Action]
    var capacityURL: String
    var capacity: Int
    /// A cancelled meetup: why it has no publish button or capacity form (set after the init).
    var cancelledNote: String? = nil
    var duplicateURL: String
    var duplicateDate: String
    var query: String
    /// The table's order, kept by the search form.
    var sort: String?
    var direction: String?
    var columns: [AttendeeSort.Column]
    var pager: Pager?
    var filters: [Filter]
    var attendees: [Attendee]
    var shownCount: String
    var addURL: String
    var addFields: [FormField]
    var roomURL = ""
    /// Human bingo (nil: no link).
    var bingoURL: String? = nil
    /// The chapter's quiz library (nil: no link).
    var quizURL: String? = nil
    /// The meetup's registration questions.
    var questionsURL: String? = nil
    /// Demand and attendance: a second evening, the no-show forecast, overbooking (issue 15).
    var demand: DemandPanel? = nil
    /// After the evening: the link to its result and follow-up, and the result in a few lines once it has started.
    var followUpURL = ""
    var resultLines: [String] = []
    var hasResult = false
}
