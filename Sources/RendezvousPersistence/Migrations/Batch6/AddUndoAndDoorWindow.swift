import FluentKit
import SQLKit

/// A cancellation remembers what it cancelled (`cancelled_from`: "confirmed", "offered" or
/// "waitlisted", set only when the holder cancels), so the holder can undo it while the seat has
/// not been given away. An event may widen the door's check-in window (`door_window_hours`, hours
/// before the start and after the end; NULL keeps the deployment's default).
struct AddUndoAndDoorWindow: AsyncMigration {
    var name: String { "031_add_undo_and_door_window" }

    func prepare(on database: any Database) async throws {
        try await database.schema("registrations").field("cancelled_from", .string).update()
        try await database.schema("events").field("door_window_hours", .int).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("events").deleteField("door_window_hours").update()
        try await database.schema("registrations").deleteField("cancelled_from").update()
    }
}
