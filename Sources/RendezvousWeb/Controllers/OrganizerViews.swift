import Foundation
import RendezvousDomain
import RendezvousPersistence

struct OrganizeIndexPage {
    struct Item { var name: String; var city: String; var url: String; var role: String }
    var chrome: Chrome
    var chapters: [Item]
}

struct DashboardPage {
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

struct EventFormPage {
    struct Speaker { var index: Int; var name: String; var jobTitle: String }
    var chrome: Chrome
    var heading: String
    var action: String
    var csrf: String
    var error: String?
    var fields: [FormField]
    var description: String
    var descriptionError: String?
    var venues: [SelectField.Option]
    var venueName: String
    var venueAddress: String
    var speakers: [Speaker]
    var directorySpeakers: [String]
    var agenda: String
    var agendaError: String?
    var statusOptions: [SelectField.Option]
    var backURL: String
}

struct OrganizerEventPage {
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
        var arrived: String?
        var canCancel: Bool
        var canPromote: Bool
        var cancelURL: String
        var promoteURL: String
        var noteURL: String
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
    var duplicateURL: String
    var duplicateDate: String
    var query: String
    var filters: [Filter]
    var attendees: [Attendee]
    var shownCount: String
    var addURL: String
    var addFields: [FormField]
}

struct ImportPage {
    struct Rejected { var line: Int; var reason: String }
    var chrome: Chrome
    var csrf: String
    var title: String
    var eventURL: String
    var action: String
    var csv: String
    var imported: Int?
    var rejected: [Rejected]
    var error: String?
}

struct TeamPage {
    struct Member { var name: String; var email: String; var role: String; var removeURL: String; var canRemove: Bool }
    struct Pending { var email: String; var role: String; var link: String; var expires: String }
    var chrome: Chrome
    var csrf: String
    var name: String
    var dashboardURL: String
    var members: [Member]
    var pending: [Pending]
    var inviteURL: String
    var roles: [SelectField.Option]
    var email: String
    var error: String?
    var notice: String?
    var newLink: String?
}

struct AuditPage {
    struct Entry { var when: String; var who: String; var action: String; var subject: String }
    var chrome: Chrome
    var name: String
    var dashboardURL: String
    var entries: [Entry]
}

struct SeriesPage {
    var chrome: Chrome
    var csrf: String
    var name: String
    var action: String
    var dashboardURL: String
    var error: String?
    var fields: [FormField]
    var patterns: [SelectField.Option]
    var ordinals: [SelectField.Option]
    var weekdays: [SelectField.Option]
    var customDates: String
    var venues: [SelectField.Option]
}
