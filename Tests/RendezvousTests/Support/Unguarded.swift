import Foundation
import RendezvousDomain
@testable import RendezvousPersistence
import SQLKit

// The classic races, kept in the test target only: each reads, then writes, with nothing holding
// the two together. Tests run them with the same concurrency and the same checks as the real
// paths, to show that those checks would catch a missing guard.

extension RegistrationStore {
    /// Check-then-insert: reads the seat count, then writes.
    func registerWithoutGuard(_ profile: AttendeeProfile, for eventID: Event.ID, now: Date) async throws -> RegistrationOutcome {
        let sql = self.sql
        guard let event = try await sql.raw("SELECT \(unsafeRaw: EventRow.columns) FROM events e WHERE e.id = \(bind: eventID.uuid)")
            .row(EventRow.self) else { throw RegistrationActionError.notFound }
        let confirmed = try await sql.raw("""
            SELECT COUNT(*) AS count FROM registrations WHERE event_id = \(bind: eventID.uuid) AND status = 'confirmed'
            """).row(CountRow.self)?.count ?? 0
        // The window a real request spends between its read and its write.
        try await Task.sleep(for: .milliseconds(20))
        let status: RegistrationStatus = confirmed < event.capacity ? .confirmed : .waitlisted
        let registration = RegistrationStore.newRegistration(profile, event: eventID, status: status, queueNumber: status == .waitlisted ? confirmed : nil, now: now)
        try await RegistrationStore.insert(registration, on: sql)
        return RegistrationOutcome(registration: RegistrationStore.shown(registration, tokens), waitlistPosition: status == .waitlisted ? 1 : nil)
    }

    /// Read the status, then move it unconditionally and give the seat back.
    func cancelWithoutGuard(_ id: Registration.ID, token: String, now: Date) async throws {
        guard let row = try await sql.raw("SELECT \(unsafeRaw: RegistrationRow.columns) FROM registrations r WHERE r.id = \(bind: id.uuid)")
            .row(RegistrationRow.self), tokens.verify(token, .manage, id: row.id, salt: row.manageToken) else { throw RegistrationActionError.notFound }
        let status = row.status
        guard status.isActive else { throw RegistrationActionError.notCancellable }
        try await Task.sleep(for: .milliseconds(50))
        try await write { sql in
            try await sql.raw("UPDATE registrations SET status = 'cancelled', active_email = NULL WHERE id = \(bind: id.uuid)").run()
            try await Persistence.enqueue(.cancelled, registration: row.id, event: row.eventId, now: now, on: sql)
            if status.holdsSeat { try await Persistence.releaseSeat(event: .init(row.eventId), now: now, on: sql) }
        }
    }
}

extension DoorStore {
    /// Look, then admit.
    func checkInWithoutGuard(event: Event.ID, ticket token: String, by: String, now: Date) async throws -> CheckInResult {
        guard let row = try await ticketRow(token, on: sql), row.checkedInAt == nil else { return .already }
        try await Task.sleep(for: .milliseconds(300))
        try await sql.raw("UPDATE registrations SET checked_in_at = \(bind: now), checked_in_by = \(bind: by) WHERE id = \(bind: row.id)").run()
        return .admitted
    }
}

extension RegistrationStore {
    /// Undo a cancellation by looking at the free seats, then taking one unconditionally.
    func restoreWithoutGuard(_ id: Registration.ID, now: Date) async throws {
        let sql = self.sql
        guard let row = try await sql.raw("SELECT \(unsafeRaw: RegistrationRow.columns) FROM registrations r WHERE r.id = \(bind: id.uuid)")
            .row(RegistrationRow.self), row.status == .cancelled,
              let event = try await sql.raw("SELECT \(unsafeRaw: EventRow.columns) FROM events e WHERE e.id = \(bind: row.eventId)").row(EventRow.self),
              event.seatsTaken < event.capacity else { throw RegistrationActionError.seatGiven }
        try await Task.sleep(for: .milliseconds(50))
        try await write { sql in
            try await sql.raw("UPDATE events SET seats_taken = seats_taken + 1 WHERE id = \(bind: row.eventId)").run()
            try await sql.raw("UPDATE registrations SET status = 'confirmed', active_email = email, cancelled_from = NULL WHERE id = \(bind: id.uuid)").run()
        }
    }
}
