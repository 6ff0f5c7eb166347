import FluentKit
import SQLKit

struct CreateRegistrations: AsyncMigration {
    var name: String { "010_create_registrations" }

    func prepare(on database: any Database) async throws {
        try await database.schema("registrations")
            .field("id", .uuid, .identifier(auto: false))
            .field("event_id", .uuid, .required, .references("events", "id", onDelete: .cascade))
            .field("first_name", .string, .required)
            .field("last_name", .string, .required)
            .field("email", .string, .required)
            // The normalised email while the registration is active, null once cancelled:
            // the unique (event_id, active_email) pair allows one active registration per email,
            // on both databases, without partial indexes.
            .field("active_email", .string)
            .field("job_title", .string, .required)
            .field("company", .string, .required)
            .field("linkedin_url", .string, .required)
            .field("ask_me_about", .string, .required)
            .field("consent_list", .bool, .required)
            .field("consent_profile", .bool, .required)
            .field("status", .string, .required)
            .field("queue_number", .int)
            .field("offer_expires_at", .datetime)
            .field("manage_token", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "event_id", "active_email")
            .unique(on: "manage_token")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "registrations_event_status")
            .on("registrations").column("event_id").column("status").column("queue_number").run()
        try await sql.create(index: "registrations_offer_expiry")
            .on("registrations").column("status").column("offer_expires_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("registrations").delete()
    }
}
