import Foundation
import RendezvousDomain

extension Route {
    /// The link with a query (`/manage/…?done=saved`), encoded as browsers and `URLComponents` do.
    func path(query: [URLQueryItem]) -> String {
        var components = URLComponents()
        components.queryItems = query
        return path + "?" + (components.percentEncodedQuery ?? "")
    }

    /// The link with one query parameter.
    func path(_ name: String, _ value: String) -> String {
        path(query: [URLQueryItem(name: name, value: value)])
    }
}

// Registering a route needs its case, not its values: `PublicRoute.event(.any).routerPath` stands
// for every event. These values only ever fill a pattern; no link is built from them.

extension Identifier {
    static var any: Self { Self(UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))) }
}

extension UUID {
    static var any: UUID { UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)) }
}

extension String {
    static var any: String { "" }
}
