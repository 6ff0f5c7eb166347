import FluentKit

/// "How did you hear about us?" (issue 15): `registrations.heard_from`, the code of the optional
/// choice (`HeardFrom`), NULL when not said. Counted on the chapter's insights over its last
/// evenings (read by event, through the registrations' event index).
struct AddHeardFrom: AsyncMigration {
    var name: String { "043_add_heard_from" }

    func prepare(on database: any Database) async throws {
        try await database.schema("registrations").field("heard_from", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("registrations").deleteField("heard_from").update()
    }
}
