import FluentKit

struct CreateEventSpeakers: AsyncMigration {
    var name: String { "008_create_event_speakers" }

    func prepare(on database: any Database) async throws {
        try await database.schema("event_speakers")
            .field("id", .uuid, .identifier(auto: false))
            .field("event_id", .uuid, .required, .references("events", "id", onDelete: .cascade))
            .field("speaker_id", .uuid, .required, .references("speakers", "id", onDelete: .cascade))
            .field("position", .int, .required)
            .unique(on: "event_id", "speaker_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("event_speakers").delete()
    }
}
