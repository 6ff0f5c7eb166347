import FluentKit
import SQLKit

/// A chapter's audience and its mail: the Reply-To address of the chapter's messages; the people
/// who follow the chapter (double opt-in) or unsubscribed from its news, one row per address; when
/// each event's announcement went to the followers (once per event); and organisers' messages to
/// the audience, sent now or scheduled for later.
struct AddChapterAudience: AsyncMigration {
    var name: String { "029_add_chapter_audience" }

    func prepare(on database: any Database) async throws {
        try await database.schema("chapters").field("reply_to", .string, .required, .sql(.default(""))).update()
        try await database.schema("events").field("announced_at", .datetime).update()
        try await database.schema("chapter_audience")
            .field("id", .uuid, .identifier(auto: false))
            .field("chapter_id", .uuid, .required)
            .field("email", .string, .required)
            .field("language", .string, .required)
            // pending (follow link not confirmed yet), following, attendee (a past attendee, listed
            // only to carry an unsubscribe link), unsubscribed.
            .field("status", .string, .required)
            .field("salt", .string, .required)
            .field("created_at", .datetime, .required)
            .field("confirmed_at", .datetime)
            .field("unsubscribed_at", .datetime)
            .unique(on: "chapter_id", "email")
            .create()
        try await database.schema("scheduled_messages")
            .field("id", .uuid, .identifier(auto: false))
            .field("chapter_id", .uuid, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("audience", .string, .required)
            .field("send_at", .datetime, .required)
            // scheduled, sent, cancelled
            .field("status", .string, .required)
            .field("author", .string, .required)
            .field("recipients", .int, .required, .sql(.default(0)))
            .field("created_at", .datetime, .required)
            .field("sent_at", .datetime)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "scheduled_messages_due").on("scheduled_messages").column("status").column("send_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("scheduled_messages").delete()
        try await database.schema("chapter_audience").delete()
        try await database.schema("events").deleteField("announced_at").update()
        try await database.schema("chapters").deleteField("reply_to").update()
    }
}
