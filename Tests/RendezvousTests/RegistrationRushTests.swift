import Foundation
import HummingbirdTesting
import RendezvousDomain
@testable import RendezvousPersistence
import Testing

/// Real concurrent HTTP registrations against the running server, on each database.
@Suite("Registration rush over HTTP")
struct RegistrationRushTests {
    struct Created: Decodable, Sendable {
        var status: String
        var waitlistPosition: Int?
    }

    struct RushResult {
        var statuses: [Int] = []
        var confirmed = 0
        var positions: [Int] = []
        var storedConfirmed = 0
        var storedTotal = 0

        /// What must hold: exactly min(N, C) seats, unique positions 1...(N - C), nothing lost, no 5xx.
        func problems(attempts: Int, capacity: Int) -> [String] {
            var problems: [String] = []
            if statuses.contains(where: { $0 >= 500 }) { problems.append("server errors: \(statuses.filter { $0 >= 500 })") }
            if statuses.contains(where: { $0 != 201 }) { problems.append("non-201 answers: \(Set(statuses))") }
            if confirmed != min(attempts, capacity) { problems.append("confirmed \(confirmed), expected \(min(attempts, capacity))") }
            if storedConfirmed != min(attempts, capacity) { problems.append("stored confirmed \(storedConfirmed)") }
            if positions.sorted() != Array(1...max(1, attempts - capacity)).prefix(max(0, attempts - capacity)).map({ $0 }) {
                problems.append("waitlist positions not 1...\(attempts - capacity): \(positions.sorted())")
            }
            if storedTotal != attempts { problems.append("stored \(storedTotal) registrations for \(attempts) attempts") }
            return problems
        }
    }

    /// Fires `attempts` registrations at once: over HTTP against the running server, or (to test
    /// the test) through the unguarded check-then-insert of the test target.
    func rush(_ app: TestApp, attempts: Int, capacity: Int, unguarded: Bool = false) async throws -> RushResult {
        let chapter = try await Fixture.chapter(app.persistence)
        let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: capacity)
        let db = app.persistence
        var result = try await withLiveServer(app) { port in
            try await withThrowingTaskGroup(of: (Int, Created?).self) { group in
                for index in 0..<attempts {
                    group.addTask {
                        if unguarded {
                            let outcome = try await db.registrations.registerWithoutGuard(Fixture.profile(index), for: event.id, now: Fixture.start)
                            return (201, Created(status: outcome.registration.status.rawValue, waitlistPosition: outcome.waitlistPosition))
                        }
                        let response = try await send(port, .post, "/api/v1/events/\(event.id)/registrations", json: Fixture.registrationJSON(index))
                        return (Int(response.status.code), try? response.decode(Created.self))
                    }
                }
                var result = RushResult()
                for try await (status, body) in group {
                    result.statuses.append(status)
                    if body?.status == "confirmed" { result.confirmed += 1 }
                    if let position = body?.waitlistPosition { result.positions.append(position) }
                }
                return result
            }
        }
        let stored = try await app.persistence.registrations.registrations(of: event.id)
        result.storedConfirmed = stored.filter { $0.status == .confirmed }.count
        result.storedTotal = stored.count
        if !unguarded { try await expectCountersMatch(app.persistence, event) }
        return result
    }

    @Test(arguments: DatabaseKind.available)
    func exactCapacityUnderARush(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let result = try await rush(app, attempts: 80, capacity: 25)
            #expect(result.problems(attempts: 80, capacity: 25) == [])
        }
    }

    /// Tests the test: with the guard replaced by a check-then-insert, the same rush overbooks,
    /// and the checks above catch it.
    @Test(arguments: DatabaseKind.available)
    func theRushTestCatchesAMissingGuard(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let result = try await rush(app, attempts: 80, capacity: 10, unguarded: true)
            #expect(result.storedConfirmed > 10, "without the guard the rush should overbook")
            #expect(!result.problems(attempts: 80, capacity: 10).isEmpty)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func sameEmailAtOnceGivesOneRegistration(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 50)
            let statuses = try await withLiveServer(app) { port in
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for index in 0..<12 {
                        group.addTask {
                            Int(try await send(port, .post, "/api/v1/events/\(event.id)/registrations",
                                               json: Fixture.registrationJSON(index, email: "same@example.org")).status.code)
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }
            #expect(statuses.filter { $0 == 201 }.count == 1)
            #expect(statuses.filter { $0 == 409 }.count == 11)
            #expect(try await app.persistence.registrations.registrations(of: event.id).count == 1)
        }
    }
}
