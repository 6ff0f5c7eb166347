import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
import Logging
import NIOCore
import RendezvousDomain
import RendezvousLocalization
import RendezvousMail
@testable import RendezvousPersistence
@testable import RendezvousWeb
@testable import RendezvousWebhooks
import SQLKit
import Testing

/// A real HTTP receiver on loopback, as an integrator runs one: it records every request and
/// answers with the statuses it was told (then 200).
actor WebhookReceiver {
    struct Received: Sendable { var path: String; var id: String; var type: String; var signature: String; var userAgent: String; var body: String; var host = "" }
    private(set) var received: [Received] = []
    private var script: [String: [Int]] = [:]
    var delay: Duration = .zero

    func answer(_ path: String, with statuses: [Int]) { script[path] = statuses }
    func setDelay(_ delay: Duration) { self.delay = delay }

    func record(_ item: Received) -> Int {
        received.append(item)
        guard var statuses = script[item.path], !statuses.isEmpty else { return 200 }
        let status = statuses.removeFirst()
        script[item.path] = statuses
        return status
    }

    /// Runs the receiver on a free loopback port (of `address`) for the duration of `body`.
    static func run<T: Sendable>(on address: String = "127.0.0.1", _ body: @Sendable (WebhookReceiver, Int) async throws -> T) async throws -> T {
        let receiver = WebhookReceiver()
        let router = Router()
        router.post("/hook/:name") { request, context -> Response in
            let text = String(buffer: try await request.body.collect(upTo: 1 << 20))
            let status = await receiver.record(Received(
                path: request.uri.path, id: request.headers[HTTPField.Name("Rendezvous-Webhook-Id")!] ?? "",
                type: request.headers[HTTPField.Name("Rendezvous-Webhook-Type")!] ?? "",
                signature: request.headers[HTTPField.Name("Rendezvous-Signature")!] ?? "", userAgent: request.headers[.userAgent] ?? "", body: text,
                host: request.head.authority ?? ""))
            let pause = await receiver.delay
            if pause > .zero { try await Task.sleep(for: pause) }
            return Response(status: .init(code: status), body: .init(byteBuffer: ByteBuffer(string: "answer \(status) " + String(repeating: "x", count: 400))))
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let application = Application(router: router, configuration: .init(address: .hostname(address, port: 0)),
                                      onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
                                      logger: Logger(label: "webhook-receiver", factory: { _ in SwiftLogNoOpLogHandler() }))
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await application.runService(gracefulShutdownSignals: [])
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            let result = try await body(receiver, port)
            group.cancelAll()
            return result
        }
    }
}

@Suite("Webhooks for integrators")
struct WebhookTests {
    static func allowPrivate(_ configuration: inout WebConfiguration) { configuration.webhooksAllowPrivate = true }

    /// A generous limit per attempt: `make test` runs every suite at once on two cores, and an
    /// answer slower than the limit would be tried again (the timeout has its own test).
    static func sender(_ app: TestApp, allowPrivate: Bool = true) -> WebhookSender {
        WebhookSender(persistence: app.persistence, clock: app.clock, logger: testLogger, policy: WebhookURLPolicy(allowPrivate: allowPrivate),
                      baseURL: "https://rendezvous.test", timeout: 15)
    }

    /// Delivers until nothing is due now.
    static func drain(_ sender: WebhookSender) async throws {
        while try await sender.deliverDue() > 0 {}
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Every kind of change reaches the receiver once, signed with the endpoint's secret, with the
    /// id in the header and the body, no email (not asked for), and nothing for drafts.
    @Test(arguments: DatabaseKind.available)
    func eachEventTypeIsDeliveredOnceSigned(_ kind: DatabaseKind) async throws {
        try await withApp(kind, configure: Self.allowPrivate) { app in
            try await WebhookReceiver.run { receiver, port in
                let chapter = try await Fixture.chapter(app.persistence)
                let (endpoint, secret) = try await app.persistence.webhooks.createEndpoint(
                    chapter: chapter.id, url: "http://127.0.0.1:\(port)/hook/all", types: [], includeEmail: false, now: app.clock.now())
                let persistence = app.persistence
                let now = app.clock.now()
                _ = try await Fixture.event(persistence, chapter: chapter, capacity: 5, title: "Brouillon", status: .draft) // nothing: a draft
                let event = try await Fixture.event(persistence, chapter: chapter, capacity: 1)                                  // event.published
                let first = try await persistence.registrations.register(Fixture.profile(1), for: event.id, now: now)          // registration.created
                let second = try await persistence.registrations.register(Fixture.profile(2), for: event.id, now: now)         // registration.created (waitlisted)
                // Refused (the same address again): nothing is told of a change that did not happen.
                await #expect(throws: (any Error).self) { try await persistence.registrations.register(Fixture.profile(1), for: event.id, now: now) }
                _ = try await persistence.registrations.cancelByOrganizer(first.registration.id, in: event.id, now: now)       // registration.cancelled
                _ = try await persistence.registrations.accept(second.registration.id, token: second.registration.manageToken, now: now) // registration.confirmed
                _ = try await persistence.door.checkIn(event: event.id, target: .registration(second.registration.id), nonce: "n-1", device: "d",
                                                       by: "Door", happenedAt: now, offline: false, now: now)                    // registration.checked_in
                _ = try await persistence.events.updateEvent(event.id, title: "Rencontre de printemps", description: nil, capacity: nil, status: nil, now: now) // event.changed
                try await Self.drain(Self.sender(app))

                let received = await receiver.received
                #expect(received.map(\.type).sorted() == ["event.changed", "event.published", "registration.cancelled", "registration.checked_in",
                                                          "registration.confirmed", "registration.created", "registration.created"])
                #expect(Set(received.map(\.id)).count == received.count, "each delivery once")
                for item in received {
                    #expect(WebhookSignature.verify(header: item.signature, body: item.body, secret: secret, now: Date()), "\(item.type) is signed")
                    #expect(!WebhookSignature.verify(header: item.signature, body: item.body + " ", secret: secret, now: Date()))
                    #expect(!WebhookSignature.verify(header: item.signature, body: item.body, secret: secret + "x", now: Date()))
                    #expect(item.userAgent.hasPrefix("Rendezvous-Webhooks/1.0"))
                    let body = try Self.json(item.body)
                    #expect(body["id"] as? String == item.id)
                    #expect(body["type"] as? String == item.type)
                    #expect(body["chapter"] as? String == "toulouse")
                    #expect((body["created_at"] as? String).flatMap { try? Date($0, strategy: .iso8601) } != nil)
                    let data = try #require(body["data"] as? [String: Any])
                    if item.type.hasPrefix("registration.") {
                        #expect(data["event_id"] as? String == event.id.description)
                        #expect((data["first_name"] as? String) == "Marie")
                        #expect(data["email"] == nil, "no email unless the endpoint asks for it")
                        #expect(!item.body.contains("@example.org"))
                    } else {
                        #expect(data["event_id"] as? String == event.id.description)
                    }
                }
                let checkIn = try Self.json(try #require(received.first { $0.type == "registration.checked_in" }).body)
                #expect((checkIn["data"] as? [String: Any])?["registration_id"] as? String == second.registration.id.description)
                #expect((checkIn["data"] as? [String: Any])?["checked_in_at"] != nil)
                let confirmed = try Self.json(try #require(received.first { $0.type == "registration.confirmed" }).body)
                #expect((confirmed["data"] as? [String: Any])?["status"] as? String == "confirmed")
                let changed = try Self.json(try #require(received.first { $0.type == "event.changed" }).body)
                #expect((changed["data"] as? [String: Any])?["title"] as? String == "Rencontre de printemps")
                // All delivered, once: nothing left, and a second pass sends nothing.
                let deliveries = try await persistence.webhooks.deliveries(of: endpoint.id, chapter: chapter.id)
                #expect(deliveries.count == 7 && deliveries.allSatisfy { $0.status == .delivered && $0.attempts == 1 && $0.responseStatus == 200 })
                #expect(deliveries.allSatisfy { $0.lastError.count <= WebhookRules.excerptLength }, "only an excerpt of the answer is kept")
                try await Self.drain(Self.sender(app))
                #expect(await receiver.received.count == 7)
            }
        }
    }

    /// An endpoint that asks for some types gets those only; one that asks for emails gets them.
    @Test(arguments: DatabaseKind.available)
    func anEndpointGetsTheTypesItChoseAndEmailOnlyWhenAsked(_ kind: DatabaseKind) async throws {
        try await withApp(kind, configure: Self.allowPrivate) { app in
            try await WebhookReceiver.run { receiver, port in
                let chapter = try await Fixture.chapter(app.persistence)
                let other = try await Fixture.chapter(app.persistence, slug: "paris")
                _ = try await app.persistence.webhooks.createEndpoint(chapter: chapter.id, url: "http://127.0.0.1:\(port)/hook/checkins",
                                                                      types: [.registrationCheckedIn], includeEmail: true, now: app.clock.now())
                _ = try await app.persistence.webhooks.createEndpoint(chapter: other.id, url: "http://127.0.0.1:\(port)/hook/paris",
                                                                      types: [], includeEmail: false, now: app.clock.now())
                let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 5)
                let person = try await app.persistence.registrations.register(Fixture.profile(1), for: event.id, now: app.clock.now())
                _ = try await app.persistence.door.checkIn(event: event.id, target: .registration(person.registration.id), nonce: "n", device: "d", by: "Door",
                                                           happenedAt: app.clock.now(), offline: false, now: app.clock.now())
                try await Self.drain(Self.sender(app))
                let received = await receiver.received
                #expect(received.map(\.path) == ["/hook/checkins"], "another chapter's endpoint hears nothing of Toulouse")
                #expect(received.map(\.type) == ["registration.checked_in"])
                let only = try #require(received.first)
                let data = try #require(try Self.json(only.body)["data"] as? [String: Any])
                #expect(data["email"] as? String == "person1@example.org")
            }
        }
    }

    /// A change that rolls back leaves no delivery: they are written in its transaction.
    @Test(arguments: DatabaseKind.available)
    func aRolledBackChangeQueuesNothing(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let (endpoint, _) = try await app.persistence.webhooks.createEndpoint(chapter: chapter.id, url: "https://hooks.example.org/x", types: [],
                                                                                  includeEmail: false, now: app.clock.now())
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 5)
            #expect(try await app.persistence.webhooks.deliveries(of: endpoint.id, chapter: chapter.id).count == 1, "event.published")
            struct Boom: Error {}
            let now = app.clock.now()
            await #expect(throws: Boom.self) {
                try await app.persistence.write { sql in
                    try await Persistence.emitEventWebhook(.eventChanged, event: event.id.uuid, now: now, on: sql)
                    throw Boom()
                }
            }
            #expect(try await app.persistence.webhooks.deliveries(of: endpoint.id, chapter: chapter.id).map(\.type) == [.eventPublished])
        }
    }

    /// 500 then 200: tried again after the first pause, with the same id and body, and delivered.
    /// A 404 is not tried again; a 429 and no connection are.
    @Test(arguments: DatabaseKind.available)
    func failuresAreRetriedWithTheSameIdOrFailAtOnce(_ kind: DatabaseKind) async throws {
        try await withApp(kind, configure: Self.allowPrivate) { app in
            try await WebhookReceiver.run { receiver, port in
                let chapter = try await Fixture.chapter(app.persistence)
                let webhooks = app.persistence.webhooks
                let (flaky, secret) = try await webhooks.createEndpoint(chapter: chapter.id, url: "http://127.0.0.1:\(port)/hook/flaky", types: [], includeEmail: false, now: app.clock.now())
                let (gone, _) = try await webhooks.createEndpoint(chapter: chapter.id, url: "http://127.0.0.1:\(port)/hook/gone", types: [], includeEmail: false, now: app.clock.now())
                let (busy, _) = try await webhooks.createEndpoint(chapter: chapter.id, url: "http://127.0.0.1:\(port)/hook/busy", types: [], includeEmail: false, now: app.clock.now())
                // Nothing listens on port 9 of loopback: no connection.
                let (closed, _) = try await webhooks.createEndpoint(chapter: chapter.id, url: "http://127.0.0.1:9/hook/closed", types: [], includeEmail: false, now: app.clock.now())
                await receiver.answer("/hook/flaky", with: [500])
                await receiver.answer("/hook/gone", with: [404])
                await receiver.answer("/hook/busy", with: [429])
                for endpoint in [flaky, gone, busy, closed] { _ = try await webhooks.enqueuePing(endpoint.id, of: chapter.id, now: app.clock.now()) }
                let sender = Self.sender(app)
                try await Self.drain(sender)
                func state(_ endpoint: WebhookEndpoint) async throws -> WebhookDelivery { try #require(try await webhooks.deliveries(of: endpoint.id, chapter: chapter.id).first) }
                var first = try await state(flaky)
                #expect(first.status == .pending && first.attempts == 1 && first.responseStatus == 500)
                #expect(first.nextAttemptAt == app.clock.now().addingTimeInterval(60), "the first pause is a minute")
                #expect(first.lastError.hasPrefix("answer 500") && first.lastError.count == WebhookRules.excerptLength, "an excerpt of the answer")
                let refused = try await state(gone)
                #expect(refused.status == .failed && refused.attempts == 1 && refused.responseStatus == 404, "a 404 is not tried again")
                #expect(try await state(busy).status == .pending, "429 is tried again")
                let unreachable = try await state(closed)
                #expect(unreachable.status == .pending && unreachable.responseStatus == nil && !unreachable.lastError.isEmpty)

                // Not before its time.
                #expect(try await sender.deliverDue() == 0)
                app.clock.advance(by: 61)
                try await Self.drain(sender)
                first = try await state(flaky)
                #expect(first.status == .delivered && first.attempts == 2 && first.responseStatus == 200)
                let attempts = await receiver.received.filter { $0.path == "/hook/flaky" }
                #expect(attempts.count == 2)
                #expect(Set(attempts.map(\.id)).count == 1 && attempts[0].id == first.id.description, "the same id on retry")
                #expect(attempts[0].body == attempts[1].body, "the same body")
                #expect(attempts.allSatisfy { WebhookSignature.verify(header: $0.signature, body: $0.body, secret: secret, now: Date()) })
                #expect(await receiver.received.filter { $0.path == "/hook/gone" }.count == 1)

                // No connection, again and again: after the last pause (12 h) it fails for good.
                for pause in WebhookRules.backoff.dropFirst() {
                    app.clock.advance(by: pause + 1)
                    try await Self.drain(sender)
                }
                let given = try await state(closed)
                #expect(given.status == .failed && given.attempts == WebhookRules.backoff.count + 1)

                // Sending one again from the workspace's list: same id, delivered.
                await receiver.answer("/hook/gone", with: [])
                let again = try #require(try await webhooks.redeliver(refused.id, endpoint: gone.id, of: chapter.id, now: app.clock.now()))
                #expect(again.status == .pending)
                try await Self.drain(sender)
                // On a loaded machine the attempt can outlast the sender's limit: it is then retried a minute later.
                for _ in 0..<3 where try await state(gone).status != .delivered {
                    app.clock.advance(by: 61)
                    try await Self.drain(sender)
                }
                #expect(try await state(gone).status == .delivered)
                let gones = await receiver.received.filter { $0.path == "/hook/gone" }.map(\.id)
                #expect(gones.count >= 2 && Set(gones) == [refused.id.description], "sent again with the same id")
            }
        }
    }

    /// A receiver slower than the limit: the attempt ends, says "timeout", and is tried again.
    @Test func aSlowReceiverTimesOutAndIsRetried() async throws {
        try await withApp(.sqlite, configure: Self.allowPrivate) { app in
            try await WebhookReceiver.run { receiver, port in
                // Far slower than the sender's limit: an attempt that waited for the answer would be delivered.
                await receiver.setDelay(.seconds(10))
                let chapter = try await Fixture.chapter(app.persistence)
                let (endpoint, _) = try await app.persistence.webhooks.createEndpoint(
                    chapter: chapter.id, url: "http://127.0.0.1:\(port)/hook/slow", types: [], includeEmail: false, now: app.clock.now())
                _ = try await app.persistence.webhooks.enqueuePing(endpoint.id, of: chapter.id, now: app.clock.now())
                let sender = WebhookSender(persistence: app.persistence, clock: app.clock, logger: testLogger, policy: WebhookURLPolicy(allowPrivate: true), timeout: 1)
                try await Self.drain(sender)
                let delivery = try #require(try await app.persistence.webhooks.deliveries(of: endpoint.id, chapter: chapter.id).first)
                #expect(delivery.status == .pending && delivery.attempts == 1 && delivery.responseStatus == nil)
                #expect(delivery.lastError == "timeout (1 s)")
            }
        }
    }

    /// /metrics shows the webhook queue: waiting deliveries and their age, failures, endpoints off.
    @Test func metricsShowTheWebhookQueue() async throws {
        try await withApp(.sqlite, configure: { $0.metricsToken = "metrics-token" }) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let (endpoint, _) = try await app.persistence.webhooks.createEndpoint(chapter: chapter.id, url: "https://hooks.example.org/x", types: [],
                                                                                  includeEmail: false, now: app.clock.now())
            _ = try await app.persistence.webhooks.enqueuePing(endpoint.id, of: chapter.id, now: app.clock.now())
            _ = try await app.persistence.webhooks.enqueuePing(endpoint.id, of: chapter.id, now: app.clock.now())
            app.clock.advance(by: 90)
            try await app.application.test(.router) { client in
                let metrics = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer metrics-token"])
                #expect(metrics.status == .ok)
                #expect(metrics.text.contains("rendezvous_webhooks_pending 2"))
                #expect(metrics.text.contains("rendezvous_webhooks_oldest_pending_seconds 90"))
                #expect(metrics.text.contains("rendezvous_webhooks_disabled_endpoints 0"))
                #expect(metrics.text.contains("rendezvous_webhooks_failed_last_day 0"))
            }
        }
    }

    /// Erasing a person deletes the webhook deliveries that name them; others stay.
    @Test(arguments: DatabaseKind.available)
    func erasingAPersonDeletesTheDeliveriesThatNameThem(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let (endpoint, _) = try await app.persistence.webhooks.createEndpoint(chapter: chapter.id, url: "https://hooks.example.org/x", types: [.registrationCreated],
                                                                                  includeEmail: true, now: app.clock.now())
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 5)
            let erased = try await app.persistence.registrations.register(Fixture.profile(1), for: event.id, now: app.clock.now())
            _ = try await app.persistence.registrations.register(Fixture.profile(2), for: event.id, now: app.clock.now())
            #expect(try await app.persistence.webhooks.deliveries(of: endpoint.id, chapter: chapter.id).count == 2)
            _ = try await app.persistence.personalData.erase(.registration(erased.registration.id.uuid), now: app.clock.now())
            struct Row: Decodable { var body: String }
            let left = try await app.persistence.sql.raw("SELECT body FROM webhook_deliveries").rows(Row.self).map(\.body)
            #expect(left.count == 1 && left[0].contains("person2@example.org") && !left.contains { $0.contains("person1@example.org") })
        }
    }

    /// The hourly retention run deletes deliveries that ended more than 30 days after they were
    /// queued (their bodies hold names); those still waiting, and recent ones, stay.
    @Test(arguments: DatabaseKind.available)
    func oldDeliveriesAreDeletedByTheRetentionRun(_ kind: DatabaseKind) async throws {
        try await withApp(kind, configure: Self.allowPrivate) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let webhooks = app.persistence.webhooks
            // Nothing listens on port 9: the ping fails (and waits for its retry); the 404 fails for good.
            let (waiting, _) = try await webhooks.createEndpoint(chapter: chapter.id, url: "http://127.0.0.1:9/hook", types: [], includeEmail: false, now: app.clock.now())
            let (done, _) = try await webhooks.createEndpoint(chapter: chapter.id, url: "https://hooks.example.org/done", types: [], includeEmail: false, now: app.clock.now())
            _ = try await webhooks.enqueuePing(waiting.id, of: chapter.id, now: app.clock.now())
            let old = try #require(try await webhooks.enqueuePing(done.id, of: chapter.id, now: app.clock.now()))
            try await app.persistence.sql.raw("UPDATE webhook_deliveries SET status = 'delivered' WHERE id = \(bind: old.uuid)").run()
            app.clock.advance(by: WebhookRules.keepDeliveries + 60)
            let recent = try #require(try await webhooks.enqueuePing(done.id, of: chapter.id, now: app.clock.now()))
            try await app.persistence.sql.raw("UPDATE webhook_deliveries SET status = 'failed' WHERE id = \(bind: recent.uuid)").run()
            try await RetentionService.runOnce(app.services)
            #expect(try await webhooks.deliveries(of: done.id, chapter: chapter.id).map(\.id) == [recent], "the old one is gone, the recent one stays")
            #expect(try await webhooks.deliveries(of: waiting.id, chapter: chapter.id).map(\.status) == [.pending], "a waiting one stays, however old")
        }
    }

    /// Two senders at once (two instances) deliver each delivery exactly once.
    @Test(arguments: DatabaseKind.available)
    func twoSendersDeliverEachOnce(_ kind: DatabaseKind) async throws {
        try await withApp(kind, configure: Self.allowPrivate) { app in
            try await WebhookReceiver.run { receiver, port in
                await receiver.setDelay(.milliseconds(20))
                let chapter = try await Fixture.chapter(app.persistence)
                let (endpoint, _) = try await app.persistence.webhooks.createEndpoint(
                    chapter: chapter.id, url: "http://127.0.0.1:\(port)/hook/many", types: [.ping], includeEmail: false, now: app.clock.now())
                for _ in 0..<60 { _ = try await app.persistence.webhooks.enqueuePing(endpoint.id, of: chapter.id, now: app.clock.now()) }
                let a = Self.sender(app)
                let b = Self.sender(app)
                async let first: Void = { while try await a.deliverDue(limit: 4) > 0 {} }()
                async let second: Void = { while try await b.deliverDue(limit: 4) > 0 {} }()
                _ = try await (first, second)
                let received = await receiver.received
                #expect(received.count == 60, "each once, none twice")
                #expect(Set(received.map(\.id)).count == 60)
                let deliveries = try await app.persistence.webhooks.deliveries(of: endpoint.id, chapter: chapter.id, limit: 100)
                #expect(deliveries.count == 60)
                let unlike = deliveries.filter { $0.status != .delivered || $0.attempts != 1 }
                #expect(unlike.isEmpty, "delivered at the first attempt: \(unlike.map { "\($0.status) \($0.attempts) \($0.lastError ?? "")" })")
            }
        }
    }

    /// Many failing attempts at once past the three days (two senders, each trying its batch in
    /// parallel): the endpoint is turned off by one of them, and each organiser is mailed once.
    @Test(arguments: DatabaseKind.available)
    func parallelFailuresTurnAnEndpointOffOnce(_ kind: DatabaseKind) async throws {
        try await withApp(kind, configure: Self.allowPrivate) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            _ = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            _ = try await Accounts.signIn(app, email: "orga2@example.org", chapters: ["toulouse"])
            let webhooks = app.persistence.webhooks
            let (endpoint, _) = try await webhooks.createEndpoint(chapter: chapter.id, url: "http://127.0.0.1:9/dead", types: [], includeEmail: false, now: app.clock.now())
            _ = try await webhooks.enqueuePing(endpoint.id, of: chapter.id, now: app.clock.now())
            try await Self.drain(Self.sender(app))
            app.clock.advance(by: WebhookRules.disableAfter + 60)
            for _ in 0..<16 { _ = try await webhooks.enqueuePing(endpoint.id, of: chapter.id, now: app.clock.now()) }
            let a = Self.sender(app), b = Self.sender(app)
            async let first = a.deliverDue(limit: 8)
            async let second = b.deliverDue(limit: 8)
            let tried = try await first + second
            // PostgreSQL: both batches (16); SQLite may turn the endpoint off before the second claims.
            #expect(tried >= 8, "a batch at least, its attempts settled in parallel")
            #expect(try await webhooks.endpoint(endpoint.id, of: chapter.id)?.enabled == false)
            struct Row: Decodable { var recipient: String }
            let mails = try await app.persistence.sql.raw("SELECT recipient FROM outbox WHERE kind = 'webhookDisabled'").rows(Row.self).map(\.recipient)
            #expect(mails.sorted() == ["orga2@example.org", "orga@example.org"], "each organiser told once")
        }
    }

    /// Addresses that would make the server call its own network are refused with a clear message,
    /// in the workspace and the API; the sender checks again before each attempt.
    @Test(arguments: DatabaseKind.available)
    func privateAndBadAddressesAreRefused(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            let token = try await app.persistence.accounts.issueToken(for: organizer.user.id, now: app.clock.now())
            try await app.application.test(.router) { client in
                let cases: [(String, String)] = [
                    ("http://127.0.0.1:8080/hook", "The address must start with https://."),
                    ("https://127.0.0.1/hook", "127.0.0.1 points to a private network address (127.0.0.1): webhooks only go to public addresses."),
                    ("https://10.1.2.3/hook", "10.1.2.3 points to a private network address (10.1.2.3)"),
                    ("https://169.254.169.254/latest/meta-data", "169.254.169.254 points to a private network address"),
                    ("https://[::1]/hook", "::1 points to a private network address"),
                    ("https://localhost/hook", "localhost points to a private network address"),
                    ("https://user:pw@example.org/hook", "Enter a full address"),
                    ("not a url", "Enter a full address"),
                    ("", "This field is required."),
                ]
                for (url, message) in cases {
                    let page = try await client.post("/organize/toulouse/webhooks", as: organizer, ["url": url])
                    #expect(page.status == .unprocessableContent, "\(url)")
                    #expect(page.text.contains("<p class=\"error\" id=\"f-url-error\">") && page.text.contains(message.replacingOccurrences(of: "'", with: "&#39;")), "\(url): \(page.text.components(separatedBy: "f-url-error\">").dropFirst().first?.prefix(160) ?? "")")
                    let api = try await client.execute(uri: "/api/v1/chapters/toulouse/webhooks", method: .post, headers: jsonHeaders(token),
                                                       body: ByteBuffer(string: "{\"url\": \"\(url)\"}"))
                    #expect(api.status == .unprocessableContent, "\(url)")
                    #expect((try api.json()["fields"] as? [String: String])?["url"]?.contains(message) == true, "\(url)")
                }
                let french = try await client.post("/organize/toulouse/webhooks?lang=fr", as: organizer, ["url": "https://127.0.0.1/hook"])
                #expect(french.text.contains("127.0.0.1 désigne une adresse de réseau privé (127.0.0.1)\u{202F}: les webhooks ne partent que vers des adresses publiques."))
                #expect(try await app.persistence.webhooks.endpoints(of: chapter.id).isEmpty)
            }
            // Saved while the deployment allowed it, sent where it does not: refused at send time, nothing leaves.
            let (endpoint, _) = try await app.persistence.webhooks.createEndpoint(chapter: chapter.id, url: "https://127.0.0.1:1/hook", types: [], includeEmail: false, now: app.clock.now())
            _ = try await app.persistence.webhooks.enqueuePing(endpoint.id, of: chapter.id, now: app.clock.now())
            try await Self.drain(Self.sender(app, allowPrivate: false))
            let delivery = try #require(try await app.persistence.webhooks.deliveries(of: endpoint.id, chapter: chapter.id).first)
            #expect(delivery.status == .failed && delivery.lastError.contains("private address"))
        }
    }

    @Test func theAddressRulesKnowPrivateNetworks() async {
        for address in ["127.0.0.1", "10.0.0.1", "172.16.5.4", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
                        "224.0.0.1", "::1", "::", "fe80::1", "fd00::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1", "64:ff9b::a00:1"] {
            #expect(!WebhookURLPolicy.isPublic(address), "\(address)")
        }
        for address in ["93.184.216.34", "172.32.0.1", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8"] {
            #expect(WebhookURLPolicy.isPublic(address), "\(address)")
        }
        // A public name that resolves (also) to a private address is refused: every address counts.
        let split = WebhookURLPolicy(allowPrivate: false, resolver: { _ in ["93.184.216.34", "10.0.0.7"] })
        #expect(await split.problem(with: "https://hooks.example.org/x") == .privateAddress(host: "hooks.example.org", address: "10.0.0.7"))
        let fine = WebhookURLPolicy(allowPrivate: false, resolver: { _ in ["93.184.216.34"] })
        #expect(await fine.problem(with: "https://hooks.example.org/x") == nil)
        #expect(await fine.problem(with: "http://hooks.example.org/x") == .notHTTPS)
        let nowhere = WebhookURLPolicy(allowPrivate: false, resolver: { _ in [] })
        #expect(await nowhere.problem(with: "https://nowhere.example.org/x") == .unresolvable(host: "nowhere.example.org"))
        // The deployment's switch: loopback (and plain http to it) allowed; http elsewhere still not.
        let allowed = WebhookURLPolicy(allowPrivate: true, resolver: { host in host == "localhost" ? ["127.0.0.1"] : ["10.0.0.7"] })
        #expect(await allowed.problem(with: "http://localhost:8080/x") == nil)
        #expect(await allowed.problem(with: "http://intranet.example/x") == .notHTTPS)
        #expect(await allowed.problem(with: "https://intranet.example/x") == nil)
    }

    /// The workspace, as an organiser uses it: add (the secret shown once), test, see the
    /// delivery, send again, rotate, turn off and on, delete after confirming; each in the log.
    @Test(arguments: DatabaseKind.available)
    func theWorkspaceManagesEndpoints(_ kind: DatabaseKind) async throws {
        try await withApp(kind, configure: Self.allowPrivate) { app in
            try await WebhookReceiver.run { receiver, port in
                let chapter = try await Fixture.chapter(app.persistence)
                let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
                try await app.application.test(.router) { client in
                    let empty = try await client.get("/organize/toulouse/webhooks", as: organizer)
                    #expect(empty.status == .ok)
                    #expect(empty.text.contains("<h1>Webhooks</h1>") && empty.text.contains("No endpoint yet."))
                    #expect(try await client.get("/organize/toulouse", as: organizer).text.contains("href=\"/organize/toulouse/webhooks\""), "linked from the dashboard")
                    // Without the CSRF token: refused.
                    #expect(try await client.post("/organize/toulouse/webhooks", as: organizer, ["url": "http://127.0.0.1:\(port)/hook/ws"], csrf: "wrong").status == .forbidden)

                    let url = "http://127.0.0.1:\(port)/hook/ws"
                    var headers = organizer.headers
                    headers[.contentType] = "application/x-www-form-urlencoded"
                    let body = "_csrf=\(organizer.csrf)&url=\(url.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&types=registration.created&types=ping&types=nonsense&includeEmail=on"
                    let added = try await client.execute(uri: "/organize/toulouse/webhooks", method: .post, headers: headers, body: ByteBuffer(string: body))
                    #expect(added.status == .ok)
                    #expect(added.headers[.cacheControl] == "no-store")
                    let endpoint = try #require(try await app.persistence.webhooks.endpoints(of: chapter.id).first)
                    #expect(endpoint.eventTypes == [.registrationCreated] && endpoint.includeEmail)
                    let secret = try #require(added.text.components(separatedBy: "id=\"f-secret\" type=\"text\" value=\"").dropFirst().first?.split(separator: "\"").first.map(String.init))
                    #expect(secret.hasPrefix("whsec_") && secret.count > 40)
                    #expect(added.text.contains("it will not be shown again"))
                    let list = try await client.get("/organize/toulouse/webhooks", as: organizer)
                    #expect(list.text.contains(url) && !list.text.contains(secret), "the secret is shown once")
                    let detailPath = "/organize/toulouse/webhooks/\(endpoint.id)"
                    #expect(!(try await client.get(detailPath, as: organizer).text.contains(secret)))

                    // Test: queued, delivered by the sender, shown with its answer.
                    let pinged = try await client.post("\(detailPath)/ping", as: organizer)
                    #expect(pinged.status == .seeOther || pinged.status == .found)
                    try await Self.drain(Self.sender(app))
                    let ping = try #require(await receiver.received.first)
                    #expect(ping.type == "ping" && WebhookSignature.verify(header: ping.signature, body: ping.body, secret: secret, now: Date()))
                    let detail = try await client.get(detailPath, as: organizer)
                    #expect(detail.text.contains("<td>Test<br><code class=\"meta\">ping</code></td>") && detail.text.contains("Delivered") && detail.text.contains("HTTP 200 answer"))
                    let french = try await client.get(detailPath, as: organizer, language: "fr")
                    #expect(french.text.contains("Distribué") && french.text.contains("Envoyer un test") && french.text.contains("Réponse HTTP 200"))

                    // Send again: the same id.
                    let delivery = try #require(try await app.persistence.webhooks.deliveries(of: endpoint.id, chapter: chapter.id).first)
                    _ = try await client.post("\(detailPath)/deliveries/\(delivery.id)/redeliver", as: organizer)
                    try await Self.drain(Self.sender(app))
                    #expect(await receiver.received.map(\.id) == [delivery.id.description, delivery.id.description])

                    // A new secret: shown once, the old one no longer signs.
                    let rotated = try await client.post("\(detailPath)/rotate", as: organizer)
                    let newSecret = try #require(rotated.text.components(separatedBy: "id=\"f-secret\" type=\"text\" value=\"").dropFirst().first?.split(separator: "\"").first.map(String.init))
                    #expect(newSecret != secret)
                    _ = try await client.post("\(detailPath)/ping", as: organizer)
                    try await Self.drain(Self.sender(app))
                    let signedAnew = try #require(await receiver.received.last)
                    #expect(WebhookSignature.verify(header: signedAnew.signature, body: signedAnew.body, secret: newSecret, now: Date()))
                    #expect(!WebhookSignature.verify(header: signedAnew.signature, body: signedAnew.body, secret: secret, now: Date()))

                    // Off: deliveries wait; on: they go.
                    _ = try await client.post("\(detailPath)/enabled", as: organizer, ["enabled": "off"])
                    _ = try await client.post("\(detailPath)/ping", as: organizer)
                    try await Self.drain(Self.sender(app))
                    #expect(await receiver.received.count == 3)
                    _ = try await client.post("\(detailPath)/enabled", as: organizer, ["enabled": "on"])
                    try await Self.drain(Self.sender(app))
                    #expect(await receiver.received.count == 4)

                    // Delete: asked first.
                    let ask = try await client.post("\(detailPath)/delete", as: organizer)
                    #expect(ask.status == .ok && ask.text.contains("Delete this endpoint and its delivery history?"))
                    #expect(try await app.persistence.webhooks.endpoints(of: chapter.id).count == 1)
                    _ = try await client.post("\(detailPath)/delete", as: organizer, ["confirm": "yes"])
                    #expect(try await app.persistence.webhooks.endpoints(of: chapter.id).isEmpty)
                    #expect(try await client.get(detailPath, as: organizer).status == .notFound)

                    let audit = try await client.get("/organize/toulouse/audit", as: organizer)
                    for action in ["added a webhook endpoint", "sent a webhook test", "sent a webhook delivery again", "made a new webhook signing secret",
                                   "turned a webhook endpoint off", "turned a webhook endpoint on", "deleted a webhook endpoint"] {
                        #expect(audit.text.contains(action), "\(action)")
                    }
                }
            }
        }
    }

    /// Another chapter's organiser reaches nothing of Toulouse's webhooks: 404 everywhere.
    @Test(arguments: DatabaseKind.available)
    func anotherChaptersOrganiserGetsNotFound(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let paris = try await Fixture.chapter(app.persistence, slug: "paris")
            let (endpoint, _) = try await app.persistence.webhooks.createEndpoint(chapter: chapter.id, url: "https://hooks.example.org/x", types: [], includeEmail: false, now: app.clock.now())
            let (parisEndpoint, _) = try await app.persistence.webhooks.createEndpoint(chapter: paris.id, url: "https://hooks.example.org/p", types: [], includeEmail: false, now: app.clock.now())
            _ = try await app.persistence.webhooks.enqueuePing(endpoint.id, of: chapter.id, now: app.clock.now())
            let delivery = try #require(try await app.persistence.webhooks.deliveries(of: endpoint.id, chapter: chapter.id).first)
            let other = try await Accounts.signIn(app, email: "paris@example.org", chapters: ["paris"])
            let token = try await app.persistence.accounts.issueToken(for: other.user.id, now: app.clock.now())
            try await app.application.test(.router) { client async throws in
                let base = "/organize/toulouse/webhooks"
                #expect(try await client.get(base, as: other).status == .notFound)
                #expect(try await client.get("\(base)/\(endpoint.id)", as: other).status == .notFound)
                #expect(try await client.post(base, as: other, ["url": "https://hooks.example.org/y"]).status == .notFound)
                for action in ["ping", "rotate", "enabled", "delete"] {
                    #expect(try await client.post("\(base)/\(endpoint.id)/\(action)", as: other, ["confirm": "yes", "enabled": "off"]).status == .notFound, "\(action)")
                }
                #expect(try await client.post("\(base)/\(endpoint.id)/deliveries/\(delivery.id)/redeliver", as: other).status == .notFound)
                // Their own chapter's address with Toulouse's endpoint: not theirs either.
                #expect(try await client.get("/organize/paris/webhooks/\(endpoint.id)", as: other).status == .notFound)
                #expect(try await client.post("/organize/paris/webhooks/\(endpoint.id)/delete", as: other, ["confirm": "yes"]).status == .notFound)
                #expect(try await client.get("/organize/paris/webhooks/\(parisEndpoint.id)", as: other).status == .ok)
                let calls: [(HTTPRequest.Method, String)] = [(.get, "/api/v1/chapters/toulouse/webhooks"), (.delete, "/api/v1/chapters/toulouse/webhooks/\(endpoint.id)"),
                                       (.post, "/api/v1/chapters/toulouse/webhooks/\(endpoint.id)/test"), (.get, "/api/v1/chapters/toulouse/webhooks/\(endpoint.id)/deliveries"),
                                       (.delete, "/api/v1/chapters/paris/webhooks/\(endpoint.id)")]
                for (method, path) in calls {
                    let answer = try await client.execute(uri: path, method: method, headers: jsonHeaders(token), body: nil)
                    #expect(answer.status == .notFound, "\(method) \(path)")
                }
            }
            #expect(try await app.persistence.webhooks.endpoints(of: chapter.id).map(\.enabled) == [true])
        }
    }

    /// The JSON API: add (the secret once), list (never the secret), test, deliveries, delete.
    @Test(arguments: DatabaseKind.available)
    func theAPIManagesEndpoints(_ kind: DatabaseKind) async throws {
        try await withApp(kind, configure: Self.allowPrivate) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            let token = try await app.persistence.accounts.issueToken(for: organizer.user.id, now: app.clock.now())
            try await app.application.test(.router) { client in
                let created = try await client.execute(uri: "/api/v1/chapters/toulouse/webhooks", method: .post, headers: jsonHeaders(token),
                                                       body: ByteBuffer(string: #"{"url": "http://127.0.0.1:9/hook", "types": ["registration.created", "event.changed"]}"#))
                #expect(created.status == .created)
                let json = try created.json()
                let secret = try #require(json["secret"] as? String)
                let id = try #require(json["id"] as? String)
                #expect(json["types"] as? [String] == ["registration.created", "event.changed"] && json["includeEmail"] as? Bool == false)
                let unknown = try await client.execute(uri: "/api/v1/chapters/toulouse/webhooks", method: .post, headers: jsonHeaders(token),
                                                       body: ByteBuffer(string: #"{"url": "http://127.0.0.1:9/hook", "types": ["registration.deleted"]}"#))
                let unknownFields = try unknown.json()["fields"] as? [String: String]
                #expect(unknown.status == .unprocessableContent && unknownFields?["types"] != nil)
                let list = try await client.execute(uri: "/api/v1/chapters/toulouse/webhooks", method: .get, headers: jsonHeaders(token))
                #expect(list.status == .ok && !list.text.contains(secret) && list.text.contains(id))
                let test = try await client.execute(uri: "/api/v1/chapters/toulouse/webhooks/\(id)/test", method: .post, headers: jsonHeaders(token))
                #expect(test.status == .accepted)
                let deliveries = try await client.execute(uri: "/api/v1/chapters/toulouse/webhooks/\(id)/deliveries", method: .get, headers: jsonHeaders(token))
                let items = try #require(try deliveries.json()["deliveries"] as? [[String: Any]])
                #expect(items.count == 1 && items[0]["type"] as? String == "ping" && items[0]["status"] as? String == "pending")
                #expect(try await client.execute(uri: "/api/v1/chapters/toulouse/webhooks/\(id)", method: .delete, headers: jsonHeaders(token)).status == .noContent)
                #expect(try await app.persistence.webhooks.endpoints(of: chapter.id).isEmpty)
                #expect(try await client.execute(uri: "/api/v1/chapters/toulouse/webhooks", method: .get, headers: jsonHeaders()).status == .unauthorized)
            }
        }
    }

    /// Why an attempt failed, as the sender records it (in English), is shown in the reader's
    /// language for the known kinds; anything else as recorded.
    @Test func failuresAreToldInTheReadersLanguage() {
        #expect(Strings.webhookFailure("timeout (10 s)", .fr) == "Pas de réponse en 10\u{00A0}s (délai dépassé)".replacingOccurrences(of: "\u{00A0}", with: " "))
        #expect(Strings.webhookFailure("connection reset (error set): Connection refused (errno: 111)", .fr) == "Connexion refusée\u{202F}: rien n’écoute à cette adresse")
        #expect(Strings.webhookFailure("hooks.example resolves to a private address (10.0.0.1)", .en) == "Not sent: hooks.example points to a private address (10.0.0.1)")
        #expect(Strings.webhookFailure("hooks.example does not resolve", .fr) == "Non envoyé\u{202F}: hooks.example est introuvable (DNS)")
        #expect(Strings.webhookFailure("handshakeFailed(NIOSSL.BoringSSLError.sslError([Error: 268435581 error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED]))", .en)
                == "Secure connection failed (TLS: certificate or encryption)")
        #expect(Strings.webhookAnswer(status: 500, excerpt: " oops ", .fr) == "Réponse HTTP 500 · oops")
        #expect(Strings.webhookFailure("something new", .fr) == "something new")
    }

    /// An endpoint failing for three days is turned off and its organisers are told by mail, once.
    @Test(arguments: DatabaseKind.available)
    func anEndpointFailingForDaysIsTurnedOffAndOrganisersAreMailed(_ kind: DatabaseKind) async throws {
        try await withApp(kind, configure: Self.allowPrivate) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            _ = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            let (endpoint, _) = try await app.persistence.webhooks.createEndpoint(chapter: chapter.id, url: "http://127.0.0.1:9/dead?token=sekrit-token", types: [], includeEmail: false, now: app.clock.now())
            let sender = Self.sender(app)
            _ = try await app.persistence.webhooks.enqueuePing(endpoint.id, of: chapter.id, now: app.clock.now())
            try await Self.drain(sender)
            #expect(try await app.persistence.webhooks.endpoint(endpoint.id, of: chapter.id)?.failingSince == app.clock.now())
            // Three days on, still nothing answers.
            app.clock.advance(by: WebhookRules.disableAfter + 60)
            _ = try await app.persistence.webhooks.enqueuePing(endpoint.id, of: chapter.id, now: app.clock.now())
            try await Self.drain(sender)
            let off = try #require(try await app.persistence.webhooks.endpoint(endpoint.id, of: chapter.id))
            #expect(!off.enabled && !off.disabledReason.isEmpty)
            struct Row: Decodable { var recipient: String; var kind: String }
            let mails = try await app.persistence.sql.raw("SELECT recipient, kind FROM outbox WHERE kind = 'webhookDisabled'").rows(Row.self)
            #expect(mails.map(\.recipient) == ["orga@example.org"])
            let composer = MessageComposer(persistence: app.persistence, baseURL: "https://rendezvous.test", from: .init(name: "Rendezvous", email: "noreply@rendezvous.test"))
            let item = try #require(try await app.persistence.outbox.claimDueMessages(now: app.clock.now()).first { $0.kind == .webhookDisabled })
            guard case .message(let mail) = try await composer.compose(item, now: app.clock.now()) else { Issue.record("not composed"); return }
            // The subject names the host only; the body shows the address without its query (a token), and the error in French.
            #expect(mail.subject == "Webhook désactivé\u{202F}: 127.0.0.1:9", "in the chapter's language")
            #expect(mail.text.contains("http://127.0.0.1:9/dead?…") && !mail.text.contains("sekrit") && !mail.html.contains("sekrit"))
            #expect(mail.text.contains("Dernière erreur\u{202F}: Connexion refusée"), "\(mail.text)")
            #expect(mail.html.contains("overflow-wrap:anywhere"), "a long address wraps on a phone")
            #expect(mail.text.contains("https://rendezvous.test/organize/toulouse/webhooks/\(endpoint.id)"))
            // Nothing more is tried while it is off.
            app.clock.advance(by: 86400)
            #expect(try await sender.deliverDue() == 0)
        }
    }
}
