import FluentKit

struct CreateChapterApplications: AsyncMigration {
    var name: String { "016_create_chapter_applications" }

    func prepare(on database: any Database) async throws {
        try await database.schema("chapter_applications")
            .field("id", .uuid, .identifier(auto: false))
            .field("city", .string, .required)
            .field("country_code", .string, .required)
            .field("time_zone", .string, .required)
            .field("locale", .string, .required)
            .field("applicant_name", .string, .required)
            .field("applicant_email", .string, .required)
            .field("motivation", .string, .required)
            .field("status", .string, .required)
            .field("created_at", .datetime, .required)
            .field("decided_at", .datetime)
            .field("decided_by", .string)
            .field("chapter_id", .uuid, .references("chapters", "id", onDelete: .setNull))
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("chapter_applications").delete()
    }
}
