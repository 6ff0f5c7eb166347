import FluentKit
import SQLKit

/// What several instances on one PostgreSQL database must share: the rate-limit counters (one row
/// per key and window, counted by an atomic upsert) and the leases that let one instance at a time
/// run a periodic job (reminders, announcements, scheduled messages, retention, offer expiry).
struct AddSharedLimits: AsyncMigration {
    var name: String { "038_add_shared_limits" }

    func prepare(on database: any Database) async throws {
        try await database.schema("rate_limits")
            .field("bucket", .string, .required)
            .field("period", .int64, .required)
            .field("hits", .int64, .required)
            .field("expires_at", .int64, .required)
            .unique(on: "bucket", "period")
            .create()
        try await (database as! any SQLDatabase).create(index: "rate_limits_expiry").on("rate_limits").column("expires_at").run()
        try await database.schema("job_leases")
            .field("name", .string, .required)
            .field("holder", .string, .required)
            .field("until", .datetime, .required)
            .unique(on: "name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("job_leases").delete()
        try await database.schema("rate_limits").delete()
    }
}
