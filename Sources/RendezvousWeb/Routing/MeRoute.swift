import Foundation
import RendezvousDomain

/// "My Rendezvous": an attendee's own space, signed in with a link mailed to their address (no
/// password), and "We met" from a badge's contact card or an evening's attendee list.
enum MeRoute: Route {
    /// The space (signed in), or the form asking for a sign-in link; posting it asks for the link.
    case home
    /// The mailed link: a page with one button (a mail scanner opening the link spends nothing).
    case signIn(token: String)
    case signOut
    case profile
    /// The saved profile as JSON, for the registration form's "Use my profile" (never cached).
    case profileJSON
    /// "People I met": as vCard (one file), CSV and JSON.
    case peopleVCard
    case peopleCSV
    case peopleJSON
    /// Accept, decline, remove a link, or save one's note on it.
    case contactAction(id: String, action: ContactAction)
    /// An evening's attendee list (those who chose to be listed) with "We met" buttons.
    case event(Event.ID)
    case eventMet(Event.ID)
    /// "We met", from a badge's contact card.
    case cardMet(token: String)
    /// The optional profile photo: POST (multipart) sets or removes it; the file by its name.
    case photo
    case photoFile(name: String)
    /// My data: everything held about the address, its JSON download, every consent at once
    /// (POST), and erasing it all (POST; a first post without `confirm=yes` asks).
    case data
    case dataJSON
    case dataConsents
    case dataErase

    enum ContactAction: String, CaseIterable, Sendable {
        case accept, decline, remove, note
        /// Posted with `done` = yes or no: "I followed up" (the two-week nudge leaves it out).
        case followedUp
    }

    var pattern: String {
        switch self {
        case .home: "/me"
        case .signIn: "/me/signin/:token"
        case .signOut: "/me/signout"
        case .profile: "/me/profile"
        case .profileJSON: "/me/profile.json"
        case .peopleVCard: "/me/people.vcf"
        case .peopleCSV: "/me/people.csv"
        case .peopleJSON: "/me/people.json"
        case .contactAction: "/me/people/:id/:action"
        case .event: "/me/events/:id"
        case .eventMet: "/me/events/:id/met"
        case .cardMet: "/c/:token/met"
        case .photo: "/me/photo"
        case .photoFile: "/me/photos/:name"
        case .data: "/me/data"
        case .dataJSON: "/me/data.json"
        case .dataConsents: "/me/data/consents"
        case .dataErase: "/me/data/erase"
        }
    }

    var parameters: [String] {
        switch self {
        case .photo: []
        case .photoFile(let name): [name]
        case .home, .signOut, .profile, .profileJSON, .peopleVCard, .peopleCSV, .peopleJSON, .data, .dataJSON, .dataConsents, .dataErase: []
        case .signIn(let token), .cardMet(let token): [token]
        case .contactAction(let id, let action): [id, action.rawValue]
        case .event(let id), .eventMet(let id): [id.description]
        }
    }

    static var examples: [MeRoute] {
        let event = Event.ID(UUID(uuidString: "6F1C2A7E-3B7D-4C1A-9E55-0A1B2C3D4E5F")!)
        let token = "Zm9vYmFy-_token"
        return [.home, .signIn(token: token), .signOut, .profile, .profileJSON, .peopleVCard, .peopleCSV, .peopleJSON,
                .event(event), .eventMet(event), .cardMet(token: token), .data, .dataJSON, .dataConsents, .dataErase,
                .photo, .photoFile(name: "5b8e2c1a-0f3d-4e6b-9a7c-2d1e0f9a8b7c-0123456789abcdef.jpg")]
            + ContactAction.allCases.map { .contactAction(id: "5b8e2c1a-0f3d-4e6b-9a7c-2d1e0f9a8b7c", action: $0) }
    }
}
