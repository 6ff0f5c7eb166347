import Foundation

/// "My Rendezvous" signed in: every registration of the address across chapters, the people met,
/// and who says they met the attendee.
struct MePage: Page {
    static let template = "me/home"

    struct Registration {
        var eventTitle: String
        var chapterName: String
        var date: String
        var venue: String
        var hasVenue: Bool
        var statusText: String
        var statusClass: String
        var manageURL: String
        /// The ticket's QR code (confirmed, upcoming).
        var ticketURL: String
        var hasTicket: Bool
        /// The table, when the evening's plan seats them.
        var seat: String
        var hasSeat: Bool
        /// The evening's attendee list with "We met" buttons (active registrations).
        var peopleURL: String
        var hasPeople: Bool
    }

    struct Person {
        var personID: String
        var personName: String
        var personRole: String
        var hasRole: Bool
        var evening: String
        var stateText: String
        var stateClass: String
        var personLinkedin: String
        var hasLinkedin: Bool
        var personEmail: String
        var hasEmail: Bool
        var personAsk: String
        var hasAsk: Bool
        var myNote: String
        var noteURL: String
        var acceptURL: String
        var declineURL: String
        var removeURL: String
        var incoming: Bool
        var photoURL: String? = nil
        /// Both said they met: the "I followed up" mark applies.
        var connected: Bool = false
        var followedUp: Bool = false
        var followedURL: String = ""
    }

    var chrome: Chrome
    var signedInAs: String
    var csrf: String
    var notice: String?
    var upcoming: [Registration]
    var past: [Registration]
    var hasUpcoming: Bool
    var hasPast: Bool
    /// "Karim says you met": waiting for the attendee's answer.
    var incoming: [Person]
    var hasIncoming: Bool
    var people: [Person]
    var hasPeople: Bool
    var profileURL = MeRoute.profile.path
    var dataURL = MeRoute.data.path
    var signOutURL = MeRoute.signOut.path
    var vcardURL = MeRoute.peopleVCard.path
    var csvURL = MeRoute.peopleCSV.path
}

/// The profile kept once per address: what pre-fills registrations, and what the attendee shares
/// with people they accept.
struct MeProfilePage: Page {
    static let template = "me/profile"

    var chrome: Chrome
    var csrf: String
    var action = MeRoute.profile.path
    var backURL = MeRoute.home.path
    var notice: String?
    var error: String?
    var fields: [FormField]
    var askField: FormField
    var shareEmail: Bool
    var shareLinkedin: Bool
    var signedInAs: String
    /// The optional photo: its address when there is one, the upload form's address and its error.
    var photoURL: String? = nil
    var photoAction = MeRoute.photo.path
    var photoError: String? = nil
}

/// An evening's attendee list (those who chose to be listed), with "We met" for each.
struct MeEventPage: Page {
    static let template = "me/event"

    struct Attendee {
        var registration: String
        var attendeeName: String
        var attendeeRole: String
        var hasRole: Bool
        var stateText: String
        var hasState: Bool
        var canSay: Bool
    }

    var chrome: Chrome
    var csrf: String
    var eventTitle: String
    var date: String
    var action: String
    var notice: String?
    var attendees: [Attendee]
    var hasAttendees: Bool
    var backURL = MeRoute.home.path
}

/// The "We met" block of a contact card, for a phone that knows who holds it.
struct WeMetBlock {
    var action: String
    /// The attendee session's CSRF token, or the holder cookie's value (double submit).
    var csrfField: String
    var csrfValue: String
    var heading: String
    /// Already said, connected, or waiting for an answer: the state instead of the form.
    var stateText: String
    var hasState: Bool
    var canSay: Bool
    var meURL = MeRoute.home.path
    /// Why "We met" is not offered (the door never admitted the viewer), instead of the form and its hint.
    var refusal: String? = nil
}

/// What the card shows to a visitor who is not signed in: how to say "We met".
struct WeMetInvite {
    var text: String
    var url: String
    var label: String
}
