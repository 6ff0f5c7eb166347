import FluentKit
import SQLKit

/// Tickets and admissions: each registration gets a ticket secret (valid while confirmed), and
/// every check-in attempt at the door is logged with its device's nonce, so a retried request
/// changes nothing and two offline devices admitting one person leave a visible conflict.
struct AddCheckIn: AsyncMigration {
    var name: String { "019_add_check_in" }

    func prepare(on database: any Database) async throws {
        try await database.schema("registrations").field("ticket_token", .string, .required, .sql(.default(""))).update()
        try await database.schema("registrations").field("checked_in_at", .datetime).update()
        try await database.schema("registrations").field("checked_in_by", .string).update()
        try await database.schema("registrations").field("walk_in", .bool, .required, .sql(.default(false))).update()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "registrations_ticket_token").on("registrations").column("ticket_token").run()
        try await database.schema("check_ins")
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
            .field("recorded_at", .datetime, .required)
            .unique(on: "nonce")
            .create()
        try await sql.create(index: "check_ins_event_time").on("check_ins").column("event_id").column("recorded_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("check_ins").delete()
        try await (database as! any SQLDatabase).drop(index: "registrations_ticket_token").run()
        try await database.schema("registrations").deleteField("walk_in").update()
        try await database.schema("registrations").deleteField("checked_in_by").update()
        try await database.schema("registrations").deleteField("checked_in_at").update()
        try await database.schema("registrations").deleteField("ticket_token").update()
    }
}
