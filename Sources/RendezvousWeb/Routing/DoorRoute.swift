import Foundation
import RendezvousDomain

/// The door: the check-in page and the JSON its script syncs with, and the ticket links.
enum DoorRoute: Route {
    case page(Event.ID)
    case list(Event.ID)
    case state(Event.ID)
    case checkIns(Event.ID)
    case undo(Event.ID)
    case walkIns(Event.ID)
    case badge(Event.ID, registration: Registration.ID)
    /// Organisers widen the hours around the evening during which the door admits.
    case window(Event.ID)
    /// The door's service worker, served from /door/ so that its scope covers the door pages.
    case serviceWorker
    /// What a ticket's QR code opens.
    case ticket(token: String)

    var pattern: String {
        switch self {
        case .page: "/door/:id"
        case .list: "/door/:id/list.json"
        case .state: "/door/:id/state.json"
        case .checkIns: "/door/:id/checkins"
        case .undo: "/door/:id/undo"
        case .walkIns: "/door/:id/walkins"
        case .badge: "/door/:id/badge/:registration"
        case .window: "/door/:id/window"
        case .serviceWorker: "/door/sw.js"
        case .ticket: "/t/:token"
        }
    }

    var parameters: [String] {
        switch self {
        case .page(let id), .list(let id), .state(let id), .checkIns(let id), .undo(let id), .walkIns(let id), .window(let id): [id.description]
        case .badge(let id, let registration): [id.description, registration.description]
        case .serviceWorker: []
        case .ticket(let token): [token]
        }
    }

    static var examples: [DoorRoute] {
        let event = Event.ID(UUID(uuidString: "6F1C2A7E-3B7D-4C1A-9E55-0A1B2C3D4E5F")!)
        let registration = Registration.ID(UUID(uuidString: "9A8B7C6D-5E4F-4A3B-8C2D-1E0F9A8B7C6D")!)
        return [.page(event), .list(event), .state(event), .checkIns(event), .undo(event), .walkIns(event),
                .badge(event, registration: registration), .window(event), .serviceWorker, .ticket(token: "dGlja2V0-_z")]
    }

    /// Bumped when door.js changes.
    static let scriptVersion = "7"
    static var script: String { PublicRoute.staticFile("door.js").path("v", scriptVersion) }
}
