import FluentKit

/// Chapter members are organisers or door staff (check-in only).
struct AddChapterRoles: AsyncMigration {
    var name: String { "011_add_chapter_roles" }

    func prepare(on database: any Database) async throws {
        try await database.schema("chapter_organizers")
            .field("role", .string, .required, .sql(.default("organizer")))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("chapter_organizers").deleteField("role").update()
    }
}
