import Foundation
import RendezvousDomain
import SQLKit

// MARK: No-show-aware capacity (issue 15)

extension DoorStore {
    /// Confirmed people of an upcoming event who, at two or more of the chapter's past evenings
    /// whose door was used, held a seat and did not come. Only counted for the organisers; never shown
    /// to anyone else, never with names.
    func repeatedNoShows(of event: Event.ID, now: Date, on sql: any SQLDatabase) async throws -> [UUID] {
        struct Row: Decodable { var id: UUID }
        return try await sql.raw("""
            SELECT r.id FROM registrations r JOIN events e ON e.id = r.event_id
            WHERE r.event_id = \(bind: event.uuid) AND r.status = 'confirmed' AND r.walk_in = \(bind: false) AND r.email <> ''
              AND (SELECT COUNT(*) FROM registrations p JOIN events pe ON pe.id = p.event_id
                   WHERE pe.chapter_id = e.chapter_id AND pe.id <> e.id AND pe.status = 'published' AND pe.starts_at <= \(bind: now)
                     AND p.active_email = r.active_email AND p.status = 'confirmed' AND p.walk_in = \(bind: false) AND p.checked_in_at IS NULL
                     AND EXISTS (SELECT 1 FROM registrations c WHERE c.event_id = pe.id AND c.checked_in_at IS NOT NULL)) >= 2
            ORDER BY r.created_at
            """).rows(Row.self).map(\.id)
    }

    /// How many of an event's confirmed people have missed two evenings before, and how many of them
    /// were already sent the friendly "tell us if you can't come" note.
    public func attendanceCheckCandidates(of event: Event.ID, now: Date) async throws -> (people: Int, alreadyAsked: Int) {
        let ids = try await repeatedNoShows(of: event, now: now, on: sql)
        guard !ids.isEmpty else { return (0, 0) }
        let asked = try await sql.raw("""
            SELECT COUNT(DISTINCT registration_id) AS count FROM outbox
            WHERE kind = \(bind: OutboxKind.attendanceCheck.rawValue) AND registration_id IN \(SQLBind.group(ids))
            """).row(CountRow.self)?.count ?? 0
        return (ids.count, asked)
    }

    /// Queues the friendly note to those who have missed two evenings before and were not asked yet
    /// for this event. Under the event's lock, so two presses never send it twice. Answers how many.
    public func sendAttendanceChecks(of event: Event.ID, now: Date) async throws -> Int {
        try await write { sql in
            guard let row = try await Persistence.lockEvent(event.uuid, on: sql), row.status == .published, now < row.startsAt else { return 0 }
            let ids = try await self.repeatedNoShows(of: event, now: now, on: sql)
            guard !ids.isEmpty else { return 0 }
            struct Asked: Decodable { var registrationId: UUID }
            let asked = Set(try await sql.raw("""
                SELECT registration_id FROM outbox WHERE kind = \(bind: OutboxKind.attendanceCheck.rawValue) AND registration_id IN \(SQLBind.group(ids))
                """).rows(Asked.self).map(\.registrationId))
            let fresh = ids.filter { !asked.contains($0) }
            try await Persistence.enqueue(fresh.map { PendingMessage(.attendanceCheck, registration: $0, event: event.uuid, chapter: row.chapterId) }, now: now, on: sql)
            return fresh.count
        }
    }
}

extension EventStore {
    /// The chapter's no-show forecast for an evening at `event`'s venue, from its own last evenings
    /// (`DoorStore.attendance`: 40 at most, by an index). The workspace, the public page, the JSON and
    /// the overbooking rule all read this one.
    public func noShowForecast(of event: Event, now: Date) async throws -> NoShowForecast {
        NoShowForecast.forecast(history: try await persistence.door.attendance(of: event.chapterID, now: now).map(AttendanceRecord.init),
                                venue: event.venueID, now: now)
    }

    public enum OverbookingChange: Sendable, Equatable {
        case set(Event)
        /// Turning it on needs a no-show forecast, and the chapter's history gives none.
        case noForecast
        /// The room's limit is below the people already confirmed (their number).
        case belowConfirmed(Int)
    }

    /// Turns overbooking on (with the room's physical limit, `venueLimit`, and the seats the rule
    /// allows from the chapter's no-show forecast at the event's venue) or off: the workspace and
    /// the API both come here. Under the event's lock: the extra seats are offered to the waitlist at
    /// once; turning it off keeps the seats already given (nobody loses theirs), so no new ones are
    /// handed out until the count is back under the capacity.
    public func setOverbooking(_ target: Event, enabled: Bool, venueLimit: Int?, now: Date) async throws -> OverbookingChange {
        let forecast = enabled ? try await noShowForecast(of: target, now: now) : NoShowForecast.unknown
        if enabled, forecast.confidence == .none { return .noForecast }
        let id = target.id
        return try await write { sql in
            guard let row = try await Persistence.lockEvent(id.uuid, on: sql) else { throw RegistrationActionError.notFound }
            // A room cannot hold fewer than the people who already have a seat in it.
            if let venueLimit, venueLimit < row.seatsTaken { return .belowConfirmed(row.seatsTaken) }
            let wanted = enabled ? OverbookingRule.extraSeats(capacity: row.capacity, forecast: forecast, venueLimit: venueLimit) : 0
            let kept = OverbookingRule.keptExtraSeats(wanted: wanted, capacity: row.capacity, seatsTaken: row.seatsTaken)
            try await sql.raw("""
                UPDATE events SET overbook_seats = \(bind: kept), overbooking = \(bind: enabled), venue_limit = \(bind: venueLimit),
                    updated_at = \(bind: now) WHERE id = \(bind: id.uuid)
                """).run()
            // The room's limit belongs to the venue: recorded there when the directory has none, so
            // the next evening at that venue starts from it (`venueCapacity`). A limit corrected at
            // the evening that gave it is corrected on the venue too (71 typed, then 80, left the
            // next evening starting from 71); a limit the directory had otherwise is left alone.
            if let venueLimit, let venue = row.venueId {
                try await sql.raw("""
                    UPDATE venues SET capacity = \(bind: venueLimit)
                    WHERE id = \(bind: venue) AND (capacity = 0 OR capacity = \(bind: row.venueLimit ?? 0))
                    """).run()
            }
            try await Persistence.offerFreeSeats(event: id, now: now, on: sql)
            var event = row.event
            event.overbookSeats = kept
            event.overbooking = enabled
            event.venueLimit = venueLimit
            return .set(event)
        }
    }
}

extension EventStore {
    /// How many people the evening's venue holds, as the venue directory says (nil when unknown):
    /// the room limit an evening there starts from.
    public func venueCapacity(of event: Event) async throws -> Int? {
        guard let venue = event.venueID else { return nil }
        struct Row: Decodable { var capacity: Int }
        let capacity = try await sql.raw("SELECT capacity FROM venues WHERE id = \(bind: venue.uuid)").row(Row.self)?.capacity ?? 0
        return capacity > 0 ? capacity : nil
    }
}

extension ChapterStore {
    /// From how many people waiting the organisers are told to open a second evening.
    public func waitlistThreshold(of chapter: Chapter.ID) async throws -> Int {
        struct Row: Decodable { var waitlistThreshold: Int }
        return try await sql.raw("SELECT waitlist_threshold FROM chapters WHERE id = \(bind: chapter.uuid)").row(Row.self)?.waitlistThreshold
            ?? OverflowRules.defaultThreshold
    }

    public func setWaitlistThreshold(of chapter: Chapter.ID, _ threshold: Int) async throws {
        try await sql.raw("UPDATE chapters SET waitlist_threshold = \(bind: threshold) WHERE id = \(bind: chapter.uuid)").run()
    }
}
