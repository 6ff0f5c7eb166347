import FluentKit
import SQLKit

/// "My Rendezvous": an optional profile photo, one per address, kept apart from the chapters'
/// pictures (a person's photo belongs to no chapter, and goes when they erase themselves).
struct AddAttendeePhotos: AsyncMigration {
    var name: String { "041_add_attendee_photos" }

    func prepare(on database: any Database) async throws {
        try await database.schema("attendee_photos")
            .field("id", .uuid, .identifier(auto: false))
            .field("email", .string, .required)
            .field("name", .string, .required)
            .field("content_type", .string, .required)
            .field("bytes", .data, .required)
            .field("width", .int, .required)
            .field("height", .int, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "email")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("attendee_photos").delete()
    }
}
