import Foundation
import RendezvousDomain
import SQLKit

/// Table rotations: an event's room setup, its plan, the evening's rounds, who is in the room.
public struct RoomStore: Store { public let persistence: Persistence }

extension Persistence {
    public var room: RoomStore { .init(persistence: self) }
}

public enum RoomError: Error, Equatable, Sendable {
    /// The event's room has no setup yet.
    case notConfigured
    /// Rounds cannot start without a plan.
    case noPlan
    /// The plan would change a round that has already started.
    case startedRoundChanged
    /// The number of tables cannot change once a round has started, nor the rounds drop below those started.
    case tablesInUse
    /// The plan does not have the setup's number of rounds and tables.
    case planDoesNotFit
}

extension RoomStore {
    struct RoomRow: Decodable {
        var eventId: UUID
        var setup: String
        var plan: String?
        var plannedAt: Date?
        var currentRound: Int?
        var phase: String
        var roundStartedAt: Date?
        var remainingWhenPaused: Int?
        var leftIds: String
        var version: Int

        static let columns = "event_id, setup, plan, planned_at, current_round, phase, round_started_at, remaining_when_paused, left_ids, version"

        func state() throws -> RoomState {
            let decoder = JSONDecoder()
            return RoomState(
                eventID: .init(eventId), setup: try decoder.decode(RoomSetup.self, from: Data(setup.utf8)),
                plan: try plan.map { try decoder.decode(RotationPlan.self, from: Data($0.utf8)) }, plannedAt: plannedAt,
                currentRound: currentRound, phase: RoundPhase(rawValue: phase) ?? .notStarted, roundStartedAt: roundStartedAt,
                remainingWhenPaused: remainingWhenPaused, left: try decoder.decode([String].self, from: Data(leftIds.utf8)), version: version)
        }
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func read(_ event: Event.ID, on sql: any SQLDatabase) async throws -> RoomState? {
        try await sql.raw("SELECT \(unsafeRaw: RoomRow.columns) FROM event_rooms WHERE event_id = \(bind: event.uuid)")
            .row(RoomRow.self)?.state()
    }

    /// Writes `next` over the row if it is still at `expected`'s version, bumping it by one.
    /// Returns the stored state, or nil when another change got there first.
    static func update(_ next: RoomState, expectedVersion: Int, now: Date, on sql: any SQLDatabase) async throws -> RoomState? {
        let moved = try await sql.raw("""
            UPDATE event_rooms SET setup = \(bind: try json(next.setup)), plan = \(bind: try next.plan.map { try json($0) }),
                planned_at = \(bind: next.plannedAt), current_round = \(bind: next.currentRound), phase = \(bind: next.phase.rawValue),
                round_started_at = \(bind: next.roundStartedAt), remaining_when_paused = \(bind: next.remainingWhenPaused),
                left_ids = \(bind: try json(next.left)), version = version + 1, updated_at = \(bind: now)
            WHERE event_id = \(bind: next.eventID.uuid) AND version = \(bind: expectedVersion)
            RETURNING version
            """).rows(VersionRow.self)
        guard let version = moved.first?.version else { return nil }
        var stored = next
        stored.version = version
        return stored
    }

    struct VersionRow: Decodable { var version: Int }

    /// Reads the state and writes `change(state)` in one write transaction, conditional on the
    /// version it read. Losing to a concurrent change (possible on PostgreSQL) runs it again on
    /// what that change left, so no change is lost. `change` returning nil means "nothing to do".
    func change(_ event: Event.ID, now: Date, _ change: @escaping @Sendable (RoomState) throws -> RoomState?) async throws -> RoomState {
        for _ in 0..<20 {
            let outcome: RoomState?? = try await write { sql in
                guard let current = try await Self.read(event, on: sql) else { throw RoomError.notConfigured }
                guard let next = try change(current) else { return .some(current) }
                return try await Self.update(next, expectedVersion: current.version, now: now, on: sql)
            }
            if let state = outcome ?? nil { return state }
        }
        throw RoomError.notConfigured
    }

    // MARK: Reads

    /// The event's room, or nil when it was never configured.
    public func state(event: Event.ID) async throws -> RoomState? {
        try await Self.read(event, on: sql)
    }

    // MARK: Setup and plan

    /// Creates or updates the setup. The plan stays unless the number of tables changed (then it
    /// is dropped); fewer rounds cut the plan's last ones. Once a round has started, the number of
    /// tables cannot change, nor the rounds drop below those started (`RoomError.tablesInUse`).
    @discardableResult
    public func saveSetup(event: Event.ID, setup: RoomSetup, now: Date) async throws -> RoomState {
        for _ in 0..<20 {
            do {
                let saved: RoomState? = try await write { sql in
                    guard let current = try await Self.read(event, on: sql) else {
                        let fresh = RoomState(eventID: event, setup: setup)
                        try await sql.raw("""
                            INSERT INTO event_rooms (event_id, setup, plan, planned_at, current_round, phase, round_started_at,
                                remaining_when_paused, left_ids, version, updated_at)
                            VALUES (\(bind: event.uuid), \(bind: try Self.json(setup)), NULL, NULL, NULL, \(bind: fresh.phase.rawValue), NULL,
                                NULL, '[]', \(bind: fresh.version), \(bind: now))
                            """).run()
                        return fresh
                    }
                    var next = current
                    next.setup = setup
                    if setup.rounds < current.startedRounds { throw RoomError.tablesInUse }
                    if var plan = next.plan, plan.rounds.count > setup.rounds {
                        // Fewer rounds: the plan loses its last ones; more rounds wait for a re-plan.
                        plan.rounds = Array(plan.rounds.prefix(setup.rounds))
                        next.plan = plan
                    }
                    if setup.tables.count != current.setup.tables.count {
                        if current.startedRounds > 0 && current.phase != .finished { throw RoomError.tablesInUse }
                        next.plan = nil
                        next.plannedAt = nil
                    }
                    return try await Self.update(next, expectedVersion: current.version, now: now, on: sql)
                }
                if let saved { return saved }
            } catch where Persistence.isUniqueViolation(error) {
                continue  // another request created the row first: update it instead
            }
        }
        throw RoomError.notConfigured
    }

    /// Stores a plan. Rounds that have started never change: a plan that differs in any of them
    /// is refused (`RoomError.startedRoundChanged`), checked under the same version as the write.
    @discardableResult
    public func savePlan(event: Event.ID, plan: RotationPlan, now: Date) async throws -> RoomState {
        try await change(event, now: now) { current in
            guard plan.rounds.count == current.setup.rounds, plan.rounds.allSatisfy({ $0.count == current.setup.tables.count }) else {
                throw RoomError.planDoesNotFit
            }
            let started = current.startedRounds
            if started > 0 {
                guard let old = current.plan, old.rounds.count >= started,
                      Array(old.rounds.prefix(started)) == Array(plan.rounds.prefix(started)) else { throw RoomError.startedRoundChanged }
            }
            var next = current
            next.plan = plan
            next.plannedAt = now
            return next
        }
    }

    // MARK: The rounds

    /// Starts the next round: before the first, round 0; during round k, round k + 1; after the
    /// last, the evening is finished. Two presses at once advance one round: the change is a
    /// conditional update on the version the caller saw (`expectedVersion`, or the one read
    /// before the write), and a press that loses answers with the state the winner left.
    @discardableResult
    public func startNextRound(event: Event.ID, now: Date, expectedVersion: Int? = nil) async throws -> RoomState {
        try await advance(event, now: now, expectedVersion: expectedVersion) { current in
            guard current.plan != nil else { throw RoomError.noPlan }
            var next = current
            switch current.phase {
            case .finished:
                return nil
            case .notStarted:
                next.currentRound = 0
            case .running, .paused:
                let following = (current.currentRound ?? -1) + 1
                // The last round is the plan's last when a setup with more rounds awaits its re-plan.
                guard following < min(current.setup.rounds, current.plan?.rounds.count ?? 0) else {
                    next.phase = .finished
                    next.roundStartedAt = nil
                    next.remainingWhenPaused = nil
                    return next
                }
                next.currentRound = following
            }
            next.phase = .running
            next.roundStartedAt = now
            next.remainingWhenPaused = nil
            return next
        }
    }

    /// Pauses the running round: its clock stops with the seconds it had left.
    @discardableResult
    public func pause(event: Event.ID, now: Date, expectedVersion: Int? = nil) async throws -> RoomState {
        try await advance(event, now: now, expectedVersion: expectedVersion) { current in
            guard current.phase == .running else { return nil }
            var next = current
            next.remainingWhenPaused = current.secondsLeft(now: now) ?? current.roundSeconds
            next.phase = .paused
            return next
        }
    }

    /// Resumes a paused round with the seconds it had left.
    @discardableResult
    public func resume(event: Event.ID, now: Date, expectedVersion: Int? = nil) async throws -> RoomState {
        try await advance(event, now: now, expectedVersion: expectedVersion) { current in
            guard current.phase == .paused else { return nil }
            var next = current
            let remaining = current.remainingWhenPaused ?? current.roundSeconds
            next.roundStartedAt = now.addingTimeInterval(-Double(current.roundSeconds - remaining))
            next.remainingWhenPaused = nil
            next.phase = .running
            return next
        }
    }

    /// Ends the evening's rotations.
    @discardableResult
    public func finish(event: Event.ID, now: Date, expectedVersion: Int? = nil) async throws -> RoomState {
        try await advance(event, now: now, expectedVersion: expectedVersion) { current in
            guard current.phase != .finished else { return nil }
            var next = current
            next.phase = .finished
            next.roundStartedAt = nil
            next.remainingWhenPaused = nil
            return next
        }
    }

    /// A presenter's press: applied once, to the state the presser saw. Unlike `change`, a press
    /// that loses the race is not replayed (that would advance a second round): it answers with
    /// the current state.
    func advance(_ event: Event.ID, now: Date, expectedVersion: Int?, _ step: @escaping @Sendable (RoomState) throws -> RoomState?) async throws -> RoomState {
        let seen: Int
        if let expectedVersion {
            seen = expectedVersion
        } else {
            guard let current = try await state(event: event) else { throw RoomError.notConfigured }
            seen = current.version
        }
        return try await write { sql in
            guard let current = try await Self.read(event, on: sql) else { throw RoomError.notConfigured }
            guard current.version == seen, let next = try step(current) else { return current }
            if let stored = try await Self.update(next, expectedVersion: seen, now: now, on: sql) { return stored }
            return try await Self.read(event, on: sql) ?? current
        }
    }

    /// Marks a registration as gone (or back): the next re-plan leaves them out.
    @discardableResult
    public func markLeft(event: Event.ID, registration: String, left: Bool, now: Date) async throws -> RoomState {
        try await change(event, now: now) { current in
            guard current.left.contains(registration) != left else { return nil }
            var next = current
            if left { next.left.append(registration) } else { next.left.removeAll { $0 == registration } }
            return next
        }
    }

    /// Updates only the setup's pins and keep-apart pairs (the organiser's per-person controls).
    @discardableResult
    public func updateConstraints(event: Event.ID, now: Date, _ edit: @escaping @Sendable (inout RoomSetup) -> Void) async throws -> RoomState {
        try await change(event, now: now) { current in
            var next = current
            edit(&next.setup)
            return next.setup == current.setup ? nil : next
        }
    }

    // MARK: Who is in the room

    struct PersonRow: Decodable {
        var id: UUID; var firstName: String; var lastName: String; var email: String; var jobTitle: String; var company: String
        var askMeAbout: String; var checkedInAt: Date?
    }

    struct EmailRow: Decodable { var email: String }

    /// The event's confirmed registrations, sorted by last then first name. A newcomer has no
    /// earlier event of the network (any chapter) where the same email was confirmed or checked in.
    public func people(event: Event.ID, history: Bool = true) async throws -> [RoomPerson] {
        struct StartRow: Decodable { var startsAt: Date }
        let rows = try await sql.raw("""
            SELECT r.id, r.first_name, r.last_name, r.email, r.job_title, r.company, r.ask_me_about, r.checked_in_at
            FROM registrations r WHERE r.event_id = \(bind: event.uuid) AND r.status = 'confirmed'
            ORDER BY r.last_name, r.first_name, r.id
            """).rows(PersonRow.self)
        // The live pages (polled by every phone) need names, not who is new: `history: false`
        // skips the network-wide look-up, and everyone reads as a newcomer.
        guard history else {
            return rows.map {
                RoomPerson(registrationID: $0.id.uuidString.lowercased(), firstName: $0.firstName, lastName: $0.lastName, jobTitle: $0.jobTitle,
                           company: $0.company, askMeAbout: $0.askMeAbout, newcomer: true, checkedIn: $0.checkedInAt != nil)
            }
        }
        guard let start = try await sql.raw("SELECT starts_at FROM events WHERE id = \(bind: event.uuid)").row(StartRow.self)?.startsAt else { return [] }
        let emails = Array(Set(rows.map { EmailAddress.normalize($0.email) }))
        var regulars = Set<String>()
        for chunk in stride(from: 0, to: emails.count, by: 500).map({ Array(emails[$0..<min($0 + 500, emails.count)]) }) {
            let found = try await sql.raw("""
                SELECT r.email FROM registrations r JOIN events e ON e.id = r.event_id
                WHERE e.starts_at < \(bind: start) AND r.event_id <> \(bind: event.uuid)
                  AND (r.status = 'confirmed' OR r.checked_in_at IS NOT NULL)
                  AND LOWER(TRIM(r.email)) IN (\(binds: chunk))
                """).rows(EmailRow.self)
            regulars.formUnion(found.map { EmailAddress.normalize($0.email) })
        }
        return rows.map {
            RoomPerson(registrationID: $0.id.uuidString.lowercased(), firstName: $0.firstName, lastName: $0.lastName, jobTitle: $0.jobTitle,
                       company: $0.company, askMeAbout: $0.askMeAbout, newcomer: !regulars.contains(EmailAddress.normalize($0.email)),
                       checkedIn: $0.checkedInAt != nil)
        }
    }

    /// Pairs of this event's registrations whose emails shared a table at an earlier event of the
    /// network (any chapter, the last two years): the rounds that were played, or the whole plan
    /// of an evening whose rounds were never started from Rendezvous; and pairs who said "We met"
    /// at an earlier evening.
    public func metBefore(event: Event.ID) async throws -> [PersonPair] {
        struct StartRow: Decodable { var startsAt: Date }
        guard let start = try await sql.raw("SELECT starts_at FROM events WHERE id = \(bind: event.uuid)").row(StartRow.self)?.startsAt else { return [] }
        struct IDEmail: Decodable { var id: UUID; var email: String }
        let here = try await sql.raw("""
            SELECT id, email FROM registrations WHERE event_id = \(bind: event.uuid) AND status = 'confirmed'
            """).rows(IDEmail.self)
        var idsByEmail: [String: [String]] = [:]
        for row in here { idsByEmail[EmailAddress.normalize(row.email), default: []].append(row.id.uuidString.lowercased()) }
        guard !idsByEmail.isEmpty else { return [] }
        let since = start.addingTimeInterval(-2 * 365.25 * 86_400)
        let earlier = try await sql.raw("""
            SELECT \(unsafeRaw: RoomRow.columns.split(separator: ",").map { "o." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", "))
            FROM event_rooms o JOIN events e ON e.id = o.event_id
            WHERE o.plan IS NOT NULL AND e.id <> \(bind: event.uuid) AND e.starts_at < \(bind: start) AND e.starts_at >= \(bind: since)
            """).rows(RoomRow.self)
        var pairs = Set<PersonPair>()
        for row in earlier {
            guard let state = try? row.state(), let plan = state.plan else { continue }
            let played = state.startedRounds > 0 ? Array(plan.rounds.prefix(state.startedRounds)) : plan.rounds
            let theirs = try await sql.raw("SELECT id, email FROM registrations WHERE event_id = \(bind: row.eventId)").rows(IDEmail.self)
            var emailOf: [String: String] = [:]
            for person in theirs { emailOf[person.id.uuidString.lowercased()] = EmailAddress.normalize(person.email) }
            for round in played {
                for table in round {
                    let present = Set(table.compactMap { emailOf[$0] }.filter { idsByEmail[$0] != nil }).sorted()
                    for x in present.indices {
                        for y in present.indices where x < y {
                            for a in idsByEmail[present[x]]! { for b in idsByEmail[present[y]]! where a != b { pairs.insert(PersonPair(a, b)) } }
                        }
                    }
                }
            }
        }
        // People who said "We met" at an earlier evening (accepted or not yet answered: a refusal
        // is the only answer that says they did not).
        struct Met: Decodable { var a: String; var b: String }
        let met = try await sql.raw("""
            SELECT LOWER(TRIM(ra.email)) AS a, LOWER(TRIM(rb.email)) AS b FROM contacts c
            JOIN registrations ra ON ra.id = c.initiator_registration_id JOIN registrations rb ON rb.id = c.recipient_registration_id
            JOIN events e ON e.id = c.event_id
            WHERE c.status <> 'declined' AND c.event_id <> \(bind: event.uuid) AND e.starts_at < \(bind: start) AND e.starts_at >= \(bind: since)
              AND LOWER(TRIM(ra.email)) IN \(SQLBind.group(Array(idsByEmail.keys))) AND LOWER(TRIM(rb.email)) IN \(SQLBind.group(Array(idsByEmail.keys)))
            """).rows(Met.self)
        for pair in met where pair.a != pair.b {
            for a in idsByEmail[pair.a] ?? [] { for b in idsByEmail[pair.b] ?? [] where a != b { pairs.insert(PersonPair(a, b)) } }
        }
        return pairs.sorted { ($0.first, $0.second) < ($1.first, $1.second) }
    }
}
