import FluentKit
import SQLKit

/// Pictures organisers upload, as the server re-encoded them: an event's cover (with its
/// alternative text), a chapter's logo and colour, a speaker's photo. `images` keeps the bytes;
/// the owners keep the picture's file name (`<id>-<digest>.<ext>`, its public address), so a page
/// needs no join to show it, and a new upload is a new name (served as immutable).
struct AddImages: AsyncMigration {
    var name: String { "030_add_images" }

    func prepare(on database: any Database) async throws {
        try await database.schema("images")
            .field("id", .uuid, .identifier(auto: false))
            .field("chapter_id", .uuid, .required, .references("chapters", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("content_type", .string, .required)
            .field("bytes", .data, .required)
            .field("width", .int, .required)
            .field("height", .int, .required)
            .field("created_at", .datetime, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "images_chapter").on("images").column("chapter_id").run()
        try await database.schema("events").field("cover_image", .string).update()
        try await database.schema("events").field("cover_alt", .string).update()
        try await database.schema("chapters").field("logo_image", .string).update()
        try await database.schema("chapters").field("brand_color", .string).update()
        try await database.schema("speakers").field("photo_image", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("speakers").deleteField("photo_image").update()
        try await database.schema("chapters").deleteField("brand_color").update()
        try await database.schema("chapters").deleteField("logo_image").update()
        try await database.schema("events").deleteField("cover_alt").update()
        try await database.schema("events").deleteField("cover_image").update()
        try await database.schema("images").delete()
    }
}
