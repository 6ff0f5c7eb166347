import Foundation
import RendezvousDomain
@testable import RendezvousWeb
import Testing

/// The organiser workspace's addresses, with the checks every area gets (`RouteTests`).
extension RouteTests {
    @Test func everyOrganizerExampleRoundTrips() {
        checkRoundTrips(OrganizeRoute.self)
        checkNoCollisions(OrganizeRoute.self)
        #expect(Set(OrganizeRoute.examples.map(\.pattern)).count == OrganizeRoute.examples.count, "one example per case")
    }

    /// The table the router registers and the isolation test walks is exactly the enum: every
    /// address has a handler, every handler an address, and no method and address twice.
    @Test func theOrganizerRouteTableIsTheEnum() async throws {
        let table = try await withApp(.sqlite) { app in OrganizeRoutes.all(app.services).map { ($0.method, $0.pattern) } }
        #expect(Set(table.map(\.1)) == Set(OrganizeRoute.examples.map(\.pattern)))
        let keys = table.map { "\($0.0) \($0.1)" }
        #expect(Set(keys).count == keys.count)
        let expected = 34 + 12 + 3 + 13 + 3 + 2 + 5 + 5 + 4 + 2 + 4 + 3 + 2 + 8 // + webhooks (list, add, one endpoint, rotate, on/off, delete, ping, redeliver), + insights and their CSV, + the follow-up page, its links and sending it now, + the room (tables & rounds), + bingo, + the quiz library, + the game, + withdrawing and resending an invitation, + the chapter’s audience, + pictures and colours, + registration questions, + incident reports, + a second evening and overbooking
        #expect(table.count == expected)
    }

    @Test func organizerLinksAreThePatternsFilledIn() {
        let event = Event.ID(UUID(uuidString: "6F1C2A7E-3B7D-4C1A-9E55-0A1B2C3D4E5F")!)
        let registration = Registration.ID(UUID(uuidString: "9A8B7C6D-5E4F-4A3B-8C2D-1E0F9A8B7C6D")!)
        #expect(OrganizeRoute.index.path == "/organize")
        #expect(OrganizeRoute.dashboard(slug: "toulouse").path("done", "series") == "/organize/toulouse?done=series")
        #expect(OrganizeRoute.event(event).path == "/organize/events/6f1c2a7e-3b7d-4c1a-9e55-0a1b2c3d4e5f")
        #expect(OrganizeRoute.noteAttendee(event, registration: registration).path
                == "/organize/events/6f1c2a7e-3b7d-4c1a-9e55-0a1b2c3d4e5f/attendees/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/note")
        #expect(OrganizeRoute.retryMessage(slug: "toulouse", message: registration.uuid).path
                == "/organize/toulouse/outbox/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/retry")
    }
}
