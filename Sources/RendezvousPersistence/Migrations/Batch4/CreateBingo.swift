import FluentKit
import SQLKit

/// Human bingo: what attendees chose to share for the evening's games (facts as comma-separated
/// `BingoFact` raw values, and the consent without which none of it is used), the cards (stored,
/// so they stay stable), the ticked squares and the announced lines and full cards.
///
/// Exactness lives in the unique constraints: one card per registration and event, one tick per
/// square, a matched person at most once per card, and each announcement once.
struct CreateBingo: AsyncMigration {
    var name: String { "026_create_bingo" }

    func prepare(on database: any Database) async throws {
        try await database.schema("registrations").field("bingo_facts", .string, .required, .sql(.default(""))).update()
        try await database.schema("registrations").field("games_consent", .bool, .required, .sql(.default(false))).update()
        try await database.schema("bingo_games")
            .field("event_id", .uuid, .identifier(auto: false), .references("events", "id", onDelete: .cascade))
            .field("size", .int, .required)
            .field("seed", .int64, .required)
            .field("generated_at", .datetime, .required)
            .create()
        try await database.schema("bingo_cards")
            .field("id", .uuid, .identifier(auto: false))
            .field("event_id", .uuid, .required, .references("events", "id", onDelete: .cascade))
            .field("registration_id", .uuid, .required, .references("registrations", "id", onDelete: .cascade))
            .field("card", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "event_id", "registration_id")
            .create()
        try await database.schema("bingo_ticks")
            .field("id", .uuid, .identifier(auto: false))
            .field("event_id", .uuid, .required, .references("events", "id", onDelete: .cascade))
            .field("registration_id", .uuid, .required, .references("registrations", "id", onDelete: .cascade))
            .field("square_index", .int, .required)
            .field("matched_registration_id", .uuid, .required, .references("registrations", "id", onDelete: .cascade))
            .field("created_at", .datetime, .required)
            .unique(on: "registration_id", "square_index")
            .unique(on: "registration_id", "matched_registration_id")
            .create()
        try await database.schema("bingo_events")
            .field("id", .uuid, .identifier(auto: false))
            .field("event_id", .uuid, .required, .references("events", "id", onDelete: .cascade))
            .field("registration_id", .uuid, .required, .references("registrations", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "registration_id", "kind")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "bingo_events_event_time").on("bingo_events").column("event_id").column("created_at").run()
        try await sql.create(index: "bingo_ticks_event").on("bingo_ticks").column("event_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("bingo_events").delete()
        try await database.schema("bingo_ticks").delete()
        try await database.schema("bingo_cards").delete()
        try await database.schema("bingo_games").delete()
        try await database.schema("registrations").deleteField("games_consent").update()
        try await database.schema("registrations").deleteField("bingo_facts").update()
    }
}
