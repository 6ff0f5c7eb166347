import Foundation
import HummingbirdTesting
import RendezvousDomain
@testable import RendezvousPersistence
@testable import RendezvousWeb
import Testing

/// A series is created whole or not at all, and once per form (Tests/cluster/kill_test.py kills an
/// instance in the middle of one).
@Suite struct SeriesCreationTests {
    static let fields = ["title": "#LinkedInLocal Toulouse", "from": "2027-01-01", "startTime": "18:30", "hours": "3", "capacity": "70",
                         "count": "4", "pattern": "monthly3", "ordinal": "3", "weekday": "4"]

    /// `count` two-hour drafts a week apart from the fixture's start.
    static func weekly(_ title: String, count: Int) -> [EventInput.Valid] {
        (0..<count).map { week in
            let start = Fixture.start.addingTimeInterval(Double(week) * 7 * 86400)
            return EventInput.Valid(title: title, startsAt: start, endsAt: start.addingTimeInterval(7200), capacity: 30, description: "",
                                    venue: nil, speakers: [], agenda: [], status: .draft)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func theSameFormSentAgainCreatesTheSeriesOnce(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            @Sendable func drafts() async throws -> Int {
                try await app.persistence.events.upcomingEvents(of: chapter.id, now: Fixture.start.addingTimeInterval(-86400 * 30), includeDrafts: true).count
            }
            try await app.application.test(.router) { client in
                let form = try await client.get("/organize/toulouse/series/new", as: organizer)
                let key = try #require(form.text.firstMatch(of: /name="seriesKey" value="([0-9A-F-]{36})"/)?.1)
                var fields = Self.fields
                fields["seriesKey"] = String(key)
                #expect(try await client.post("/organize/toulouse/series", as: organizer, fields).status == .seeOther)
                #expect(try await drafts() == 4)
                // The browser retries (the answer was lost), or the organiser clicks twice: the same
                // series, not a second one, and the same page afterwards.
                let again = try await client.post("/organize/toulouse/series", as: organizer, fields)
                #expect(again.status == .seeOther)
                #expect(again.headers[.location] == OrganizeRoute.dashboard(slug: "toulouse").path("done", "series") + "&count=4")
                #expect(try await drafts() == 4)
                // Two at once with another key: one more series, not two.
                let other = fields.merging(["seriesKey": UUID().uuidString]) { $1 }
                async let first = client.post("/organize/toulouse/series", as: organizer, other)
                async let second = client.post("/organize/toulouse/series", as: organizer, other)
                let (a, b) = try await (first, second)
                #expect(a.status == .seeOther && b.status == .seeOther)
                #expect(try await drafts() == 8)
                let audit = try await app.persistence.team.auditLog(of: chapter.id).filter { $0.action == "series.created" }
                #expect(audit.count == 2)
                // A form shown anew gets a new key: another series.
                let fresh = try await client.get("/organize/toulouse/series/new", as: organizer)
                #expect(fresh.text.firstMatch(of: /name="seriesKey" value="([0-9A-F-]{36})"/)?.1 != key)
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func concurrentRequestsWithOneKeyMakeOneSeries(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let key = UUID()
            let inputs = Self.weekly("Weekly", count: 6)
            let outcomes = try await withThrowingTaskGroup(of: EventStore.SeriesOutcome.self) { group in
                for _ in 0..<4 { group.addTask { try await app.persistence.events.createSeries(inputs, in: chapter.id, key: key, now: Fixture.start) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { if case .created = $0 { true } else { false } }.count == 1)
            #expect(Set(outcomes.map { switch $0 { case .created(let ids), .alreadyCreated(let ids): ids } }).count == 1)
            let stored = try await app.persistence.events.upcomingEvents(of: chapter.id, now: Fixture.start.addingTimeInterval(-86400), includeDrafts: true)
            #expect(stored.filter { $0.event.title == "Weekly" }.count == 6)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aFailureHalfwayLeavesNoEventOfTheSeries(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let key = UUID()
            let inputs = Self.weekly("Halfway", count: 4)
            // The third event's id is taken already: its INSERT fails after the first two succeeded.
            let taken = EventStore.seriesEventID(chapter: chapter.id, key: key, position: 2)
            try await app.persistence.sql.raw("""
                INSERT INTO events (id, chapter_id, title, description, starts_at, ends_at, capacity, status, venue_id, seats_taken, queue_counter, created_at, updated_at)
                VALUES (\(bind: taken.uuid), \(bind: chapter.id.uuid), 'Blocker', '', \(bind: Fixture.start), \(bind: Fixture.start), 1, 'draft', NULL, 0, 0,
                        \(bind: Fixture.start), \(bind: Fixture.start))
                """).run()
            await #expect(throws: (any Error).self) {
                try await app.persistence.events.createSeries(inputs, in: chapter.id, key: key, now: Fixture.start)
            }
            let stored = try await app.persistence.events.upcomingEvents(of: chapter.id, now: Fixture.start.addingTimeInterval(-86400), includeDrafts: true)
            #expect(stored.filter { $0.event.title == "Halfway" }.isEmpty)
        }
    }
}
