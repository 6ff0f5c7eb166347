import FluentKit
import SQLKit

/// Webhooks for integrators: a chapter's endpoints (URL, the types they want, the signing secret)
/// and their deliveries, a queue like the outbox (claimed with a lease, retried with backoff).
struct CreateWebhooks: AsyncMigration {
    var name: String { "046_create_webhooks" }

    func prepare(on database: any Database) async throws {
        try await database.schema("webhook_endpoints")
            .field("id", .uuid, .identifier(auto: false))
            .field("chapter_id", .uuid, .required, .references("chapters", "id", onDelete: .cascade))
            .field("url", .string, .required)
            // Comma-separated types; empty: every type.
            .field("event_types", .string, .required)
            .field("include_email", .bool, .required)
            // The HMAC key: it must be read to sign, so it is stored as is (see docs/security.md).
            .field("secret", .string, .required)
            .field("enabled", .bool, .required)
            .field("disabled_reason", .string, .required)
            .field("failing_since", .datetime)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema("webhook_deliveries")
            .field("id", .uuid, .identifier(auto: false))
            .field("endpoint_id", .uuid, .required, .references("webhook_endpoints", "id", onDelete: .cascade))
            .field("chapter_id", .uuid, .required)
            .field("type", .string, .required)
            // The JSON body, fixed when the change happened: every attempt sends the same bytes.
            .field("body", .string, .required)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("claimed_until", .datetime)
            .field("claim", .string, .required)
            .field("response_status", .int)
            .field("last_error", .string, .required)
            .field("last_attempt_at", .datetime)
            .field("delivered_at", .datetime)
            .field("created_at", .datetime, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "webhook_endpoints_chapter").on("webhook_endpoints").column("chapter_id").run()
        try await sql.create(index: "webhook_deliveries_due").on("webhook_deliveries").column("status").column("next_attempt_at").run()
        try await sql.create(index: "webhook_deliveries_endpoint").on("webhook_deliveries").column("endpoint_id").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("webhook_deliveries").delete()
        try await database.schema("webhook_endpoints").delete()
    }
}
