import Foundation
import RendezvousDomain
import SQLKit

extension EventStore {
    /// Stores a validated event with its venue, speakers and agenda, in one transaction.
    public func createEvent(_ input: EventInput.Valid, in chapter: Chapter.ID, now: Date) async throws -> Event {
        let event = Event(
            chapterID: chapter, title: input.title, description: input.description, startsAt: input.startsAt,
            endsAt: input.endsAt, capacity: input.capacity, status: input.status, createdAt: now)
        return try await write { sql in try await Self.insertEventRecord(event, input, in: chapter, now: now, on: sql) }
    }

    /// Stores a new event with its speakers and agenda, in the caller's transaction.
    static func insertEventRecord(_ event: Event, _ input: EventInput.Valid, in chapter: Chapter.ID, now: Date, on sql: any SQLDatabase) async throws -> Event {
        let venueID = try await Persistence.insertEvent(event.id, input, in: chapter, now: now, on: sql)
        for (position, speaker) in input.speakers.enumerated() {
            let speakerID = try await Persistence.findOrCreateSpeaker(speaker, chapter: chapter, now: now, on: sql)
            try await sql.raw("""
                INSERT INTO event_speakers (id, event_id, speaker_id, position)
                VALUES (\(bind: UUID()), \(bind: event.id.uuid), \(bind: speakerID), \(bind: position))
                """).run()
        }
        for (position, item) in input.agenda.enumerated() {
            try await sql.raw("""
                INSERT INTO agenda_items (id, event_id, starts_at, title, position)
                VALUES (\(bind: UUID()), \(bind: event.id.uuid), \(bind: item.startsAt), \(bind: item.title), \(bind: position))
                """).run()
        }
        if event.status == .published {
            try await Persistence.emitEventWebhook(.eventPublished, event: event.id.uuid, now: now, on: sql)
        }
        var stored = event
        stored.venueID = venueID.map { .init($0) }
        return stored
    }

    public func event(id: Event.ID) async throws -> Event? {
        try await sql.raw("SELECT \(unsafeRaw: EventRow.columns) FROM events e WHERE e.id = \(bind: id.uuid)")
            .row(EventRow.self)?.event
    }

    /// Seat counts straight from the registrations, one grouped query.
    public func occupancy(of event: Event) async throws -> Occupancy {
        let rows = try await sql.raw("""
            SELECT status, COUNT(*) AS count FROM registrations
            WHERE event_id = \(bind: event.id.uuid) GROUP BY status
            """).rows(StatusCountRow.self)
        return Self.occupancy(capacity: event.seatLimit, counts: rows)
    }

    static func occupancy(capacity: Int, counts: [StatusCountRow]) -> Occupancy {
        func count(_ status: RegistrationStatus) -> Int { counts.first { $0.status == status.rawValue }?.count ?? 0 }
        return Occupancy(capacity: capacity, confirmed: count(.confirmed), offered: count(.offered), waitlisted: count(.waitlisted))
    }

    func occupancies(of events: [Event]) async throws -> [Event.ID: Occupancy] {
        guard !events.isEmpty else { return [:] }
        struct Row: Decodable { var eventId: UUID; var status: String; var count: Int }
        let rows = try await sql.select()
            .column("event_id").column("status").column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("count")))
            .from("registrations")
            .where(SQLIdentifier("event_id"), .in, SQLBind.group(events.map(\.id.uuid)))
            .groupBy("event_id").groupBy("status")
            .rows(Row.self)
        var grouped: [UUID: [StatusCountRow]] = [:]
        for row in rows { grouped[row.eventId, default: []].append(StatusCountRow(status: row.status, count: row.count)) }
        return Dictionary(uniqueKeysWithValues: events.map { event in
            (event.id, Self.occupancy(capacity: event.seatLimit, counts: grouped[event.id.uuid] ?? []))
        })
    }

    /// Published events of a chapter that have not ended, soonest first.
    public func upcomingEvents(of chapter: Chapter.ID, now: Date, includeDrafts: Bool = false) async throws -> [EventSummary] {
        let rows = try await sql.raw("""
            SELECT \(unsafeRaw: EventRow.columns) FROM events e
            WHERE e.chapter_id = \(bind: chapter.uuid) AND e.ends_at > \(bind: now)
              AND (e.status = 'published' OR \(bind: includeDrafts) = \(bind: true))
            ORDER BY e.starts_at
            """).rows(EventRow.self)
        return try await summaries(rows)
    }

    /// Events that have ended, most recent first.
    public func pastEvents(of chapter: Chapter.ID, now: Date, limit: Int = 20) async throws -> [EventSummary] {
        let rows = try await sql.raw("""
            SELECT \(unsafeRaw: EventRow.columns) FROM events e
            WHERE e.chapter_id = \(bind: chapter.uuid) AND e.ends_at <= \(bind: now) AND e.status = 'published'
            ORDER BY e.starts_at DESC LIMIT \(bind: limit)
            """).rows(EventRow.self)
        return try await summaries(rows)
    }

    private func summaries(_ rows: [EventRow]) async throws -> [EventSummary] {
        let events = rows.map(\.event)
        let venues = try await persistence.chapters.venues(ids: Set(rows.compactMap(\.venueId)))
        let occupancies = try await occupancies(of: events)
        return events.map { event in
            EventSummary(
                event: event, venue: event.venueID.flatMap { venues[$0.uuid] },
                occupancy: occupancies[event.id] ?? Occupancy(capacity: event.seatLimit, confirmed: 0, offered: 0, waitlisted: 0))
        }
    }

    /// Everything the public event page shows, in five small queries.
    public func eventDetail(id: Event.ID) async throws -> EventDetail? {
        guard let event = try await event(id: id), let chapter = try await persistence.chapters.chapter(id: event.chapterID) else { return nil }
        var venue: Venue?
        if let venueID = event.venueID { venue = try await persistence.chapters.venues(ids: [venueID.uuid])[venueID.uuid] }
        struct SpeakerRow: Decodable { var id: UUID; var name: String; var jobTitle: String; var company: String; var bio: String }
        let speakers = try await sql.raw("""
            SELECT s.id, s.name, s.job_title, s.company, s.bio FROM speakers s
            JOIN event_speakers es ON es.speaker_id = s.id
            WHERE es.event_id = \(bind: id.uuid) ORDER BY es.position
            """).rows(SpeakerRow.self).map {
                Speaker(id: .init($0.id), name: $0.name, jobTitle: $0.jobTitle, company: $0.company, bio: $0.bio)
            }
        struct AgendaRow: Decodable { var startsAt: Date; var title: String }
        let agenda = try await sql.raw("""
            SELECT starts_at, title FROM agenda_items WHERE event_id = \(bind: id.uuid) ORDER BY position
            """).rows(AgendaRow.self).map { AgendaItem(startsAt: $0.startsAt, title: $0.title) }
        let occupancy = try await occupancy(of: event)
        struct AttendeeRow: Decodable { var firstName: String; var lastName: String; var jobTitle: String; var company: String }
        let attendees = try await sql.raw("""
            SELECT first_name, last_name, job_title, company FROM registrations
            WHERE event_id = \(bind: id.uuid) AND status = 'confirmed' AND consent_list = \(bind: true)
            ORDER BY created_at
            """).rows(AttendeeRow.self).map {
                PublicAttendee(firstName: $0.firstName, lastName: $0.lastName, jobTitle: $0.jobTitle, company: $0.company)
            }
        return EventDetail(
            chapter: chapter, event: event, venue: venue, speakers: speakers, agenda: agenda,
            occupancy: occupancy, attendees: attendees)
    }

    /// Changes an event. Raising the capacity offers the new seats to the waitlist in order;
    /// lowering it below the seats already held is refused.
    public func updateEvent(_ id: Event.ID, title: String?, description: String?, capacity: Int?, status: EventStatus?, now: Date) async throws -> Event {
        try await updateEvent(id, title: title, description: description, capacity: capacity, status: status, webhooks: true, now: now)
    }

    /// `webhooks`: false when the caller tells integrators itself (an edit that also moves the date).
    func updateEvent(_ id: Event.ID, title: String?, description: String?, capacity: Int?, status: EventStatus?, webhooks: Bool, now: Date) async throws -> Event {
        try await Persistence.retryingOnSecondEveningOffers { try await self.write { sql in
            // Cancelling an evening whose second evening is open moves its "any date" people there
            // (EventStore+SeriesCancellation): that evening's lock first, the order of every path
            // that holds both; read again under the original's lock (one opened meanwhile: again).
            var second: EventRow?
            if status == .cancelled, let open = try await Persistence.openOverflow(of: id.uuid, now: now, on: sql) {
                second = try await Persistence.lockEvent(open, on: sql)
            }
            // Under the event's lock: a capacity change and a cancellation or an offer never interleave.
            guard let row = try await Persistence.lockEvent(id.uuid, on: sql) else { throw RegistrationActionError.notFound }
            if status == .cancelled, row.overflowOf == nil,
               try await Persistence.openOverflow(of: id.uuid, now: now, on: sql) != second?.id {
                throw Persistence.SecondEveningOffersChanged()
            }
            // Cancelling is final, as its confirmation says: checked under the event's lock, in the
            // same transaction as the write, so a stale tab can't bring the evening back (cancelling
            // again, or keeping the same capacity, stays a no-op).
            if row.event.status == .cancelled, (status.map { $0 != .cancelled } ?? false) || (capacity.map { $0 != row.event.capacity } ?? false) {
                throw RegistrationActionError.eventCancelled
            }
            var event = row.event
            if let capacity {
                // Overbooked seats count as held beyond the capacity, never below it.
                guard capacity + row.overbookSeats >= row.seatsTaken else {
                    throw RegistrationActionError.capacityBelowConfirmed(confirmed: max(0, row.seatsTaken - row.overbookSeats))
                }
                event.capacity = capacity
                // Overbooking never goes past the room's physical limit; nobody loses a seat given.
                var extra = row.overbookSeats
                if let limit = row.venueLimit { extra = min(extra, max(0, limit - capacity)) }
                event.overbookSeats = OverbookingRule.keptExtraSeats(wanted: extra, capacity: capacity, seatsTaken: row.seatsTaken)
            }
            if let title { event.title = title }
            if let description { event.description = description }
            let wasCancelled = event.status == .cancelled
            if let status { event.status = status }
            let updated = try await sql.raw("""
                UPDATE events SET title = \(bind: event.title), description = \(bind: event.description),
                    capacity = \(bind: event.capacity), overbook_seats = \(bind: event.overbookSeats), status = \(bind: event.status.rawValue), updated_at = \(bind: now)
                WHERE id = \(bind: id.uuid) AND seats_taken <= \(bind: event.seatLimit) RETURNING id
                """).all()
            guard !updated.isEmpty else { throw RegistrationActionError.capacityBelowConfirmed(confirmed: row.seatsTaken) }
            try await Persistence.offerFreeSeats(event: id, now: now, on: sql)
            if event.status == .cancelled, !wasCancelled {
                // A second evening: its open offers are withdrawn first (those people keep their
                // place in the original's queue and are told so, not that "their" evening is off).
                if row.overflowOf != nil {
                    try await Persistence.withdrawOverflowOffers(sibling: id.uuid, now: now, on: sql)
                }
                // An original whose second evening is open: its "any date" people move there (told
                // by their own mail, not by the cancellation's).
                if row.overflowOf == nil, let second, second.status == .published, now < second.startsAt {
                    try await Persistence.moveAnyDateToSecondEvening(origin: row, sibling: second, now: now, on: sql)
                }
                try await Persistence.announceEventChange(id.uuid, cancelled: true, now: now, on: sql)
                // Open offers of its seats lapse with it (their holders were just told).
                try await Persistence.lapseOffers(of: id.uuid, now: now, on: sql)
                // A second evening: those who moved here from the original's waitlist get their place back.
                if let origin = row.overflowOf {
                    try await Persistence.restoreOverflowPlaces(sibling: id.uuid, origin: origin, now: now, on: sql)
                }
            }
            if webhooks, let type = Persistence.eventWebhookType(before: row.event, after: event) {
                try await Persistence.emitEventWebhook(type, event: id.uuid, now: now, on: sql)
            }
            return event
        } }
    }
}

extension Persistence {
    static func findOrCreateVenue(name: String, address: String, chapter: Chapter.ID, now: Date, on sql: any SQLDatabase) async throws -> UUID {
        struct Row: Decodable { var id: UUID }
        if let existing = try await sql.raw("""
            SELECT id FROM venues WHERE name = \(bind: name) AND address = \(bind: address)
            AND (chapter_id = \(bind: chapter.uuid) OR chapter_id IS NULL)
            """).row(Row.self) {
            return existing.id
        }
        let id = UUID()
        try await sql.raw("""
            INSERT INTO venues (id, chapter_id, name, address, city, created_at)
            VALUES (\(bind: id), \(bind: chapter.uuid), \(bind: name), \(bind: address), '', \(bind: now))
            """).run()
        return id
    }

    static func findOrCreateSpeaker(_ speaker: Speaker, chapter: Chapter.ID, now: Date, on sql: any SQLDatabase) async throws -> UUID {
        struct Row: Decodable { var id: UUID }
        if let existing = try await sql.raw("""
            SELECT id FROM speakers WHERE name = \(bind: speaker.name) AND job_title = \(bind: speaker.jobTitle)
            AND (chapter_id = \(bind: chapter.uuid) OR chapter_id IS NULL)
            """).row(Row.self) {
            return existing.id
        }
        let id = UUID()
        try await sql.raw("""
            INSERT INTO speakers (id, chapter_id, name, job_title, company, bio, created_at)
            VALUES (\(bind: id), \(bind: chapter.uuid), \(bind: speaker.name), \(bind: speaker.jobTitle),
                    \(bind: speaker.company), \(bind: speaker.bio), \(bind: now))
            """).run()
        return id
    }
}

extension EventStore {
    /// Seats held and people waiting at published meetups to come, across the network (for metrics).
    public func upcomingSeats(now: Date) async throws -> (taken: Int, waiting: Int) {
        struct Row: Decodable { var taken: Int?; var waiting: Int? }
        let row = try await sql.raw("""
            SELECT SUM(seats_taken) AS taken, SUM(waiting_count) AS waiting FROM events WHERE status = 'published' AND starts_at > \(bind: now)
            """).row(Row.self)
        return (row?.taken ?? 0, row?.waiting ?? 0)
    }
}
