import FluentKit
import SQLKit

/// Privacy and trust: when each registration accepted the network's code of conduct (NULL for
/// registrations made before it was asked, or added by organisers), and the history of every
/// consent an attendee changed afterwards (which consent, the new value, where, when), for the
/// attendee's own "My data" page and export.
struct AddCodeOfConductAcceptance: AsyncMigration {
    var name: String { "039_add_code_of_conduct_acceptance" }

    func prepare(on database: any Database) async throws {
        try await database.schema("registrations").field("conduct_accepted_at", .datetime).update()
        try await database.schema("consent_changes")
            .field("id", .uuid, .identifier(auto: false))
            .field("registration_id", .uuid, .required, .references("registrations", "id", onDelete: .cascade))
            // list, profile, games, news, mail
            .field("consent", .string, .required)
            .field("given", .bool, .required)
            // me, manage, api, admin
            .field("source", .string, .required)
            .field("changed_at", .datetime, .required)
            .create()
        try await (database as! any SQLDatabase).create(index: "consent_changes_registration")
            .on("consent_changes").column("registration_id").column("changed_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("consent_changes").delete()
        try await database.schema("registrations").deleteField("conduct_accepted_at").update()
    }
}
