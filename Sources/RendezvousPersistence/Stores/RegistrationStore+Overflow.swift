import Foundation
import RendezvousDomain
import SQLKit

// MARK: Overflow: a second evening opened from a long waitlist (issue 15)
//
// A second evening (`events.overflow_of` = the original) offers its seats to the original's queue
// first, in queue order, with the usual time-boxed offers. An offer is a new registration on the
// second evening (`origin_registration_id` = the waitlist place it came from); the place in the
// original's queue is kept until the offer is accepted, and released then (the queue behind moves
// up). Declining or letting the offer run out leaves the original place as it was. People who said
// "any date works for me" are moved directly: confirmed on the second evening, their place released.
//
// Locks: every path that touches both events holds the second evening's lock first, then the
// original's (`lockEvent`), in that order only; a registration batch that spans events locks second
// evenings first too, and a second evening is never opened from another one. So no two
// transactions ever wait on each other. The one exception, opening a second evening
// (`createOverflow`), takes the original's lock first: the new evening is invisible to every other
// transaction until it commits, so nobody can hold its lock meanwhile.

extension Persistence {
    /// The open second evening of `origin` (not cancelled, still to come), if any.
    static func openOverflow(of origin: UUID, now: Date, on sql: any SQLDatabase) async throws -> UUID? {
        struct Found: Decodable { var id: UUID }
        return try await sql.raw("""
            SELECT id FROM events WHERE overflow_of = \(bind: origin) AND status <> 'cancelled' AND starts_at > \(bind: now)
            ORDER BY starts_at LIMIT 1
            """).row(Found.self)?.id
    }

    /// Offers up to `free` seats of a second evening to its original's queue, in queue order.
    /// The caller holds the second evening's lock. Answers how many seats are still free.
    static func offerOverflowSeats(event: EventRow, origin: UUID, deadline: Date, free: Int, now: Date, on sql: any SQLDatabase) async throws -> Int {
        // A cancelled original has no queue any more: its seats go to the second evening's own
        // waitlist (its people were told the original is cancelled; none of them is drawn now).
        guard let original = try await lockEvent(origin, on: sql), original.status != .cancelled else { return free }
        var free = free
        while free > 0 {
            struct Next: Decodable { var id: UUID; var anyDate: Bool }
            // The first waiting person of the original who was never offered this evening and is
            // not registered for it already.
            guard let next = try await sql.raw("""
                SELECT o.id, o.any_date FROM registrations o
                WHERE o.event_id = \(bind: origin) AND o.status = 'waitlisted'
                  AND NOT EXISTS (SELECT 1 FROM registrations s WHERE s.event_id = \(bind: event.id)
                                  AND (s.origin_registration_id = o.id OR s.active_email = o.active_email))
                ORDER BY o.queue_number LIMIT 1
                """).row(Next.self) else { return free }
            let seated = try await sql.raw("""
                UPDATE events SET seats_taken = seats_taken + 1
                WHERE id = \(bind: event.id) AND seats_taken < capacity + overbook_seats RETURNING id
                """).all()
            guard !seated.isEmpty else { return 0 }
            let status: RegistrationStatus = next.anyDate ? .confirmed : .offered
            let id = UUID()
            // The offer carries the person's registration over: profile, consents (an opt-out of
            // news, the code of conduct accepted), language, and (below) the answers to the
            // questions the second evening asks too (`insertSecondEveningCopy`).
            try await insertSecondEveningCopy(id, of: next.id, event: event, status: status, queueNumber: nil,
                                              offerExpiresAt: status == .offered ? deadline : nil, now: now, on: sql)
            if status == .confirmed {
                // Moved: the original place is released and everyone behind moves up.
                try await releaseWaitlistPlace(next.id, event: origin, now: now, on: sql)
                try await enqueue(.confirmed, registration: id, event: event.id, chapter: event.chapterId, payload: ["moved": "1"], now: now, on: sql)
            } else {
                try await enqueue(.offer, registration: id, event: event.id, chapter: event.chapterId, payload: ["overflow": "1"], now: now, on: sql)
            }
            try await emitRegistrationWebhooks(.registrationCreated, registrations: [id], event: event.id, now: now, on: sql)
            free -= 1
        }
        return free
    }

    /// The answers of a registration to the questions `event` asks as well: the chapter's questions
    /// (asked at every meetup) and any of that evening's own; questions of the original alone stay there.
    static func copyAnswers(from source: UUID, to target: UUID, event: UUID, chapter: UUID, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO registration_answers (registration_id, question_id, answer)
            SELECT \(bind: target), a.question_id, a.answer FROM registration_answers a JOIN registration_questions q ON q.id = a.question_id
            WHERE a.registration_id = \(bind: source) AND q.chapter_id = \(bind: chapter) AND (q.event_id IS NULL OR q.event_id = \(bind: event))
            """).run()
    }

    /// A second evening was cancelled: the people who had moved there from the original's waitlist
    /// (their place was released when they took the seat) get that place back, at its queue number,
    /// when the original is still to come and they have not registered for it again meanwhile. Their
    /// seat on the cancelled evening is given up, and they are told by mail (in their language), after
    /// the evening's cancellation notice. A seat free on the original then goes to its queue in order.
    /// The caller holds the second evening's lock; this takes the original's, so registrations,
    /// cancellations and offers of the original never interleave with it.
    static func restoreOverflowPlaces(sibling: UUID, origin: UUID, now: Date, on sql: any SQLDatabase) async throws {
        guard let original = try await lockEvent(origin, on: sql), original.status == .published, now < original.startsAt else { return }
        struct Moved: Decodable { var id: UUID; var originRegistrationId: UUID; var activeEmail: String?; var queueNumber: Int? }
        let moved = try await sql.raw("""
            SELECT s.id, s.origin_registration_id, s.active_email, o.queue_number FROM registrations s
            JOIN registrations o ON o.id = s.origin_registration_id
            WHERE s.event_id = \(bind: sibling) AND s.status = 'confirmed' AND o.event_id = \(bind: origin)
              AND o.status = 'cancelled' AND o.cancelled_from IS NULL
            ORDER BY o.queue_number
            """).rows(Moved.self)
        var returned: [UUID] = [], givenUp: [UUID] = []
        for person in moved {
            guard let email = person.activeEmail else { continue }
            // Registered again for the original meanwhile: that registration stands.
            let again = try await sql.raw("""
                SELECT id FROM registrations WHERE event_id = \(bind: origin) AND active_email = \(bind: email)
                """).all()
            guard again.isEmpty else { continue }
            var number = person.queueNumber
            if number == nil {
                struct Counter: Decodable { var queueCounter: Int }
                number = try await sql.raw("""
                    UPDATE events SET queue_counter = queue_counter + 1 WHERE id = \(bind: origin) RETURNING queue_counter
                    """).row(Counter.self)?.queueCounter
            }
            let back = try await sql.raw("""
                UPDATE registrations SET status = 'waitlisted', active_email = \(bind: email), queue_number = \(bind: number),
                    offer_expires_at = NULL, cancelled_from = NULL, updated_at = \(bind: now)
                WHERE id = \(bind: person.originRegistrationId) AND status = 'cancelled' RETURNING id
                """).all()
            guard !back.isEmpty else { continue }
            try await sql.raw("UPDATE events SET waiting_count = waiting_count + 1 WHERE id = \(bind: origin)").run()
            // Nobody holds two places: the seat on the cancelled evening is given up (held, as every
            // change of that evening's seats, under its lock: the caller's).
            let given = try await sql.raw("""
                UPDATE registrations SET status = 'cancelled', active_email = NULL, cancelled_from = NULL, updated_at = \(bind: now)
                WHERE id = \(bind: person.id) AND status = 'confirmed' RETURNING id
                """).all()
            if !given.isEmpty {
                try await sql.raw("UPDATE events SET seats_taken = seats_taken - 1 WHERE id = \(bind: sibling) AND seats_taken > 0").run()
            }
            try await enqueue(.waitlisted, registration: person.originRegistrationId, event: origin, chapter: original.chapterId,
                              payload: ["returned": "1"], now: now, on: sql)
            returned.append(person.originRegistrationId)
            givenUp.append(person.id)
        }
        guard !returned.isEmpty else { return }
        // Integrators hear of it as of any restored place: back in the queue (created, waitlisted),
        // and the seat on the cancelled evening given up.
        try await emitRegistrationWebhooks(.registrationCreated, registrations: returned, event: origin, now: now, on: sql)
        try await emitRegistrationWebhooks(.registrationCancelled, registrations: givenUp, event: sibling, now: now, on: sql)
        try await offerFreeSeats(event: .init(origin), now: now, on: sql)
    }

    /// A second evening was cancelled: its open offers to the original's queue are withdrawn. Those
    /// people never left their place there (it is released only when an offer is accepted); each is
    /// told by mail that the offer is withdrawn and their place kept. The caller holds the second
    /// evening's lock.
    static func withdrawOverflowOffers(sibling: UUID, now: Date, on sql: any SQLDatabase) async throws {
        struct Offer: Decodable { var id: UUID; var originRegistrationId: UUID; var eventId: UUID; var chapterId: UUID }
        let offers = try await sql.raw("""
            SELECT s.id, s.origin_registration_id, o.event_id, e.chapter_id FROM registrations s
            JOIN registrations o ON o.id = s.origin_registration_id JOIN events e ON e.id = o.event_id
            WHERE s.event_id = \(bind: sibling) AND s.status = 'offered'
            """).rows(Offer.self)
        var withdrawn: [UUID] = []
        for offer in offers {
            let moved = try await sql.raw("""
                UPDATE registrations SET status = 'cancelled', active_email = NULL, cancelled_from = NULL, offer_expires_at = NULL,
                    updated_at = \(bind: now)
                WHERE id = \(bind: offer.id) AND status = 'offered' RETURNING id
                """).all()
            guard !moved.isEmpty else { continue }
            try await sql.raw("UPDATE events SET seats_taken = seats_taken - 1 WHERE id = \(bind: sibling) AND seats_taken > 0").run()
            try await enqueue(.waitlisted, registration: offer.originRegistrationId, event: offer.eventId, chapter: offer.chapterId,
                              payload: ["withdrawn": "1"], now: now, on: sql)
            withdrawn.append(offer.id)
        }
        try await emitRegistrationWebhooks(.registrationCancelled, registrations: withdrawn, event: sibling, now: now, on: sql)
    }

    /// Registrations of the running transaction not yet announced to integrators (arrivals moved to
    /// a second evening before their `registration.created`): releasing their place says nothing.
    @TaskLocal static var unannounced: Set<UUID> = []

    /// For each of `events` (originals), its open second evening with a seat free, if any.
    static func secondEveningsWithSeats(for events: [Event.ID], now: Date, on sql: any SQLDatabase) async throws -> [Event.ID: UUID] {
        guard !events.isEmpty else { return [:] }
        struct Open: Decodable { var id: UUID; var overflowOf: UUID }
        var found: [Event.ID: UUID] = [:]
        for open in try await sql.raw("""
            SELECT id, overflow_of FROM events WHERE overflow_of IN \(SQLBind.group(events.map(\.uuid))) AND status = 'published'
              AND starts_at > \(bind: now) AND seats_taken < capacity + overbook_seats ORDER BY starts_at
            """).rows(Open.self) where found[.init(open.overflowOf)] == nil {
            found[.init(open.overflowOf)] = open.id
        }
        return found
    }

    /// Arrivals of this transaction just put on an original's waitlist, while its second evening
    /// (`second`, whose lock the caller took first) has seats: the second evening draws from the queue
    /// in order (`offerFreeSeats`), so "any date" people among them are moved there at once. Answers,
    /// per arrival moved, its seat there (confirmed). Their place on the original is released without
    /// a `registration.cancelled`: nobody was told of it.
    static func moveAnyDateArrivals(_ arrivals: [UUID], to second: UUID, now: Date, tokens: TokenVault, on sql: any SQLDatabase) async throws -> [UUID: Registration] {
        try await $unannounced.withValue(Set(arrivals)) {
            try await offerFreeSeats(event: .init(second), now: now, on: sql)
        }
        struct Seat: Decodable { var id: UUID; var originRegistrationId: UUID }
        let seats = try await sql.raw("""
            SELECT id, origin_registration_id FROM registrations
            WHERE origin_registration_id IN \(SQLBind.group(arrivals)) AND status = 'confirmed'
            """).rows(Seat.self)
        guard !seats.isEmpty else { return [:] }
        let rows = try await sql.raw("""
            SELECT \(unsafeRaw: RegistrationRow.columns) FROM registrations r WHERE r.id IN \(SQLBind.group(seats.map(\.id)))
            """).rows(RegistrationRow.self)
        var moved: [UUID: Registration] = [:]
        for seat in seats {
            if let row = rows.first(where: { $0.id == seat.id }) { moved[seat.originRegistrationId] = row.registration(tokens) }
        }
        return moved
    }

    /// Takes a waitlisted registration out of its queue (it moved to a second evening): not
    /// undoable, no cancellation mail. The caller holds the event's lock.
    static func releaseWaitlistPlace(_ id: UUID, event: UUID, now: Date, on sql: any SQLDatabase) async throws {
        let moved = try await sql.raw("""
            UPDATE registrations SET status = 'cancelled', active_email = NULL, cancelled_from = NULL, offer_expires_at = NULL,
                updated_at = \(bind: now)
            WHERE id = \(bind: id) AND status = 'waitlisted' RETURNING id
            """).all()
        if !moved.isEmpty {
            try await sql.raw("UPDATE events SET waiting_count = waiting_count - 1 WHERE id = \(bind: event) AND waiting_count > 0").run()
            if !unannounced.contains(id) {
                try await emitRegistrationWebhooks(.registrationCancelled, registrations: [id], event: event, now: now, on: sql)
            }
        }
    }

    /// The second evenings where a place in an original's queue holds an open offer (its copy
    /// there), locked in a stable order. Called before the original's own lock, the order of every
    /// path that holds both, by those that may seat the place on the original (an accepted offer of
    /// the original's seat, an organiser's promotion): that seat settles those offers
    /// (`withdrawSecondEveningOffers`). A registration of a second evening has none.
    static func lockSecondEveningOffers(of registration: UUID, on sql: any SQLDatabase) async throws -> [UUID] {
        struct Offer: Decodable { var eventId: UUID }
        let events = Set(try await sql.raw("""
            SELECT event_id FROM registrations WHERE origin_registration_id = \(bind: registration) AND status = 'offered'
            """).rows(Offer.self).map(\.eventId)).sorted { $0.uuidString < $1.uuidString }
        for event in events { _ = try await lockEvent(event, on: sql) }
        return events
    }

    /// A second evening's offer appeared, after `lockSecondEveningOffers` looked, on an evening it
    /// did not lock: the transaction is rolled back and run again (`retryingOnSecondEveningOffers`).
    struct SecondEveningOffersChanged: Error {}

    /// Runs `body` (one write transaction) again when it met `SecondEveningOffersChanged`.
    static func retryingOnSecondEveningOffers<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        for _ in 0..<3 {
            do { return try await body() } catch is SecondEveningOffersChanged { continue }
        }
        return try await body()
    }

    /// A place in an original's queue took a seat there (it accepted the original's offer, or an
    /// organiser confirmed it): its open offers of second evenings are given up, each in one
    /// conditional statement (only an offer still open moves), their seats passed on to the next
    /// in line. Nobody ends with two seats. The caller holds those evenings' locks (`locked`, from
    /// `lockSecondEveningOffers`), then the original's.
    static func withdrawSecondEveningOffers(of registration: UUID, locked: [UUID], now: Date, on sql: any SQLDatabase) async throws {
        struct Offer: Decodable { var id: UUID; var eventId: UUID }
        let open = try await sql.raw("""
            SELECT id, event_id FROM registrations WHERE origin_registration_id = \(bind: registration) AND status = 'offered'
            """).rows(Offer.self)
        guard !open.isEmpty else { return }
        guard open.allSatisfy({ locked.contains($0.eventId) }) else { throw SecondEveningOffersChanged() }
        let withdrawn = try await sql.raw("""
            UPDATE registrations SET status = 'cancelled', active_email = NULL, cancelled_from = NULL, offer_expires_at = NULL,
                updated_at = \(bind: now)
            WHERE origin_registration_id = \(bind: registration) AND status = 'offered' RETURNING id, event_id
            """).rows(Offer.self)
        for offer in withdrawn {
            try await emitRegistrationWebhooks(.registrationCancelled, registrations: [offer.id], event: offer.eventId, now: now, on: sql)
            try await releaseSeat(event: .init(offer.eventId), now: now, on: sql)
        }
    }

    /// Before an offer of a second evening is accepted: releases the place it came from. A place
    /// still waiting is released; an offer of the original's seat meanwhile is given back (and passed
    /// on); a seat already confirmed there means this offer cannot be taken (false): nobody holds two.
    /// The caller holds the second evening's lock; this takes the original's.
    static func releaseOrigin(of registration: UUID, acceptingAt now: Date, on sql: any SQLDatabase) async throws -> Bool {
        struct Link: Decodable { var originRegistrationId: UUID? }
        guard let origin = try await sql.raw("SELECT origin_registration_id FROM registrations WHERE id = \(bind: registration)")
            .row(Link.self)?.originRegistrationId else { return true }
        struct Place: Decodable { var eventId: UUID; var status: RegistrationStatus }
        guard let place = try await sql.raw("SELECT event_id, status FROM registrations WHERE id = \(bind: origin)").row(Place.self) else { return true }
        _ = try await lockEvent(place.eventId, on: sql)
        // Read again under the original's lock.
        guard let current = try await sql.raw("SELECT event_id, status FROM registrations WHERE id = \(bind: origin)").row(Place.self) else { return true }
        switch current.status {
        case .waitlisted:
            try await releaseWaitlistPlace(origin, event: place.eventId, now: now, on: sql)
            return true
        case .offered:
            let given = try await sql.raw("""
                UPDATE registrations SET status = 'cancelled', active_email = NULL, cancelled_from = NULL, offer_expires_at = NULL,
                    updated_at = \(bind: now)
                WHERE id = \(bind: origin) AND status = 'offered' RETURNING id
                """).all()
            if !given.isEmpty {
                try await releaseSeat(event: .init(place.eventId), now: now, on: sql)
                try await emitRegistrationWebhooks(.registrationCancelled, registrations: [origin], event: place.eventId, now: now, on: sql)
            }
            return true
        case .confirmed:
            return false
        case .cancelled, .expired:
            // Their place already went to another second evening (they accepted its offer, or were
            // moved there): this offer is no longer available, nobody holds two seats.
            let elsewhere = try await sql.raw("""
                SELECT id FROM registrations WHERE origin_registration_id = \(bind: origin) AND id <> \(bind: registration)
                  AND status = 'confirmed'
                """).all()
            // Otherwise they left the original's queue themselves: the second evening's offer is still theirs.
            return elsewhere.isEmpty
        }
    }
}

/// What opening a second evening did.
public struct OverflowOpening: Sendable, Equatable {
    /// Offers made to the original's queue.
    public var offered: Int
    /// "Any date" people confirmed directly.
    public var moved: Int
}

/// How a second evening is doing with the original's queue, for the organisers.
public struct OverflowStatus: Sendable, Equatable {
    public var offered: Int
    public var accepted: Int
    public var moved: Int
    public var declined: Int
    public init(offered: Int, accepted: Int, moved: Int, declined: Int) {
        self.offered = offered
        self.accepted = accepted
        self.moved = moved
        self.declined = declined
    }
}

/// Why a second evening was not opened.
public enum OverflowError: Error, Equatable {
    /// One is already open for this evening (not cancelled, still to come): its id.
    case alreadyOpen(Event.ID)
}

extension EventStore {
    /// Opens a second evening for an event's waitlist: creates it (published, linked to the
    /// original), then offers its seats to the original's queue, in one transaction under the
    /// original's lock. One open second evening per evening: a second request (a resubmitted form,
    /// a double click, parallel API calls) finds the first one and is refused with its id.
    public func createOverflow(of origin: Event.ID, _ input: EventInput.Valid, now: Date) async throws -> (Event, OverflowOpening) {
        var input = input
        input.status = .draft
        let draft = input
        return try await write { sql in
            // The original's lock first: the new evening is invisible to every other transaction
            // until this one commits, so nobody can hold its lock and wait for the original's.
            // A second evening is opened from the original only (never from another second evening).
            guard let original = try await Persistence.lockEvent(origin.uuid, on: sql), original.status == .published,
                  original.overflowOf == nil, now < original.startsAt else {
                throw RegistrationActionError.eventNotOpen
            }
            if let open = try await Persistence.openOverflow(of: origin.uuid, now: now, on: sql) {
                throw OverflowError.alreadyOpen(.init(open))
            }
            var sibling = try await Self.insertEventRecord(
                Event(chapterID: .init(original.chapterId), title: draft.title, description: draft.description, startsAt: draft.startsAt,
                      endsAt: draft.endsAt, capacity: draft.capacity, status: .draft, createdAt: now),
                draft, in: .init(original.chapterId), now: now, on: sql)
            let siblingID = sibling.id
            _ = try await Persistence.lockEvent(siblingID.uuid, on: sql)
            try await sql.raw("""
                UPDATE events SET overflow_of = \(bind: origin.uuid), status = 'published', updated_at = \(bind: now) WHERE id = \(bind: siblingID.uuid)
                """).run()
            try await Persistence.emitEventWebhook(.eventPublished, event: siblingID.uuid, now: now, on: sql)
            try await Persistence.offerFreeSeats(event: siblingID, now: now, on: sql)
            struct Row: Decodable { var status: String; var count: Int }
            let rows = try await sql.raw("""
                SELECT status, COUNT(*) AS count FROM registrations WHERE event_id = \(bind: siblingID.uuid)
                  AND origin_registration_id IS NOT NULL GROUP BY status
                """).rows(Row.self)
            sibling.status = .published
            sibling.overflowOf = origin
            return (sibling, OverflowOpening(offered: rows.first { $0.status == "offered" }?.count ?? 0,
                                             moved: rows.first { $0.status == "confirmed" }?.count ?? 0))
        }
    }

    /// The second evening open for an event (not cancelled, still to come), if any.
    public func openOverflow(of origin: Event.ID, now: Date) async throws -> Event? {
        guard let id = try await Persistence.openOverflow(of: origin.uuid, now: now, on: sql) else { return nil }
        return try await event(id: .init(id))
    }

    /// The second evenings opened from an event, by date.
    public func overflowEvents(of origin: Event.ID) async throws -> [Event] {
        try await sql.raw("""
            SELECT \(unsafeRaw: EventRow.columns) FROM events e WHERE e.overflow_of = \(bind: origin.uuid) AND e.status <> 'cancelled'
            ORDER BY e.starts_at
            """).rows(EventRow.self).map(\.event)
    }

    /// How the original's queue answered a second evening's offers.
    public func overflowStatus(of sibling: Event.ID) async throws -> OverflowStatus {
        struct Row: Decodable { var status: String; var anyDate: Bool; var count: Int }
        let rows = try await sql.raw("""
            SELECT r.status, o.any_date, COUNT(*) AS count FROM registrations r JOIN registrations o ON o.id = r.origin_registration_id
            WHERE r.event_id = \(bind: sibling.uuid) GROUP BY r.status, o.any_date
            """).rows(Row.self)
        func count(_ status: String, anyDate: Bool? = nil) -> Int {
            rows.filter { $0.status == status && (anyDate == nil || $0.anyDate == anyDate) }.reduce(0) { $0 + $1.count }
        }
        return OverflowStatus(offered: count("offered"), accepted: count("confirmed", anyDate: false), moved: count("confirmed", anyDate: true),
                              declined: count("cancelled") + count("expired"))
    }
}

extension RegistrationStore {
    /// The other open offer of the same person, while they hold two (nobody is skipped: a seat freed
    /// on the original goes to the first in its queue even when they hold a second evening's offer):
    /// for an offer of the original's seat, the second evening's; for a second evening's, the
    /// original's. Accepting either gives the other up; the offer mail and the page say so.
    public func otherOpenOffer(of id: Registration.ID) async throws -> Registration? {
        try await sql.raw("""
            SELECT \(unsafeRaw: RegistrationRow.columns) FROM registrations r
            WHERE r.status = 'offered' AND r.id <> \(bind: id.uuid)
              AND (r.origin_registration_id = \(bind: id.uuid)
                   OR r.id = (SELECT o.origin_registration_id FROM registrations o WHERE o.id = \(bind: id.uuid)))
            """).row(RegistrationRow.self)?.registration(tokens)
    }

    /// For a waitlist place released by moving to a second evening: the seat there (confirmed).
    public func movedTo(from origin: Registration.ID) async throws -> Registration? {
        try await sql.raw("""
            SELECT \(unsafeRaw: RegistrationRow.columns) FROM registrations r
            WHERE r.origin_registration_id = \(bind: origin.uuid) AND r.status = 'confirmed'
            """).row(RegistrationRow.self)?.registration(tokens)
    }
}
