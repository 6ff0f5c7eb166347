import Foundation
import SQLKit

extension Persistence {
    /// Serialises, until the end of the caller's `write` transaction, every writer that names the
    /// same `key` (an address's throttle, say). PostgreSQL: a transaction-scoped advisory lock, so
    /// two instances (or two requests) reading "no mail in the last minutes" cannot both send one.
    /// SQLite needs nothing: `write` already holds the database's one write lock.
    func lock(_ key: String, on sql: any SQLDatabase) async throws {
        guard kind == .postgres else { return }
        try await sql.raw("SELECT pg_advisory_xact_lock(hashtextextended(\(bind: key), 0))").run()
    }
}
