import Foundation
import RendezvousDomain
import SQLKit

/// An attendee as organisers see them: the registration, its note, where it came from.
public struct AttendeeRecord: Sendable, Equatable {
    public var registration: Registration
    public var note: String
    public var source: String
    public var waitlistPosition: Int?
    public var checkedInAt: Date? = nil
    public var walkIn = false
}

extension Persistence {
    /// All events of a chapter, drafts included, soonest upcoming first, then the past.
    public func allEvents(of chapter: Chapter.ID, now: Date) async throws -> [EventSummary] {
        let upcoming = try await upcomingEvents(of: chapter, now: now, includeDrafts: true)
        let rows = try await sql.raw("""
            SELECT \(unsafeRaw: EventRow.columns) FROM events e
            WHERE e.chapter_id = \(bind: chapter.uuid) AND e.ends_at <= \(bind: now)
            ORDER BY e.starts_at DESC LIMIT 50
            """).rows(EventRow.self)
        let past = rows.map(\.event)
        let occupancies = try await occupancies(of: past)
        return upcoming + past.map { EventSummary(event: $0, venue: nil, occupancy: occupancies[$0.id] ?? Occupancy(capacity: $0.capacity, confirmed: 0, offered: 0, waitlisted: 0)) }
    }

    /// The latest registrations across a chapter's events.
    public func recentRegistrations(of chapter: Chapter.ID, limit: Int = 10) async throws -> [(registration: Registration, eventTitle: String)] {
        struct Row: Decodable { var title: String }
        let rows = try await sql.raw("""
            SELECT \(unsafeRaw: RegistrationRow.columns), e.title FROM registrations r JOIN events e ON e.id = r.event_id
            WHERE e.chapter_id = \(bind: chapter.uuid) ORDER BY r.created_at DESC LIMIT \(bind: limit)
            """).all()
        return try rows.map { row in
            let registration = try row.decode(model: RegistrationRow.self, keyDecodingStrategy: .convertFromSnakeCase).registration(tokens)
            return (registration, try row.decode(column: "title", as: String.self))
        }
    }

    /// Every registration of an event with organiser fields; waitlist positions in queue order.
    public func attendees(of event: Event.ID) async throws -> [AttendeeRecord] {
        struct Extra: Decodable { var organizerNote: String; var source: String; var checkedInAt: Date?; var walkIn: Bool }
        let rows = try await sql.raw("""
            SELECT \(unsafeRaw: RegistrationRow.columns), r.organizer_note, r.source, r.checked_in_at, r.walk_in FROM registrations r
            WHERE r.event_id = \(bind: event.uuid) ORDER BY r.created_at, r.queue_number
            """).all()
        var records = try rows.map { row in
            let registration = try row.decode(model: RegistrationRow.self, keyDecodingStrategy: .convertFromSnakeCase).registration(tokens)
            let extra = try row.decode(model: Extra.self, keyDecodingStrategy: .convertFromSnakeCase)
            return AttendeeRecord(registration: registration, note: extra.organizerNote, source: extra.source, waitlistPosition: nil,
                                  checkedInAt: extra.checkedInAt, walkIn: extra.walkIn)
        }
        let waiting = records.indices.filter { records[$0].registration.status == .waitlisted }
            .sorted { (records[$0].registration.queueNumber ?? 0) < (records[$1].registration.queueNumber ?? 0) }
        for (position, index) in waiting.enumerated() { records[index].waitlistPosition = position + 1 }
        return records
    }

    /// Registers someone on an organiser's behalf (by hand or from an import).
    public func registerByOrganizer(_ profile: AttendeeProfile, for event: Event.ID, source: String, now: Date) async throws -> RegistrationOutcome {
        let outcome = try await register(profile, for: event, now: now)
        try await sql.raw("UPDATE registrations SET source = \(bind: source) WHERE id = \(bind: outcome.registration.id.uuid)").run()
        return outcome
    }

    public func setNote(_ id: Registration.ID, in event: Event.ID, note: String) async throws {
        try await write { sql in
            guard let row = try await sql.raw("SELECT \(unsafeRaw: RegistrationRow.columns) FROM registrations r WHERE r.id = \(bind: id.uuid)")
                .row(RegistrationRow.self), row.eventId == event.uuid else { throw RegistrationActionError.notFound }
            try await sql.raw("UPDATE registrations SET organizer_note = \(bind: note) WHERE id = \(bind: id.uuid)").run()
        }
    }

    /// Replaces what an event says and where it is; capacity changes follow `updateEvent`'s rules.
    public func editEvent(_ id: Event.ID, _ input: EventInput.Valid, now: Date) async throws -> Event {
        guard let existing = try await event(id: id) else { throw RegistrationActionError.notFound }
        let chapter = existing.chapterID
        _ = try await updateEvent(id, title: input.title, description: input.description, capacity: input.capacity, status: input.status, now: now)
        try await write { sql in
            var venueID: UUID?
            if let place = input.venue {
                venueID = try await Self.findOrCreateVenue(name: place.name, address: place.address, chapter: chapter, now: now, on: sql)
            }
            // People who registered hear about a new time or place, with an updated calendar entry.
            if existing.startsAt != input.startsAt || existing.endsAt != input.endsAt || existing.venueID?.uuid != venueID,
               existing.status == .published, input.status == .published {
                try await Self.announceEventChange(id.uuid, cancelled: false, now: now, on: sql)
            }
            try await sql.raw("""
                UPDATE events SET starts_at = \(bind: input.startsAt), ends_at = \(bind: input.endsAt), venue_id = \(bind: venueID),
                    updated_at = \(bind: now) WHERE id = \(bind: id.uuid)
                """).run()
            try await sql.raw("DELETE FROM event_speakers WHERE event_id = \(bind: id.uuid)").run()
            for (position, speaker) in input.speakers.enumerated() {
                let speakerID = try await Self.findOrCreateSpeaker(speaker, chapter: chapter, now: now, on: sql)
                try await sql.raw("""
                    INSERT INTO event_speakers (id, event_id, speaker_id, position)
                    VALUES (\(bind: UUID()), \(bind: id.uuid), \(bind: speakerID), \(bind: position))
                    """).run()
            }
            try await sql.raw("DELETE FROM agenda_items WHERE event_id = \(bind: id.uuid)").run()
            for (position, item) in input.agenda.enumerated() {
                try await sql.raw("""
                    INSERT INTO agenda_items (id, event_id, starts_at, title, position)
                    VALUES (\(bind: UUID()), \(bind: id.uuid), \(bind: item.startsAt), \(bind: item.title), \(bind: position))
                    """).run()
            }
        }
        guard let updated = try await event(id: id) else { throw RegistrationActionError.notFound }
        return updated
    }

    /// Copies an event (venue, speakers, agenda, capacity) as a draft starting at `startsAt`.
    public func duplicateEvent(_ id: Event.ID, startsAt: Date, now: Date) async throws -> Event {
        guard let detail = try await eventDetail(id: id) else { throw RegistrationActionError.notFound }
        let shift = startsAt.timeIntervalSince(detail.event.startsAt)
        let copy = EventInput.Valid(
            title: detail.event.title, startsAt: startsAt, endsAt: detail.event.endsAt.addingTimeInterval(shift),
            capacity: detail.event.capacity, description: detail.event.description,
            venue: detail.venue.map { ($0.name, $0.address) }, speakers: detail.speakers,
            agenda: detail.agenda.map { AgendaItem(startsAt: $0.startsAt.addingTimeInterval(shift), title: $0.title) },
            status: .draft)
        return try await createEvent(copy, in: detail.chapter.id, now: now)
    }

    // MARK: Directory

    public func directoryVenues(for chapter: Chapter.ID?) async throws -> [Venue] {
        try await sql.raw("""
            SELECT \(unsafeRaw: VenueRow.columns) FROM venues v
            WHERE v.chapter_id IS NULL OR v.chapter_id = \(bind: chapter?.uuid ?? UUID())
            ORDER BY v.name
            """).rows(VenueRow.self).map(\.venue)
    }

    public func directorySpeakers(for chapter: Chapter.ID?) async throws -> [Speaker] {
        struct Row: Decodable { var id: UUID; var name: String; var jobTitle: String; var company: String; var bio: String }
        return try await sql.raw("""
            SELECT id, name, job_title, company, bio FROM speakers
            WHERE chapter_id IS NULL OR chapter_id = \(bind: chapter?.uuid ?? UUID()) ORDER BY name
            """).rows(Row.self).map { Speaker(id: .init($0.id), name: $0.name, jobTitle: $0.jobTitle, company: $0.company, bio: $0.bio) }
    }
}
