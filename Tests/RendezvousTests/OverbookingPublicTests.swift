import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RendezvousDomain
@testable import RendezvousPersistence
@testable import RendezvousWeb
import SQLKit
import Testing

/// "Says plainly on the event page how many are expected" (issue 15): the page, the organisers'
/// workspace and the public event JSON give one figure, from one domain rule
/// (`OverbookingRule.expectedAttendance`); the JSON says what the page says.
@Suite("Overbooking: one expected figure, on the page and in the JSON")
struct OverbookingPublicTests {
    struct EventBody: Decodable {
        struct Overbooking: Decodable, Equatable { var enabled: Bool; var seatsConfirmedUpTo: Int; var expectedAttendance: Int? }
        var id: String
        var overbooking: Overbooking
    }
    struct List: Decodable { var items: [EventBody] }

    /// History: four evenings of 20 with 16 checked in (20 % no-shows). Capacity 10, 10 confirmed,
    /// the room holds 11: one extra seat. The workspace expects 10 × 0.8 = 8; so must the page (it
    /// said 9 with its own formula, 10 × 10 / 11) and the JSON.
    @Test(arguments: DatabaseKind.available)
    func thePageTheWorkspaceAndTheJSONSayTheSame(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            for month in 1...4 { try await OverbookingTests.pastEvening(db, chapter: chapter, daysAgo: Double(month * 30), confirmed: 20, came: 16) }
            let event = try await Fixture.event(db, chapter: chapter, capacity: 10)
            let plain = try await Fixture.event(db, chapter: chapter, capacity: 5, startsIn: 31, title: "Sans surréservation")
            for index in 10..<23 { _ = try await db.registrations.register(Fixture.profile(index), for: event.id, now: Fixture.start) }
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: [chapter.slug])
            try await app.application.test(.router) { client in
                let on = try await client.post("/organize/events/\(event.id)/overbooking", as: organizer, ["overbooking": "on", "venueLimit": "11"])
                #expect(on.status == .seeOther)
                let stored = try #require(try await db.events.event(id: event.id))
                #expect(stored.seatLimit == 11)
                let forecast = try await db.events.noShowForecast(of: stored, now: app.clock.now())
                let expected = OverbookingRule.expectedAttendance(confirmed: 10, forecast: forecast)
                #expect(expected == 8)

                let workspace = try await client.get("/organize/events/\(event.id)", as: organizer)
                #expect(workspace.text.contains("Expected: about 8 of the 10 people confirmed."))
                let page = try await client.execute(uri: "/events/\(event.id)", method: .get, headers: [.acceptLanguage: "en"])
                #expect(page.text.contains("Up to 11 people are confirmed for 10 places"))
                #expect(page.text.contains("we expect about 8."), "\(page.text)")

                // The event JSON (public, no token) and the chapter's list say the same.
                let shown = try await client.execute(uri: "/api/v1/events/\(event.id)", method: .get)
                #expect(shown.status == .ok)
                let body = try JSONDecoder().decode(EventBody.self, from: Data(shown.text.utf8))
                #expect(body.overbooking == .init(enabled: true, seatsConfirmedUpTo: 11, expectedAttendance: 8))
                let list = try await client.execute(uri: "/api/v1/chapters/\(chapter.slug)/events", method: .get)
                let items = try JSONDecoder().decode(List.self, from: Data(list.text.utf8)).items
                #expect(items.first { $0.id == event.id.description }?.overbooking == body.overbooking)
                // Without overbooking: off, confirmations up to the capacity, no figure (the page says nothing either).
                #expect(items.first { $0.id == plain.id.description }?.overbooking == .init(enabled: false, seatsConfirmedUpTo: 5, expectedAttendance: nil))
                let plainJSON = try await client.execute(uri: "/api/v1/events/\(plain.id)", method: .get)
                #expect(plainJSON.text.contains("\"expectedAttendance\":null"), "\(plainJSON.text)")
                let plainPage = try await client.execute(uri: "/events/\(plain.id)", method: .get, headers: [.acceptLanguage: "en"])
                #expect(!plainPage.text.contains("we expect about"))
            }
        }
    }
}
