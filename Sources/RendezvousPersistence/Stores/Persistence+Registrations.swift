import Foundation
import RendezvousDomain
import SQLKit

extension Persistence {
    /// Registers someone: a seat if one is free, otherwise a place at the end of the waitlist.
    ///
    /// The capacity guard is one conditional UPDATE (`seats_taken < capacity`) inside a write
    /// transaction: on PostgreSQL concurrent registrations queue on the event row, on SQLite on the
    /// write lock taken by `BEGIN IMMEDIATE`. The waitlist number comes from the same row, so
    /// positions are unique and in arrival order.
    public func register(_ profile: AttendeeProfile, for eventID: Event.ID, now: Date) async throws -> RegistrationOutcome {
        guard capacityGuard else { return try await registerWithoutGuard(profile, for: eventID, now: now) }
        do {
            return try await write { sql in
                // One guarded statement decides seat or waitlist, in arrival order: every right-hand
                // side reads the row as it was, and concurrent registrations queue on the row
                // (PostgreSQL) or on the write lock (SQLite) until this transaction ends.
                struct Arrival: Decodable { var lastSeated: Bool; var queueCounter: Int; var waitingCount: Int }
                guard let arrival = try await sql.raw("""
                    UPDATE events SET
                        last_seated = (seats_taken < capacity),
                        seats_taken = CASE WHEN seats_taken < capacity THEN seats_taken + 1 ELSE seats_taken END,
                        queue_counter = CASE WHEN seats_taken < capacity THEN queue_counter ELSE queue_counter + 1 END,
                        waiting_count = CASE WHEN seats_taken < capacity THEN waiting_count ELSE waiting_count + 1 END
                    WHERE id = \(bind: eventID.uuid) AND status = 'published' AND starts_at > \(bind: now)
                    RETURNING last_seated, queue_counter, waiting_count
                    """).row(Arrival.self) else {
                    guard let event = try await sql.raw("SELECT \(unsafeRaw: EventRow.columns) FROM events e WHERE e.id = \(bind: eventID.uuid)")
                        .row(EventRow.self), event.status != EventStatus.draft.rawValue else { throw RegistrationActionError.notFound }
                    throw RegistrationActionError.eventNotOpen
                }
                let registration = Self.newRegistration(
                    profile, event: eventID, status: arrival.lastSeated ? .confirmed : .waitlisted,
                    queueNumber: arrival.lastSeated ? nil : arrival.queueCounter, now: now)
                // The unique (event_id, active_email) index refuses a second active registration;
                // the whole transaction, seat included, then rolls back.
                try await Self.insert(registration, on: sql)
                return RegistrationOutcome(registration: registration, waitlistPosition: arrival.lastSeated ? nil : arrival.waitingCount)
            }
        } catch where Self.isUniqueViolation(error) {
            throw RegistrationActionError.duplicateEmail
        }
    }

    /// The classic check-then-insert race, kept only so a test can show that the concurrency
    /// test catches it: it reads the seat count, then writes, with nothing holding the two together.
    private func registerWithoutGuard(_ profile: AttendeeProfile, for eventID: Event.ID, now: Date) async throws -> RegistrationOutcome {
        let sql = self.sql
        guard let event = try await sql.raw("SELECT \(unsafeRaw: EventRow.columns) FROM events e WHERE e.id = \(bind: eventID.uuid)")
            .row(EventRow.self) else { throw RegistrationActionError.notFound }
        let confirmed = try await sql.raw("""
            SELECT COUNT(*) AS count FROM registrations WHERE event_id = \(bind: eventID.uuid) AND status = 'confirmed'
            """).row(CountRow.self)?.count ?? 0
        await Task.yield()
        let status: RegistrationStatus = confirmed < event.capacity ? .confirmed : .waitlisted
        let registration = Self.newRegistration(profile, event: eventID, status: status, queueNumber: status == .waitlisted ? confirmed : nil, now: now)
        try await Self.insert(registration, on: sql)
        return RegistrationOutcome(registration: registration, waitlistPosition: status == .waitlisted ? 1 : nil)
    }

    static func newRegistration(_ profile: AttendeeProfile, event: Event.ID, status: RegistrationStatus, queueNumber: Int?, now: Date) -> Registration {
        Registration(
            id: .init(), eventID: event, profile: profile, status: status, queueNumber: queueNumber,
            offerExpiresAt: nil, manageToken: Secret.token(), createdAt: now, updatedAt: now)
    }

    static func insert(_ registration: Registration, on sql: any SQLDatabase) async throws {
        let profile = registration.profile
        try await sql.raw("""
            INSERT INTO registrations (id, event_id, first_name, last_name, email, active_email, job_title, company,
                linkedin_url, ask_me_about, consent_list, consent_profile, status, queue_number, offer_expires_at,
                manage_token, created_at, updated_at)
            VALUES (\(bind: registration.id.uuid), \(bind: registration.eventID.uuid), \(bind: profile.firstName),
                \(bind: profile.lastName), \(bind: profile.email), \(bind: profile.normalizedEmail), \(bind: profile.jobTitle),
                \(bind: profile.company), \(bind: profile.linkedinURL), \(bind: profile.askMeAbout),
                \(bind: profile.consents.attendeeList), \(bind: profile.consents.profileSharing),
                \(bind: registration.status.rawValue), \(bind: registration.queueNumber), \(bind: registration.offerExpiresAt),
                \(bind: registration.manageToken), \(bind: registration.createdAt), \(bind: registration.updatedAt))
            """).run()
    }

    public func registration(id: Registration.ID) async throws -> Registration? {
        try await sql.raw("SELECT \(unsafeRaw: RegistrationRow.columns) FROM registrations r WHERE r.id = \(bind: id.uuid)")
            .row(RegistrationRow.self)?.registration
    }

    public func registration(manageToken: String) async throws -> Registration? {
        guard !manageToken.isEmpty, manageToken.count <= 100 else { return nil }
        return try await sql.raw("SELECT \(unsafeRaw: RegistrationRow.columns) FROM registrations r WHERE r.manage_token = \(bind: manageToken)")
            .row(RegistrationRow.self)?.registration
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
            """).rows(RegistrationRow.self).map(\.registration)
    }

    /// Looks a registration up by id and checks its manage token in constant time.
    static func authorizedRegistration(_ id: Registration.ID, token: String, on sql: any SQLDatabase) async throws -> RegistrationRow {
        guard let row = try await sql.raw("SELECT \(unsafeRaw: RegistrationRow.columns) FROM registrations r WHERE r.id = \(bind: id.uuid)")
            .row(RegistrationRow.self), constantTimeEquals(row.manageToken, token) else {
            throw RegistrationActionError.notFound
        }
        return row
    }

    /// Cancels; a held seat goes back and is offered to the first in line.
    public func cancel(_ id: Registration.ID, token: String, now: Date) async throws -> Registration {
        try await write { sql in
            let row = try await Self.authorizedRegistration(id, token: token, on: sql)
            let status = RegistrationStatus(rawValue: row.status) ?? .cancelled
            guard status.isActive else { throw RegistrationActionError.notCancellable }
            try await Self.setStatus(id, .cancelled, now: now, on: sql)
            if status.holdsSeat {
                try await Self.releaseSeat(event: .init(row.eventId), now: now, on: sql)
            } else if status == .waitlisted {
                try await sql.raw("UPDATE events SET waiting_count = waiting_count - 1 WHERE id = \(bind: row.eventId)").run()
            }
            var registration = row.registration
            registration.status = .cancelled
            registration.offerExpiresAt = nil
            return registration
        }
    }

    /// Accepts an open waitlist offer.
    public func accept(_ id: Registration.ID, token: String, now: Date) async throws -> Registration {
        let result: Result<Registration, RegistrationActionError> = try await write { sql in
            let row = try await Self.authorizedRegistration(id, token: token, on: sql)
            if row.status == RegistrationStatus.confirmed.rawValue { return .success(row.registration) }
            guard row.status == RegistrationStatus.offered.rawValue else { return .failure(.noOpenOffer) }
            guard WaitlistRules.isOfferOpen(expiresAt: row.offerExpiresAt, now: now) else {
                // Expire it now rather than wait for the sweeper, and pass the seat on.
                try await Self.setStatus(id, .expired, now: now, on: sql)
                try await Self.releaseSeat(event: .init(row.eventId), now: now, on: sql)
                return .failure(.offerExpired)
            }
            try await sql.raw("""
                UPDATE registrations SET status = 'confirmed', offer_expires_at = NULL, updated_at = \(bind: now)
                WHERE id = \(bind: id.uuid)
                """).run()
            var registration = row.registration
            registration.status = .confirmed
            registration.offerExpiresAt = nil
            return .success(registration)
        }
        return try result.get()
    }

    /// Declines an open offer: the seat passes to the next in line.
    public func decline(_ id: Registration.ID, token: String, now: Date) async throws -> Registration {
        try await write { sql in
            let row = try await Self.authorizedRegistration(id, token: token, on: sql)
            guard row.status == RegistrationStatus.offered.rawValue else { throw RegistrationActionError.noOpenOffer }
            try await Self.setStatus(id, .cancelled, now: now, on: sql)
            try await Self.releaseSeat(event: .init(row.eventId), now: now, on: sql)
            var registration = row.registration
            registration.status = .cancelled
            return registration
        }
    }

    /// Updates what the attendee tells about themselves. Changing the email keeps the
    /// one-active-registration-per-email rule.
    public func updateProfile(_ id: Registration.ID, token: String, profile: AttendeeProfile, now: Date) async throws -> Registration {
        do {
            return try await write { sql in
                let row = try await Self.authorizedRegistration(id, token: token, on: sql)
                let status = RegistrationStatus(rawValue: row.status) ?? .cancelled
                try await sql.raw("""
                    UPDATE registrations SET first_name = \(bind: profile.firstName), last_name = \(bind: profile.lastName),
                        email = \(bind: profile.email), active_email = \(bind: status.isActive ? profile.normalizedEmail : nil),
                        job_title = \(bind: profile.jobTitle), company = \(bind: profile.company),
                        linkedin_url = \(bind: profile.linkedinURL), ask_me_about = \(bind: profile.askMeAbout),
                        consent_list = \(bind: profile.consents.attendeeList), consent_profile = \(bind: profile.consents.profileSharing),
                        updated_at = \(bind: now)
                    WHERE id = \(bind: id.uuid)
                    """).run()
                var registration = row.registration
                registration.profile = profile
                registration.updatedAt = now
                return registration
            }
        } catch where Self.isUniqueViolation(error) {
            throw RegistrationActionError.duplicateEmail
        }
    }

    /// Expires every offer whose deadline has passed and passes each seat on. Returns how many expired.
    @discardableResult
    public func expireOffers(now: Date) async throws -> Int {
        try await write { sql in
            struct Row: Decodable { var id: UUID; var eventId: UUID }
            let expired = try await sql.raw("""
                SELECT id, event_id FROM registrations WHERE status = 'offered' AND offer_expires_at <= \(bind: now)
                ORDER BY offer_expires_at
                """).rows(Row.self)
            for row in expired {
                try await Self.setStatus(.init(row.id), .expired, now: now, on: sql)
                try await Self.releaseSeat(event: .init(row.eventId), now: now, on: sql)
            }
            return expired.count
        }
    }

    static func setStatus(_ id: Registration.ID, _ status: RegistrationStatus, now: Date, on sql: any SQLDatabase) async throws {
        // Leaving the active statuses frees the email for a new registration.
        try await sql.raw("""
            UPDATE registrations SET status = \(bind: status.rawValue), updated_at = \(bind: now),
                offer_expires_at = NULL\(unsafeRaw: status.isActive ? "" : ", active_email = NULL")
            WHERE id = \(bind: id.uuid)
            """).run()
    }

    /// Gives one seat back and offers whatever is free to the queue.
    static func releaseSeat(event: Event.ID, now: Date, on sql: any SQLDatabase) async throws {
        try await sql.raw("UPDATE events SET seats_taken = seats_taken - 1 WHERE id = \(bind: event.uuid) AND seats_taken > 0").run()
        try await offerFreeSeats(event: event, now: now, on: sql)
    }

    /// While a seat is free and someone waits, offers it to the first in line, time-boxed.
    static func offerFreeSeats(event id: Event.ID, now: Date, on sql: any SQLDatabase) async throws {
        guard let event = try await sql.raw("SELECT \(unsafeRaw: EventRow.columns) FROM events e WHERE e.id = \(bind: id.uuid)")
            .row(EventRow.self) else { return }
        guard event.status == EventStatus.published.rawValue, WaitlistRules.canOffer(now: now, eventStartsAt: event.startsAt) else { return }
        struct HoursRow: Decodable { var offerHours: Int }
        let hours = try await sql.raw("SELECT offer_hours FROM chapters WHERE id = \(bind: event.chapterId)")
            .row(HoursRow.self)?.offerHours ?? WaitlistRules.defaultOfferHours
        let deadline = WaitlistRules.offerDeadline(now: now, offerHours: hours, eventStartsAt: event.startsAt)
        var free = event.capacity - event.seatsTaken
        while free > 0 {
            struct Next: Decodable { var id: UUID }
            guard let next = try await sql.raw("""
                SELECT id FROM registrations WHERE event_id = \(bind: id.uuid) AND status = 'waitlisted'
                ORDER BY queue_number LIMIT 1
                """).row(Next.self) else { return }
            let seated = try await sql.raw("""
                UPDATE events SET seats_taken = seats_taken + 1, waiting_count = waiting_count - 1
                WHERE id = \(bind: id.uuid) AND seats_taken < capacity RETURNING seats_taken
                """).all()
            guard !seated.isEmpty else { return }
            try await sql.raw("""
                UPDATE registrations SET status = 'offered', offer_expires_at = \(bind: deadline), updated_at = \(bind: now)
                WHERE id = \(bind: next.id)
                """).run()
            free -= 1
        }
    }
}

func constantTimeEquals(_ a: String, _ b: String) -> Bool {
    let left = Array(a.utf8), right = Array(b.utf8)
    guard left.count == right.count else { return false }
    var difference: UInt8 = 0
    for index in left.indices { difference |= left[index] ^ right[index] }
    return difference == 0
}
