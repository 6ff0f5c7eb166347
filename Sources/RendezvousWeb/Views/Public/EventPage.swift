import Foundation

/// A meetup: when and where, speakers, agenda, who comes, and the registration form.
struct EventPage: Page {
    static let template = "public/event"

    struct SpeakerView {
        var name: String
        var role: String
        var bio: String?
    }

    struct AgendaView {
        var time: String
        var title: String
    }

    struct AttendeeView {
        var name: String
        var role: String
    }

    var chrome: Chrome
    var title: String
    var chapterName: String
    var chapterURL: String
    var date: String
    var timeRange: String
    var timeZoneNote: String
    var venue: VenueView?
    var availability: String
    var isFull: Bool
    var waitlistNote: String?
    var notice: String?
    var description: [String]
    var speakers: [SpeakerView]
    var agenda: [AgendaView]
    var attendees: [AttendeeView]
    var hiddenAttendees: String?
    var form: ProfileForm?
    var calendarURL: String
    var share: SharePreview
}

/// What a social network or search engine reads from an event page.
struct SharePreview {
    var url: String
    var image: String
    var description: String
    /// schema.org Event as JSON, made safe to sit inside a script element.
    var jsonLD: String
}
