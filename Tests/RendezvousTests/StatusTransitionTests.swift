import Foundation
import HTTPTypes
import HummingbirdTesting
import RendezvousDomain
@testable import RendezvousPersistence
import SQLKit
import Testing

/// Every change of a registration's status happens once, whatever arrives in parallel: cancels,
/// accepts, declines, offer expiry run by several sweepers, organiser actions and capacity changes.
/// Fired through HTTP against the running server, on each database.
@Suite("Status changes under concurrency")
struct StatusTransitionTests {
    struct State: Decodable, Sendable { var status: String }

    /// What must hold at every instant: seats held never exceed capacity, the counters match the
    /// rows, the queue numbers of those waiting are distinct, and nobody received a message twice.
    static func invariantProblems(_ db: Persistence, _ eventID: Event.ID) async throws -> [String] {
        var problems: [String] = []
        let event = try #require(try await db.events.event(id: eventID))
        let occupancy = try await db.events.occupancy(of: event)
        if occupancy.confirmed + occupancy.offered > event.capacity {
            problems.append("confirmed \(occupancy.confirmed) + offered \(occupancy.offered) > capacity \(event.capacity)")
        }
        struct Counters: Decodable { var seatsTaken: Int; var waitingCount: Int }
        let counters = try #require(try await db.sql.raw("SELECT seats_taken, waiting_count FROM events WHERE id = \(bind: eventID.uuid)").row(Counters.self))
        if counters.seatsTaken != occupancy.confirmed + occupancy.offered { problems.append("seats_taken \(counters.seatsTaken) ≠ rows \(occupancy.confirmed + occupancy.offered)") }
        if counters.waitingCount != occupancy.waitlisted { problems.append("waiting_count \(counters.waitingCount) ≠ rows \(occupancy.waitlisted)") }
        let waiting = try await db.registrations.registrations(of: eventID).filter { $0.status == .waitlisted }
        var positions: [Int] = []
        for registration in waiting { positions.append(try #require(try await db.registrations.waitlistPosition(of: registration))) }
        if positions.sorted() != Array(0..<waiting.count).map({ $0 + 1 }) { problems.append("waitlist positions not contiguous: \(positions.sorted())") }
        struct Sent: Decodable { var registrationId: UUID?; var kind: String; var count: Int }
        let twice = try await db.sql.raw("""
            SELECT registration_id, kind, COUNT(*) AS count FROM outbox WHERE event_id = \(bind: eventID.uuid)
            GROUP BY registration_id, kind HAVING COUNT(*) > 1
            """).rows(Sent.self)
        if !twice.isEmpty { problems.append("messages queued twice: \(twice.map { "\($0.kind)×\($0.count)" })") }
        return problems
    }

    /// An event of capacity 4, full, with 10 people waiting.
    static func fullEvent(_ db: Persistence) async throws -> (Event, [Registration]) {
        let chapter = try await Fixture.chapter(db)
        let event = try await Fixture.event(db, chapter: chapter, capacity: 4)
        var people: [Registration] = []
        for index in 0..<14 { people.append(try await db.registrations.register(Fixture.profile(index), for: event.id, now: Fixture.start).registration) }
        return (event, people)
    }

    /// Posts the same action `times` times at once, each on its own connection.
    static func parallel(_ port: Int, times: Int, _ requests: [(String, String)]) async throws -> [Int] {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<times {
                for (path, token) in requests {
                    group.addTask {
                        let response = try await send(port, .post, path, headers: [HTTPField.Name("X-Manage-Token")!: token])
                        return Int(response.status.code)
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func parallelCancelsGiveOneSeatBack(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let (event, people) = try await Self.fullEvent(app.persistence)
            let seated = people[0]
            let statuses = try await withLiveServer(app) { port in
                try await Self.parallel(port, times: 8, [("/api/v1/registrations/\(seated.id)/cancel", seated.manageToken)])
            }
            // Every repeat answers for the state it finds; exactly one seat went back, to one person.
            #expect(statuses == Array(repeating: 200, count: 8))
            let occupancy = try await app.persistence.events.occupancy(of: event)
            #expect(occupancy.confirmed == 3 && occupancy.offered == 1 && occupancy.waitlisted == 9)
            #expect(try await Self.invariantProblems(app.persistence, event.id) == [])
        }
    }

    /// Tests the test: the read-then-write cancel of the test target, fired the same way, hands
    /// out one seat per request, and the invariant check sees it.
    @Test(arguments: DatabaseKind.available)
    func theCancelTestCatchesAMissingGuard(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { db in
            let (event, people) = try await Self.fullEvent(db)
            let seated = people[0]
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 {
                    group.addTask { try? await db.registrations.cancelWithoutGuard(seated.id, token: seated.manageToken, now: Fixture.start) }
                }
                try await group.waitForAll()
            }
            let occupancy = try await db.events.occupancy(of: event)
            #expect(occupancy.confirmed + occupancy.offered > event.capacity, "without the guard parallel cancels should overbook")
            #expect(try await Self.invariantProblems(db, event.id) != [])
        }
    }

    @Test(arguments: DatabaseKind.available)
    func parallelAcceptsAndDeclinesMoveOneSeatEach(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let (event, people) = try await Self.fullEvent(db)
            // Two cancellations: people[4] and people[5] hold offers.
            for person in people[0..<2] { _ = try await db.registrations.cancel(person.id, token: person.manageToken, now: Fixture.start) }
            let offered = try await db.registrations.registrations(of: event.id).filter { $0.status == .offered }
            #expect(offered.map(\.id) == [people[4].id, people[5].id])
            let statuses = try await withLiveServer(app) { port in
                try await Self.parallel(port, times: 8, [
                    ("/api/v1/registrations/\(people[4].id)/accept", people[4].manageToken),
                    ("/api/v1/registrations/\(people[5].id)/decline", people[5].manageToken),
                ])
            }
            #expect(statuses == Array(repeating: 200, count: 16))
            #expect(try await db.registrations.registration(id: people[4].id)?.status == .confirmed)
            #expect(try await db.registrations.registration(id: people[5].id)?.status == .cancelled)
            // Accepting confirms with a message, once, however many times it was sent.
            struct Kind: Decodable { var kind: String }
            let messages = try await db.sql.raw("SELECT kind FROM outbox WHERE registration_id = \(bind: people[4].id.uuid)").rows(Kind.self).map(\.kind)
            #expect(messages.filter { $0 == "confirmed" }.count == 1, "\(messages)")
            // The declined seat went to the next in line, once.
            let now = try await db.registrations.registrations(of: event.id)
            #expect(now.filter { $0.status == .offered }.map(\.id) == [people[6].id])
            #expect(try await Self.invariantProblems(db, event.id) == [])
        }
    }

    /// Three sweepers (three server processes on one database) expire the same offers at once:
    /// each seat passes on once, each person hears once.
    @Test(arguments: DatabaseKind.available)
    func sweepersOnSeveralInstancesExpireEachOfferOnce(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { db in
            let (event, people) = try await Self.fullEvent(db)
            for person in people[0..<3] { _ = try await db.registrations.cancel(person.id, token: person.manageToken, now: Fixture.start) }
            let later = Fixture.start.addingTimeInterval(25 * 3600)
            // Other processes on the same database: PostgreSQL gets separate pools; SQLite has one
            // writer per file, so its "instances" share the process's pool.
            var instances = [db]
            if kind == .postgres {
                for _ in 0..<2 { instances.append(try Persistence(url: db.url, logger: testLogger)) }
            }
            let expired = try await withThrowingTaskGroup(of: Int.self) { group in
                for round in 0..<9 {
                    let instance = instances[round % instances.count]
                    group.addTask { try await instance.registrations.expireOffers(now: later) }
                }
                return try await group.reduce(0, +)
            }
            for instance in instances.dropFirst() { await instance.shutdown() }
            #expect(expired == 3)
            let registrations = try await db.registrations.registrations(of: event.id)
            #expect(registrations.filter { $0.status == .expired }.map(\.id) == Array(people[4..<7].map(\.id)))
            #expect(registrations.filter { $0.status == .offered }.map(\.id) == Array(people[7..<10].map(\.id)))
            #expect(try await Self.invariantProblems(db, event.id) == [])
        }
    }

    /// Three instances queue reminders at the same moment: each confirmed person is reminded once.
    @Test(arguments: DatabaseKind.available)
    func remindersAreQueuedOnceAcrossInstances(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { db in
            let (event, _) = try await Self.fullEvent(db)
            let dayBefore = event.startsAt.addingTimeInterval(-20 * 3600)
            var instances = [db]
            if kind == .postgres {
                for _ in 0..<2 { instances.append(try Persistence(url: db.url, logger: testLogger)) }
            }
            let queued = try await withThrowingTaskGroup(of: Int.self) { group in
                for round in 0..<9 {
                    let instance = instances[round % instances.count]
                    group.addTask { try await instance.outbox.enqueueReminders(now: dayBefore) }
                }
                return try await group.reduce(0, +)
            }
            for instance in instances.dropFirst() { await instance.shutdown() }
            #expect(queued == 4)
            #expect(try await Self.invariantProblems(db, event.id) == [])
        }
    }

    /// Organisers, attendees and the sweeper all at once, over and over: the room never holds more
    /// than its capacity and the counters never drift.
    @Test(arguments: DatabaseKind.available)
    func mixedStormKeepsTheInvariant(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let (event, people) = try await Self.fullEvent(db)
            let later = Fixture.start.addingTimeInterval(25 * 3600)
            try await withLiveServer(app) { port in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for person in people {
                        for action in ["cancel", "accept", "decline"] {
                            group.addTask {
                                _ = try await send(port, .post, "/api/v1/registrations/\(person.id)/\(action)",
                                                   headers: [HTTPField.Name("X-Manage-Token")!: person.manageToken])
                            }
                        }
                        group.addTask { _ = try? await db.registrations.promote(person.id, in: event.id, now: Fixture.start) }
                        group.addTask { _ = try? await db.registrations.cancelByOrganizer(person.id, in: event.id, now: Fixture.start) }
                    }
                    for capacity in [3, 6, 2, 8] {
                        group.addTask { _ = try? await db.events.updateEvent(event.id, title: nil, description: nil, capacity: capacity, status: nil, now: Fixture.start) }
                    }
                    for _ in 0..<4 { group.addTask { _ = try await db.registrations.expireOffers(now: later) } }
                    try await group.waitForAll()
                }
            }
            #expect(try await Self.invariantProblems(db, event.id) == [])
        }
    }

    /// A walk-in takes no online seat, so cancelling one (twice, in parallel) gives none back:
    /// nobody on the waitlist is offered a seat that does not exist.
    @Test(arguments: DatabaseKind.available)
    func cancellingAWalkInGivesNoSeatBack(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { db in
            let (event, _) = try await Self.fullEvent(db)
            let walkIn = try await db.door.addWalkIn(event: event.id, profile: Fixture.profile(99, first: "Walk"), by: "Door", now: Fixture.start)
            let id = try #require(walkIn.registrationID.flatMap(Registration.ID.init(string:)))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 { group.addTask { _ = try await db.registrations.cancelByOrganizer(id, in: event.id, now: Fixture.start) } }
                try await group.waitForAll()
            }
            let registrations = try await db.registrations.registrations(of: event.id)
            #expect(registrations.filter { $0.status == .offered }.isEmpty, "a walk-in's cancellation offered a seat")
            #expect(registrations.filter { $0.status == .confirmed }.count == 4)
            #expect(try await Self.invariantProblems(db, event.id) == [])
        }
    }

    /// A message's state moves once too: a sender whose lease lapsed (another sender took the
    /// message) settles nothing, and parallel failures of one claim report to the organisers once.
    @Test(arguments: DatabaseKind.available)
    func aMessageIsSettledOnceUnderItsClaim(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { db in
            _ = try await Self.fullEvent(db)
            _ = try await db.accounts.createUser(email: "orga@example.org", name: "Orga", role: .organizer, passwordHash: "x",
                                                 chapterSlugs: ["toulouse"], now: Fixture.start)
            let first = try #require(try await db.outbox.claimDueMessages(now: Fixture.start, limit: 1, lease: 10).first)
            // The lease lapses; a second sender takes the same message.
            let later = Fixture.start.addingTimeInterval(11)
            let second = try #require(try await db.outbox.claimDueMessages(now: later, limit: 1, lease: 10).first { $0.id == first.id })
            try await db.outbox.markFailed(first, error: "550 late", subject: "s", recipient: "r", now: later)
            try await db.outbox.markSent(first, subject: "s", recipient: "r", now: later)
            struct Row: Decodable { var status: String }
            #expect(try await db.sql.raw("SELECT status FROM outbox WHERE id = \(bind: first.id)").row(Row.self)?.status == "pending",
                    "the lapsed claim changed nothing")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<6 {
                    group.addTask { try await db.outbox.markFailed(second, error: "550 refused", subject: "s", recipient: "r", now: later) }
                }
                try await group.waitForAll()
            }
            #expect(try await db.sql.raw("SELECT status FROM outbox WHERE id = \(bind: first.id)").row(Row.self)?.status == "failed")
            let reports = try await db.sql.raw("SELECT status FROM outbox WHERE kind = 'deliveryFailure'").rows(Row.self)
            #expect(reports.count == 1, "the organiser is told once, not \(reports.count) times")
        }
    }

    /// Lowering the capacity below the seats held is refused even when a seat is taken meanwhile.
    @Test(arguments: DatabaseKind.available)
    func capacityChangesRaceWithOffers(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { db in
            let (event, people) = try await Self.fullEvent(db)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<6 {
                    group.addTask { _ = try? await db.events.updateEvent(event.id, title: nil, description: nil, capacity: 4 + index, status: nil, now: Fixture.start) }
                    group.addTask { _ = try? await db.events.updateEvent(event.id, title: nil, description: nil, capacity: 4, status: nil, now: Fixture.start) }
                }
                group.addTask { _ = try await db.registrations.cancel(people[0].id, token: people[0].manageToken, now: Fixture.start) }
                try await group.waitForAll()
            }
            #expect(try await Self.invariantProblems(db, event.id) == [])
        }
    }
}
