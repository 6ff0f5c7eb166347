import Foundation
import Logging
@testable import RendezvousPersistence
import SQLKit
import Testing

/// The databases every integration test runs against. PostgreSQL joins when `make test` has
/// started one (TEST_POSTGRES_URL); with REQUIRE_POSTGRES=1 its absence is a failure, not a skip.
enum DatabaseKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    static var postgresURL: String? { ProcessInfo.processInfo.environment["TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 } }

    static var available: [DatabaseKind] {
        if postgresURL != nil || ProcessInfo.processInfo.environment["REQUIRE_POSTGRES"] == "1" { return [.sqlite, .postgres] }
        return [.sqlite]
    }
}

let testLogger: Logger = {
    var logger = Logger(label: "rendezvous-test")
    logger.logLevel = ProcessInfo.processInfo.environment["TEST_LOG"] == "debug" ? .debug : .critical
    return logger
}()

/// A fresh, migrated database for one test, deleted afterwards.
func withDatabase<T: Sendable>(
    _ kind: DatabaseKind, _ body: @Sendable (Persistence) async throws -> T
) async throws -> T {
    switch kind {
    case .sqlite:
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rendezvous-test-\(UUID().uuidString)")
        let persistence = try Persistence(url: "sqlite://\(directory.path)/test.sqlite", logger: testLogger)
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            try await persistence.migrate()
            let result = try await body(persistence)
            await persistence.shutdown()
            return result
        } catch {
            await persistence.shutdown()
            throw error
        }
    case .postgres:
        guard let adminURL = DatabaseKind.postgresURL else {
            Issue.record("REQUIRE_POSTGRES=1 but TEST_POSTGRES_URL is not set: run the tests through `make test`")
            throw CancellationError()
        }
        let name = "rv_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let admin = try Persistence(url: adminURL, logger: testLogger)
        try await admin.sql.raw("CREATE DATABASE \(unsafeRaw: String(name))").run()
        let url = adminURL.replacingOccurrences(of: "/postgres?", with: "/\(name)?")
        let persistence = try Persistence(url: url, logger: testLogger)
        func cleanUp() async {
            await persistence.shutdown()
            try? await admin.sql.raw("DROP DATABASE IF EXISTS \(unsafeRaw: String(name)) WITH (FORCE)").run()
            await admin.shutdown()
        }
        do {
            try await persistence.migrate()
            let result = try await body(persistence)
            await cleanUp()
            return result
        } catch {
            await cleanUp()
            throw error
        }
    }
}
