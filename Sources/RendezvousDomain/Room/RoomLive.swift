import Foundation

/// What the live pages of the evening show, computed from the room's state: the big screen
/// (every table of the round on now, or the first one before it starts) and one attendee's phone
/// (their table and tablemates). Small, versioned JSON: the pages poll it and redraw when
/// `version` changes; the countdown runs on the phone from `secondsLeft`.
public struct RoomLive: Sendable, Codable, Equatable {
    public struct Person: Sendable, Codable, Equatable {
        public var name: String
        public var jobTitle: String
    }

    public struct Table: Sendable, Codable, Equatable {
        public var name: String
        public var people: [Person]
    }

    /// The format of this document; bumps when a field changes meaning.
    public var format = 1
    public var version: Int
    public var phase: RoundPhase
    /// 1-based round shown: the one running or paused, the first before they start; nil when none.
    public var round: Int?
    public var rounds: Int
    public var secondsLeft: Int?
    public var roundSeconds: Int
    public var planned: Bool
    public var tables: [Table]

    /// The screen's view. Names are first name and initial: readable from the back of a room,
    /// not a directory.
    public static func screen(_ state: RoomState, people: [String: RoomPerson], now: Date) -> RoomLive {
        let shown = shownRound(state)
        var tables: [Table] = []
        if let shown, let plan = state.plan, plan.rounds.indices.contains(shown) {
            for (index, keys) in plan.rounds[shown].enumerated() {
                let name = state.setup.tables.indices.contains(index) ? state.setup.tables[index].name : "\(index + 1)"
                let gone = Set(state.left)
                let seated = keys.filter { !gone.contains($0) }.compactMap { people[$0] }.map { Person(name: shortName($0), jobTitle: $0.jobTitle) }
                tables.append(Table(name: name, people: seated))
            }
        }
        return RoomLive(
            version: state.version, phase: state.phase, round: shown.map { $0 + 1 }, rounds: state.setup.rounds,
            secondsLeft: state.secondsLeft(now: now), roundSeconds: state.roundSeconds, planned: state.plan != nil, tables: tables
        )
    }

    /// The round the room is in, or about to start; nil once it is over or with no plan.
    public static func shownRound(_ state: RoomState) -> Int? {
        guard state.plan != nil else { return nil }
        switch state.phase {
        case .notStarted: return 0
        case .running, .paused: return state.currentRound
        case .finished: return nil
        }
    }

    public static func shortName(_ person: RoomPerson) -> String {
        guard let initial = person.lastName.trimmingCharacters(in: .whitespaces).first else { return person.firstName }
        return "\(person.firstName) \(initial)."
    }
}

/// One attendee's seat, for their phone: "Round 2 of 4 · table 5 · with Marie (consultant) …".
public struct SeatLive: Sendable, Codable, Equatable {
    public var format = 1
    public var version: Int
    public var phase: RoundPhase
    public var round: Int?
    public var rounds: Int
    public var secondsLeft: Int?
    public var roundSeconds: Int
    /// Their table in the round shown; nil when they are not in the plan (yet).
    public var table: String?
    public var mates: [RoomLive.Person]
    /// Their table in the round after, if any: where to go when the bell rings.
    public var nextTable: String?
    /// Every round's table, in order (nil where they have no seat): for the ticket and the badge.
    public var allTables: [String?]

    public static func seat(of registration: String, _ state: RoomState, people: [String: RoomPerson], now: Date) -> SeatLive {
        let shown = RoomLive.shownRound(state)
        func tableName(_ index: Int) -> String {
            state.setup.tables.indices.contains(index) ? state.setup.tables[index].name : "\(index + 1)"
        }
        var table: String?
        var mates: [RoomLive.Person] = []
        var next: String?
        let gone = Set(state.left)
        if let shown, !gone.contains(registration), let seat = state.seat(of: registration, round: shown) {
            table = tableName(seat.table)
            mates = seat.mates.filter { !gone.contains($0) }.compactMap { people[$0] }.map { RoomLive.Person(name: $0.firstName, jobTitle: $0.jobTitle) }
            if let after = state.seat(of: registration, round: shown + 1) { next = tableName(after.table) }
        }
        let all: [String?] = (0..<(state.plan?.rounds.count ?? 0)).map { round in state.seat(of: registration, round: round).map { tableName($0.table) } }
        return SeatLive(
            version: state.version, phase: state.phase, round: shown.map { $0 + 1 }, rounds: state.setup.rounds,
            secondsLeft: state.secondsLeft(now: now), roundSeconds: state.roundSeconds, table: table, mates: mates,
            nextTable: next, allTables: all
        )
    }
}
