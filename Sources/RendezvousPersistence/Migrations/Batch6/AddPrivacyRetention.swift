import FluentKit
import SQLKit

/// Privacy: the network's settings (retention in months), when each event's registrations were
/// anonymised (the retention run's claim), and the people blocked from every chapter (a keyed
/// hash of their email, never the address).
struct AddPrivacyRetention: AsyncMigration {
    var name: String { "036_add_privacy_retention" }

    func prepare(on database: any Database) async throws {
        try await database.schema("network_settings")
            .field("key", .string, .identifier(auto: false))
            .field("value", .string, .required)
            .create()
        try await database.schema("events").field("anonymised_at", .datetime).update()
        try await database.schema("blocked_people")
            .field("id", .uuid, .identifier(auto: false))
            .field("email_hash", .string, .required)
            .field("reason", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "email_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("blocked_people").delete()
        try await database.schema("events").deleteField("anonymised_at").update()
        try await database.schema("network_settings").delete()
    }
}
