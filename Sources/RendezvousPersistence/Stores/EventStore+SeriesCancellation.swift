import Foundation
import RendezvousDomain
import SQLKit

// MARK: Cancelling an evening whose second evening is open (issue 15)
//
// The people waiting for the cancelled evening who said "any date works for me" move to its open
// second evening, in their queue order, by the rules of every "any date" move: a seat when one is
// free (and nobody waits there already), otherwise a place at the end of that evening's waitlist,
// in order. Each is told by mail (the new date, their new manage link). Everyone else gets the
// cancellation, which names the second evening so they can register there. Open offers of the
// cancelled evening's seats lapse with it (no "offer expired" mail later, no seat held twice).
//
// Locks: the cancellation takes the second evening's lock first, then the original's
// (`EventStore.updateEvent`), the order of every path that holds both (RegistrationStore+Overflow).
// On SQLite the transaction holds the write lock from its first statement (`BEGIN IMMEDIATE`).

extension Persistence {
    /// Copies a waitlist place of the original (`origin`, a registration) to `event` (a second
    /// evening): profile, consents, language, the answers the second evening asks too. The copy
    /// keeps the link to the place it came from (`origin_registration_id`).
    static func insertSecondEveningCopy(_ id: UUID, of origin: UUID, event: EventRow, status: RegistrationStatus, queueNumber: Int?,
                                        offerExpiresAt: Date?, now: Date, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO registrations (id, event_id, first_name, last_name, email, active_email, job_title, company,
                linkedin_url, ask_me_about, consent_list, consent_profile, status, queue_number, offer_expires_at,
                manage_token, created_at, updated_at, contact_token, ticket_token, language, bingo_facts, games_consent,
                consent_news, any_date, origin_registration_id, source, unsubscribed, conduct_accepted_at, heard_from)
            SELECT \(bind: id), \(bind: event.id), o.first_name, o.last_name, o.email, o.active_email, o.job_title, o.company,
                o.linkedin_url, o.ask_me_about, o.consent_list, o.consent_profile, \(bind: status.rawValue), \(bind: queueNumber),
                \(bind: offerExpiresAt), \(bind: Secret.token()), \(bind: now), \(bind: now),
                \(bind: Secret.token()), \(bind: Secret.token()), o.language, o.bingo_facts, o.games_consent,
                o.consent_news, o.any_date, o.id, o.source, o.unsubscribed, o.conduct_accepted_at, o.heard_from
            FROM registrations o WHERE o.id = \(bind: origin)
            """).run()
        try await copyAnswers(from: origin, to: id, event: event.id, chapter: event.chapterId, on: sql)
    }

    /// The original (`origin`) has just been cancelled while its second evening (`sibling`) is
    /// open: its "any date" people still waiting (or holding an offer of its seat) move there in
    /// queue order. The caller holds the second evening's lock, then the original's.
    static func moveAnyDateToSecondEvening(origin: EventRow, sibling: EventRow, now: Date, on sql: any SQLDatabase) async throws {
        let waiting = try await anyDateWaiting(origin: origin.id, second: sibling.id, on: sql)
        var created: [UUID] = [], released: [UUID] = []
        for person in waiting {
            // A seat only while one is free and nobody waits for it there already (they came first).
            let seated = try await sql.raw("""
                UPDATE events SET seats_taken = seats_taken + 1
                WHERE id = \(bind: sibling.id) AND seats_taken < capacity + overbook_seats AND waiting_count = 0 RETURNING id
                """).all()
            let id = UUID()
            if !seated.isEmpty {
                try await insertSecondEveningCopy(id, of: person.id, event: sibling, status: .confirmed, queueNumber: nil, offerExpiresAt: nil,
                                                  now: now, on: sql)
                try await enqueue(.confirmed, registration: id, event: sibling.id, chapter: sibling.chapterId,
                                  payload: ["moved": "1", "originCancelled": "1"], now: now, on: sql)
            } else {
                struct Counter: Decodable { var queueCounter: Int }
                let number = try await sql.raw("""
                    UPDATE events SET queue_counter = queue_counter + 1, waiting_count = waiting_count + 1 WHERE id = \(bind: sibling.id)
                    RETURNING queue_counter
                    """).row(Counter.self)?.queueCounter
                try await insertSecondEveningCopy(id, of: person.id, event: sibling, status: .waitlisted, queueNumber: number, offerExpiresAt: nil,
                                                  now: now, on: sql)
                try await enqueue(.waitlisted, registration: id, event: sibling.id, chapter: sibling.chapterId,
                                  payload: ["moved": "1", "originCancelled": "1"], now: now, on: sql)
            }
            created.append(id)
            // The place on the cancelled evening is released (no cancellation mail: the move's says it all).
            let gone = try await sql.raw("""
                UPDATE registrations SET status = 'cancelled', active_email = NULL, cancelled_from = NULL, offer_expires_at = NULL,
                    updated_at = \(bind: now)
                WHERE id = \(bind: person.id) AND status = \(bind: person.status.rawValue) RETURNING id
                """).all()
            guard !gone.isEmpty else { continue }
            let counter = person.status == .waitlisted ? "waiting_count = waiting_count - 1" : "seats_taken = seats_taken - 1"
            let guardColumn = person.status == .waitlisted ? "waiting_count" : "seats_taken"
            try await sql.raw("""
                UPDATE events SET \(unsafeRaw: counter) WHERE id = \(bind: origin.id) AND \(unsafeRaw: guardColumn) > 0
                """).run()
            released.append(person.id)
        }
        try await emitRegistrationWebhooks(.registrationCancelled, registrations: released, event: origin.id, now: now, on: sql)
        try await emitRegistrationWebhooks(.registrationCreated, registrations: created, event: sibling.id, now: now, on: sql)
    }

    struct Waiting: Decodable { var id: UUID; var status: RegistrationStatus }

    /// The "any date" people of `origin` who would move to `second`, in queue order: still waiting
    /// (or holding an offer of its seat). Someone already registered for the second evening (or who
    /// was offered it and said no) keeps what they have there: only the cancellation reaches them.
    static func anyDateWaiting(origin: UUID, second: UUID, on sql: any SQLDatabase) async throws -> [Waiting] {
        try await sql.raw("""
            SELECT o.id, o.status FROM registrations o
            WHERE o.event_id = \(bind: origin) AND o.status IN ('waitlisted', 'offered') AND o.any_date = \(bind: true)
              AND o.active_email IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM registrations s WHERE s.event_id = \(bind: second)
                              AND (s.origin_registration_id = o.id OR s.active_email = o.active_email))
            ORDER BY o.queue_number, o.created_at
            """).rows(Waiting.self)
    }

    /// A cancelled evening's open offers lapse with it: the seat is no longer there to take, and no
    /// "offer expired" mail follows the cancellation. The caller holds the event's lock, after the
    /// cancellation was announced (those people are told by its mail).
    static func lapseOffers(of event: UUID, now: Date, on sql: any SQLDatabase) async throws {
        struct Lapsed: Decodable { var id: UUID }
        let lapsed = try await sql.raw("""
            UPDATE registrations SET status = 'expired', active_email = NULL, offer_expires_at = NULL, updated_at = \(bind: now)
            WHERE event_id = \(bind: event) AND status = 'offered' RETURNING id
            """).rows(Lapsed.self)
        guard !lapsed.isEmpty else { return }
        try await sql.raw("""
            UPDATE events SET seats_taken = CASE WHEN seats_taken > \(bind: lapsed.count) THEN seats_taken - \(bind: lapsed.count) ELSE 0 END
            WHERE id = \(bind: event)
            """).run()
        try await emitRegistrationWebhooks(.registrationCancelled, registrations: lapsed.map(\.id), event: event, now: now, on: sql)
    }
}

extension EventStore {
    /// How many people would move to `second` if `origin` were cancelled now (the organisers'
    /// confirmation step says so before they press).
    public func anyDateMoving(from origin: Event.ID, to second: Event.ID) async throws -> Int {
        try await Persistence.anyDateWaiting(origin: origin.uuid, second: second.uuid, on: sql).count
    }

    /// The other evenings of the series `id` belongs to (the original and the second evenings
    /// opened from it) that anyone can register for: published, still to come. By date.
    public func otherOpenDates(of id: Event.ID, now: Date) async throws -> [Event] {
        try await sql.raw("""
            SELECT \(unsafeRaw: EventRow.columns) FROM events e, events me
            WHERE me.id = \(bind: id.uuid) AND e.id <> me.id AND e.status = 'published' AND e.starts_at > \(bind: now)
              AND e.chapter_id = me.chapter_id
              AND (e.id = me.overflow_of OR e.overflow_of = me.id OR (me.overflow_of IS NOT NULL AND e.overflow_of = me.overflow_of))
            ORDER BY e.starts_at
            """).rows(EventRow.self).map(\.event)
    }

    /// Every evening of the series `id` belongs to, whatever its status (for the pages to refresh).
    public func seriesIDs(of id: Event.ID) async throws -> [Event.ID] {
        struct Row: Decodable { var id: UUID }
        return try await sql.raw("""
            SELECT e.id FROM events e, events me
            WHERE me.id = \(bind: id.uuid) AND e.id <> me.id AND e.chapter_id = me.chapter_id
              AND (e.id = me.overflow_of OR e.overflow_of = me.id OR (me.overflow_of IS NOT NULL AND e.overflow_of = me.overflow_of))
            """).rows(Row.self).map { .init($0.id) }
    }
}

extension RegistrationStore {
    /// What `registration` (a place on a cancelled original) holds at `second`, its second evening:
    /// the copy made from it, or a registration of their own with the same address, still active.
    public func place(at second: Event.ID, for registration: Registration) async throws -> Registration? {
        try await sql.raw("""
            SELECT \(unsafeRaw: RegistrationRow.columns) FROM registrations r
            WHERE r.event_id = \(bind: second.uuid) AND r.status IN ('confirmed', 'waitlisted', 'offered')
              AND (r.origin_registration_id = \(bind: registration.id.uuid) OR r.active_email = \(bind: registration.profile.normalizedEmail))
            ORDER BY r.created_at DESC LIMIT 1
            """).row(RegistrationRow.self)?.registration(tokens)
    }
}
