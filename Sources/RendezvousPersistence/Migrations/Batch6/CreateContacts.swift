import FluentKit
import SQLKit

/// "We met": one row per pair of registrations of one evening (`pair_key`, whoever started it),
/// its status (pending, accepted, declined), and each side's private note. The D+1 follow-up
/// reads this table (accepted links of an evening, by registration).
struct CreateContacts: AsyncMigration {
    var name: String { "035_create_contacts" }

    func prepare(on database: any Database) async throws {
        try await database.schema("contacts")
            .field("id", .uuid, .identifier(auto: false))
            .field("event_id", .uuid, .required)
            .field("chapter_id", .uuid, .required)
            .field("initiator_registration_id", .uuid, .required)
            .field("recipient_registration_id", .uuid, .required)
            .field("pair_key", .string, .required)
            // pending, accepted, declined
            .field("status", .string, .required)
            .field("initiator_note", .string, .required, .sql(.default("")))
            .field("recipient_note", .string, .required, .sql(.default("")))
            .field("created_at", .datetime, .required)
            .field("answered_at", .datetime)
            .unique(on: "pair_key")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "contacts_initiator").on("contacts").column("initiator_registration_id").run()
        try await sql.create(index: "contacts_recipient").on("contacts").column("recipient_registration_id").run()
        try await sql.create(index: "contacts_event").on("contacts").column("event_id").column("status").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("contacts").delete()
    }
}
