import FluentKit

struct CreateSessions: AsyncMigration {
    var name: String { "012_create_sessions" }

    func prepare(on database: any Database) async throws {
        try await database.schema("sessions")
            .field("id", .uuid, .identifier(auto: false))
            // SHA-256 of the cookie value.
            .field("token_hash", .string, .required)
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            // Sent back in every organiser form.
            .field("csrf_token", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("sessions").delete()
    }
}
