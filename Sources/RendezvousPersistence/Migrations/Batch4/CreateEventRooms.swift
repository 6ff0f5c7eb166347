import FluentKit
import SQLKit

/// Table rotations: one row per event with its room setup, the plan (both JSON, read and written
/// whole), and where the evening is (the current round, its phase and clock, who left early).
/// `version` bumps on every change: the live pages poll it, and every change of round is a
/// conditional update on it, so two phones pressing "next" at once advance one round.
struct CreateEventRooms: AsyncMigration {
    var name: String { "027_create_event_rooms" }

    func prepare(on database: any Database) async throws {
        try await database.schema("event_rooms")
            .field("event_id", .uuid, .identifier(auto: false), .references("events", "id", onDelete: .cascade))
            .field("setup", .string, .required)
            .field("plan", .string)
            .field("planned_at", .datetime)
            .field("current_round", .int)
            .field("phase", .string, .required)
            .field("round_started_at", .datetime)
            .field("remaining_when_paused", .int)
            .field("left_ids", .string, .required)
            .field("version", .int, .required)
            .field("updated_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("event_rooms").delete()
    }
}
