import Foundation
import RendezvousDomain
import SQLKit

extension EventStore {
    /// Whether someone waits for a seat of `event`, so that a seat given back goes to a person in
    /// line: its own waitlist, or for a second evening the first evening's queue (offered its seats
    /// first, `Persistence.offerOverflowSeats`) while that evening stands, leaving out whoever is
    /// registered here already. What the "if you can't come" texts say depends on it: nobody is told
    /// people are waiting when no one is.
    public func someoneWaits(for event: Event) async throws -> Bool {
        struct Row: Decodable { var found: Int }
        if try await sql.raw("""
            SELECT 1 AS found FROM registrations WHERE event_id = \(bind: event.id.uuid) AND status = 'waitlisted' LIMIT 1
            """).row(Row.self) != nil { return true }
        guard let origin = event.overflowOf else { return false }
        return try await sql.raw("""
            SELECT 1 AS found FROM registrations o JOIN events e ON e.id = o.event_id
            WHERE o.event_id = \(bind: origin.uuid) AND o.status = 'waitlisted' AND e.status <> 'cancelled'
              AND NOT EXISTS (SELECT 1 FROM registrations s WHERE s.event_id = \(bind: event.id.uuid)
                              AND (s.origin_registration_id = o.id OR s.active_email = o.active_email))
            LIMIT 1
            """).row(Row.self) != nil
    }
}
