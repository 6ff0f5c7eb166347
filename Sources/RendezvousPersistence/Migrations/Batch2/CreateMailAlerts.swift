import FluentKit

/// The network admins' mail alert: at most one row, present while the relay refuses us
/// (credentials, TLS, settings, no connection), with what it said and since when.
struct CreateMailAlerts: AsyncMigration {
    var name: String { "022_create_mail_alerts" }

    func prepare(on database: any Database) async throws {
        try await database.schema("mail_alerts")
            .field("id", .string, .identifier(auto: false))
            .field("kind", .string, .required)
            .field("detail", .string, .required)
            .field("since", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("mail_alerts").delete()
    }
}
