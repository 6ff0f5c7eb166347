import FluentKit

struct CreateChapters: AsyncMigration {
    var name: String { "002_create_chapters" }

    func prepare(on database: any Database) async throws {
        try await database.schema("chapters")
            .field("id", .uuid, .identifier(auto: false))
            .field("slug", .string, .required)
            .field("name", .string, .required)
            .field("city", .string, .required)
            .field("country_code", .string, .required)
            .field("time_zone", .string, .required)
            .field("locale", .string, .required)
            .field("description", .string, .required)
            .field("offer_hours", .int, .required)
            .field("status", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "slug")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("chapters").delete()
    }
}
