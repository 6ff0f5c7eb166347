import FluentKit
import SQLKit

/// Insights' aggregates (issue 15): one row per past evening with its counts (attendance,
/// newcomers, waitlist, demand curve, feedback, contacts), so the chapter and network pages read a
/// few rows per evening instead of scanning registrations. A row is valid while `clean = dirty`:
/// every change that alters an evening's numbers raises `dirty` in its own transaction, and a
/// computation only stores its result if `dirty` did not move meanwhile (see `EveningStatsStore`).
/// Rolled up per chapter (`chapter_stats`, and per quarter in `chapter_quarters`) whenever one of
/// its evenings' numbers is stored, so the network's page reads one row per chapter.
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
        try await database.schema("chapter_stats")
            .field("chapter_id", .uuid, .required, .references("chapters", "id", onDelete: .cascade))
            .field("evenings", .int, .required)
            .field("last_evening", .datetime)
            .field("came", .int, .required)
            .field("expected", .int, .required)
            .field("showed", .int, .required)
            .field("people", .int, .required)
            .field("came_back", .int, .required)
            .field("contacts", .int, .required)
            .field("answers", .int, .required)
            .field("score_sum", .int, .required)
            .field("recent", .string, .required)
            .unique(on: "chapter_id")
            .create()
        try await database.schema("chapter_quarters")
            .field("chapter_id", .uuid, .required, .references("chapters", "id", onDelete: .cascade))
            .field("quarter", .string, .required)
            .field("evenings", .int, .required)
            .field("came", .int, .required)
            .unique(on: "chapter_id", "quarter")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "evening_stats_chapter").on("evening_stats").column("chapter_id").column("starts_at").run()
        try await sql.create(index: "registrations_active_email").on("registrations").column("active_email").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).drop(index: "registrations_active_email").run()
        try await database.schema("chapter_quarters").delete()
        try await database.schema("chapter_stats").delete()
        try await database.schema("evening_stats").delete()
    }
}
