import FluentKit
import SQLKit

/// Overflow dates and no-show-aware capacity (issue 15).
/// - `chapters.waitlist_threshold`: from how many people waiting the organisers are told to open a
///   second evening (default 20).
/// - `events.overflow_of`: the event whose waitlist a second evening was opened for (NULL otherwise);
///   its freed seats go first to that event's queue.
/// - `events.overbook_seats`: seats confirmed beyond the capacity because of the expected no-shows
///   (0 unless the organisers enabled overbooking); every seat rule counts `capacity + overbook_seats`.
/// - `events.overbooking`: whether the organisers turned it on; turned off, the seats already given
///   beyond the capacity stay with their holders and go away as they free up.
/// - `events.venue_limit`: how many people the room physically holds (NULL: not given; overbooking
///   needs it and never confirms beyond it).
/// - `registrations.any_date`: "any date works for me": moved directly to a second evening.
/// - `registrations.origin_registration_id`: for an offer of a second evening's seat, the waitlist
///   place it came from (kept until the offer is accepted).
struct AddOverflowAndOverbooking: AsyncMigration {
    var name: String { "040_add_overflow_and_overbooking" }

    func prepare(on database: any Database) async throws {
        try await database.schema("chapters").field("waitlist_threshold", .int, .required, .sql(.default(20))).update()
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        try await database.schema("events").field("overflow_of", .uuid).update()
        try await database.schema("events").field("overbook_seats", .int, .required, .sql(.default(0))).update()
        try await database.schema("events").field("venue_limit", .int).update()
        try await database.schema("events").field("overbooking", .bool, .required, .sql(.default(false))).update()
        try await database.schema("registrations").field("any_date", .bool, .required, .sql(.default(false))).update()
        try await database.schema("registrations").field("origin_registration_id", .uuid).update()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "registrations_origin").on("registrations").column("origin_registration_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase {
            try await sql.drop(index: "registrations_origin").run()
        }
        for field in ["origin_registration_id", "any_date"] { try await database.schema("registrations").deleteField(FieldKey(stringLiteral: field)).update() }
        for field in ["overbooking", "venue_limit", "overbook_seats", "overflow_of"] { try await database.schema("events").deleteField(FieldKey(stringLiteral: field)).update() }
        try await database.schema("chapters").deleteField("waitlist_threshold").update()
    }
}
