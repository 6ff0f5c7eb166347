import Foundation
import RendezvousDomain

/// The organiser workspace's addresses that the other areas link to (after sign-in, from the
/// admin overview, from the door). They become `OrganizeRoute` cases when the organiser area has
/// its route enum; until then they are written here, once.
enum WorkspaceLinks {
    static var home: String { "/organize" }
    static func chapter(_ slug: String) -> String { "/organize/" + PublicRoute.escape(slug) }
    static func event(_ id: Event.ID) -> String { "/organize/events/\(id)" }
}
