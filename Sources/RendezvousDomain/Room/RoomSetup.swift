import Foundation

// MARK: - The organiser's setup

/// How the room is laid out for an event's table rotations: the tables, the rounds, and the
/// organiser's constraints (pins, people to keep apart).
public struct RoomSetup: Sendable, Codable, Equatable {
    public var tables: [RoomTable]
    public var rounds: Int
    public var roundMinutes: Int
    public var pins: [RotationPin]
    public var keepApart: [PersonPair]
    /// What matters beyond the rules that always hold.
    public var priorities: RotationPriorities

    public init(tables: [RoomTable], rounds: Int, roundMinutes: Int, pins: [RotationPin] = [], keepApart: [PersonPair] = [],
                priorities: RotationPriorities = RotationPriorities()) {
        self.tables = tables
        self.rounds = rounds
        self.roundMinutes = roundMinutes
        self.pins = pins
        self.keepApart = keepApart
        self.priorities = priorities
    }

    /// Setups stored before priorities existed read as "everything matters".
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        tables = try container.decode([RoomTable].self, forKey: .tables)
        rounds = try container.decode(Int.self, forKey: .rounds)
        roundMinutes = try container.decode(Int.self, forKey: .roundMinutes)
        pins = try container.decodeIfPresent([RotationPin].self, forKey: .pins) ?? []
        keepApart = try container.decodeIfPresent([PersonPair].self, forKey: .keepApart) ?? []
        priorities = try container.decodeIfPresent(RotationPriorities.self, forKey: .priorities) ?? RotationPriorities()
    }

    public static let tableRange = 1...200
    public static let seatRange = 2...20
    public static let roundRange = 1...12
    public static let minuteRange = 1...120
    public static let maxTableName = 40

    /// What a new event starts with: 8 tables of 6, 3 rounds of 20 minutes.
    public static let suggested = RoomSetup(tables: (1...8).map { RoomTable(name: "\($0)", seats: 6) }, rounds: 3, roundMinutes: 20)

    public var seats: Int { tables.reduce(0) { $0 + $1.seats } }

    /// A table's name as people read it (its number when the setup has no such table).
    public func tableName(_ index: Int) -> String {
        tables.indices.contains(index) ? tables[index].name : "\(index + 1)"
    }

    /// The same layout with another setup's pins and keep-apart pairs, dropping pins that no
    /// longer fit (a table or a round that is gone).
    public func keepingConstraints(of other: RoomSetup) -> RoomSetup {
        var copy = self
        copy.pins = other.pins.filter { $0.table < tables.count && $0.round < rounds }
        copy.keepApart = other.keepApart
        return copy
    }

    /// Pins a person to a table in a round (replacing their earlier pin in that round), or unpins them.
    public mutating func pin(_ person: String, round: Int, table: Int?) {
        pins.removeAll { $0.person == person && $0.round == round }
        if let table { pins.append(RotationPin(person: person, round: round, table: table)) }
    }

    public mutating func keepApart(_ a: String, _ b: String) {
        guard a != b else { return }
        let pair = PersonPair(a, b)
        if !keepApart.contains(pair) { keepApart.append(pair) }
    }
}

/// The setup form as typed (or as sent to the API): every field text, checked by `validated()`.
///
/// - `tables`, `seats`: how many tables, and the seats at each;
/// - `names`: optional table names, one per line, in table order (unnamed tables are numbered);
/// - `smaller`: optional smaller tables as "table:seats" pairs separated by commas, spaces or
///   lines ("5:4, 9:4" — table 5 and table 9 have 4 seats);
/// - `rounds`, `minutes`: how many rounds and how long each lasts.
public struct RoomSetupInput: Sendable, Codable, Equatable {
    public var tables: String
    public var seats: String
    public var names: String
    public var smaller: String
    public var rounds: String
    public var minutes: String
    /// The "what matters" checkboxes.
    public var priorities: RotationPriorities

    public init(tables: String = "", seats: String = "", names: String = "", smaller: String = "", rounds: String = "", minutes: String = "",
                priorities: RotationPriorities = RotationPriorities()) {
        self.tables = tables
        self.seats = seats
        self.names = names
        self.smaller = smaller
        self.rounds = rounds
        self.minutes = minutes
        self.priorities = priorities
    }

    /// The form as it shows a stored setup: the most common seat count is "seats", the others are "smaller" tables.
    public init(_ setup: RoomSetup) {
        let counts = Dictionary(grouping: setup.tables, by: \.seats)
        let common = counts.max { ($0.value.count, $0.key) < ($1.value.count, $1.key) }?.key ?? 6
        tables = String(setup.tables.count)
        seats = String(common)
        let numbered = setup.tables.enumerated().allSatisfy { $0.element.name == "\($0.offset + 1)" }
        names = numbered ? "" : setup.tables.map(\.name).joined(separator: "\n")
        smaller = setup.tables.enumerated().filter { $0.element.seats != common }.map { "\($0.offset + 1):\($0.element.seats)" }.joined(separator: ", ")
        rounds = String(setup.rounds)
        minutes = String(setup.roundMinutes)
        priorities = setup.priorities
    }

    /// The setup, or the problems per field (`tables`, `seats`, `names`, `smaller`, `rounds`, `minutes`).
    /// Pins and keep-apart pairs are not part of the form: they come back empty.
    public func validated() -> Result<RoomSetup, ValidationErrors> {
        var errors = ValidationErrors()
        func number(_ text: String, _ field: String, _ range: ClosedRange<Int>) -> Int? {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { errors.add(field, .required); return nil }
            guard let value = Int(trimmed), range.contains(value) else {
                errors.add(field, .outOfRange(min: range.lowerBound, max: range.upperBound))
                return nil
            }
            return value
        }
        let count = number(tables, "tables", RoomSetup.tableRange)
        let seatCount = number(seats, "seats", RoomSetup.seatRange)
        let roundCount = number(rounds, "rounds", RoomSetup.roundRange)
        let minuteCount = number(minutes, "minutes", RoomSetup.minuteRange)

        var tableNames: [String] = []
        let cleanNames = TextRules.clean(names, field: "names", required: false, maxLength: 200 * (RoomSetup.maxTableName + 1), multiline: true, into: &errors)
        if errors["names"] == nil {
            tableNames = cleanNames.isEmpty ? [] : cleanNames.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            if tableNames.contains(where: { $0.count > RoomSetup.maxTableName }) {
                errors.add("names", .tooLong(max: RoomSetup.maxTableName))
            } else if let count, tableNames.count > count {
                errors.add("names", .outOfRange(min: 0, max: count))
            }
        }

        var smallerSeats: [Int: Int] = [:]
        let pieces = smaller.split(whereSeparator: { $0 == "," || $0 == ";" || $0.isWhitespace }).map(String.init)
        for piece in pieces {
            let parts = piece.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
            let maxTable = count ?? RoomSetup.tableRange.upperBound
            let maxSeats = seatCount ?? RoomSetup.seatRange.upperBound
            guard parts.count == 2, let table = parts[0], let seats = parts[1] else {
                errors.add("smaller", .format(example: "5:4, 9:4"))
                break
            }
            guard (1...maxTable).contains(table) else {
                errors.add("smaller", .outOfRange(min: 1, max: maxTable))
                break
            }
            guard (RoomSetup.seatRange.lowerBound...maxSeats).contains(seats) else {
                errors.add("smaller", .outOfRange(min: RoomSetup.seatRange.lowerBound, max: maxSeats))
                break
            }
            smallerSeats[table - 1] = seats
        }

        guard errors.isEmpty, let count, let seatCount, let roundCount, let minuteCount else { return .failure(errors) }
        let layout = (0..<count).map { index in
            let name = index < tableNames.count && !tableNames[index].isEmpty ? tableNames[index] : "\(index + 1)"
            return RoomTable(name: name, seats: smallerSeats[index] ?? seatCount)
        }
        return .success(RoomSetup(tables: layout, rounds: roundCount, roundMinutes: minuteCount, priorities: priorities))
    }
}

// MARK: - The people in the room

/// Someone the rotations may seat: a confirmed registration of the event.
public struct RoomPerson: Sendable, Equatable, Codable {
    public var registrationID: String
    public var firstName: String
    public var lastName: String
    public var jobTitle: String
    public var company: String
    public var askMeAbout: String
    /// No earlier event of the network where the same email was confirmed or checked in.
    public var newcomer: Bool
    public var checkedIn: Bool

    public init(registrationID: String, firstName: String, lastName: String, jobTitle: String, company: String,
                askMeAbout: String, newcomer: Bool, checkedIn: Bool) {
        self.registrationID = registrationID
        self.firstName = firstName
        self.lastName = lastName
        self.jobTitle = jobTitle
        self.company = company
        self.askMeAbout = askMeAbout
        self.newcomer = newcomer
        self.checkedIn = checkedIn
    }

    public var name: String { "\(firstName) \(lastName)" }

    /// People by registration id (the first one wins should an id repeat).
    public static func byID(_ people: [RoomPerson]) -> [String: RoomPerson] {
        Dictionary(people.map { ($0.registrationID, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// What the planner weighs about this person.
    public var rotationPerson: RotationPerson {
        RotationPerson(key: registrationID, company: Folding.companyKey(company), family: JobFamily.classify(jobTitle),
                       newcomer: newcomer, topics: Folding.topics(askMeAbout))
    }

    /// Who the rotations seat: once anyone is checked in, the people checked in; before the
    /// doors open, everyone confirmed. Minus those who left.
    public static func present(_ people: [RoomPerson], left: [String]) -> [RoomPerson] {
        let gone = Set(left)
        let doorsOpen = people.contains(where: \.checkedIn)
        return people.filter { !gone.contains($0.registrationID) && (!doorsOpen || $0.checkedIn) }
    }
}

// MARK: - The evening's run

public enum RoundPhase: String, Codable, Sendable {
    case notStarted, running, paused, finished
}

/// An event's room: its setup, its plan, and where the evening is.
public struct RoomState: Sendable, Equatable {
    public var eventID: Event.ID
    public var setup: RoomSetup
    public var plan: RotationPlan?
    public var plannedAt: Date?
    /// 0-based; nil before the first round starts.
    public var currentRound: Int?
    public var phase: RoundPhase
    /// When the current round started, moved forward by the length of any pause.
    public var roundStartedAt: Date?
    /// Seconds left in the round when it was paused.
    public var remainingWhenPaused: Int?
    /// Registration ids of people who left early.
    public var left: [String]
    /// Bumps on every change (plan, round, setup); the live pages poll it.
    public var version: Int

    public init(eventID: Event.ID, setup: RoomSetup, plan: RotationPlan? = nil, plannedAt: Date? = nil, currentRound: Int? = nil,
                phase: RoundPhase = .notStarted, roundStartedAt: Date? = nil, remainingWhenPaused: Int? = nil, left: [String] = [], version: Int = 1) {
        self.eventID = eventID
        self.setup = setup
        self.plan = plan
        self.plannedAt = plannedAt
        self.currentRound = currentRound
        self.phase = phase
        self.roundStartedAt = roundStartedAt
        self.remainingWhenPaused = remainingWhenPaused
        self.left = left
        self.version = version
    }

    public var roundSeconds: Int { setup.roundMinutes * 60 }

    /// Rounds that have started (running, paused or over): they never change.
    public var startedRounds: Int {
        switch phase {
        case .notStarted: 0
        case .finished: currentRound.map { $0 + 1 } ?? 0
        case .running, .paused: (currentRound ?? -1) + 1
        }
    }

    /// Seconds left in the current round at `now` (nil unless running or paused); never negative.
    public func secondsLeft(now: Date) -> Int? {
        switch phase {
        case .paused:
            return remainingWhenPaused.map { max(0, $0) }
        case .running:
            guard let started = roundStartedAt else { return nil }
            let elapsed = Int(now.timeIntervalSince(started).rounded(.down))
            return max(0, roundSeconds - elapsed)
        case .notStarted, .finished:
            return nil
        }
    }

    /// The table (0-based) of a registration in a round, and its tablemates' keys.
    public func seat(of registration: String, round: Int) -> (table: Int, mates: [String])? {
        guard let plan, plan.rounds.indices.contains(round) else { return nil }
        for (table, people) in plan.rounds[round].enumerated() where people.contains(registration) {
            return (table, people.filter { $0 != registration })
        }
        return nil
    }
}
