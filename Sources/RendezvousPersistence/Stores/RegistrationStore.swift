import Foundation
import RendezvousDomain
import SQLKit

extension RegistrationStore {
    /// Registers someone: a seat if one is free, otherwise a place at the end of the waitlist.
    /// Concurrent registrations are committed together (see `RegistrationQueue`), in arrival order.
    public func register(_ profile: AttendeeProfile, for eventID: Event.ID, answers: QuestionAnswers = [:], now: Date) async throws -> RegistrationOutcome {
        return try await persistence.registrationQueue.submit(RegistrationRequest(profile: profile, eventID: eventID, now: now, answers: answers))
    }

    /// Registers a batch of arrivals, in order, in one write transaction.
    ///
    /// Per event, one guarded statement hands out the seats and waitlist places of the whole batch:
    /// every right-hand side of the UPDATE reads the row as it was, and concurrent writers queue on
    /// the row (PostgreSQL) or on the write lock (SQLite) until this transaction ends. The unique
    /// (event_id, active_email) index is the last word on duplicates: if another instance inserted
    /// one of these emails meanwhile, the batch rolls back and each arrival is retried on its own.
    func registerBatch(_ batch: [RegistrationRequest]) async -> [Result<RegistrationOutcome, any Error>] {
        let results = await registerOnce(batch)
        await fillOpenSecondEvenings(after: batch, results)
        return results
    }

    /// People who joined a waitlist while a second evening of that event is open with seats free
    /// are drawn by it at once, as the queue was when it opened: moved if they said "any date works
    /// for me", offered otherwise (`offerOverflowSeats`). After the arrivals committed, in its own
    /// transaction, which takes the second evening's lock first (the order of every such path).
    private func fillOpenSecondEvenings(after batch: [RegistrationRequest], _ results: [Result<RegistrationOutcome, any Error>]) async {
        var events: Set<Event.ID> = []
        for (request, result) in zip(batch, results) {
            if case .success(let outcome) = result, outcome.registration.status == .waitlisted { events.insert(request.eventID) }
        }
        guard let now = batch.map(\.now).max() else { return }
        struct Free: Decodable { var id: UUID }
        for event in events {
            guard let sibling = try? await sql.raw("""
                SELECT id FROM events WHERE overflow_of = \(bind: event.uuid) AND status = 'published' AND starts_at > \(bind: now)
                  AND seats_taken < capacity + overbook_seats ORDER BY starts_at LIMIT 1
                """).row(Free.self) else { continue }
            _ = try? await write { sql in
                _ = try await Persistence.lockEvent(sibling.id, on: sql)
                try await Persistence.offerFreeSeats(event: .init(sibling.id), now: now, on: sql)
            }
        }
    }

    private func registerOnce(_ batch: [RegistrationRequest]) async -> [Result<RegistrationOutcome, any Error>] {
        do {
            return try await write { sql in try await Self.register(batch, tokens: self.tokens, on: sql) }
        } catch where batch.count > 1 && Persistence.isUniqueViolation(error) {
            var results: [Result<RegistrationOutcome, any Error>] = []
            for request in batch { results.append(contentsOf: await registerOnce([request])) }
            return results
        } catch where Persistence.isUniqueViolation(error) {
            return [.failure(RegistrationActionError.duplicateEmail)]
        } catch {
            return batch.map { _ in .failure(error) }
        }
    }

    private static func register(_ batch: [RegistrationRequest], tokens: TokenVault, on sql: any SQLDatabase) async throws -> [Result<RegistrationOutcome, any Error>] {
        var results = [Result<RegistrationOutcome, any Error>?](repeating: nil, count: batch.count)
        var order: [Event.ID] = []
        var byEvent: [Event.ID: [Int]] = [:]
        for (index, request) in batch.enumerated() {
            if byEvent[request.eventID] == nil { order.append(request.eventID) }
            byEvent[request.eventID, default: []].append(index)
        }
        // "Any date works for me" on a full evening whose second evening has a seat: moved there in
        // this transaction (below), so they are told once, of the seat, and never "you are waiting".
        let secondOf = try await Persistence.secondEveningsWithSeats(for: order.filter { id in byEvent[id]!.contains { batch[$0].profile.anyDate } },
                                                                     now: batch.map(\.now).max()!, on: sql)
        if order.count > 1 || !secondOf.isEmpty {
            // Second evenings are locked before any other event, the order of every path that holds
            // two (a second evening, then its original: RegistrationStore+Overflow), so no two
            // transactions wait on each other. Each event's arrivals keep their order.
            struct Second: Decodable { var id: UUID }
            let seconds = Set(try await sql.raw("""
                SELECT id FROM events WHERE id IN \(SQLBind.group(order.map(\.uuid))) AND overflow_of IS NOT NULL
                """).rows(Second.self).map(\.id))
            order.sort { (seconds.contains($0.uuid) ? 0 : 1, $0.uuid.uuidString) < (seconds.contains($1.uuid) ? 0 : 1, $1.uuid.uuidString) }
            for second in seconds.union(secondOf.values).sorted(by: { $0.uuidString < $1.uuidString }) {
                _ = try await Persistence.lockEvent(second, on: sql)
            }
        }
        for eventID in order {
            let indices = byEvent[eventID]!
            // Duplicates: already registered, or twice in this batch (the first arrival wins).
            let emails = Array(Set(indices.map { batch[$0].profile.normalizedEmail }))
            struct Taken: Decodable { var activeEmail: String }
            var taken = Set(try await sql.select().column("active_email").from("registrations")
                .where("event_id", .equal, eventID.uuid)
                .where(SQLIdentifier("active_email"), .in, SQLBind.group(emails))
                .rows(Taken.self).map(\.activeEmail))
            // People the network admins blocked are refused, without saying why.
            let blocked = try await PrivacyStore.blocked(emails, tokens: tokens, on: sql)
            var admitted: [Int] = []
            for index in indices {
                let email = batch[index].profile.normalizedEmail
                if blocked.contains(email) {
                    results[index] = .failure(RegistrationActionError.refused)
                } else if taken.contains(email) {
                    results[index] = .failure(RegistrationActionError.duplicateEmail)
                } else {
                    taken.insert(email)
                    admitted.append(index)
                }
            }
            guard !admitted.isEmpty else { continue }
            let count = admitted.count
            let latest = admitted.map { batch[$0].now }.max()!
            let seated = SQLQueryString("""
                CASE WHEN capacity + overbook_seats - seats_taken >= \(bind: count) THEN \(bind: count) \
                WHEN capacity + overbook_seats > seats_taken THEN capacity + overbook_seats - seats_taken ELSE 0 END
                """)
            struct Arrival: Decodable { var lastBatchSeated: Int; var queueCounter: Int; var waitingCount: Int }
            guard let arrival = try await sql.raw("""
                UPDATE events SET
                    last_batch_seated = \(seated),
                    seats_taken = seats_taken + \(seated),
                    queue_counter = queue_counter + \(bind: count) - \(seated),
                    waiting_count = waiting_count + \(bind: count) - \(seated)
                WHERE id = \(bind: eventID.uuid) AND status = 'published' AND starts_at > \(bind: latest)
                RETURNING last_batch_seated, queue_counter, waiting_count
                """).row(Arrival.self) else {
                let event = try await sql.raw("SELECT \(unsafeRaw: EventRow.columns) FROM events e WHERE e.id = \(bind: eventID.uuid)").row(EventRow.self)
                let refusal: RegistrationActionError = event == nil || event?.status == .draft ? .notFound : .eventNotOpen
                for index in admitted { results[index] = .failure(refusal) }
                continue
            }
            let waitlisted = count - arrival.lastBatchSeated
            var registrations: [Registration] = []
            for (offset, index) in admitted.enumerated() {
                let request = batch[index]
                let place = offset - arrival.lastBatchSeated  // 0-based place among this batch's waitlisted
                let registration = newRegistration(
                    request.profile, event: eventID, status: place < 0 ? .confirmed : .waitlisted,
                    queueNumber: place < 0 ? nil : arrival.queueCounter - waitlisted + 1 + place, now: request.now)
                registrations.append(registration)
                results[index] = .success(RegistrationOutcome(
                    registration: shown(registration, tokens), waitlistPosition: place < 0 ? nil : arrival.waitingCount - waitlisted + 1 + place))
            }
            try await insert(registrations, on: sql)
            // The answers to the organisers' questions commit with their registration.
            try await QuestionStore.insertAnswers(zip(registrations, admitted).map { ($0.id.uuid, batch[$1].answers) }, on: sql)
            // "Any date" arrivals put on the waitlist go to the open second evening's seats now (its
            // lock is held, taken first): their answer is that seat (its own page and confirmation
            // mail), and their place here, released at once, is announced to nobody.
            var moved: [UUID: Registration] = [:]
            if let second = secondOf[eventID], registrations.contains(where: { $0.status == .waitlisted && $0.profile.anyDate }) {
                moved = try await Persistence.moveAnyDateArrivals(registrations.map(\.id.uuid), to: second, now: latest, tokens: tokens, on: sql)
                for (offset, index) in admitted.enumerated() {
                    if let seat = moved[registrations[offset].id.uuid] {
                        results[index] = .success(RegistrationOutcome(registration: seat, waitlistPosition: nil))
                    } else if !moved.isEmpty, let number = registrations[offset].queueNumber, case .success(var outcome) = results[index] {
                        // Places released ahead of them: their place is told as it now is.
                        outcome.waitlistPosition = try await sql.raw("""
                            SELECT COUNT(*) AS count FROM registrations
                            WHERE event_id = \(bind: eventID.uuid) AND status = 'waitlisted' AND queue_number <= \(bind: number)
                            """).row(CountRow.self)?.count
                        results[index] = .success(outcome)
                    }
                }
            }
            let announced = registrations.filter { moved[$0.id.uuid] == nil }
            // Their confirmation or waitlist messages commit with them, or not at all.
            let chapter = try await Persistence.chapterOf(event: eventID.uuid, on: sql)
            try await Persistence.enqueue(announced.map {
                PendingMessage($0.status == .confirmed ? .confirmed : .waitlisted, registration: $0.id.uuid, event: eventID.uuid, chapter: chapter)
            }, now: latest, on: sql)
            try await Persistence.emitRegistrationWebhooks(.registrationCreated, registrations: announced.map(\.id.uuid), event: eventID.uuid, now: latest, on: sql)
        }
        return results.map { $0! }
    }

    /// A new registration's `manageToken` holds the salt until it is stored; the caller is shown the token.
    static func shown(_ registration: Registration, _ tokens: TokenVault) -> Registration {
        var shown = registration
        shown.manageToken = tokens.token(.manage, id: registration.id.uuid, salt: registration.manageToken)
        return shown
    }

    static func newRegistration(_ profile: AttendeeProfile, event: Event.ID, status: RegistrationStatus, queueNumber: Int?, now: Date) -> Registration {
        Registration(
            id: .init(), eventID: event, profile: profile, status: status, queueNumber: queueNumber,
            offerExpiresAt: nil, manageToken: Secret.token(), createdAt: now, updatedAt: now)
    }

    static func insert(_ registration: Registration, on sql: any SQLDatabase) async throws {
        try await insert([registration], on: sql)
    }

    /// One INSERT for many rows: a batch costs one round trip, not one per person.
    static func insert(_ registrations: [Registration], on sql: any SQLDatabase) async throws {
        guard !registrations.isEmpty else { return }
        var builder = sql.insert(into: "registrations").columns(
            "id", "event_id", "first_name", "last_name", "email", "active_email", "job_title", "company",
            "linkedin_url", "ask_me_about", "consent_list", "consent_profile", "status", "queue_number",
            "offer_expires_at", "manage_token", "created_at", "updated_at", "contact_token", "ticket_token", "language",
            "bingo_facts", "games_consent", "consent_news", "any_date", "conduct_accepted_at", "heard_from")
        for registration in registrations {
            let profile = registration.profile
            builder = builder.values([
                registration.id.uuid, registration.eventID.uuid, profile.firstName, profile.lastName, profile.email,
                profile.normalizedEmail, profile.jobTitle, profile.company, profile.linkedinURL, profile.askMeAbout,
                profile.consents.attendeeList, profile.consents.profileSharing, registration.status.rawValue,
                registration.queueNumber, registration.offerExpiresAt, registration.manageToken, registration.createdAt,
                registration.updatedAt, Secret.token(), Secret.token(), profile.language?.rawValue ?? "",
                BingoFacts.encode(profile.bingoFacts), profile.gamesConsent, profile.consents.news, profile.anyDate,
                profile.conductAcceptedAt, profile.heardFrom?.rawValue,
            ] as [any Encodable & Sendable])
        }
        try await builder.run()
    }

    public func language(of registration: Registration.ID) async throws -> Language? {
        struct Row: Decodable { var language: String }
        return try await sql.raw("SELECT language FROM registrations WHERE id = \(bind: registration.uuid)").row(Row.self).flatMap { Language(code: $0.language) }
    }

    public func registration(id: Registration.ID) async throws -> Registration? {
        try await sql.raw("SELECT \(unsafeRaw: RegistrationRow.columns) FROM registrations r WHERE r.id = \(bind: id.uuid)")
            .row(RegistrationRow.self)?.registration(tokens)
    }

    public func registration(manageToken: String) async throws -> Registration? {
        try await registration(token: manageToken, .manage)
    }

    /// The registration a link's token belongs to, if the token is its current one for `purpose`.
    func registrationRow(token: String, _ purpose: TokenVault.Purpose) async throws -> RegistrationRow? {
        guard let id = TokenVault.registrationID(in: token), let column = purpose.saltColumn,
              let found = try await sql.raw("""
                SELECT \(unsafeRaw: RegistrationRow.columns), r.\(unsafeRaw: column) AS link_salt FROM registrations r WHERE r.id = \(bind: id)
                """).first() else { return nil }
        guard tokens.verify(token, purpose, id: id, salt: try found.decode(column: "link_salt", as: String.self)) else { return nil }
        return try found.decode(model: RegistrationRow.self, keyDecodingStrategy: SnakeCaseColumns.strategy)
    }

    func registration(token: String, _ purpose: TokenVault.Purpose) async throws -> Registration? {
        try await registrationRow(token: token, purpose)?.registration(tokens)
    }

    /// 1-based place among those still waiting, or nil if not waitlisted.
    public func waitlistPosition(of registration: Registration) async throws -> Int? {
        guard registration.status == .waitlisted, let number = registration.queueNumber else { return nil }
        let ahead = try await sql.raw("""
            SELECT COUNT(*) AS count FROM registrations
            WHERE event_id = \(bind: registration.eventID.uuid) AND status = 'waitlisted' AND queue_number < \(bind: number)
            """).row(CountRow.self)?.count ?? 0
        return ahead + 1
    }

    /// All registrations of an event in arrival order (confirmed first, then the queue).
    public func registrations(of event: Event.ID) async throws -> [Registration] {
        try await sql.raw("""
            SELECT \(unsafeRaw: RegistrationRow.columns) FROM registrations r WHERE r.event_id = \(bind: event.uuid)
            ORDER BY r.created_at, r.queue_number
            """).rows(RegistrationRow.self).map { $0.registration(self.tokens) }
    }

    // MARK: Status transitions
    //
    // Every change of a registration's status runs in one write transaction that first locks the
    // row of its event (`lockEvent`), then reads the registration afresh and moves it with a
    // conditional UPDATE (`transition`). All seat movements of an event therefore happen one
    // after the other, on PostgreSQL as on SQLite, and a request repeated in parallel finds the
    // state the first one left: it answers for that state and never moves a second seat.

    /// Which registrations an action may touch: the holder of the manage link, or an organiser of the event.
    public enum Actor: Sendable {
        case holder(token: String)
        case organizer(event: Event.ID)
    }

    /// Reads the registration, locks its event, and reads it again under the lock; checks who asks.
    func lockedRegistration(_ id: Registration.ID, actor: Actor, on sql: any SQLDatabase) async throws -> RegistrationRow {
        struct EventOf: Decodable { var eventId: UUID }
        guard let owner = try await sql.raw("SELECT event_id FROM registrations WHERE id = \(bind: id.uuid)").row(EventOf.self) else {
            throw RegistrationActionError.notFound
        }
        _ = try await Persistence.lockEvent(owner.eventId, on: sql)
        guard let row = try await sql.raw("SELECT \(unsafeRaw: RegistrationRow.columns) FROM registrations r WHERE r.id = \(bind: id.uuid)")
            .row(RegistrationRow.self) else { throw RegistrationActionError.notFound }
        switch actor {
        case .holder(let token):
            guard tokens.verify(token, .manage, id: row.id, salt: row.manageToken) else { throw RegistrationActionError.notFound }
        case .organizer(let event):
            guard row.eventId == event.uuid else { throw RegistrationActionError.notFound }
        }
        return row
    }

    /// Moves a registration from one of `from` to `to` in one conditional statement; false when it
    /// was no longer in one of `from` (someone else moved it first).
    func transition(_ id: Registration.ID, from: [RegistrationStatus], to status: RegistrationStatus, offerExpiresAt: Date? = nil,
                    now: Date, on sql: any SQLDatabase) async throws -> Bool {
        // Leaving the active statuses frees the email for a new registration.
        let moved = try await sql.raw("""
            UPDATE registrations SET status = \(bind: status.rawValue), updated_at = \(bind: now),
                offer_expires_at = \(bind: offerExpiresAt)\(unsafeRaw: status.isActive ? "" : ", active_email = NULL")
            WHERE id = \(bind: id.uuid) AND status IN \(SQLBind.group(from.map(\.rawValue)))
            RETURNING id
            """).all()
        return !moved.isEmpty
    }

    /// Cancels; a held seat goes back and is offered to the first in line. Cancelling twice
    /// answers with the cancelled registration and changes nothing.
    public func cancel(_ id: Registration.ID, token: String, now: Date) async throws -> Registration {
        try await cancel(id, actor: .holder(token: token), now: now)
    }

    /// Cancels on the organisers' side; the seat goes to the waitlist as for any cancellation.
    public func cancelByOrganizer(_ id: Registration.ID, in event: Event.ID, now: Date) async throws -> Registration {
        try await cancel(id, actor: .organizer(event: event), now: now)
    }

    func cancel(_ id: Registration.ID, actor: Actor, now: Date) async throws -> Registration {
        return try await write { sql in
            let row = try await self.lockedRegistration(id, actor: actor, on: sql)
            var registration = row.registration(self.tokens)
            let status = registration.status
            guard status.isActive else {
                if status == .cancelled { return registration }
                throw RegistrationActionError.notCancellable
            }
            guard try await self.transition(id, from: [status], to: .cancelled, now: now, on: sql) else {
                throw RegistrationActionError.notCancellable
            }
            // The holder may undo their own cancellation while the seat is not given away.
            if case .holder = actor, !row.walkIn {
                try await sql.raw("UPDATE registrations SET cancelled_from = \(bind: status.rawValue) WHERE id = \(bind: id.uuid)").run()
            }
            try await Persistence.enqueue(.cancelled, registration: row.id, event: row.eventId, chapter: try await Persistence.chapterOf(event: row.eventId, on: sql), now: now, on: sql)
            try await Persistence.emitRegistrationWebhooks(.registrationCancelled, registrations: [row.id], event: row.eventId, now: now, on: sql)
            // A walk-in was admitted past capacity and never took an online seat: none goes back.
            if status.holdsSeat, !row.walkIn {
                try await Persistence.releaseSeat(event: .init(row.eventId), now: now, on: sql)
            } else if status == .waitlisted {
                try await sql.raw("UPDATE events SET waiting_count = waiting_count - 1 WHERE id = \(bind: row.eventId)").run()
            }
            registration.status = .cancelled
            registration.offerExpiresAt = nil
            return registration
        }
    }

    /// Undoes the holder's own cancellation: a seat comes back only if one is still free (an
    /// atomic conditional update under the event's lock, as for a registration: a seat already
    /// offered to the waitlist is not taken back), a waitlist place comes back at its old place.
    /// Undoing twice answers with the restored registration. The attendee gets their confirmation
    /// (with a new calendar invitation and the ticket) or waitlist message again.
    public func restore(_ id: Registration.ID, token: String, now: Date) async throws -> Registration {
        do {
            return try await write { sql in
                let row = try await self.lockedRegistration(id, actor: .holder(token: token), on: sql)
                var registration = row.registration(self.tokens)
                if registration.status.isActive, row.cancelledFrom == nil { return registration }
                guard registration.status == .cancelled, let back = CancellationUndo.restoredStatus(cancelledFrom: registration.cancelledFrom) else {
                    throw RegistrationActionError.notRestorable
                }
                guard let event = try await Persistence.lockEvent(row.eventId, on: sql) else { throw RegistrationActionError.notFound }
                guard CancellationUndo.isPossible(cancelledFrom: registration.cancelledFrom, eventStartsAt: event.startsAt,
                                                  eventCancelled: event.status != .published, now: now) else {
                    throw RegistrationActionError.eventNotOpen
                }
                if back == .confirmed {
                    let seated = try await sql.raw("""
                        UPDATE events SET seats_taken = seats_taken + 1
                        WHERE id = \(bind: row.eventId) AND status = 'published' AND seats_taken < capacity + overbook_seats RETURNING id
                        """).all()
                    guard !seated.isEmpty else { throw RegistrationActionError.seatGiven }
                } else {
                    try await sql.raw("UPDATE events SET waiting_count = waiting_count + 1 WHERE id = \(bind: row.eventId)").run()
                }
                // The email becomes active again: the unique index refuses it if they registered anew meanwhile.
                let moved = try await sql.raw("""
                    UPDATE registrations SET status = \(bind: back.rawValue), active_email = \(bind: registration.profile.normalizedEmail),
                        cancelled_from = NULL, offer_expires_at = NULL, updated_at = \(bind: now)
                    WHERE id = \(bind: id.uuid) AND status = 'cancelled' RETURNING id
                    """).all()
                guard !moved.isEmpty else { throw RegistrationActionError.notRestorable }
                let chapter = try await Persistence.chapterOf(event: row.eventId, on: sql)
                try await Persistence.enqueue(back == .confirmed ? .confirmed : .waitlisted, registration: row.id, event: row.eventId,
                                              chapter: chapter, payload: ["restored": "1"], now: now, on: sql)
                // Integrators hear of it as a seat given (confirmed) or a registration back in the queue (created, waitlisted).
                try await Persistence.emitRegistrationWebhooks(back == .confirmed ? .registrationConfirmed : .registrationCreated,
                                                               registrations: [row.id], event: row.eventId, now: now, on: sql)
                if back == .waitlisted {
                    // Back at the head of the line with a seat free: offered as anyone would be.
                    try await Persistence.offerFreeSeats(event: .init(row.eventId), now: now, on: sql)
                }
                registration.status = back
                registration.cancelledFrom = nil
                registration.offerExpiresAt = nil
                return registration
            }
        } catch where Persistence.isUniqueViolation(error) {
            throw RegistrationActionError.duplicateEmail
        }
    }

    /// Accepts an open waitlist offer. Accepting twice answers with the confirmed registration.
    public func accept(_ id: Registration.ID, token: String, now: Date) async throws -> Registration {
        let actor = Actor.holder(token: token)
        let result: Result<Registration, RegistrationActionError> = try await Persistence.retryingOnSecondEveningOffers { try await self.write { sql in
            // An offer of the original's seat to someone who also holds a second evening's offer:
            // that evening is locked first (the order of every path that holds both), its offer given up below.
            let seconds = try await Persistence.lockSecondEveningOffers(of: id.uuid, on: sql)
            let row = try await self.lockedRegistration(id, actor: actor, on: sql)
            var registration = row.registration(self.tokens)
            if registration.status == .confirmed { return .success(registration) }
            guard registration.status == .offered else { return .failure(.noOpenOffer) }
            // A seat of a cancelled evening, or of one already begun, is no seat (the lock is held already).
            guard let event = try await Persistence.lockEvent(row.eventId, on: sql), event.status == .published, now < event.startsAt else {
                return .failure(.eventNotOpen)
            }
            guard WaitlistRules.isOfferOpen(expiresAt: row.offerExpiresAt, now: now) else {
                // Expire it now rather than wait for the sweeper, and pass the seat on.
                if try await self.transition(id, from: [.offered], to: .expired, now: now, on: sql) {
                    try await Persistence.enqueue(.offerExpired, registration: row.id, event: row.eventId, chapter: try await Persistence.chapterOf(event: row.eventId, on: sql), now: now, on: sql)
                    try await Persistence.emitRegistrationWebhooks(.registrationCancelled, registrations: [row.id], event: row.eventId, now: now, on: sql)
                    try await Persistence.releaseSeat(event: .init(row.eventId), now: now, on: sql)
                }
                return .failure(.offerExpired)
            }
            // A second evening's seat: their place in the original's queue is given up, or, if they
            // meanwhile hold a seat there, this offer lapses (nobody holds two seats).
            guard try await Persistence.releaseOrigin(of: row.id, acceptingAt: now, on: sql) else {
                if try await self.transition(id, from: [.offered], to: .cancelled, now: now, on: sql) {
                    try await Persistence.emitRegistrationWebhooks(.registrationCancelled, registrations: [row.id], event: row.eventId, now: now, on: sql)
                    try await Persistence.releaseSeat(event: .init(row.eventId), now: now, on: sql)
                }
                return .failure(.noOpenOffer)
            }
            guard try await self.transition(id, from: [.offered], to: .confirmed, now: now, on: sql) else { return .failure(.noOpenOffer) }
            // The original's seat taken: a second evening's offer held meanwhile goes to the next in line.
            try await Persistence.withdrawSecondEveningOffers(of: row.id, locked: seconds, now: now, on: sql)
            // The seat is theirs: the confirmation (with the calendar entry and the ticket) goes out once.
            try await Persistence.enqueue(.confirmed, registration: row.id, event: row.eventId, chapter: try await Persistence.chapterOf(event: row.eventId, on: sql), now: now, on: sql)
            try await Persistence.emitRegistrationWebhooks(.registrationConfirmed, registrations: [row.id], event: row.eventId, now: now, on: sql)
            registration.status = .confirmed
            registration.offerExpiresAt = nil
            return .success(registration)
        } }
        return try result.get()
    }

    /// Declines an open offer: the seat passes to the next in line. Declining twice answers with
    /// the declined registration; an offer settled otherwise meanwhile (`settledOtherwise`: the seat
    /// taken at the other evening, withdrawn, cancelled) is not declined after the fact: no open offer.
    public func decline(_ id: Registration.ID, token: String, now: Date) async throws -> Registration {
        let actor = Actor.holder(token: token)
        return try await write { sql in
            let row = try await self.lockedRegistration(id, actor: actor, on: sql)
            var registration = row.registration(self.tokens)
            if registration.status == .cancelled {
                guard try await Self.settledOtherwise(row, on: sql) == false else { throw RegistrationActionError.noOpenOffer }
                return registration
            }
            guard registration.status == .offered,
                  try await self.transition(id, from: [.offered], to: .cancelled, now: now, on: sql) else {
                throw RegistrationActionError.noOpenOffer
            }
            try await Persistence.releaseSeat(event: .init(row.eventId), now: now, on: sql)
            try await Persistence.emitRegistrationWebhooks(.registrationCancelled, registrations: [row.id], event: row.eventId, now: now, on: sql)
            registration.status = .cancelled
            registration.offerExpiresAt = nil
            return registration
        }
    }

    /// Confirms someone from the waitlist at once, adding a seat for them: the room grows by one
    /// and nobody else's place changes. An offered person is confirmed in the seat they hold.
    /// Promoting twice answers with the confirmed registration.
    public func promote(_ id: Registration.ID, in event: Event.ID, now: Date) async throws -> Registration {
        let actor = Actor.organizer(event: event)
        return try await Persistence.retryingOnSecondEveningOffers { try await self.write { sql in
            let seconds = try await Persistence.lockSecondEveningOffers(of: id.uuid, on: sql)
            let row = try await self.lockedRegistration(id, actor: actor, on: sql)
            var registration = row.registration(self.tokens)
            if registration.status == .confirmed { return registration }
            let status = registration.status
            guard status == .waitlisted || status == .offered,
                  try await self.transition(id, from: [status], to: .confirmed, now: now, on: sql) else {
                throw RegistrationActionError.noOpenOffer
            }
            // Confirmed on the original: a second evening's offer held meanwhile goes to the next in line.
            try await Persistence.withdrawSecondEveningOffers(of: row.id, locked: seconds, now: now, on: sql)
            try await Persistence.enqueue(.confirmed, registration: row.id, event: row.eventId, chapter: try await Persistence.chapterOf(event: row.eventId, on: sql), now: now, on: sql)
            try await Persistence.emitRegistrationWebhooks(.registrationConfirmed, registrations: [row.id], event: row.eventId, now: now, on: sql)
            if status == .waitlisted {
                try await sql.raw("""
                    UPDATE events SET capacity = capacity + 1, seats_taken = seats_taken + 1, waiting_count = waiting_count - 1
                    WHERE id = \(bind: event.uuid)
                    """).run()
            }
            registration.status = .confirmed
            registration.offerExpiresAt = nil
            return registration
        } }
    }

    /// Updates what the attendee tells about themselves. Changing the email keeps the
    /// one-active-registration-per-email rule.
    public func updateProfile(_ id: Registration.ID, token: String, profile: AttendeeProfile, now: Date) async throws -> Registration {
        do {
            return try await write { sql in
                // Under the event's lock, so a parallel cancel cannot be undone by an active email.
                let row = try await self.lockedRegistration(id, actor: .holder(token: token), on: sql)
                let status = row.status
                try await sql.raw("""
                    UPDATE registrations SET first_name = \(bind: profile.firstName), last_name = \(bind: profile.lastName),
                        email = \(bind: profile.email), active_email = \(bind: status.isActive ? profile.normalizedEmail : nil),
                        job_title = \(bind: profile.jobTitle), company = \(bind: profile.company),
                        linkedin_url = \(bind: profile.linkedinURL), ask_me_about = \(bind: profile.askMeAbout),
                        consent_list = \(bind: profile.consents.attendeeList), consent_profile = \(bind: profile.consents.profileSharing),
                        consent_news = \(bind: profile.consents.news),
                        bingo_facts = \(bind: BingoFacts.encode(profile.bingoFacts)), games_consent = \(bind: profile.gamesConsent),
                        updated_at = \(bind: now)
                    WHERE id = \(bind: id.uuid)
                    """).run()
                var registration = row.registration(self.tokens)
                registration.profile = profile
                registration.updatedAt = now
                return registration
            }
        } catch where Persistence.isUniqueViolation(error) {
            throw RegistrationActionError.duplicateEmail
        }
    }

    /// Expires every offer whose deadline has passed and passes each seat on. Returns how many expired.
    /// Every instance runs this: each event is swept in its own transaction under its row lock,
    /// and an offer moves only if it is still open, so two sweepers never release one seat twice
    /// nor send one "offer expired" message twice.
    @discardableResult
    public func expireOffers(now: Date) async throws -> Int {
        struct Row: Decodable { var eventId: UUID }
        let events = try await sql.raw("""
            SELECT DISTINCT event_id FROM registrations WHERE status = 'offered' AND offer_expires_at <= \(bind: now)
            """).rows(Row.self).map(\.eventId).sorted { $0.uuidString < $1.uuidString }
        var count = 0
        for event in events {
            count += try await write { sql in
                _ = try await Persistence.lockEvent(event, on: sql)
                struct Due: Decodable { var id: UUID }
                let due = try await sql.raw("""
                    SELECT id FROM registrations WHERE event_id = \(bind: event) AND status = 'offered' AND offer_expires_at <= \(bind: now)
                    ORDER BY offer_expires_at, queue_number
                    """).rows(Due.self)
                var expired = 0
                for row in due where try await self.transition(.init(row.id), from: [.offered], to: .expired, now: now, on: sql) {
                    try await Persistence.enqueue(.offerExpired, registration: row.id, event: event, chapter: try await Persistence.chapterOf(event: event, on: sql), now: now, on: sql)
                    try await Persistence.emitRegistrationWebhooks(.registrationCancelled, registrations: [row.id], event: event, now: now, on: sql)
                    try await Persistence.releaseSeat(event: .init(event), now: now, on: sql)
                    expired += 1
                }
                return expired
            }
        }
        return count
    }

}

extension Persistence {
    /// Locks the event's row until the transaction ends and returns it as it is now.
    /// PostgreSQL: a row lock (an UPDATE takes it; `FOR UPDATE` would not parse on SQLite).
    /// SQLite: the transaction already holds the database's write lock (`BEGIN IMMEDIATE`).
    static func lockEvent(_ id: UUID, on sql: any SQLDatabase) async throws -> EventRow? {
        try await sql.raw("""
            UPDATE events SET seats_taken = seats_taken WHERE id = \(bind: id)
            RETURNING \(unsafeRaw: EventRow.unqualifiedColumns)
            """).row(EventRow.self)
    }

    /// Gives one seat back and offers whatever is free to the queue. The caller holds the event's lock.
    static func releaseSeat(event: Event.ID, now: Date, on sql: any SQLDatabase) async throws {
        // With overbooking turned off, a seat given beyond the capacity goes away with its holder.
        try await sql.raw("""
            UPDATE events SET seats_taken = seats_taken - 1,
                overbook_seats = CASE WHEN overbooking = \(bind: false) AND overbook_seats > 0 THEN overbook_seats - 1 ELSE overbook_seats END
            WHERE id = \(bind: event.uuid) AND seats_taken > 0
            """).run()
        try await offerFreeSeats(event: event, now: now, on: sql)
    }

    /// While a seat is free and someone waits, offers it to the first in line, time-boxed. Nobody is
    /// skipped: someone holding an open offer of a second evening's seat (RegistrationStore+Overflow)
    /// is offered this one too, in their turn; accepting either gives up the other in the same
    /// transaction (`releaseOrigin`, `withdrawSecondEveningOffers`), so nobody ever confirms two.
    /// The caller holds the event's lock; each step is still conditional, so nothing is counted twice.
    static func offerFreeSeats(event id: Event.ID, now: Date, on sql: any SQLDatabase) async throws {
        guard let event = try await sql.raw("SELECT \(unsafeRaw: EventRow.columns) FROM events e WHERE e.id = \(bind: id.uuid)")
            .row(EventRow.self) else { return }
        guard event.status == .published, WaitlistRules.canOffer(now: now, eventStartsAt: event.startsAt) else { return }
        struct HoursRow: Decodable { var offerHours: Int }
        let hours = try await sql.raw("SELECT offer_hours FROM chapters WHERE id = \(bind: event.chapterId)")
            .row(HoursRow.self)?.offerHours ?? WaitlistRules.defaultOfferHours
        let deadline = WaitlistRules.offerDeadline(now: now, offerHours: hours, eventStartsAt: event.startsAt)
        var free = event.seatLimit - event.seatsTaken
        // A second evening's seats go first to its original's queue (see RegistrationStore+Overflow).
        if let origin = event.overflowOf, free > 0 {
            free = try await offerOverflowSeats(event: event, origin: origin, deadline: deadline, free: free, now: now, on: sql)
        }
        while free > 0 {
            struct Next: Decodable { var id: UUID }
            guard let next = try await sql.raw("""
                SELECT r.id FROM registrations r WHERE r.event_id = \(bind: id.uuid) AND r.status = 'waitlisted'
                ORDER BY r.queue_number LIMIT 1
                """).row(Next.self) else { return }
            let seated = try await sql.raw("""
                UPDATE events SET seats_taken = seats_taken + 1, waiting_count = waiting_count - 1
                WHERE id = \(bind: id.uuid) AND seats_taken < capacity + overbook_seats RETURNING seats_taken
                """).all()
            guard !seated.isEmpty else { return }
            let offered = try await sql.raw("""
                UPDATE registrations SET status = 'offered', offer_expires_at = \(bind: deadline), updated_at = \(bind: now)
                WHERE id = \(bind: next.id) AND status = 'waitlisted' RETURNING id
                """).all()
            guard !offered.isEmpty else {
                // Someone moved that person meanwhile: the seat goes back, nothing is offered twice.
                try await sql.raw("""
                    UPDATE events SET seats_taken = seats_taken - 1, waiting_count = waiting_count + 1 WHERE id = \(bind: id.uuid)
                    """).run()
                return
            }
            try await enqueue(.offer, registration: next.id, event: id.uuid, chapter: event.chapterId, now: now, on: sql)
            free -= 1
        }
    }
}

extension RegistrationStore {
    /// The least time between two "send me my link again" mails to one registration.
    public static let manageLinkInterval: TimeInterval = 10 * 60

    /// "Send me my link again": queues the manage link to the address on file of the active
    /// registration with this email, at most once per `manageLinkInterval` per registration.
    /// Answers whether a mail was queued; the web never tells the asker, so nobody learns from it
    /// whether an address is registered.
    @discardableResult
    public func sendManageLink(event: Event.ID, email: String, now: Date) async throws -> Bool {
        let normalized = EmailAddress.normalize(email)
        guard !normalized.isEmpty else { return false }
        return try await write { sql in
            // Under the event's lock: two requests at once cannot both find no recent mail and queue one each.
            guard try await Persistence.lockEvent(event.uuid, on: sql) != nil else { return false }
            struct Row: Decodable { var id: UUID; var chapterId: UUID }
            guard let row = try await sql.raw("""
                SELECT r.id, e.chapter_id FROM registrations r JOIN events e ON e.id = r.event_id
                WHERE r.event_id = \(bind: event.uuid) AND r.active_email = \(bind: normalized) AND e.status <> 'draft'
                """).row(Row.self) else { return false }
            let recent = try await sql.raw("""
                SELECT COUNT(*) AS count FROM outbox WHERE registration_id = \(bind: row.id) AND kind = \(bind: OutboxKind.manageLink.rawValue)
                  AND created_at > \(bind: now.addingTimeInterval(-Self.manageLinkInterval))
                """).row(CountRow.self)?.count ?? 0
            guard recent == 0 else { return false }
            try await Persistence.enqueue(.manageLink, registration: row.id, event: event.uuid, chapter: row.chapterId, now: now, on: sql)
            return true
        }
    }
}
