import FluentKit

struct CreateChapterOrganizers: AsyncMigration {
    var name: String { "003_create_chapter_organizers" }

    func prepare(on database: any Database) async throws {
        try await database.schema("chapter_organizers")
            .field("id", .uuid, .identifier(auto: false))
            .field("chapter_id", .uuid, .required, .references("chapters", "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("created_at", .datetime, .required)
            .unique(on: "chapter_id", "user_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("chapter_organizers").delete()
    }
}
