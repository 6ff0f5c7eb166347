import FluentKit

/// What the shared venue directory records beyond name and address.
struct AddVenueDirectoryFields: AsyncMigration {
    var name: String { "017_add_venue_directory_fields" }

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        try await database.schema("venues").field("capacity", .int, .required, .sql(.default(0))).update()
        try await database.schema("venues").field("accessibility", .string, .required, .sql(.default(""))).update()
        try await database.schema("venues").field("contact", .string, .required, .sql(.default(""))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("venues").deleteField("contact").update()
        try await database.schema("venues").deleteField("accessibility").update()
        try await database.schema("venues").deleteField("capacity").update()
    }
}
