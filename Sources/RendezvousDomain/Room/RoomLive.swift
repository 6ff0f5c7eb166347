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
        let names = shortNames(Array(people.values))
        var tables: [Table] = []
        if let shown, let plan = state.plan, plan.rounds.indices.contains(shown) {
            for (index, keys) in plan.rounds[shown].enumerated() {
                let name = state.setup.tableName(index)
                let gone = Set(state.left)
                let seated = keys.filter { !gone.contains($0) }.compactMap { people[$0] }
                    .map { Person(name: names[$0.registrationID] ?? shortName($0), jobTitle: $0.jobTitle) }
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

    public static func shortName(_ person: RoomPerson, letters: Int = 1) -> String {
        let last = person.lastName.trimmingCharacters(in: .whitespaces)
        guard let first = last.unicodeScalars.first else { return person.firstName }
        // Names in scripts without initials (Chinese, Japanese, Korean, Arabic, Hebrew…) stay whole.
        if !first.properties.isAlphabetic || Self.wholeNameScripts(first) { return "\(person.firstName) \(last)" }
        guard letters < last.count else { return "\(person.firstName) \(last)" }
        return "\(person.firstName) \(last.prefix(letters))."
    }

    static func wholeNameScripts(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0590...0x08FF, 0x1100...0x11FF, 0x2E80...0x9FFF, 0xA960...0xA97F, 0xAC00...0xD7FF, 0xF900...0xFAFF, 0xFB1D...0xFDFF, 0xFE70...0xFEFF, 0x20000...0x3FFFF:
            true
        default:
            false
        }
    }

    /// Short names that tell everyone apart: "Karim D." unless two Karim D.s are in the room,
    /// then "Karim Dub." and "Karim Dur." (whole last names when even that is not enough).
    public static func shortNames(_ people: [RoomPerson]) -> [String: String] {
        var letters = Dictionary(uniqueKeysWithValues: people.map { ($0.registrationID, 1) })
        for _ in 0..<40 {
            var byName: [String: [RoomPerson]] = [:]
            for person in people { byName[shortName(person, letters: letters[person.registrationID] ?? 1), default: []].append(person) }
            let clashes = byName.values.filter { $0.count > 1 }
            if clashes.isEmpty { break }
            for group in clashes { for person in group { letters[person.registrationID, default: 1] += 1 } }
        }
        return Dictionary(uniqueKeysWithValues: people.map { ($0.registrationID, shortName($0, letters: letters[$0.registrationID] ?? 1)) })
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
        let tableName = state.setup.tableName
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
