import Foundation

/// The attendee's private page (its address is the manage token): status, the actions it allows,
/// ticket and badge, and the profile form.
struct ManagePage: Page {
    static let template = "public/manage"

    struct Action {
        var url: String
        var label: String
        var style: String
        var hint: String?
    }

    var chrome: Chrome
    var eventTitle: String
    var eventURL: String
    /// The confidential incident report form for this meetup (and the code of conduct beside it).
    var reportURL: String? = nil
    var date: String
    var venue: String?
    var welcomeTitle: String?
    var welcomeText: String?
    var manageURL: String?
    var notice: String?
    var statusText: String
    var statusClass: String
    var actions: [Action]
    var ticketURL: String?
    var badgeURL: String?
    var renewURL: String?
    /// An offer of a second evening's seat that was not taken: the waitlist place kept on the original.
    var originURL: String? = nil
    var originLabel: String? = nil
    /// "Your bingo card", for a confirmed registration.
    var bingoURL: String? = nil
    var form: ProfileForm?
    /// "Your table" on the evening, kept current by room.js; nil without a plan.
    var seat: Seat? = nil
    /// "Play the quiz" while a game of the evening is on (a form: joining sets the phone's cookie).
    var quizJoinURL: String? = nil
    /// My Rendezvous: every registration of the address and the people met.
    var meURL = MeRoute.home.path
    /// My data for this registration: see it, download it, change consents, erase it.
    var dataURL: String? = nil
    /// "Add to my calendar": the event's .ics, and the same as a Google Calendar link (a plain
    /// link, no script), for someone holding a seat or a place in line.
    var calendarURL: String? = nil
    var googleCalendarURL: String? = nil

    /// Google Calendar's "new event" page, pre-filled (UTC times, as it expects).
    static func googleCalendar(title: String, startsAt: Date, endsAt: Date, details: String, location: String) -> String {
        let stamp = DateFormatter()
        stamp.locale = Locale(identifier: "en_US_POSIX")
        stamp.timeZone = TimeZone(identifier: "UTC")
        stamp.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        var components = URLComponents(string: "https://calendar.google.com/calendar/render")!
        components.queryItems = [
            URLQueryItem(name: "action", value: "TEMPLATE"), URLQueryItem(name: "text", value: title),
            URLQueryItem(name: "dates", value: "\(stamp.string(from: startsAt))/\(stamp.string(from: endsAt))"),
            URLQueryItem(name: "details", value: details), URLQueryItem(name: "location", value: location),
        ]
        return components.url?.absoluteString ?? ""
    }

    struct Seat {
        var headline: String
        var detail: String
        var stateURL: String
        /// The live channel's hints for the room (`docs/live.md`): a new round shows at once.
        var liveURL: String = ""
        var scriptURL = PublicRoute.staticFile("room.js").path("v", PublicRoute.assetVersion)
        var liveScriptURL = PublicRoute.staticFile("live.js").path("v", PublicRoute.assetVersion)
    }
}
