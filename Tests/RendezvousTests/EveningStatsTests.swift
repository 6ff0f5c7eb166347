import Foundation
import RendezvousDomain
@testable import RendezvousPersistence
import SQLKit
import Testing

/// The insights' aggregates (issue 15): each past evening's numbers are kept in `evening_stats`,
/// and every change that alters them (a check-in, its undo, a walk-in, feedback, a contact, a
/// new date) reaches the pages, even while the pages are being computed.
@Suite("Evening aggregates")
struct EveningStatsTests {
    static func registrationID(_ db: Persistence, event: Event, email: String) async throws -> Registration.ID {
        struct Row: Decodable { var id: UUID }
        let row = try #require(try await db.sql.raw("SELECT id FROM registrations WHERE event_id = \(bind: event.id.uuid) AND email = \(bind: email)").row(Row.self))
        return .init(row.id)
    }

    static func stored(_ db: Persistence, _ event: Event) async throws -> (dirty: Int, clean: Int, came: Int?) {
        struct Row: Decodable { var dirty: Int; var clean: Int; var came: Int? }
        let row = try #require(try await db.sql.raw("SELECT dirty, clean, came FROM evening_stats WHERE event_id = \(bind: event.id.uuid)").row(Row.self))
        return (row.dirty, row.clean, row.came)
    }

    @Test(arguments: DatabaseKind.available)
    func everyChangeReachesTheInsights(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { db in
            // a: persons 0–9, 0–7 came; b: persons 5–14, 5–10 came; c: persons 20–29, all came.
            let (chapter, events) = try await InsightsTests.seed(db)
            let (a, b, c) = (events[0], events[1], events[2])
            let now = Fixture.start
            var insights = try await db.network.chapterInsights(of: chapter.id, now: now)
            #expect(insights.evenings.map(\.came) == [8, 6, 10])
            #expect(insights.evenings.map(\.newcomers) == [8, 3, 10])
            // Stored: the next view reads them.
            let first = try await Self.stored(db, b)
            #expect(first.dirty == first.clean && first.came == 6)

            // A late check-in at b (person 11, new): b counts 7 who came, 4 newcomers.
            let eleven = try await Self.registrationID(db, event: b, email: "person11@example.org")
            let admitted = try await db.door.checkIn(event: b.id, target: .registration(eleven), nonce: "n1", device: "test", by: "Door", happenedAt: b.startsAt, offline: false, now: now)
            #expect(admitted.result == .admitted)
            #expect(try await Self.stored(db, b).dirty > first.dirty, "the check-in marked b out of date")
            insights = try await db.network.chapterInsights(of: chapter.id, now: now)
            #expect(insights.evenings.map(\.came) == [8, 7, 10])
            #expect(insights.evenings[1].newcomers == 4 && insights.evenings[1].regulars == 3)

            // A check-in at a (person 8) makes person 8 a regular at b: a later evening changes too.
            let eight = try await Self.registrationID(db, event: a, email: "person8@example.org")
            _ = try await db.door.checkIn(event: a.id, target: .registration(eight), nonce: "n2", device: "test", by: "Door", happenedAt: a.startsAt, offline: false, now: now)
            insights = try await db.network.chapterInsights(of: chapter.id, now: now)
            #expect(insights.evenings.map(\.came) == [9, 7, 10])
            #expect(insights.evenings[1].newcomers == 3 && insights.evenings[1].regulars == 4)

            // Undone: back as it was.
            _ = try await db.door.undoCheckIn(event: b.id, registration: eleven, nonce: "n3", device: "test", by: "Door", now: now)
            insights = try await db.network.chapterInsights(of: chapter.id, now: now)
            #expect(insights.evenings.map(\.came) == [9, 6, 10])

            // Feedback at b, then changed: one answer, the second score.
            let five = try await Self.registrationID(db, event: b, email: "person5@example.org")
            try await db.followUp.saveFeedback(FeedbackInput(score: 4, comment: ""), registration: five, now: now)
            #expect(try await db.network.chapterInsights(of: chapter.id, now: now).evenings[1].averageScore == 4)
            try await db.followUp.saveFeedback(FeedbackInput(score: 8, comment: ""), registration: five, now: now)
            insights = try await db.network.chapterInsights(of: chapter.id, now: now)
            #expect(insights.evenings[1].answers == 1 && insights.evenings[1].averageScore == 8)
            #expect(insights.scoreCounts[8] == 1 && insights.scoreCounts[4] == 0)

            // A walk-in at c.
            _ = try await db.door.addWalkIn(event: c.id, profile: Fixture.profile(700), by: "Door", now: now)
            insights = try await db.network.chapterInsights(of: chapter.id, now: now)
            #expect(insights.evenings[2].came == 11 && insights.evenings[2].walkIns == 1 && insights.evenings[2].newcomers == 11)

            // The network: people who came (each counted once), those who came back, contacts.
            let rollup = try await db.network.networkRollup(now: now)
            let mine = try #require(rollup.chapters.first { $0.chapter.id == chapter.id })
            #expect(mine.evenings == 3 && mine.attendees == 9 + 6 + 11)
            #expect(mine.people == 9 + 2 + 11, "persons 0–8, then 9 and 10 new at b, then 11 at c")
            #expect(mine.returning == 4, "persons 5–8 came twice")
            #expect(mine.contacts == 1 && mine.answers == 4)
            #expect(try await db.network.networkNumbers(now: now).contacts == 1)
        }
    }

    /// A check-in that commits while a view computes the evening: that view shows what it read,
    /// but does not store it as current, so the next view counts the check-in.
    @Test(arguments: DatabaseKind.available)
    func aChangeDuringAComputationIsNotLost(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { db in
            let (chapter, events) = try await InsightsTests.seed(db)
            let b = events[1], now = Fixture.start
            let eleven = try await Self.registrationID(db, event: b, email: "person11@example.org")
            let during = try await NetworkStore.$afterComputing.withValue({
                _ = try await db.door.checkIn(event: b.id, target: .registration(eleven), nonce: "during", device: "test", by: "Door",
                                              happenedAt: b.startsAt, offline: false, now: now)
            }) { try await db.network.chapterInsights(of: chapter.id, now: now) }
            #expect(during.evenings[1].came == 6, "computed before the check-in committed")
            let stored = try await Self.stored(db, b)
            #expect(stored.dirty != stored.clean, "not stored as current")
            #expect(try await db.network.chapterInsights(of: chapter.id, now: now).evenings[1].came == 7)
            #expect(try await db.network.networkRollup(now: now).chapters.first { $0.chapter.id == chapter.id }?.attendees == 8 + 7 + 10)
        }
    }

    /// Check-ins and page views at once: the last view counts every check-in. A computation that
    /// read the registrations before a check-in committed must not be stored as current.
    @Test(arguments: DatabaseKind.available)
    func parallelCheckInsAndViewsEndExact(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { db in
            let chapter = try await Fixture.chapter(db)
            let held = Fixture.start.addingTimeInterval(-3600)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 40, startsIn: 1, now: held.addingTimeInterval(-86400))
            let people = (0..<40).map { RegistrationStore.newRegistration(Fixture.profile($0), event: event.id, status: .confirmed, queueNumber: nil, now: held.addingTimeInterval(-86400)) }
            try await RegistrationStore.insert(people, on: db.sql)
            let now = Fixture.start
            for round in 0..<2 {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (index, person) in people.enumerated() where index % 2 == round {
                        group.addTask {
                            _ = try await db.door.checkIn(event: event.id, target: .registration(person.id), nonce: "p\(index)", device: "d", by: "Door",
                                                          happenedAt: now, offline: false, now: now)
                        }
                        group.addTask { _ = try await db.network.chapterInsights(of: chapter.id, now: now) }
                    }
                    try await group.waitForAll()
                }
                let insights = try await db.network.chapterInsights(of: chapter.id, now: now)
                #expect(insights.evenings.last?.came == (round + 1) * 20)
                #expect(insights.evenings.last?.newcomers == (round + 1) * 20)
            }
            let rollup = try await db.network.networkRollup(now: now)
            #expect(rollup.chapters.first { $0.chapter.id == chapter.id }?.attendees == 40)
        }
    }
}
