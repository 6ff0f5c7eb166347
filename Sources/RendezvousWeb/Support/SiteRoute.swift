import Hummingbird
import RendezvousDomain

/// Every page address, used both to register routes and to build links: no string URLs in views.
enum SiteRoute {
    case home
    case chapter(slug: String)
    case event(Event.ID)
    case register(Event.ID)
    case manage(token: String)
    case manageAction(token: String, action: ManageAction)
    case stylesheet
    case script

    enum ManageAction: String, CaseIterable {
        case cancel, accept, decline, profile
        /// Renews the contact token behind the badge's QR code.
        case contact
    }

    static let stylesheetVersion = "3"

    var path: String {
        switch self {
        case .home: "/"
        case .chapter(let slug): "/chapters/\(slug)"
        case .event(let id): "/events/\(id)"
        case .register(let id): "/events/\(id)/register"
        case .manage(let token): "/manage/\(token)"
        case .manageAction(let token, let action): "/manage/\(token)/\(action.rawValue)"
        case .stylesheet: "/static/app.css?v=\(Self.stylesheetVersion)"
        case .script: "/static/app.js?v=\(Self.stylesheetVersion)"
        }
    }

    /// Route patterns, for the router.
    enum Pattern {
        static let home: RouterPath = "/"
        static let chapter: RouterPath = "/chapters/:slug"
        static let event: RouterPath = "/events/:id"
        static let register: RouterPath = "/events/:id/register"
        static let manage: RouterPath = "/manage/:token"
        static let manageAction: RouterPath = "/manage/:token/:action"
        static let staticFile: RouterPath = "/static/:file"
    }
}
