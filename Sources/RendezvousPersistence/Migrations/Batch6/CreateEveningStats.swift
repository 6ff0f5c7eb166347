import FluentKit
import SQLKit

/// Insights' aggregates (issue 15): one row per past evening with its counts (attendance,
/// newcomers, waitlist, demand curve, feedback, contacts), so the chapter and network pages read a
/// few rows per evening instead of scanning registrations. A row is valid while `clean = dirty`:
/// every change that alters an evening's numbers raises `dirty` in its own transaction, and a
/// computation only stores its result if `dirty` did not move meanwhile (see `EveningStatsStore`).
/// Also an index on registrations' address, which finds a person's earlier evenings.
struct CreateEveningStats: AsyncMigration {
    var name: String { "045_create_evening_stats" }

    func prepare(on database: any Database) async throws {
        try await database.schema("evening_stats")
            .field("event_id", .uuid, .required, .references("events", "id", onDelete: .cascade))
            .field("chapter_id", .uuid, .required)
            .field("starts_at", .datetime, .required)
            .field("dirty", .int64, .required)
            .field("clean", .int64, .required)
            .field("quarter", .string)
            .field("expected", .int)
            .field("came", .int)
            .field("walk_ins", .int)
            .field("showed", .int)
            .field("newcomers", .int)
            .field("second_visits", .int)
            .field("waitlisted", .int)
            .field("demand", .string)
            .field("answers", .int)
            .field("score_sum", .int)
            .field("scores", .string)
            .field("contacts", .int)
            .unique(on: "event_id")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "evening_stats_chapter").on("evening_stats").column("chapter_id").column("starts_at").run()
        try await sql.create(index: "registrations_active_email").on("registrations").column("active_email").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).drop(index: "registrations_active_email").run()
        try await database.schema("evening_stats").delete()
    }
}
