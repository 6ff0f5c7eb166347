import Foundation
import RendezvousDomain
import SQLKit

/// What the organiser workspace does with events: all of a chapter's, edit, duplicate, the directory.
extension EventStore {
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
        return upcoming + past.map { EventSummary(event: $0, venue: nil, occupancy: occupancies[$0.id] ?? Occupancy(capacity: $0.seatLimit, confirmed: 0, offered: 0, waitlisted: 0)) }
    }

    /// Replaces what an event says and where it is; capacity changes follow `updateEvent`'s rules.
    public func editEvent(_ id: Event.ID, _ input: EventInput.Valid, now: Date) async throws -> Event {
        guard let existing = try await event(id: id) else { throw RegistrationActionError.notFound }
        let chapter = existing.chapterID
        _ = try await updateEvent(id, title: input.title, description: input.description, capacity: input.capacity, status: input.status,
                                  webhooks: false, now: now)
        try await write { sql in
            var venueID: UUID?
            if let place = input.venue {
                venueID = try await Persistence.findOrCreateVenue(name: place.name, address: place.address, chapter: chapter, now: now, on: sql)
            }
            // People who registered hear about a new time or place, with an updated calendar entry.
            if existing.startsAt != input.startsAt || existing.endsAt != input.endsAt || existing.venueID?.uuid != venueID,
               existing.status == .published, input.status == .published {
                try await Persistence.announceEventChange(id.uuid, cancelled: false, now: now, on: sql)
            }
            try await sql.raw("""
                UPDATE events SET starts_at = \(bind: input.startsAt), ends_at = \(bind: input.endsAt), venue_id = \(bind: venueID),
                    updated_at = \(bind: now) WHERE id = \(bind: id.uuid)
                """).run()
            // Insights: a new date or status changes which evenings count, and who was new at them.
            if existing.startsAt != input.startsAt || existing.status != input.status { try await EveningStatsStore.invalidateChapter(of: id.uuid, on: sql) }
            try await sql.raw("DELETE FROM event_speakers WHERE event_id = \(bind: id.uuid)").run()
            for (position, speaker) in input.speakers.enumerated() {
                let speakerID = try await Persistence.findOrCreateSpeaker(speaker, chapter: chapter, now: now, on: sql)
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
            // Integrators hear of the edit once, as it now stands (with the new date and place).
            let changed = existing.title != input.title || existing.description != input.description || existing.capacity != input.capacity
                || existing.status != input.status || existing.startsAt != input.startsAt || existing.endsAt != input.endsAt || existing.venueID?.uuid != venueID
            if let type = Persistence.eventWebhookType(from: existing.status, to: input.status, changed: changed) {
                try await Persistence.emitEventWebhook(type, event: id.uuid, now: now, on: sql)
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
