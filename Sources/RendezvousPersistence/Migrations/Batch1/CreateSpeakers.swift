import FluentKit

struct CreateSpeakers: AsyncMigration {
    var name: String { "006_create_speakers" }

    func prepare(on database: any Database) async throws {
        try await database.schema("speakers")
            .field("id", .uuid, .identifier(auto: false))
            .field("chapter_id", .uuid, .references("chapters", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("job_title", .string, .required)
            .field("company", .string, .required)
            .field("bio", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("speakers").delete()
    }
}
