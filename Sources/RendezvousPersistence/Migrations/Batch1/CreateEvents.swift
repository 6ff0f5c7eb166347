import FluentKit
import SQLKit

struct CreateEvents: AsyncMigration {
    var name: String { "007_create_events" }

    func prepare(on database: any Database) async throws {
        try await database.schema("events")
            .field("id", .uuid, .identifier(auto: false))
            .field("chapter_id", .uuid, .required, .references("chapters", "id", onDelete: .cascade))
            .field("title", .string, .required)
            .field("description", .string, .required)
            .field("starts_at", .datetime, .required)
            .field("ends_at", .datetime, .required)
            .field("capacity", .int, .required)
            .field("status", .string, .required)
            .field("venue_id", .uuid, .references("venues", "id", onDelete: .setNull))
            // Seats held by confirmed registrations and open waitlist offers. The capacity guard
            // is one conditional UPDATE of this column.
            .field("seats_taken", .int, .required, .sql(.default(0)))
            // Hands out waitlist queue numbers in arrival order.
            .field("queue_counter", .int, .required, .sql(.default(0)))
            // How many are waiting now: a newcomer's position, without counting the queue.
            .field("waiting_count", .int, .required, .sql(.default(0)))
            // How many of the latest batch of arrivals got a seat: written and returned by the same
            // guarded UPDATE, under the row lock, so one statement both decides and reports.
            .field("last_batch_seated", .int, .required, .sql(.default(0)))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await (database as! any SQLDatabase).create(index: "events_chapter_starts")
            .on("events").column("chapter_id").column("starts_at").run()
        try await (database as! any SQLDatabase).create(index: "events_starts")
            .on("events").column("starts_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("events").delete()
    }
}
