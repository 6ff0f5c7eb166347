import Foundation
import RendezvousDomain

/// The organiser workspace's addresses that the other areas link to (after sign-in, from the
/// admin overview, from the door), built by `OrganizeRoute`.
enum WorkspaceLinks {
    static var home: String { OrganizeRoute.index.path }
    static func chapter(_ slug: String) -> String { OrganizeRoute.dashboard(slug: slug).path }
    static func event(_ id: Event.ID) -> String { OrganizeRoute.event(id).path }
}
