import FluentKit

struct CreateInvitations: AsyncMigration {
    var name: String { "013_create_invitations" }

    func prepare(on database: any Database) async throws {
        try await database.schema("invitations")
            .field("id", .uuid, .identifier(auto: false))
            .field("chapter_id", .uuid, .required, .references("chapters", "id", onDelete: .cascade))
            .field("email", .string, .required)
            .field("role", .string, .required)
            .field("token", .string, .required)
            .field("invited_by", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("accepted_at", .datetime)
            .unique(on: "token")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("invitations").delete()
    }
}
