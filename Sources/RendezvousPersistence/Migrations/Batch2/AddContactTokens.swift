import FluentKit
import SQLKit

/// The badge's QR code opens a contact card through this token: separate from the manage token
/// (and from any admission ticket), and renewable, so a photo of a badge grants nothing lasting.
struct AddContactTokens: AsyncMigration {
    var name: String { "018_add_contact_tokens" }

    func prepare(on database: any Database) async throws {
        try await database.schema("registrations").field("contact_token", .string, .required, .sql(.default(""))).update()
        try await (database as! any SQLDatabase).create(index: "registrations_contact_token").on("registrations").column("contact_token").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).drop(index: "registrations_contact_token").run()
        try await database.schema("registrations").deleteField("contact_token").update()
    }
}
