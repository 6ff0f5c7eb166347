import FluentKit
import SQLKit

/// A check-in nonce is one device's retry key within one event: unique per (event, nonce), not
/// across the network, so one chapter's door can neither read nor block another's answers.
/// SQLite cannot drop a table's UNIQUE constraint, so the table is rebuilt (on both databases,
/// the same way): a new table, the rows copied, the old one dropped, the new one renamed.
struct ScopeCheckInNonces: AsyncMigration {
    var name: String { "023_scope_check_in_nonces" }

    static let columns = "id, event_id, registration_id, nonce, device, action, result, offline, by_name, happened_at, recorded_at"

    func prepare(on database: any Database) async throws {
        try await rebuild(on: database) { $0.unique(on: "event_id", "nonce") }
    }

    func revert(on database: any Database) async throws {
        try await rebuild(on: database) { $0.unique(on: "nonce") }
    }

    private func rebuild(on database: any Database, unique: (SchemaBuilder) -> SchemaBuilder) async throws {
        let sql = database as! any SQLDatabase
        try await unique(database.schema("check_ins_rebuilt")
            .field("id", .uuid, .identifier(auto: false))
            .field("event_id", .uuid, .required, .references("events", "id", onDelete: .cascade))
            .field("registration_id", .uuid, .references("registrations", "id", onDelete: .cascade))
            .field("nonce", .string, .required)
            .field("device", .string, .required)
            .field("action", .string, .required)
            .field("result", .string, .required)
            .field("offline", .bool, .required)
            .field("by_name", .string, .required)
            .field("happened_at", .datetime, .required)
            .field("recorded_at", .datetime, .required))
            .create()
        try await sql.raw("INSERT INTO check_ins_rebuilt (\(unsafeRaw: Self.columns)) SELECT \(unsafeRaw: Self.columns) FROM check_ins").run()
        try await database.schema("check_ins").delete()
        try await sql.raw("ALTER TABLE check_ins_rebuilt RENAME TO check_ins").run()
        try await sql.create(index: "check_ins_event_time").on("check_ins").column("event_id").column("recorded_at").run()
    }
}
