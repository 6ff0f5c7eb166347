import Foundation
import RendezvousDomain
@testable import RendezvousWeb
import Testing

/// Every address of every area: its link reads back as its values, and the router picks its own
/// pattern for it.
@Suite("Typed routes")
struct RouteTests {
    @Test func everyExampleRoundTrips() {
        checkRoundTrips(PublicRoute.self)
        checkRoundTrips(AccountRoute.self)
        checkRoundTrips(AdminRoute.self)
        checkRoundTrips(DoorRoute.self)
        checkRoundTrips(APIRoute.self)
        checkRoundTrips(SiteRoute.self)
    }

    @Test func noTwoPatternsOfAnAreaCollide() {
        checkNoCollisions(PublicRoute.self)
        checkNoCollisions(AccountRoute.self)
        checkNoCollisions(AdminRoute.self)
        checkNoCollisions(DoorRoute.self)
        checkNoCollisions(APIRoute.self)
        // Across areas too: the site is one router.
        checkNoCollisions(SiteRoute.self)
    }

    @Test func theSiteGathersEveryArea() {
        let site = Set(SiteRoute.examples.map(\.pattern))
        let areas = [PublicRoute.examples.map(\.pattern), AccountRoute.examples.map(\.pattern), AdminRoute.examples.map(\.pattern),
                     DoorRoute.examples.map(\.pattern), APIRoute.examples.map(\.pattern), OrganizeRoute.examples.map(\.pattern),
                     MeRoute.examples.map(\.pattern)].flatMap { $0 }
        #expect(site == Set(areas))
    }

    @Test(arguments: ["a/b", "what?x=1", "100%", "%2F", "#top", "../admin", "..", ".", "é ü", " "])
    func aValueStaysOneSegment(_ value: String) {
        let routes: [any Route] = [
            PublicRoute.chapter(slug: value), PublicRoute.manage(token: value),
            PublicRoute.manageAction(token: value, action: .cancel), AccountRoute.invitation(token: value),
            AdminRoute.handover(slug: value), DoorRoute.ticket(token: value), APIRoute.chapterEvents(slug: value),
        ]
        for route in routes {
            let path = route.path
            #expect(!path.contains("?") && !path.contains("#"), "\(path) has a query or a fragment")
            #expect(path.split(separator: "/", omittingEmptySubsequences: false).count
                    == route.pattern.split(separator: "/", omittingEmptySubsequences: false).count, "\(path) has another segment")
            #expect(route.match(path) == route.parameters, "\(path) does not read back as \(route.parameters)")
            #expect(!path.split(separator: "/").contains { $0 == "." || $0 == ".." }, "\(path) steps up the path")
        }
    }

    @Test func linksAreThePatternsFilledIn() {
        let event = Event.ID(UUID(uuidString: "6F1C2A7E-3B7D-4C1A-9E55-0A1B2C3D4E5F")!)
        #expect(PublicRoute.home.path == "/")
        #expect(PublicRoute.event(event).path == "/events/6f1c2a7e-3b7d-4c1a-9e55-0a1b2c3d4e5f")
        #expect(PublicRoute.manageAction(token: "abc", action: .decline).path == "/manage/abc/decline")
        #expect(PublicRoute.manage(token: "abc").path("done", "saved") == "/manage/abc?done=saved")
        #expect(AccountRoute.signIn.path("next", "/door/x") == "/signin?next=/door/x")
        #expect(APIRoute.chapterEvents(slug: "toulouse").path == "/api/v1/chapters/toulouse/events")
        #expect(DoorRoute.badge(event, registration: Registration.ID(event.uuid)).path.hasSuffix("/badge/6f1c2a7e-3b7d-4c1a-9e55-0a1b2c3d4e5f"))
    }

    @Test func assetsCarryTheirVersion() {
        #expect(SiteRoute.stylesheet == "/static/app.css?v=\(PublicRoute.assetVersion)")
        #expect(SiteRoute.script == "/static/app.js?v=\(PublicRoute.assetVersion)")
        #expect(DoorRoute.script == "/static/door.js?v=\(DoorRoute.scriptVersion)")
    }

    // MARK: Checks

    func checkRoundTrips<R: Route>(_ area: R.Type) {
        #expect(!R.examples.isEmpty)
        for route in R.examples {
            #expect(route.match(route.path) == route.parameters, "\(R.self): \(route.path) does not read back as \(route.parameters)")
            #expect(route.parameters.count == route.pattern.split(separator: "/").filter { $0.hasPrefix(":") }.count,
                    "\(R.self): \(route.pattern) and its values \(route.parameters)")
        }
    }

    /// Two patterns collide when the same path could be either. The router (Hummingbird's trie)
    /// prefers a literal segment to a parameter, from the left, so a literal beside a parameter is
    /// no collision as long as every example lands on its own pattern that way.
    func checkNoCollisions<R: Route>(_ area: R.Type) {
        let patterns = Set(R.examples.map(\.pattern))
        var shapes: [String: String] = [:]
        for pattern in patterns {
            let shape = pattern.split(separator: "/", omittingEmptySubsequences: false).map { $0.hasPrefix(":") ? ":" : String($0) }.joined(separator: "/")
            #expect(shapes[shape] == nil, "\(R.self): \(pattern) and \(shapes[shape] ?? "") are the same route")
            shapes[shape] = pattern
        }
        for route in R.examples {
            let candidates = patterns.filter { Self.matches($0, route.path) }
            let chosen = candidates.max { Self.lessSpecific($0, than: $1) }
            #expect(chosen == route.pattern, "\(R.self): \(route.path) would be routed to \(chosen ?? "nothing"), not \(route.pattern)")
        }
    }

    static func matches(_ pattern: String, _ path: String) -> Bool {
        let expected = pattern.split(separator: "/", omittingEmptySubsequences: false)
        let actual = path.split(separator: "/", omittingEmptySubsequences: false)
        guard expected.count == actual.count else { return false }
        return zip(expected, actual).allSatisfy { want, got in want.hasPrefix(":") ? !got.isEmpty : want == got }
    }

    /// At the first segment where they differ, a parameter is less specific than a literal.
    static func lessSpecific(_ a: String, than b: String) -> Bool {
        for (x, y) in zip(a.split(separator: "/"), b.split(separator: "/")) where x.hasPrefix(":") != y.hasPrefix(":") {
            return x.hasPrefix(":")
        }
        return false
    }
}
