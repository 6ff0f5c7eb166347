import FluentKit
import SQLKit

/// After the evening: the "tell me when the next meetup opens" consent; the speaker's slides and
/// links an organiser adds for the morning-after mail; when each event's D+1 and D+14 mails were
/// queued (claimed once, whatever the number of instances); each side's "followed up" mark on a
/// contact; and the two-question feedback, one answer per registration.
struct CreateFollowUp: AsyncMigration {
    var name: String { "038_create_follow_up" }

    func prepare(on database: any Database) async throws {
        try await database.schema("registrations").field("consent_news", .bool, .required, .sql(.default(false))).update()
        try await database.schema("events").field("resources", .string, .required, .sql(.default(""))).update()
        try await database.schema("events").field("followed_up_at", .datetime).update()
        try await database.schema("events").field("nudged_at", .datetime).update()
        try await database.schema("contacts").field("initiator_followed_at", .datetime).update()
        try await database.schema("contacts").field("recipient_followed_at", .datetime).update()
        try await database.schema("feedback")
            .field("id", .uuid, .identifier(auto: false))
            .field("event_id", .uuid, .required)
            .field("chapter_id", .uuid, .required)
            .field("registration_id", .uuid, .required)
            .field("score", .int, .required)
            .field("comment", .string, .required, .sql(.default("")))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "registration_id")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "feedback_event").on("feedback").column("event_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("feedback").delete()
        try await database.schema("contacts").deleteField("recipient_followed_at").update()
        try await database.schema("contacts").deleteField("initiator_followed_at").update()
        try await database.schema("events").deleteField("nudged_at").update()
        try await database.schema("events").deleteField("followed_up_at").update()
        try await database.schema("events").deleteField("resources").update()
        try await database.schema("registrations").deleteField("consent_news").update()
    }
}
