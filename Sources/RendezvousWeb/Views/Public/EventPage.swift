import Foundation

/// A meetup as an invitation: its cover, when and where, seats left and a "Register" button in a
/// card that stays in view on a laptop (first on a phone); then the story (about, speakers with
/// photos, agenda, how to get there, who is coming) and the registration form.
struct EventPage: Page {
    static let template = "public/event"

    struct SpeakerView {
        var name: String
        var role: String
        var bio: String?
        var photoURL: String?
        var initials: String
    }

    struct AgendaView {
        var time: String
        var title: String
    }

    struct AttendeeView {
        var name: String
        var role: String
        var initials: String
    }

    /// The event's cover and the alternative text its organisers wrote.
    struct CoverView {
        var url: String
        var alt: String
    }

    var chrome: Chrome
    var title: String
    var chapterName: String
    var chapterURL: String
    /// The chapter's logo (its alternative text is the chapter's name) and colour's stylesheet.
    var chapterLogo: String?
    var brandStylesheet: String?
    var cover: CoverView?
    var date: String
    var timeRange: String
    var timeZoneNote: String
    var venue: VenueView?
    /// The venue's access notes (step-free entrance, floor…).
    var venueAccess: String?
    var availability: String
    var isFull: Bool
    /// The availability line says "Cancelled" (muted, not the colour of free seats).
    var isCancelled = false
    var waitlistNote: String?
    /// With overbooking on: "Up to 77 people are confirmed for 70 places… we expect about 70."
    var expectedNote: String? = nil
    /// The series' other dates still open ("Also on …": the first evening and the second evenings
    /// opened from its waitlist, issue 15): links to their pages.
    struct OtherDate { var label: String; var url: String }
    var otherDates: [OtherDate] = []
    var notice: String?
    /// The card's button to the form ("Register", or "Join the waitlist"); nil when closed.
    var registerLabel: String?
    var description: [String]
    var speakers: [SpeakerView]
    var agenda: [AgendaView]
    var attendees: [AttendeeView]
    /// "12 people are coming": everyone confirmed, listed or not.
    var attendeeCount: String?
    var hiddenAttendees: String?
    var form: ProfileForm?
    /// "Already registered? Get your link again": opened, with the address, when the form was
    /// refused because that address is already registered.
    var resend: Resend? = nil
    var calendarURL: String
    var share: SharePreview
    var shareLinks: ShareLinks
}

struct Resend {
    var url: String
    var email: String
    var open: Bool
}

/// What a social network or search engine reads from an event page.
struct SharePreview {
    var url: String
    var image: String
    var description: String
    /// schema.org Event as JSON, made safe to sit inside a script element.
    var jsonLD: String
}

/// Sharing an event without third-party scripts: LinkedIn's share address, the link to copy
/// (a read-only field; `app.js` adds a "copy" button), and a mail.
struct ShareLinks {
    var linkedIn: String
    var url: String
    var mail: String

    init(url: String, title: String, mailBody: String) {
        func encoded(_ text: String) -> String {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        }
        self.url = url
        linkedIn = "https://www.linkedin.com/sharing/share-offsite/?url=" + encoded(url)
        mail = "mailto:?subject=" + encoded(title) + "&body=" + encoded(mailBody + "\n\n" + url)
    }
}

/// Up to two letters for an avatar: first and last name's initials ("ÉD" for Éloïse Dupré).
func initials(_ first: String, _ last: String = "") -> String {
    var words = [first, last].flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "-" }) }
    if last.isEmpty, words.count > 2 { words = [words[0], words[words.count - 1]] }
    return words.prefix(2).compactMap { $0.first.map { String($0).uppercased() } }.joined()
}
