import FluentKit

/// One-time password reset links; only the token's SHA-256 is stored.
struct CreatePasswordResets: AsyncMigration {
    var name: String { "021_create_password_resets" }

    func prepare(on database: any Database) async throws {
        try await database.schema("password_resets")
            .field("id", .uuid, .identifier(auto: false))
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("password_resets").delete()
    }
}
