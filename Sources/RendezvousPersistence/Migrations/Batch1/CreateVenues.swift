import FluentKit

struct CreateVenues: AsyncMigration {
    var name: String { "005_create_venues" }

    func prepare(on database: any Database) async throws {
        try await database.schema("venues")
            .field("id", .uuid, .identifier(auto: false))
            // Null for venues in the network's shared directory.
            .field("chapter_id", .uuid, .references("chapters", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("address", .string, .required)
            .field("city", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("venues").delete()
    }
}
