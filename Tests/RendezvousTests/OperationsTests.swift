import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import NIOConcurrencyHelpers
import RendezvousDomain
@testable import RendezvousApp
@testable import RendezvousPersistence
@testable import RendezvousWeb
import SQLKit
import Testing

/// Running it: the readiness probe, request ids, structured logs.
@Suite("Operations")
struct OperationsTests {
    @Test(arguments: DatabaseKind.available)
    func readinessSaysWhyAnInstanceCannotTakeTraffic(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            try await app.application.test(.router) { client in
                let ready = try await client.execute(uri: "/readyz", method: .get)
                #expect(ready.status == .ok)
                #expect(ready.text.contains(#""status":"ready""#))
                #expect(ready.headers[.cacheControl] == "no-store")

                // A message due for 20 minutes: the senders are stuck.
                try await app.persistence.outbox.enqueueMessage(.passwordReset, chapter: nil, recipient: "someone@example.org", payload: [:],
                                                                now: app.clock.now().addingTimeInterval(-20 * 60))
                let stuck = try await client.execute(uri: "/readyz", method: .get)
                #expect(stuck.status == .serviceUnavailable)
                #expect(stuck.text.contains(#""moving":false"#))
                try await app.persistence.sql.raw("UPDATE outbox SET status = 'sent'").run()

                // A migration this build knows but the database lacks.
                let last = try #require(AllMigrations.list.last?.name)
                try await app.persistence.sql.raw("DELETE FROM _fluent_migrations WHERE name = \(bind: last)").run()
                let behind = try await client.execute(uri: "/readyz", method: .get)
                #expect(behind.status == .serviceUnavailable)
                #expect(behind.text.contains(#""migrations":"pending""#))
                #expect(behind.text.contains(last))
                #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            }
        }
    }

    @Test func everyAnswerCarriesTheRequestsId() async throws {
        try await withApp(.sqlite) { app in
            try await app.application.test(.router) { client in
                let header = HTTPField.Name("X-Request-Id")!
                let given = try await client.execute(uri: "/healthz", method: .get, headers: [header: "nginx-4f2a.9"])
                #expect(given.headers[header] == "nginx-4f2a.9")
                // Not a sane token: replaced, never echoed.
                let hostile = try await client.execute(uri: "/healthz", method: .get, headers: [header: "<script>alert(1)</script>"])
                let replaced = try #require(hostile.headers[header])
                #expect(replaced.count == 16 && replaced.allSatisfy(\.isHexDigit))
                let missing = try await client.execute(uri: "/no/such/page", method: .get)
                #expect(missing.status == .notFound)
                #expect(missing.headers[header]?.count == 16)
            }
        }
    }

    @Test func jsonLogsAreOneObjectPerLine() throws {
        let lines = NIOLockedValueBox<[String]>([])
        var logger = Logger(label: "rendezvous") { label in JSONLogHandler(label: label, write: { line in lines.withLockedValue { $0.append(line) } }) }
        logger[metadataKey: "request_id"] = "abc123"
        logger.error("Unhandled error on GET /x: \"quoted\"\nsecond line", metadata: ["attempt": "2"])
        logger.debug("not at info level")
        let written = lines.withLockedValue { $0 }
        #expect(written.count == 1)
        let line = try #require(written.first)
        #expect(line.hasSuffix("\n") && line.dropLast().allSatisfy { $0 != "\n" })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["level"] as? String == "error")
        #expect(object["request_id"] as? String == "abc123")
        #expect(object["attempt"] as? String == "2")
        #expect(object["message"] as? String == "Unhandled error on GET /x: \"quoted\"\nsecond line")
        #expect((object["ts"] as? String)?.hasSuffix("Z") == true)
    }

    @Test func aWrongLogFormatIsRefusedAtStart() {
        #expect(throws: AppConfiguration.Invalid.self) { try AppConfiguration.fromEnvironment(["LOG_FORMAT": "xml"]) }
        #expect((try? AppConfiguration.fromEnvironment(["LOG_FORMAT": "json"])) != nil)
    }

    /// `OUTBOX_LEASE` is read with the rest of the configuration: a wrong one stops the start
    /// instead of silently becoming two minutes.
    @Test func theOutboxLeaseIsReadAndCheckedAtStart() throws {
        #expect(try AppConfiguration.fromEnvironment([:]).outboxLease == 120)
        #expect(try AppConfiguration.fromEnvironment(["OUTBOX_LEASE": "3"]).outboxLease == 3)
        for wrong in ["soon", "0", "-5", "0.5", "nan", "inf"] {
            #expect(throws: AppConfiguration.Invalid.self) { try AppConfiguration.fromEnvironment(["OUTBOX_LEASE": wrong]) }
        }
    }

    /// `WEBHOOK_LEASE` likewise (the kill test shortens it so that a killed sender's deliveries go
    /// again within seconds).
    @Test func theWebhookLeaseIsReadAndCheckedAtStart() throws {
        #expect(try AppConfiguration.fromEnvironment([:]).webhookLease == 60)
        #expect(try AppConfiguration.fromEnvironment(["WEBHOOK_LEASE": "4"]).webhookLease == 4)
        for wrong in ["soon", "0", "-5", "0.5", "nan", "inf"] {
            #expect(throws: AppConfiguration.Invalid.self) { try AppConfiguration.fromEnvironment(["WEBHOOK_LEASE": wrong]) }
        }
    }
}

/// `rendezvous backup` during a rush, then `rendezvous restore`: every registration acknowledged
/// before the backup began is in the restored database, and nothing half written is.
@Suite("Backup and restore")
struct BackupTests {
    @Test func aBackupDuringARushHoldsEveryAcknowledgedRegistration() async throws {
        try await withDatabase(.sqlite) { db in
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 150)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rv-backup-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            let backup = directory.appendingPathComponent("backup.sqlite").path
            let acknowledged = NIOLockedValueBox<[Registration.ID]>([])
            let beforeBackup = NIOLockedValueBox<Set<Registration.ID>>([])
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<300 {
                    group.addTask {
                        let outcome = try await db.registrations.register(Fixture.profile(index), for: event.id, now: Fixture.start)
                        acknowledged.withLockedValue { $0.append(outcome.registration.id) }
                    }
                }
                group.addTask {
                    // Part-way through the rush.
                    while acknowledged.withLockedValue({ $0.count }) < 100 { try await Task.sleep(for: .milliseconds(2)) }
                    beforeBackup.withLockedValue { $0 = Set(acknowledged.withLockedValue { $0 }) }
                    #expect(try await db.backup(to: backup) > 0)
                }
                try await group.waitForAll()
            }
            await #expect(throws: Persistence.BackupError.self) { try await db.backup(to: backup) }
            // Restored in place of a new database file: every registration acknowledged before the
            // backup began is there.
            let restoredURL = "sqlite://" + directory.appendingPathComponent("restored.sqlite").path
            #expect(try await Persistence.restore(from: backup, to: restoredURL, logger: Logger(label: "test")) == AllMigrations.list.count)
            let restored = try Persistence(url: restoredURL, logger: Logger(label: "test"))
            let ids = Set(try await restored.registrations.registrations(of: event.id).map(\.id))
            await restored.shutdown()
            let expected = beforeBackup.withLockedValue { $0 }
            #expect(expected.count >= 100)
            #expect(expected.isSubset(of: ids), "missing \(expected.subtracting(ids).count)")
            // Not a database: refused before anything is replaced.
            let junk = directory.appendingPathComponent("junk.sqlite").path
            try Data("not sqlite".utf8).write(to: URL(fileURLWithPath: junk))
            await #expect(throws: Persistence.BackupError.self) { try await Persistence.restore(from: junk, to: restoredURL, logger: Logger(label: "test")) }
        }
    }
}

/// `/metrics`: Prometheus' text format, closed without the token (or to other machines).
@Suite("Metrics")
struct MetricsTests {
    @Test func metricsNeedTheTokenAndCountRequestsAndRegistrations() async throws {
        try await withApp(.sqlite, configure: { $0.metricsToken = "metrics-secret-token" }) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 1)
            try await app.application.test(.router) { client in
                #expect(try await client.execute(uri: "/metrics", method: .get).status == .notFound)
                #expect(try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer wrong"]).status == .notFound)
                _ = try await client.execute(uri: "/events/\(event.id)", method: .get)
                // The registry is the process's: other tests count too, so compare before and after.
                func registered(_ text: String, _ outcome: String) -> Double {
                    let prefix = "rendezvous_registrations_total{outcome=\"\(outcome)\"} "
                    return text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Double($0.dropFirst(prefix.count)) } ?? 0
                }
                let headers: HTTPFields = [.authorization: "Bearer metrics-secret-token"]
                let before = try await client.execute(uri: "/metrics", method: .get, headers: headers).text
                for index in 0..<2 {
                    _ = try await client.execute(uri: "/api/v1/events/\(event.id)/registrations", method: .post, headers: jsonHeaders(),
                                                 body: ByteBuffer(string: Fixture.registrationJSON(index)))
                }
                let metrics = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer metrics-secret-token"])
                #expect(metrics.status == .ok)
                #expect(metrics.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                let text = metrics.text
                #expect(text.contains("# TYPE rendezvous_seats_taken gauge"))
                #expect(text.contains("rendezvous_seats_taken 1"))
                #expect(text.contains("rendezvous_waitlist 1"))
                #expect(text.contains("rendezvous_outbox_due "))
                #expect(registered(text, "confirmed") - registered(before, "confirmed") >= 1)
                #expect(registered(text, "waitlisted") - registered(before, "waitlisted") >= 1)
                #expect(!text.contains(event.id.description.lowercased()), "one series per route pattern, not per event")
                // Requests by route pattern (not by address: one series per page, not per event).
                #expect(text.contains(#"/events/{id}"#) || text.contains(#"/events/:id"#))
                #expect(text.contains("hb_request_duration") || text.contains("http_server_request_duration"))
            }
        }
    }
}
