import FluentKit

struct CreateAgendaItems: AsyncMigration {
    var name: String { "009_create_agenda_items" }

    func prepare(on database: any Database) async throws {
        try await database.schema("agenda_items")
            .field("id", .uuid, .identifier(auto: false))
            .field("event_id", .uuid, .required, .references("events", "id", onDelete: .cascade))
            .field("starts_at", .datetime, .required)
            .field("title", .string, .required)
            .field("position", .int, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("agenda_items").delete()
    }
}
