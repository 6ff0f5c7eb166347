import FluentKit
import SQLKit

/// The transactional outbox: a message to send is a row written in the same transaction as the
/// change that causes it, and a background sender delivers it. Plus what messages need to know:
/// an event's calendar sequence, whether its reminder went out, and who unsubscribed.
struct CreateOutbox: AsyncMigration {
    var name: String { "020_create_outbox" }

    func prepare(on database: any Database) async throws {
        try await database.schema("outbox")
            .field("id", .uuid, .identifier(auto: false))
            .field("kind", .string, .required)
            .field("registration_id", .uuid)
            .field("event_id", .uuid)
            .field("chapter_id", .uuid)
            .field("recipient", .string, .required)
            .field("payload", .string, .required)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("claimed_until", .datetime)
            .field("last_error", .string, .required)
            .field("subject", .string, .required)
            .field("created_at", .datetime, .required)
            .field("sent_at", .datetime)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "outbox_due").on("outbox").column("status").column("next_attempt_at").run()
        try await sql.create(index: "outbox_chapter").on("outbox").column("chapter_id").column("created_at").run()
        try await database.schema("events").field("sequence", .int, .required, .sql(.default(0))).update()
        try await database.schema("events").field("reminded_at", .datetime).update()
        try await database.schema("registrations").field("unsubscribed", .bool, .required, .sql(.default(false))).update()
        // The language the person registered in: their messages speak it.
        try await database.schema("registrations").field("language", .string, .required, .sql(.default(""))).update()
        try await database.schema("chapters").field("reminder_hours", .int, .required, .sql(.default(24))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("chapters").deleteField("reminder_hours").update()
        try await database.schema("registrations").deleteField("language").update()
        try await database.schema("registrations").deleteField("unsubscribed").update()
        try await database.schema("events").deleteField("reminded_at").update()
        try await database.schema("events").deleteField("sequence").update()
        try await database.schema("outbox").delete()
    }
}
