import FluentKit
import SQLKit

struct CreateAuditLog: AsyncMigration {
    var name: String { "014_create_audit_log" }

    func prepare(on database: any Database) async throws {
        try await database.schema("audit_log")
            .field("id", .uuid, .identifier(auto: false))
            .field("chapter_id", .uuid, .references("chapters", "id", onDelete: .cascade))
            .field("user_id", .uuid)
            // Kept as written, so the log still reads right after an account is gone.
            .field("user_name", .string, .required)
            .field("action", .string, .required)
            .field("subject", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await (database as! any SQLDatabase).create(index: "audit_log_chapter_time")
            .on("audit_log").column("chapter_id").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("audit_log").delete()
    }
}
