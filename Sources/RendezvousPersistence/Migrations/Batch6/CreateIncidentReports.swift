import FluentKit
import SQLKit

/// Confidential incident reports: about one meetup of a chapter, from someone who may stay
/// anonymous, with a simple case record (open, then handled with a note).
struct CreateIncidentReports: AsyncMigration {
    var name: String { "037_create_incident_reports" }

    func prepare(on database: any Database) async throws {
        try await database.schema("incident_reports")
            .field("id", .uuid, .identifier(auto: false))
            .field("chapter_id", .uuid, .required, .references("chapters", "id", onDelete: .cascade))
            .field("event_id", .uuid, .references("events", "id", onDelete: .setNull))
            .field("description", .string, .required)
            .field("reporter_name", .string, .required)
            .field("reporter_contact", .string, .required)
            .field("status", .string, .required)
            .field("handling_note", .string, .required)
            .field("handled_by", .string, .required)
            .field("handled_at", .datetime)
            .field("created_at", .datetime, .required)
            .create()
        try await (database as! any SQLDatabase).create(index: "incident_reports_chapter")
            .on("incident_reports").column("chapter_id").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("incident_reports").delete()
    }
}
