import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import NIOCore
@testable import RendezvousApp
import RendezvousDomain
@testable import RendezvousMail
@testable import RendezvousPersistence
@testable import RendezvousWeb
import SQLKit
import Testing

/// Several instances on one PostgreSQL database: each outbox message sent once, periodic jobs run
/// by one instance at a time, rate limits and lockouts that hold for the whole network, and cached
/// pages dropped everywhere when one instance changes what they show.
@Suite("Several instances")
struct ClusterTests {
    static let from = MailMessage.Address(name: "Rendezvous", email: "rendezvous@rendezvous.test")

    /// Records what would have left, and takes a moment per message so two senders interleave.
    final class RecordingTransport: MailTransport, Sendable {
        let sent = NIOLockedValueBox<[String]>([])
        func send(_ message: MailMessage) async throws {
            try await Task.sleep(for: .milliseconds(2))
            sent.withLockedValue { $0.append(message.messageID) }
        }
    }

    static func sender(_ persistence: Persistence, clock: any Clock, transport: any MailTransport) -> OutboxSender {
        OutboxSender(persistence: persistence, composer: MessageComposer(persistence: persistence, baseURL: "https://rendezvous.test", from: from),
                     transport: transport, clock: clock, logger: testLogger)
    }

    /// A second instance on the first one's database (PostgreSQL): its own pool, limiter, cache.
    static func withSecondInstance<T: Sendable>(
        _ app: TestApp, rateLimit: RateLimit = .off, pageCacheTTL: TimeInterval = 0, _ body: @Sendable (TestApp) async throws -> T
    ) async throws -> T {
        let other = try Persistence(url: app.persistence.url, logger: testLogger, tokens: app.persistence.tokens)
        let services = try await AppServices(
            persistence: other, clock: app.clock,
            configuration: WebConfiguration(baseURL: "https://rendezvous.test", rateLimit: rateLimit, pageCacheTTL: pageCacheTTL), logger: testLogger)
        do {
            let result = try await body(TestApp(services: services, clock: app.clock))
            services.live.stop()
            await other.shutdown()
            return result
        } catch {
            services.live.stop()
            await other.shutdown()
            throw error
        }
    }

    // MARK: Background work

    /// Two senders drain one outbox of 200 messages at once (on PostgreSQL from two instances, each
    /// claiming with `FOR UPDATE SKIP LOCKED`; on SQLite two senders of one instance): every message
    /// leaves exactly once, none is left behind.
    @Test(arguments: DatabaseKind.available)
    func twoSendersSendEachMessageOnce(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 500)
            for index in 0..<200 {
                _ = try await app.persistence.registrations.register(Fixture.profile(index), for: event.id, now: app.clock.now())
            }
            let total = try await app.persistence.outbox.outboxCount(status: .pending)
            #expect(total >= 200)
            let second = kind == .postgres
                ? try Persistence(url: app.persistence.url, logger: testLogger, tokens: app.persistence.tokens) : app.persistence
            let transports = [RecordingTransport(), RecordingTransport()]
            let senders = [Self.sender(app.persistence, clock: app.clock, transport: transports[0]),
                           Self.sender(second, clock: app.clock, transport: transports[1])]
            try await withThrowingTaskGroup(of: Void.self) { group in
                for sender in senders {
                    group.addTask { while try await sender.sendDue(limit: 10) > 0 {} }
                }
                try await group.waitForAll()
            }
            if kind == .postgres { await second.shutdown() }
            let sent = transports.flatMap { $0.sent.withLockedValue { $0 } }
            #expect(sent.count == total, "each message sent once: \(sent.count) sends for \(total) messages")
            #expect(Set(sent).count == total, "no Message-ID twice")
            // (Which sender took how many is the scheduler's business: on busy cores one may drain
            // all; what matters is that each message left exactly once.)
            #expect(try await app.persistence.outbox.outboxCount(status: .pending) == 0)
            #expect(try await app.persistence.outbox.outboxCount(status: .sent) == total)
        }
    }

    /// A periodic job runs on one instance at a time: while one holds the lease the other skips it;
    /// once it is done (or its holder died and the lease lapsed) the job can run again.
    @Test(arguments: DatabaseKind.available)
    func periodicJobsRunOnOneInstanceAtATime(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let other = kind == .postgres
                ? try Persistence(url: app.persistence.url, logger: testLogger, tokens: app.persistence.tokens) : app.persistence
            let (started, startedContinuation) = AsyncStream<Void>.makeStream()
            let (finish, finishContinuation) = AsyncStream<Void>.makeStream()
            let first = Task {
                try await app.persistence.leases.runExclusively("reminders") { () async -> Int in
                    startedContinuation.yield()
                    for await _ in finish { break }
                    return 1
                }
            }
            for await _ in started { break }
            let skipped = try await other.leases.runExclusively("reminders") { 2 }
            #expect(skipped == nil, "the other instance skips the job while it runs")
            #expect(try await other.leases.runExclusively("announcements") { 3 } == 3, "another job is not held up")
            finishContinuation.yield()
            #expect(try await first.value == 1)
            #expect(try await other.leases.runExclusively("reminders") { 4 } == 4, "the job runs again once done")

            // A holder that died mid-run: its lease lapses on its own.
            // (Two seconds of lease: on two busy cores a shorter one lapsed before the next line ran.)
            #expect(try await app.persistence.leases.acquire("retention", holder: "crashed", lease: 2))
            #expect(try await other.leases.runExclusively("retention") { 5 } == nil)
            try await Task.sleep(for: .milliseconds(2500))
            #expect(try await other.leases.runExclusively("retention") { 6 } == 6)
            // A job that throws gives its lease back too.
            await #expect(throws: CancellationError.self) { try await other.leases.runExclusively("retention") { throw CancellationError() } }
            #expect(try await app.persistence.leases.runExclusively("retention") { 7 } == 7)
            if kind == .postgres { await other.shutdown() }
        }
    }

    // MARK: Rate limits and lockouts

    /// Six public writes a minute: a burst of ten split between two instances gets six through, not
    /// twelve (each instance counting on its own would let all ten pass).
    @Test func aBurstSplitAcrossTwoInstancesIsLimitedAsOne() async throws {
        guard DatabaseKind.available.contains(.postgres) else { return }
        let limit = RateLimit(requests: 6, window: 60)
        try await withApp(.postgres, rateLimit: limit) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 100)
            try await Self.withSecondInstance(app, rateLimit: limit) { second in
                try await app.application.test(.router) { clientA in
                    try await second.application.test(.router) { clientB in
                        // The limiters count wall-clock minutes (a sliding window over fixed ones): a
                        // burst that crosses a minute lets a seventh through by design. Start it early
                        // in a minute, so that even a slow machine ends it within that minute.
                        let inMinute = Date().timeIntervalSince1970.truncatingRemainder(dividingBy: 60)
                        if inMinute > 30 { try await Task.sleep(for: .milliseconds(Int((60.5 - inMinute) * 1000))) }
                        var statuses: [Int] = []
                        for index in 0..<10 {
                            let client = index.isMultiple(of: 2) ? clientA : clientB
                            let response = try await client.execute(uri: "/api/v1/events/\(event.id)/registrations", method: .post,
                                                                     headers: jsonHeaders(), body: ByteBuffer(string: Fixture.registrationJSON(index)))
                            statuses.append(Int(response.status.code))
                        }
                        #expect(statuses.filter { $0 == 201 }.count == 6, "\(statuses)")
                        #expect(statuses.suffix(4).allSatisfy { $0 == 429 }, "\(statuses)")
                    }
                }
            }
            #expect(try await app.persistence.registrations.registrations(of: event.id).count == 6)
        }
    }

    /// Ten wrong passwords from one address, five on each instance: the eleventh is refused on
    /// both, even with the right password (a lockout per instance would allow twenty guesses).
    @Test func aSignInLockoutHoldsOnEveryInstance() async throws {
        guard DatabaseKind.available.contains(.postgres) else { return }
        try await withApp(.postgres) { app in
            _ = try await app.persistence.accounts.createUser(email: "ana@example.org", name: "Ana", role: .organizer, passwordHash: Accounts.hash,
                                                               chapterSlugs: [], now: app.clock.now())
            try await Self.withSecondInstance(app) { second in
                try await app.application.test(.router) { clientA in
                    try await second.application.test(.router) { clientB in
                        func attempt(_ client: any TestClientProtocol, _ password: String) async throws -> HTTPResponse.Status {
                            try await client.execute(uri: "/api/v1/tokens", method: .post, headers: jsonHeaders(),
                                                     body: ByteBuffer(string: #"{"email":"ana@example.org","password":"\#(password)"}"#)).status
                        }
                        for index in 0..<10 {
                            let status = try await attempt(index.isMultiple(of: 2) ? clientA : clientB, "guess \(index)")
                            #expect(status == .unauthorized)
                        }
                        #expect(try await attempt(clientA, Accounts.password) == .tooManyRequests, "refused even with the right password")
                        #expect(try await attempt(clientB, Accounts.password) == .tooManyRequests)
                    }
                }
            }
        }
    }

    /// The shared counters alone: a right password gives its attempt back on every instance, and
    /// keys of one limiter do not count against another's.
    @Test func sharedCountersRefundAndKeepLimitersApart() async throws {
        guard DatabaseKind.available.contains(.postgres) else { return }
        try await withApp(.postgres) { app in
            let other = try Persistence(url: app.persistence.url, logger: testLogger, tokens: app.persistence.tokens)
            let now = 1_000_000.0
            let a = RateLimiter(limit: RateLimit(requests: 3, window: 60), shared: .init(store: app.persistence.limits, name: "one"), clock: { now })
            let b = RateLimiter(limit: RateLimit(requests: 3, window: 60), shared: .init(store: other.limits, name: "one"), clock: { now })
            let c = RateLimiter(limit: RateLimit(requests: 3, window: 60), shared: .init(store: other.limits, name: "two"), clock: { now })
            #expect(await a.reserve(["k"]) == nil)
            #expect(await b.reserve(["k"]) == nil)
            #expect(await a.reserve(["k"]) == nil)
            #expect(await b.reserve(["k"]) != nil, "three between them")
            await a.refund(["k"])
            #expect(await b.reserve(["k"]) == nil, "the refund counts everywhere")
            #expect(await c.reserve(["k"]) == nil, "another limiter's key is its own")
            // Twenty at once from both instances: exactly three pass (the upsert is atomic).
            let d = RateLimiter(limit: RateLimit(requests: 3, window: 60), shared: .init(store: app.persistence.limits, name: "three"), clock: { now })
            let e = RateLimiter(limit: RateLimit(requests: 3, window: 60), shared: .init(store: other.limits, name: "three"), clock: { now })
            let passed = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<20 { group.addTask { await (index.isMultiple(of: 2) ? d : e).reserve(["burst"]) == nil } }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(passed == 3)
            // Windows that no longer count are forgotten, by the hourly retention run (not in requests).
            try await RetentionService.runOnce(app.services)
            struct Count: Decodable { var count: Int }
            #expect(try await app.persistence.sql.raw("SELECT COUNT(*) AS count FROM rate_limits").row(Count.self)?.count == 0)
            await other.shutdown()
        }
    }

    // MARK: Cached pages

    /// An event page cached on instance B (for five minutes) shows a registration made on instance A
    /// within a second: A publishes the stale pages on PostgreSQL's LISTEN/NOTIFY, B drops them.
    @Test func aChangeOnOneInstanceShowsOnTheOthersPagesWithinASecond() async throws {
        guard DatabaseKind.available.contains(.postgres) else { return }
        try await withApp(.postgres, pageCacheTTL: 300) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10)
            try await Self.withSecondInstance(app, pageCacheTTL: 300) { second in
                let listening = NIOLockedValueBox(0)
                let listeners = [app.services, second.services].map { services in
                    Task { await CacheBus.listen(services, onListening: { listening.withLockedValue { $0 += 1 } }) }
                }
                defer { for listener in listeners { listener.cancel() } }
                for _ in 0..<500 where listening.withLockedValue({ $0 }) < 2 { try await Task.sleep(for: .milliseconds(20)) }
                #expect(listening.withLockedValue { $0 } == 2, "both instances listen")
                try await app.application.test(.router) { clientA in
                    try await second.application.test(.router) { clientB in
                        let path = "/events/\(event.id)"
                        let before = try await clientB.execute(uri: path, method: .get)
                        #expect(before.status == .ok)
                        // A registration made straight in the database is not seen: B's page is cached.
                        _ = try await app.persistence.registrations.register(Fixture.profile(90), for: event.id, now: app.clock.now())
                        #expect(try await clientB.execute(uri: path, method: .get).text == before.text, "B serves its cached page")
                        // The same through instance A: A drops its pages and tells B.
                        let registered = try await clientA.execute(uri: "/api/v1/events/\(event.id)/registrations", method: .post,
                                                                  headers: jsonHeaders(), body: ByteBuffer(string: Fixture.registrationJSON(1)))
                        #expect(registered.status == .created)
                        let changed = Date()
                        var after = before.text
                        while after == before.text, Date().timeIntervalSince(changed) < 1 {
                            try await Task.sleep(for: .milliseconds(20))
                            after = try await clientB.execute(uri: path, method: .get).text
                        }
                        #expect(after != before.text, "B shows the change within a second")
                        #expect(after == (try await clientA.execute(uri: path, method: .get).text), "B shows what A shows")
                    }
                }
            }
        }
    }

    // MARK: Moving a network

    /// The demo network moves from SQLite to PostgreSQL and back, every table verified (row counts
    /// and checksums); a copy into a database that is not empty is refused, and a changed value is
    /// caught by the checksum.
    @Test func theDemoNetworkMovesToPostgreSQLAndBack() async throws {
        guard DatabaseKind.available.contains(.postgres) else { return }
        try await withDatabase(.sqlite) { sqlite in
            try await DemoNetwork.load(sqlite, clock: ManualClock(Fixture.start))
            try await withDatabase(.postgres) { postgres in
                let lines = NIOLockedValueBox<[String]>([])
                let report = try await Persistence.copy(from: sqlite, to: postgres) { table, copied, total in
                    lines.withLockedValue { $0.append("\(table) \(copied)/\(total)") }
                }
                let rows = report.map(\.rows).reduce(0, +)
                #expect(rows > 500, "the demo network has data: \(rows) rows")
                #expect(lines.withLockedValue { $0.last } == "\(report.last(where: { $0.rows > 0 })?.name ?? "") \(rows)/\(rows)", "the progress reaches the total")
                for name in ["chapters", "events", "registrations", "outbox", "users"] {
                    #expect(try await sqlite.count(name) == (try await postgres.count(name)), "\(name)")
                    #expect(try await postgres.count(name) > 0, "\(name) has rows")
                }
                // The copy is the network: an attendee's link still opens their registration.
                struct Row: Decodable { var id: UUID }
                let registration = try #require(try await sqlite.sql.raw("SELECT id FROM registrations LIMIT 1").row(Row.self))
                #expect(try await postgres.registrations.registration(id: .init(registration.id)) != nil)

                await #expect(throws: Persistence.CopyError.self, "a second copy into a database with rows is refused") {
                    try await Persistence.copy(from: sqlite, to: postgres)
                }
                // And back, into a new SQLite database: the same checksums as the original.
                try await withDatabase(.sqlite) { back in
                    let returned = try await Persistence.copy(from: postgres, to: back)
                    #expect(returned.map(\.checksum) == report.map(\.checksum))
                    // One value changed: the checksum sees it.
                    let tables = try await postgres.tablesInDependencyOrder()
                    // Tables of files (up to megabytes a row) move a few rows at a time; others in large batches.
                    for name in ["images", "attendee_photos", "quiz_images"] {
                        #expect(tables.first { $0.name == name }?.batch(1000) == 16, "\(name)")
                    }
                    #expect(tables.first { $0.name == "events" }?.batch(1000) == 1000)
                    let events = try #require(tables.first { $0.name == "events" })
                    let before = try await back.checksum(events)
                    try await back.sql.raw("UPDATE events SET title = title || '.' WHERE id = (SELECT id FROM events LIMIT 1)").run()
                    let after = try await back.checksum(events)
                    #expect(before.rows == after.rows)
                    #expect(before.checksum != after.checksum)
                }
            }
        }
    }
}
