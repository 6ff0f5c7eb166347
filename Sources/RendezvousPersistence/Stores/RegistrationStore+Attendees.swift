import Foundation
import RendezvousDomain
import SQLKit

extension RegistrationStore {
    /// The latest registrations across a chapter's events.
    public func recentRegistrations(of chapter: Chapter.ID, limit: Int = 10) async throws -> [(registration: Registration, eventTitle: String)] {
        struct Row: Decodable { var title: String }
        let rows = try await sql.raw("""
            SELECT \(unsafeRaw: RegistrationRow.columns), e.title FROM registrations r JOIN events e ON e.id = r.event_id
            WHERE e.chapter_id = \(bind: chapter.uuid) ORDER BY r.created_at DESC LIMIT \(bind: limit)
            """).all()
        return try rows.map { row in
            let registration = try row.decode(model: RegistrationRow.self, keyDecodingStrategy: SnakeCaseColumns.strategy).registration(tokens)
            return (registration, try row.decode(column: "title", as: String.self))
        }
    }

    /// Every registration of an event with organiser fields; waitlist positions in queue order.
    public func attendees(of event: Event.ID) async throws -> [AttendeeRecord] {
        struct Extra: Decodable { var organizerNote: String; var source: String; var checkedInAt: Date?; var walkIn: Bool }
        let rows = try await sql.raw("""
            SELECT \(unsafeRaw: RegistrationRow.columns), r.organizer_note, r.source, r.checked_in_at FROM registrations r
            WHERE r.event_id = \(bind: event.uuid) ORDER BY r.created_at, r.queue_number
            """).all()
        var records = try rows.map { row in
            let registration = try row.decode(model: RegistrationRow.self, keyDecodingStrategy: SnakeCaseColumns.strategy).registration(tokens)
            let extra = try row.decode(model: Extra.self, keyDecodingStrategy: SnakeCaseColumns.strategy)
            return AttendeeRecord(registration: registration, note: extra.organizerNote, source: RegistrationSource(rawValue: extra.source) ?? .online, waitlistPosition: nil,
                                  checkedInAt: extra.checkedInAt, walkIn: extra.walkIn)
        }
        let waiting = records.indices.filter { records[$0].registration.status == .waitlisted }
            .sorted { (records[$0].registration.queueNumber ?? 0) < (records[$1].registration.queueNumber ?? 0) }
        for (position, index) in waiting.enumerated() { records[index].waitlistPosition = position + 1 }
        return records
    }

    /// Registers someone on an organiser's behalf (by hand or from an import).
    public func registerByOrganizer(_ profile: AttendeeProfile, for event: Event.ID, source: RegistrationSource, now: Date) async throws -> RegistrationOutcome {
        let outcome = try await register(profile, for: event, now: now)
        try await sql.raw("UPDATE registrations SET source = \(bind: source.rawValue) WHERE id = \(bind: outcome.registration.id.uuid)").run()
        return outcome
    }

    public func setNote(_ id: Registration.ID, in event: Event.ID, note: String) async throws {
        try await write { sql in
            guard let row = try await sql.raw("SELECT \(unsafeRaw: RegistrationRow.columns) FROM registrations r WHERE r.id = \(bind: id.uuid)")
                .row(RegistrationRow.self), row.eventId == event.uuid else { throw RegistrationActionError.notFound }
            try await sql.raw("UPDATE registrations SET organizer_note = \(bind: note) WHERE id = \(bind: id.uuid)").run()
        }
    }
}
