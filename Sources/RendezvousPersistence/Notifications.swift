import FluentPostgresDriver
import Foundation
import Logging
import NIOPosix
import PostgresKit
import SQLKit

/// PostgreSQL's LISTEN/NOTIFY as the bus between instances: no service beyond the database.
/// SQLite serves one instance, which needs no bus.
extension Persistence {
    /// The channel every instance listens on.
    public static let liveChannel = "rendezvous_live"

    /// Whether instances can share live changes (PostgreSQL).
    public var hasBus: Bool { kind == .postgres }

    /// Sends `payload` (at most 8,000 bytes) to every instance listening, this one included.
    public func notify(_ payload: String, channel: String = Persistence.liveChannel) async throws {
        guard kind == .postgres else { return }
        try await sql.raw("SELECT pg_notify(\(bind: channel), \(bind: payload))").run()
    }

    /// Listens on a dedicated connection and calls `receive` with each payload, until the task is
    /// cancelled; `onListening` once the server has acknowledged the LISTEN (each time). A lost connection is opened again after a short pause (`onReconnect` is called
    /// then: what was published meanwhile was missed, so listeners should reload).
    public func listen(channel: String = Persistence.liveChannel, onReconnect: @escaping @Sendable () async -> Void = {},
                       onListening: @escaping @Sendable () -> Void = {},
                       receive: @escaping @Sendable (String) async -> Void) async {
        guard kind == .postgres else { return }
        var first = true
        while !Task.isCancelled {
            do {
                let configuration = try SQLPostgresConfiguration(url: url.replacingOccurrences(of: "postgresql://", with: "postgres://")).coreConfiguration
                let connection = try await PostgresConnection.connect(
                    on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: 1, logger: logger)
                if !first { await onReconnect() }
                first = false
                do {
                    try await connection.listen(on: channel) { notifications in
                        // LISTEN is acknowledged: from here on nothing published is missed.
                        onListening()
                        for try await notification in notifications { await receive(notification.payload) }
                    }
                } catch {
                    if !Task.isCancelled { logger.warning("Live bus: listening stopped: \(error)") }
                }
                try? await connection.close()
            } catch {
                if !Task.isCancelled { logger.warning("Live bus: cannot connect: \(error)") }
            }
            try? await Task.sleep(for: .milliseconds(500))
        }
    }
}
