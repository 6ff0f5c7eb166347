import FluentKit

/// Private organiser notes, and where a registration came from (online, organiser, import).
struct AddRegistrationOrganizerFields: AsyncMigration {
    var name: String { "015_add_registration_organizer_fields" }

    func prepare(on database: any Database) async throws {
        try await database.schema("registrations")
            .field("organizer_note", .string, .required, .sql(.default("")))
            .update()
        try await database.schema("registrations")
            .field("source", .string, .required, .sql(.default("online")))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("registrations").deleteField("source").update()
        try await database.schema("registrations").deleteField("organizer_note").update()
    }
}
