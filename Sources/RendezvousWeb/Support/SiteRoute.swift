import Foundation
import RendezvousDomain

/// Every address of the site and the API, area by area: the one entry point. Each area's enum
/// (`PublicRoute`, `AccountRoute`, …) builds both its router patterns and its links; this enum
/// gathers them, so `RouteTests` walks every address of every area.
enum SiteRoute: Route {
    case page(PublicRoute)
    case account(AccountRoute)
    case admin(AdminRoute)
    case door(DoorRoute)
    case api(APIRoute)
    case organize(OrganizeRoute)
    case me(MeRoute)

    /// The area's own route.
    var route: any Route {
        switch self {
        case .page(let route): route
        case .account(let route): route
        case .admin(let route): route
        case .door(let route): route
        case .api(let route): route
        case .organize(let route): route
        case .me(let route): route
        }
    }

    var pattern: String { route.pattern }
    var parameters: [String] { route.parameters }

    static var examples: [SiteRoute] {
        PublicRoute.examples.map(SiteRoute.page)
            + AccountRoute.examples.map(SiteRoute.account)
            + AdminRoute.examples.map(SiteRoute.admin)
            + DoorRoute.examples.map(SiteRoute.door)
            + APIRoute.examples.map(SiteRoute.api)
            + OrganizeRoute.examples.map(SiteRoute.organize)
            + MeRoute.examples.map(SiteRoute.me)
    }

    /// The stylesheet and script every page loads, with their version query.
    static var stylesheet: String { PublicRoute.stylesheet }
    static var script: String { PublicRoute.script }
    static var favicon: String { PublicRoute.staticFile("favicon.svg").path("v", PublicRoute.assetVersion) }
}
