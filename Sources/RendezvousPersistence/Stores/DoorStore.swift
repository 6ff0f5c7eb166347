import Crypto
import Foundation
import RendezvousDomain
import SQLKit

extension DoorStore {
    struct DoorRow: Decodable {
        var id: UUID; var firstName: String; var lastName: String; var jobTitle: String; var company: String; var status: RegistrationStatus
        var walkIn: Bool; var checkedInAt: Date?; var checkedInBy: String?; var ticketToken: String; var eventId: UUID
    }

    private static let doorColumns = "r.id, r.first_name, r.last_name, r.job_title, r.company, r.status, r.walk_in, r.checked_in_at, r.checked_in_by, r.ticket_token, r.event_id"

    /// Everyone the door may meet: confirmed and walk-ins, plus waitlisted and cancelled people so a
    /// scan of their ticket can say why it does not admit.
    public func doorList(of event: Event.ID) async throws -> [DoorAttendee] {
        try await ensureTickets(of: event)
        return try await sql.raw("""
            SELECT \(unsafeRaw: Self.doorColumns) FROM registrations r WHERE r.event_id = \(bind: event.uuid)
            ORDER BY r.last_name, r.first_name
            """).rows(DoorRow.self).map {
                DoorAttendee(id: $0.id.uuidString.lowercased(), firstName: $0.firstName, lastName: $0.lastName, jobTitle: $0.jobTitle,
                             company: $0.company, status: $0.status, walkIn: $0.walkIn, checkedInAt: $0.checkedInAt, checkedInBy: $0.checkedInBy,
                             ticketHash: Persistence.hash(tokens.token(.ticket, id: $0.id, salt: $0.ticketToken)))
            }
    }

    /// Registrations made before tickets existed get one.
    func ensureTickets(of event: Event.ID) async throws {
        struct Row: Decodable { var id: UUID }
        for row in try await sql.raw("SELECT id FROM registrations WHERE event_id = \(bind: event.uuid) AND ticket_token = ''").rows(Row.self) {
            try await sql.raw("UPDATE registrations SET ticket_token = \(bind: Secret.token()) WHERE id = \(bind: row.id) AND ticket_token = ''").run()
        }
    }

    public func ticketToken(of registration: Registration.ID) async throws -> String? {
        try await persistence.registrations.ensureToken(.ticket, of: registration)
    }

    /// The registration a ticket belongs to, whatever its status.
    public func ticket(_ token: String) async throws -> Registration? {
        try await persistence.registrations.registration(token: token, .ticket)
    }

    /// The door's view of the registration a ticket names, if it is that registration's current ticket.
    func ticketRow(_ token: String, on sql: any SQLDatabase) async throws -> DoorRow? {
        guard let id = TokenVault.registrationID(in: token),
              let row = try await sql.raw("SELECT \(unsafeRaw: Self.doorColumns) FROM registrations r WHERE r.id = \(bind: id)").row(DoorRow.self),
              tokens.verify(token, .ticket, id: id, salt: row.ticketToken) else { return nil }
        return row
    }

    public enum CheckInTarget: Sendable {
        case registration(Registration.ID)
        case ticket(String)
    }

    /// Admits one person, exactly once: one conditional UPDATE decides, whatever the number of
    /// devices; a retried request (same nonce) returns the first answer and changes nothing.
    public func checkIn(
        event: Event.ID, target: CheckInTarget, nonce: String, device: String, by: String, happenedAt: Date, offline: Bool, now: Date
    ) async throws -> CheckInOutcome {
        do {
            return try await write { sql in
                if let previous = try await Self.previousOutcome(nonce: nonce, event: event, on: sql) { return previous }
                let row: DoorRow?
                switch target {
                case .registration(let id):
                    row = try await sql.raw("SELECT \(unsafeRaw: Self.doorColumns) FROM registrations r WHERE r.id = \(bind: id.uuid)").row(DoorRow.self)
                case .ticket(let token):
                    row = try await self.ticketRow(token, on: sql)
                }
                var outcome = CheckInOutcome(result: .unknown, registrationID: nil, firstName: nil, lastName: nil, status: nil,
                                             checkedInAt: nil, checkedInBy: nil, conflict: false)
                if let row {
                    outcome.registrationID = row.id.uuidString.lowercased()
                    outcome.firstName = row.firstName
                    outcome.lastName = row.lastName
                    outcome.status = row.status
                    if row.eventId != event.uuid {
                        outcome.result = .otherEvent
                        if case .registration = target { outcome = CheckInOutcome(result: .unknown, registrationID: nil, firstName: nil, lastName: nil, status: nil, checkedInAt: nil, checkedInBy: nil, conflict: false) }
                    } else if row.status != .confirmed {
                        outcome.result = .notConfirmed
                    } else {
                        let at = min(happenedAt, now)
                        let admitted = try await sql.raw("""
                            UPDATE registrations SET checked_in_at = \(bind: at), checked_in_by = \(bind: by)
                            WHERE id = \(bind: row.id) AND status = 'confirmed' AND checked_in_at IS NULL
                            RETURNING id
                            """).all()
                        if admitted.isEmpty {
                            struct Current: Decodable { var checkedInAt: Date?; var checkedInBy: String? }
                            let current = try await sql.raw("SELECT checked_in_at, checked_in_by FROM registrations WHERE id = \(bind: row.id)").row(Current.self)
                            outcome.result = .already
                            outcome.checkedInAt = current?.checkedInAt
                            outcome.checkedInBy = current?.checkedInBy
                            outcome.conflict = offline
                        } else {
                            try await EveningStatsStore.invalidate(event: event.uuid, later: true, on: sql)
                            try await Persistence.emitRegistrationWebhooks(.registrationCheckedIn, registrations: [row.id], event: event.uuid, now: now, on: sql)
                            outcome.result = .admitted
                            outcome.checkedInAt = at
                            outcome.checkedInBy = by
                        }
                    }
                }
                try await sql.raw("""
                    INSERT INTO check_ins (id, event_id, registration_id, nonce, device, action, result, offline, by_name, happened_at, recorded_at)
                    VALUES (\(bind: UUID()), \(bind: event.uuid), \(bind: outcome.registrationID.flatMap(UUID.init(uuidString:))), \(bind: nonce),
                            \(bind: device), 'check-in', \(bind: outcome.conflict ? "conflict" : outcome.result.rawValue), \(bind: offline),
                            \(bind: by), \(bind: min(happenedAt, now)), \(bind: now))
                    """).run()
                return outcome
            }
        } catch where Persistence.isUniqueViolation(error) {
            // The same nonce raced itself: the first one's answer stands.
            if let previous = try await Self.previousOutcome(nonce: nonce, event: event, on: sql) { return previous }
            throw error
        }
    }

    /// The answer already given to this nonce at this event. A nonce is one device's retry key
    /// within one event: another event's nonce (another chapter's door) neither answers nor blocks.
    static func previousOutcome(nonce: String, event: Event.ID, on sql: any SQLDatabase) async throws -> CheckInOutcome? {
        struct Row: Decodable { var registrationId: UUID?; var result: String }
        guard let row = try await sql.raw("""
            SELECT registration_id, result FROM check_ins WHERE event_id = \(bind: event.uuid) AND nonce = \(bind: nonce)
            """).row(Row.self) else { return nil }
        var outcome = CheckInOutcome(result: CheckInResult(rawValue: row.result) ?? .already, registrationID: row.registrationId?.uuidString.lowercased(),
                                     firstName: nil, lastName: nil, status: nil, checkedInAt: nil, checkedInBy: nil, conflict: row.result == "conflict")
        if row.result == "conflict" { outcome.result = .already }
        if let id = row.registrationId, let current = try await sql.raw("SELECT \(unsafeRaw: doorColumns) FROM registrations r WHERE r.id = \(bind: id)").row(DoorRow.self) {
            outcome.firstName = current.firstName
            outcome.lastName = current.lastName
            outcome.status = current.status
            outcome.checkedInAt = current.checkedInAt
            outcome.checkedInBy = current.checkedInBy
        }
        return outcome
    }

    /// Takes an admission back (a tap on the wrong name).
    public func undoCheckIn(event: Event.ID, registration: Registration.ID, nonce: String, device: String, by: String, now: Date) async throws -> CheckInOutcome {
        try await write { sql in
            if let previous = try await Self.previousOutcome(nonce: nonce, event: event, on: sql) { return previous }
            guard let row = try await sql.raw("SELECT \(unsafeRaw: Self.doorColumns) FROM registrations r WHERE r.id = \(bind: registration.uuid)")
                .row(DoorRow.self), row.eventId == event.uuid else { throw RegistrationActionError.notFound }
            // Conditional: a second undo (another phone, a retry) finds nothing to take back.
            let undone = try await sql.raw("""
                UPDATE registrations SET checked_in_at = NULL, checked_in_by = NULL
                WHERE id = \(bind: registration.uuid) AND event_id = \(bind: event.uuid) AND checked_in_at IS NOT NULL
                RETURNING id
                """).all()
            if !undone.isEmpty { try await EveningStatsStore.invalidate(event: event.uuid, later: true, on: sql) }
            try await sql.raw("""
                INSERT INTO check_ins (id, event_id, registration_id, nonce, device, action, result, offline, by_name, happened_at, recorded_at)
                VALUES (\(bind: UUID()), \(bind: event.uuid), \(bind: registration.uuid), \(bind: nonce), \(bind: device), 'undo', 'undone',
                        \(bind: false), \(bind: by), \(bind: now), \(bind: now))
                """).run()
            return CheckInOutcome(result: .undone, registrationID: row.id.uuidString.lowercased(), firstName: row.firstName, lastName: row.lastName,
                                  status: row.status, checkedInAt: nil, checkedInBy: nil, conflict: false)
        }
    }

    /// Someone who turns up unregistered: confirmed past capacity (walk-ins take no online seat),
    /// counted apart, and admitted at once. A known email finds the existing registration instead.
    public func addWalkIn(event: Event.ID, profile: AttendeeProfile, by: String, now: Date) async throws -> CheckInOutcome {
        // A walk-in who gives the address of someone the network blocked is refused like any registration.
        if !profile.email.isEmpty, try await persistence.privacy.isBlocked(email: profile.email) { throw RegistrationActionError.refused }
        struct Existing: Decodable { var id: UUID }
        func admitExisting() async throws -> CheckInOutcome? {
            guard !profile.email.isEmpty, let existing = try await sql.raw("""
                SELECT id FROM registrations WHERE event_id = \(bind: event.uuid) AND active_email = \(bind: profile.normalizedEmail)
                """).row(Existing.self) else { return nil }
            return try await checkIn(event: event, target: .registration(.init(existing.id)), nonce: Secret.token(), device: "walk-in",
                                     by: by, happenedAt: now, offline: false, now: now)
        }
        if let admitted = try await admitExisting() { return admitted }
        let id = UUID()
        do {
            try await write { sql in
                try await sql.raw("""
                    INSERT INTO registrations (id, event_id, first_name, last_name, email, active_email, job_title, company, linkedin_url,
                        ask_me_about, consent_list, consent_profile, status, manage_token, created_at, updated_at, source, contact_token,
                        ticket_token, walk_in, checked_in_at, checked_in_by)
                    VALUES (\(bind: id), \(bind: event.uuid), \(bind: profile.firstName), \(bind: profile.lastName), \(bind: profile.email),
                        \(bind: profile.email.isEmpty ? nil : profile.normalizedEmail), \(bind: profile.jobTitle), \(bind: profile.company), '', '',
                        \(bind: false), \(bind: false), 'confirmed', \(bind: Secret.token()), \(bind: now), \(bind: now), 'door', \(bind: Secret.token()),
                        \(bind: Secret.token()), \(bind: true), \(bind: now), \(bind: by))
                    """).run()
                try await EveningStatsStore.invalidate(event: event.uuid, later: true, on: sql)
                try await Persistence.emitRegistrationWebhooks(.registrationCreated, registrations: [id], event: event.uuid, now: now, on: sql)
                try await Persistence.emitRegistrationWebhooks(.registrationCheckedIn, registrations: [id], event: event.uuid, now: now, on: sql)
            }
        } catch where Persistence.isUniqueViolation(error) {
            // Another phone (or the registration form) recorded this address meanwhile, between the
            // look-up and the insert: that registration is the one to admit, once.
            if let admitted = try await admitExisting() { return admitted }
            throw error
        }
        return CheckInOutcome(result: .admitted, registrationID: id.uuidString.lowercased(), firstName: profile.firstName, lastName: profile.lastName,
                              status: .confirmed, checkedInAt: now, checkedInBy: by, conflict: false)
    }

    public func doorState(of event: Event.ID) async throws -> DoorState {
        guard let seats = try await persistence.events.event(id: event) else { throw RegistrationActionError.notFound }
        struct Row: Decodable { var id: UUID; var status: RegistrationStatus; var walkIn: Bool; var checkedInAt: Date?; var checkedInBy: String? }
        let rows = try await sql.raw("""
            SELECT id, status, walk_in, checked_in_at, checked_in_by FROM registrations WHERE event_id = \(bind: event.uuid)
            """).rows(Row.self)
        struct ConflictRow: Decodable { var firstName: String; var lastName: String; var device: String; var byName: String; var recordedAt: Date }
        let conflicts = try await sql.raw("""
            SELECT r.first_name, r.last_name, c.device, c.by_name, c.recorded_at FROM check_ins c JOIN registrations r ON r.id = c.registration_id
            WHERE c.event_id = \(bind: event.uuid) AND c.result = 'conflict' ORDER BY c.recorded_at
            """).rows(ConflictRow.self)
        let confirmed = rows.filter { $0.status == .confirmed }
        return DoorState(
            // Registered people who came, over those expected: walk-ins are counted apart.
            checkedIn: confirmed.filter { $0.checkedInAt != nil && !$0.walkIn }.count,
            expected: confirmed.filter { !$0.walkIn }.count,
            walkIns: confirmed.filter(\.walkIn).count,
            capacity: seats.capacity,
            seatLimit: seats.seatLimit,
            listVersion: rows.count,
            admissions: confirmed.compactMap { row in row.checkedInAt.map { .init(id: row.id.uuidString.lowercased(), at: $0, by: row.checkedInBy ?? "") } },
            conflicts: conflicts.map { .init(name: "\($0.firstName) \($0.lastName)", device: $0.device, by: $0.byName, at: $0.recordedAt) })
    }

    /// Attendance of a chapter's past events, most recent first, at most 40 (the no-show forecast
    /// reads it too); one grouped query on the registrations' event index.
    /// Per event: who held a seat (not walk-ins), everyone checked in, the walk-ins, and those who
    /// held a seat and came — the door's attendance and the insights' aggregates count the same way.
    struct AttendanceCounts: Decodable { var eventId: UUID; var expected: Int; var came: Int; var walkIns: Int; var showed: Int }

    static func attendanceCounts(of events: [UUID], on sql: any SQLDatabase) async throws -> [UUID: AttendanceCounts] {
        guard !events.isEmpty else { return [:] }
        let counts = try await sql.raw("""
            SELECT event_id,
                SUM(CASE WHEN walk_in = \(bind: false) THEN 1 ELSE 0 END) AS expected,
                SUM(CASE WHEN checked_in_at IS NOT NULL THEN 1 ELSE 0 END) AS came,
                SUM(CASE WHEN walk_in = \(bind: true) THEN 1 ELSE 0 END) AS walk_ins,
                SUM(CASE WHEN checked_in_at IS NOT NULL AND walk_in = \(bind: false) THEN 1 ELSE 0 END) AS showed
            FROM registrations WHERE event_id IN \(SQLBind.group(events)) AND status = 'confirmed'
            GROUP BY event_id
            """).rows(AttendanceCounts.self)
        return Dictionary(uniqueKeysWithValues: counts.map { ($0.eventId, $0) })
    }

    public func attendance(of chapter: Chapter.ID, now: Date) async throws -> [Attendance] {
        struct Row: Decodable { var id: UUID; var title: String; var startsAt: Date; var venueId: UUID? }
        let events = try await sql.raw("""
            SELECT id, title, starts_at, venue_id FROM events WHERE chapter_id = \(bind: chapter.uuid) AND status = 'published' AND starts_at <= \(bind: now)
            ORDER BY starts_at DESC LIMIT 40
            """).rows(Row.self)
        guard !events.isEmpty else { return [] }
        let byEvent = try await Self.attendanceCounts(of: events.map(\.id), on: sql)
        return events.map { event in
            let agg = byEvent[event.id]
            return Attendance(eventID: .init(event.id), title: event.title, startsAt: event.startsAt, venueID: event.venueId.map { .init($0) },
                              expected: agg?.expected ?? 0, came: agg?.came ?? 0, walkIns: agg?.walkIns ?? 0, showed: agg?.showed ?? 0)
        }
    }
}

extension DoorStore {
    /// The hours before the start and after the end during which the door admits, if the
    /// organisers widened it for this event (nil: the deployment's default).
    public func doorWindowHours(of event: Event.ID) async throws -> Int? {
        struct Row: Decodable { var doorWindowHours: Int? }
        return try await sql.raw("SELECT door_window_hours FROM events WHERE id = \(bind: event.uuid)").row(Row.self)?.doorWindowHours
    }

    public func setDoorWindowHours(of event: Event.ID, hours: Int?) async throws {
        try await sql.raw("UPDATE events SET door_window_hours = \(bind: hours) WHERE id = \(bind: event.uuid)").run()
    }
}
