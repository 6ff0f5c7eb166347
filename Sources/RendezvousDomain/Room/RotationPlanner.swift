import Foundation

// MARK: - What the organiser asks for

/// A table in the room: its name as shown ("1", "Window", "Table A") and how many seats it has.
public struct RoomTable: Sendable, Codable, Equatable {
    public var name: String
    public var seats: Int
    public init(name: String, seats: Int) {
        self.name = name
        self.seats = seats
    }
}

/// Someone to seat, with what the planner weighs. `key` is opaque (a registration id, or a number).
public struct RotationPerson: Sendable, Equatable {
    public var key: String
    /// `Folding.companyKey` of their company; empty when unknown (never a colleague then).
    public var company: String
    public var family: JobFamily
    /// First meetup of the network.
    public var newcomer: Bool
    /// `Folding.topics` of their "ask me about".
    public var topics: [String]

    public init(key: String, company: String = "", family: JobFamily = .other, newcomer: Bool = false, topics: [String] = []) {
        self.key = key
        self.company = company
        self.family = family
        self.newcomer = newcomer
        self.topics = topics
    }
}

/// An organiser's pin: this person sits at this table (0-based index) in this round (0-based).
public struct RotationPin: Sendable, Codable, Equatable, Hashable {
    public var person: String
    public var round: Int
    public var table: Int
    public init(person: String, round: Int, table: Int) {
        self.person = person
        self.round = round
        self.table = table
    }
}

/// A pair of people, unordered.
public struct PersonPair: Sendable, Codable, Equatable, Hashable {
    public var first: String
    public var second: String
    public init(_ a: String, _ b: String) {
        (first, second) = a <= b ? (a, b) : (b, a)
    }
}

/// One round's seating: tables in order, each the keys of the people at it.
public typealias RoundSeating = [[String]]

/// What matters to the organiser beyond the rules that always hold (nobody meets twice,
/// colleagues apart, "keep apart" pairs): each can be switched off.
public struct RotationPriorities: Sendable, Codable, Equatable {
    /// Each table mixes newcomers and regulars.
    public var mixNewcomers: Bool
    /// Each table spreads job families.
    public var mixJobs: Bool
    /// Each table spreads "ask me about" topics.
    public var spreadTopics: Bool
    /// People who met at an earlier meetup of the network sit apart where possible.
    public var avoidMetBefore: Bool

    public init(mixNewcomers: Bool = true, mixJobs: Bool = true, spreadTopics: Bool = true, avoidMetBefore: Bool = true) {
        self.mixNewcomers = mixNewcomers
        self.mixJobs = mixJobs
        self.spreadTopics = spreadTopics
        self.avoidMetBefore = avoidMetBefore
    }

    /// Stored setups from before priorities existed read as "everything matters".
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        mixNewcomers = try container.decodeIfPresent(Bool.self, forKey: .mixNewcomers) ?? true
        mixJobs = try container.decodeIfPresent(Bool.self, forKey: .mixJobs) ?? true
        spreadTopics = try container.decodeIfPresent(Bool.self, forKey: .spreadTopics) ?? true
        avoidMetBefore = try container.decodeIfPresent(Bool.self, forKey: .avoidMetBefore) ?? true
    }
}

public struct RotationRequest: Sendable {
    public var people: [RotationPerson]
    public var tables: [RoomTable]
    /// How many rounds in all, including `fixedRounds`.
    public var rounds: Int
    /// Rounds already played or running: kept as they are, and their meetings count.
    public var fixedRounds: [RoundSeating]
    /// The previous plan of the rounds still to come (same indexing, after `fixedRounds`): a re-plan moves as few people as it can.
    public var previous: [RoundSeating]
    public var pins: [RotationPin]
    public var keepApart: [PersonPair]
    /// Pairs who met at an earlier meetup (same table, or a contact exchange): apart where possible.
    public var metBefore: [PersonPair]
    public var seed: UInt64
    /// Stop searching after this long even if the plan could improve (the best plan found is returned).
    public var timeLimit: TimeInterval
    /// Safety net for reproducible runs: stop after this many search steps.
    public var maxSteps: Int
    public var priorities: RotationPriorities

    public init(
        people: [RotationPerson], tables: [RoomTable], rounds: Int, fixedRounds: [RoundSeating] = [], previous: [RoundSeating] = [],
        pins: [RotationPin] = [], keepApart: [PersonPair] = [], metBefore: [PersonPair] = [], seed: UInt64 = 1,
        timeLimit: TimeInterval = 2, maxSteps: Int = 5_000_000, priorities: RotationPriorities = RotationPriorities()
    ) {
        self.priorities = priorities
        self.people = people
        self.tables = tables
        self.rounds = rounds
        self.fixedRounds = fixedRounds
        self.previous = previous
        self.pins = pins
        self.keepApart = keepApart
        self.metBefore = metBefore
        self.seed = seed
        self.timeLimit = timeLimit
        self.maxSteps = maxSteps
    }

    /// Tables of equal size, numbered from 1: enough of them for everyone.
    public static func tables(people: Int, tableSize: Int) -> [RoomTable] {
        let count = max(1, (people + tableSize - 1) / max(1, tableSize))
        return (1...count).map { RoomTable(name: "\($0)", seats: tableSize) }
    }
}

// MARK: - What the planner answers

public struct RotationQuality: Sendable, Codable, Equatable {
    /// Pairs of people who share a table more than once this evening.
    public var repeatedPairs: Int
    /// Pairs of colleagues (same company) seated together, counted once per round.
    public var colleaguePairs: Int
    /// "Keep apart" pairs seated together, per round.
    public var keptApartTogether: Int
    /// Pairs who met at an earlier meetup and share a table this evening.
    public var metBeforeTogether: Int
    /// Same-family, same-newcomer-status and shared-topic pairs at tables (lower is better mixed).
    public var mixPenalty: Int
    /// What no plan can beat: repeated pairs forced by the numbers, colleague pairs forced by
    /// the size of companies, and the mix penalty of perfectly even tables.
    public var lowerBound: LowerBound
    /// 100 when the mix penalty reaches its lower bound.
    public var mixScore: Int
    /// People whose table changed from the previous plan (re-plans only).
    public var moved: Int
    /// Pins that could not be honoured (a table too small, a person absent).
    public var unmetPins: Int
    public var seconds: Double

    public struct LowerBound: Sendable, Codable, Equatable {
        public var repeatedPairs: Int
        public var colleaguePairs: Int
        public var mixPenalty: Int
    }
}

public struct RotationPlan: Sendable, Codable, Equatable {
    /// Every round, fixed ones first: tables in order, each the keys of the people at it.
    public var rounds: [RoundSeating]
    public var quality: RotationQuality
}

public enum RotationError: Error, Equatable, Sendable {
    case noTables
    case noRounds
    case notEnoughSeats(people: Int, seats: Int)
}

// MARK: - The planner

/// Seats people at tables for several rounds so that everyone meets new people: the social golfer
/// problem with soft constraints. Greedy construction (each person to the table where they add the
/// least cost, the most constrained first), then tabu search over swaps of two people in one round,
/// restarting from the best plan with a perturbation when it stalls.
///
/// The cost is a sum over pairs at a table: a pair meeting again costs `repeat` per extra meeting;
/// colleagues, "keep apart" pairs, people who met before and the mix (same job family, same
/// newcomer status, a shared topic) each have a weight, ordered so that hard rules dominate.
public enum RotationPlanner {
    static let repeatWeight: Int32 = 1_000
    static let colleagueWeight: Int32 = 1_000
    static let apartWeight: Int32 = 4_000
    static let metBeforeWeight: Int32 = 60
    static let familyWeight: Int32 = 3
    static let statusWeight: Int32 = 2
    static let topicWeight: Int32 = 2
    static let moveWeight: Int32 = 30

    public static func plan(_ request: RotationRequest) throws -> RotationPlan {
        let started = Date()
        guard !request.tables.isEmpty, request.tables.contains(where: { $0.seats > 0 }) else { throw RotationError.noTables }
        guard request.rounds > 0 else { throw RotationError.noRounds }
        let seats = request.tables.reduce(0) { $0 + max(0, $1.seats) }
        guard request.people.count <= seats else { throw RotationError.notEnoughSeats(people: request.people.count, seats: seats) }
        var engine = Engine(request)
        engine.construct()
        engine.search(deadline: started.addingTimeInterval(request.timeLimit))
        return engine.result(seconds: Date().timeIntervalSince(started))
    }

    /// A baseline for benchmarks: everyone shuffled into tables each round, nothing weighed.
    public static func shuffled(_ request: RotationRequest) -> RotationPlan {
        var engine = Engine(request)
        engine.randomFill()
        return engine.result(seconds: 0)
    }

    /// Quality of any seating, measured the same way as the planner's own plans.
    public static func measure(_ request: RotationRequest, rounds: [RoundSeating]) -> RotationQuality {
        Engine(request).quality(of: rounds, seconds: 0)
    }

    /// How many people each table gets: as even as the seats allow, never fewer than 3 at a table
    /// when that can be avoided (fewer tables are used instead).
    public static func occupancy(people: Int, tables: [RoomTable]) -> [Int] {
        var used = tables.map { max(0, $0.seats) }
        func fill(_ capacities: [Int]) -> [Int] {
            var counts = Array(repeating: 0, count: capacities.count)
            for _ in 0..<people {
                // The emptiest table relative to its size; on a tie, the one with fewer people.
                var best = -1
                var bestKey = (Double.infinity, Int.max)
                for index in capacities.indices where counts[index] < capacities[index] {
                    let key = (Double(counts[index] + 1) / Double(capacities[index]), counts[index])
                    if key < bestKey { bestKey = key; best = index }
                }
                if best < 0 { break }
                counts[best] += 1
            }
            return counts
        }
        var counts = fill(used)
        // Drop the smallest tables while some table would hold one or two people and the rest can take them.
        while counts.contains(where: { $0 > 0 && $0 < 3 }), used.filter({ $0 > 0 }).count > 1 {
            guard let smallest = used.indices.filter({ used[$0] > 0 }).min(by: { (used[$0], -$0) < (used[$1], -$1) }) else { break }
            var trial = used
            trial[smallest] = 0
            guard trial.reduce(0, +) >= people else { break }
            used = trial
            counts = fill(used)
        }
        return counts
    }
}

// MARK: - The engine (indices, flat arrays)

struct Engine {
    let n: Int
    let tableCount: Int
    let roundCount: Int
    let fixedCount: Int
    let keys: [String]
    let request: RotationRequest
    /// Static pair costs, n×n: hard (colleagues, apart, met before) and mix.
    var hardCost: [Int32]
    var mix: [Int32]
    var colleague: [Bool]
    var apart: [Bool]
    var metBefore: [Bool]
    /// Meetings per pair over every round (fixed ones included), n×n.
    var meet: [UInt8]
    /// Seats: each round has n slots; table t owns slots tableStart[t]..<tableStart[t + 1].
    let target: [Int]
    let tableStart: [Int]
    let tableOfSlot: [Int]
    /// who[r * n + slot] = person; slot[r * n + p] = their slot (planned rounds only).
    var who: [Int]
    var slot: [Int]
    /// Filled slots per table while constructing.
    var filled: [Int]
    var pinned: [Bool]
    var pinTable: [Int]
    var anchor: [Int]
    var unmetPins = 0
    var rng: SeededGenerator

    init(_ request: RotationRequest) {
        self.request = request
        n = request.people.count
        keys = request.people.map(\.key)
        tableCount = request.tables.count
        fixedCount = min(request.fixedRounds.count, request.rounds)
        roundCount = request.rounds - fixedCount
        rng = SeededGenerator(seed: request.seed)
        target = RotationPlanner.occupancy(people: n, tables: request.tables)
        var starts = [0]
        var ofSlot: [Int] = []
        for (t, count) in target.enumerated() {
            starts.append(starts[t] + count)
            ofSlot.append(contentsOf: Array(repeating: t, count: count))
        }
        tableStart = starts
        tableOfSlot = ofSlot
        var index: [String: Int] = [:]
        for (i, key) in keys.enumerated() { index[key] = i }
        hardCost = Array(repeating: 0, count: n * n)
        colleague = Array(repeating: false, count: n * n)
        apart = Array(repeating: false, count: n * n)
        metBefore = Array(repeating: false, count: n * n)
        mix = Array(repeating: 0, count: n * n)
        meet = Array(repeating: 0, count: n * n)
        let people = request.people
        let topicSets = people.map { Set($0.topics) }
        for a in 0..<n {
            for b in (a + 1)..<max(a + 1, n) {
                var m: Int32 = 0
                let wants = request.priorities
                if wants.mixJobs, people[a].family == people[b].family, people[a].family != .other { m += RotationPlanner.familyWeight }
                if wants.mixNewcomers, people[a].newcomer == people[b].newcomer { m += RotationPlanner.statusWeight }
                if wants.spreadTopics, !topicSets[a].isDisjoint(with: topicSets[b]) { m += RotationPlanner.topicWeight }
                mix[a * n + b] = m; mix[b * n + a] = m
                let same = Folding.sameCompany(people[a].company, people[b].company)
                colleague[a * n + b] = same; colleague[b * n + a] = same
            }
        }
        for pair in request.keepApart {
            if let a = index[pair.first], let b = index[pair.second], a != b { apart[a * n + b] = true; apart[b * n + a] = true }
        }
        for pair in request.metBefore {
            if let a = index[pair.first], let b = index[pair.second], a != b { metBefore[a * n + b] = true; metBefore[b * n + a] = true }
        }
        for i in 0..<(n * n) {
            var c: Int32 = 0
            if colleague[i] { c += RotationPlanner.colleagueWeight }
            if apart[i] { c += RotationPlanner.apartWeight }
            if metBefore[i], request.priorities.avoidMetBefore { c += RotationPlanner.metBeforeWeight }
            hardCost[i] = c
        }
        for round in request.fixedRounds.prefix(fixedCount) {
            for table in round {
                let members = table.compactMap { index[$0] }
                for x in members.indices { for y in members.indices where x < y { meet[members[x] * n + members[y]] += 1; meet[members[y] * n + members[x]] += 1 } }
            }
        }
        who = Array(repeating: -1, count: roundCount * n)
        slot = Array(repeating: -1, count: roundCount * n)
        filled = Array(repeating: 0, count: roundCount * tableCount)
        pinned = Array(repeating: false, count: roundCount * n)
        pinTable = Array(repeating: -1, count: roundCount * n)
        anchor = Array(repeating: -1, count: roundCount * n)
        for pin in request.pins {
            let r = pin.round - fixedCount
            guard r >= 0, r < roundCount, let p = index[pin.person], pin.table >= 0, pin.table < tableCount else {
                if pin.round >= fixedCount { unmetPins += 1 }
                continue
            }
            pinTable[r * n + p] = pin.table
        }
        for (offset, round) in request.previous.prefix(roundCount).enumerated() {
            for (t, table) in round.enumerated() where t < tableCount {
                for key in table { if let p = index[key] { anchor[offset * n + p] = t } }
            }
        }
    }

    @inline(__always) func table(_ r: Int, _ p: Int) -> Int { tableOfSlot[slot[r * n + p]] }

    // MARK: Construction

    mutating func construct() {
        if seatFromDesign() { return }
        for r in 0..<roundCount { constructRound(r) }
    }

    /// When everyone fills `g` tables of `s` exactly, with `g` a prime or a power of two and
    /// `s ≤ g`, a resolvable design seats them with nobody meeting twice for `g` rounds (one more
    /// when `s` divides `g`): people are the cells of an `s × g` grid, and in round `w` table `c`
    /// holds the cell `(i, c + w·aᵢ)` of each row `i` — two people of different rows meet in exactly
    /// one round, two of the same row never. The last round, if needed, cuts each row into tables.
    /// Colleagues go into the same row, so they never meet either. The search then only has the
    /// mix (and any pins or history) to improve. Returns false when the room is not of that shape.
    private mutating func seatFromDesign() -> Bool {
        guard fixedCount == 0, n >= 4, !anchor.contains(where: { $0 >= 0 }), !pinTable.contains(where: { $0 >= 0 }) else { return false }
        let used = target.filter { $0 > 0 }
        guard let s = used.first, used.allSatisfy({ $0 == s }), s >= 2 else { return false }
        let g = used.count
        guard s <= g, let field = FiniteField(order: g) else { return false }
        let rounds = g + (g % s == 0 ? 1 : 0)
        guard roundCount <= rounds else { return false }
        // Rows: colleagues together (largest companies first), then everyone else, in a seeded order.
        var order = Array(0..<n)
        order.shuffle(using: &rng)
        var companies: [String: [Int]] = [:]
        for p in order { companies[request.people[p].company, default: []].append(p) }
        let grouped = companies.filter { !$0.key.isEmpty && $0.value.count > 1 }.sorted { ($1.value.count, $0.key) < ($0.value.count, $1.key) }.map(\.value)
        var rows = Array(repeating: [Int](), count: s)
        var placed = Set<Int>()
        for group in grouped {
            // The emptiest row that takes the whole group, else spread it from the emptiest.
            if let row = rows.indices.filter({ rows[$0].count + group.count <= g }).min(by: { rows[$0].count < rows[$1].count }) {
                rows[row].append(contentsOf: group)
            } else {
                for p in group { if let row = rows.indices.filter({ rows[$0].count < g }).min(by: { rows[$0].count < rows[$1].count }) { rows[row].append(p) } }
            }
            placed.formUnion(group)
        }
        for p in order where !placed.contains(p) {
            guard let row = rows.indices.filter({ rows[$0].count < g }).min(by: { rows[$0].count < rows[$1].count }) else { return false }
            rows[row].append(p)
        }
        let tableIndex = target.indices.filter { target[$0] > 0 }
        for r in 0..<roundCount {
            if r < g {
                let w = r
                for c in 0..<g {
                    for i in 0..<s {
                        let column = field.add(c, field.multiply(w, i))
                        place(rows[i][column], tableIndex[c], r)
                    }
                }
            } else {
                // The extra round: each row of g cut into g / s tables, a row's colleagues dealt
                // to different tables (they sit in one row because they never meet elsewhere).
                var t = 0
                let chunks = g / s
                for row in rows {
                    var dealt = Array(repeating: [Int](), count: chunks)
                    var next = 0
                    for p in row {
                        while dealt[next % chunks].count >= s { next += 1 }
                        dealt[next % chunks].append(p)
                        next += 1
                    }
                    for chunk in dealt {
                        for p in chunk { place(p, tableIndex[t], r) }
                        t += 1
                    }
                }
            }
        }
        return true
    }

    private mutating func place(_ p: Int, _ t: Int, _ r: Int) {
        let base = r * n
        for s in tableStart[t]..<(tableStart[t] + filled[r * tableCount + t]) {
            let q = who[base + s]
            meet[p * n + q] += 1; meet[q * n + p] += 1
        }
        let s = tableStart[t] + filled[r * tableCount + t]
        filled[r * tableCount + t] += 1
        who[base + s] = p
        slot[base + p] = s
    }

    private func hasRoom(_ t: Int, _ r: Int) -> Bool { filled[r * tableCount + t] < target[t] }

    private mutating func constructRound(_ r: Int) {
        var order = Array(0..<n)
        order.shuffle(using: &rng)
        for p in order where pinTable[r * n + p] >= 0 {
            let t = pinTable[r * n + p]
            if hasRoom(t, r) { place(p, t, r); pinned[r * n + p] = true } else { unmetPins += 1 }
        }
        for p in order where slot[r * n + p] < 0 && anchor[r * n + p] >= 0 {
            let t = anchor[r * n + p]
            if hasRoom(t, r), addedCost(p, t, r).hard == 0 { place(p, t, r) }
        }
        // The most constrained first: those with the most costly pairs and past meetings.
        var rest = order.filter { slot[r * n + $0] < 0 }
        let weight = rest.map { p -> Int in
            var w = 0
            for q in 0..<n where q != p { if hardCost[p * n + q] > 0 || meet[p * n + q] > 0 { w += 1 } }
            return w
        }
        rest = zip(rest, weight).sorted { $0.1 > $1.1 }.map(\.0)
        if n > 300 {
            for p in rest {
                var best = -1
                var bestCost = (hard: Int32.max, soft: Int32.max)
                var ties = 0
                for t in 0..<tableCount where hasRoom(t, r) {
                    let cost = addedCost(p, t, r)
                    if cost < bestCost {
                        bestCost = cost; best = t; ties = 1
                    } else if cost == bestCost {
                        ties += 1
                        if rng.below(ties) == 0 { best = t }
                    }
                }
                place(p, best, r)
            }
            return
        }
        // Then table by table, the person who leaves the table the most freedom: the most people
        // still free to join it (who have met nobody at it and clash with nobody), ties at random.
        // An array, not a Set: a Set's order changes from process to process, and the plan must
        // depend on the seed alone.
        var unplaced = rest
        var compatible = Array(repeating: true, count: n)  // compatible with the table being filled
        for t in 0..<tableCount {
            for i in 0..<n { compatible[i] = true }
            for s in tableStart[t]..<(tableStart[t] + filled[r * tableCount + t]) {
                let q = who[r * n + s]
                for x in 0..<n where meet[q * n + x] > 0 || hardCost[q * n + x] > 0 { compatible[x] = false }
            }
            while hasRoom(t, r), !unplaced.isEmpty {
                var best = -1
                var bestScore = (hard: Int32.max, soft: Int32.max, freedom: Int.min)
                var ties = 0
                for p in unplaced {
                    let cost = addedCost(p, t, r)
                    var freedom = 0
                    if cost.hard == 0 {
                        for x in unplaced where x != p && compatible[x] && meet[p * n + x] == 0 && hardCost[p * n + x] == 0 { freedom += 1 }
                    }
                    let score = (hard: cost.hard, soft: cost.soft, freedom: freedom)
                    let isBetter = score.hard < bestScore.hard || (score.hard == bestScore.hard && (score.freedom > bestScore.freedom || (score.freedom == bestScore.freedom && score.soft < bestScore.soft)))
                    let isEqual = score.hard == bestScore.hard && score.freedom == bestScore.freedom && score.soft == bestScore.soft
                    if isBetter { best = p; bestScore = score; ties = 1 }
                    else if isEqual { ties += 1; if rng.below(ties) == 0 { best = p } }
                }
                place(best, t, r)
                unplaced.removeAll { $0 == best }
                for x in 0..<n where meet[best * n + x] > 0 || hardCost[best * n + x] > 0 { compatible[x] = false }
            }
        }
    }

    private func addedCost(_ p: Int, _ t: Int, _ r: Int) -> (hard: Int32, soft: Int32) {
        var hard: Int32 = 0, soft: Int32 = 0
        for s in tableStart[t]..<(tableStart[t] + filled[r * tableCount + t]) {
            let q = who[r * n + s]
            hard += hardCost[p * n + q]
            if meet[p * n + q] >= 1 { hard += RotationPlanner.repeatWeight }
            soft += mix[p * n + q]
        }
        let a = anchor[r * n + p]
        if a >= 0, a != t { soft += RotationPlanner.moveWeight }
        return (hard, soft)
    }

    mutating func randomFill() {
        for r in 0..<roundCount {
            var order = Array(0..<n)
            order.shuffle(using: &rng)
            var i = 0
            for t in 0..<tableCount {
                for _ in 0..<target[t] { place(order[i], t, r); i += 1 }
            }
        }
    }

    // MARK: Search

    /// Change in cost if p and q (at different tables) swap in round r: the hard part (repeats,
    /// colleagues, keep-apart, met before) and the soft part (mix, moves from the previous plan).
    @inline(__always) private func swapDelta(_ p: Int, _ q: Int, _ r: Int) -> (hard: Int32, soft: Int32) {
        let base = r * n
        let tp = tableOfSlot[slot[base + p]], tq = tableOfSlot[slot[base + q]]
        var hard: Int32 = 0
        var soft: Int32 = 0
        let pn = p * n, qn = q * n
        for s in tableStart[tp]..<tableStart[tp + 1] {
            let x = who[base + s]
            if x == p { continue }
            hard += hardCost[qn + x] - hardCost[pn + x]
            if meet[pn + x] >= 2 { hard -= RotationPlanner.repeatWeight }
            if meet[qn + x] >= 1 { hard += RotationPlanner.repeatWeight }
            soft += mix[qn + x] - mix[pn + x]
        }
        for s in tableStart[tq]..<tableStart[tq + 1] {
            let y = who[base + s]
            if y == q { continue }
            hard += hardCost[pn + y] - hardCost[qn + y]
            if meet[qn + y] >= 2 { hard -= RotationPlanner.repeatWeight }
            if meet[pn + y] >= 1 { hard += RotationPlanner.repeatWeight }
            soft += mix[pn + y] - mix[qn + y]
        }
        let ap = anchor[base + p], aq = anchor[base + q]
        if ap >= 0 { soft += (ap == tq ? 0 : RotationPlanner.moveWeight) - (ap == tp ? 0 : RotationPlanner.moveWeight) }
        if aq >= 0 { soft += (aq == tp ? 0 : RotationPlanner.moveWeight) - (aq == tq ? 0 : RotationPlanner.moveWeight) }
        return (hard, soft)
    }

    private mutating func swap(_ p: Int, _ q: Int, _ r: Int) {
        let base = r * n
        let sp = slot[base + p], sq = slot[base + q]
        let tp = tableOfSlot[sp], tq = tableOfSlot[sq]
        for s in tableStart[tp]..<tableStart[tp + 1] where s != sp {
            let x = who[base + s]
            meet[p * n + x] -= 1; meet[x * n + p] -= 1; meet[q * n + x] += 1; meet[x * n + q] += 1
        }
        for s in tableStart[tq]..<tableStart[tq + 1] where s != sq {
            let y = who[base + s]
            meet[q * n + y] -= 1; meet[y * n + q] -= 1; meet[p * n + y] += 1; meet[y * n + p] += 1
        }
        who[base + sp] = q; who[base + sq] = p
        slot[base + p] = sq; slot[base + q] = sp
    }

    /// Total cost, in two parts: hard (every repeated meeting, colleagues, keep-apart, met before)
    /// and soft (the mix, moves from the previous plan).
    func totalCost() -> (hard: Int64, soft: Int64) {
        var hard: Int64 = 0, soft: Int64 = 0
        for r in 0..<roundCount {
            for t in 0..<tableCount {
                for i in tableStart[t]..<tableStart[t + 1] {
                    for j in (i + 1)..<max(i + 1, tableStart[t + 1]) {
                        let k = who[r * n + i] * n + who[r * n + j]
                        hard += Int64(hardCost[k]); soft += Int64(mix[k])
                    }
                }
            }
            for p in 0..<n where anchor[r * n + p] >= 0 && anchor[r * n + p] != table(r, p) { soft += Int64(RotationPlanner.moveWeight) }
        }
        for a in 0..<n { for b in (a + 1)..<max(a + 1, n) where meet[a * n + b] > 1 { hard += Int64(meet[a * n + b] - 1) * Int64(RotationPlanner.repeatWeight) } }
        return (hard, soft)
    }

    /// Positions (round, person) in a hard conflict: a repeat, colleagues, keep-apart, met before.
    private func conflicts(into result: inout [(Int, Int)]) {
        result.removeAll(keepingCapacity: true)
        for r in 0..<roundCount {
            let base = r * n
            for t in 0..<tableCount {
                for i in tableStart[t]..<tableStart[t + 1] {
                    let p = who[base + i]
                    if pinned[base + p] { continue }
                    let pn = p * n
                    for j in tableStart[t]..<tableStart[t + 1] where j != i {
                        let x = who[base + j]
                        if meet[pn + x] >= 2 || hardCost[pn + x] > 0 { result.append((r, p)); break }
                    }
                }
            }
        }
    }

    /// Tabu search on the hard cost (ties at random), then a polish of the soft cost that never
    /// adds a hard one. Restarts from the best plan, shaken, when it stalls.
    mutating func search(deadline: Date) {
        guard n > 1, roundCount > 0, target.filter({ $0 > 0 }).count > 1 else { return }
        let movable = (0..<roundCount).map { r in (0..<n).filter { !pinned[r * n + $0] } }
        var (hard, soft) = totalCost()
        var best = (hard, soft)
        var bestWho = who, bestSlot = slot, bestMeet = meet
        // Tabu: a swapped pair may not swap back in that round for a while.
        var tabuUntil = Array(repeating: 0, count: roundCount * n)
        var step = 0
        var sinceBest = 0
        let stallLimit = max(500, 10 * n)
        let polishPatience = 200 + min(2 * n, 800)
        let partnerSample = n > 160 ? 160 : n
        let positionSample = n > 160 ? 12 : 1_000
        var positions: [(Int, Int)] = []
        positions.reserveCapacity(roundCount * n)
        var polishing = false
        let bounds = lowerBound()
        let repeatBound = Int64(bounds.repeatedPairs)
        let mixBound = Int64(bounds.mixPenalty)

        func better(_ a: (Int64, Int64), _ b: (Int64, Int64)) -> Bool { a.0 < b.0 || (a.0 == b.0 && a.1 < b.1) }

        while step < request.maxSteps {
            step += 1
            if step & 63 == 0, Date() >= deadline { break }
            if !polishing { conflicts(into: &positions) }
            if positions.isEmpty || polishing {
                if !polishing { polishing = true; sinceBest = 0 }
                if sinceBest > polishPatience || soft <= mixBound { break }
                positions.removeAll(keepingCapacity: true)
                for _ in 0..<12 {
                    let r = rng.below(roundCount)
                    if !movable[r].isEmpty { positions.append((r, movable[r][rng.below(movable[r].count)])) }
                }
            } else if positions.count > positionSample {
                positions.shuffle(using: &rng)
                positions.removeLast(positions.count - positionSample)
            }
            var bestMove: (r: Int, p: Int, q: Int, hard: Int32, soft: Int32)? = nil
            var ties = 0
            for (r, p) in positions {
                let candidates = movable[r]
                let everyone = candidates.count <= partnerSample
                let count = everyone ? candidates.count : partnerSample
                let tp = table(r, p)
                for k in 0..<count {
                    let q = everyone ? candidates[k] : candidates[rng.below(candidates.count)]
                    guard table(r, q) != tp else { continue }
                    let (dh, ds) = swapDelta(p, q, r)
                    if polishing, dh > 0 { continue }
                    let isTabu = tabuUntil[r * n + p] > step && tabuUntil[r * n + q] > step
                    if isTabu, !better((hard + Int64(dh), soft + Int64(ds)), best) { continue }
                    let key = polishing ? ds : dh
                    if let current = bestMove {
                        let currentKey = polishing ? current.soft : current.hard
                        if key < currentKey { bestMove = (r, p, q, dh, ds); ties = 1 }
                        else if key == currentKey { ties += 1; if rng.below(ties) == 0 { bestMove = (r, p, q, dh, ds) } }
                    } else {
                        bestMove = (r, p, q, dh, ds); ties = 1
                    }
                }
            }
            guard let move = bestMove else { sinceBest += 1; continue }
            if polishing, move.soft > 0, rng.below(10) != 0 { sinceBest += 1; continue }
            swap(move.p, move.q, move.r)
            hard += Int64(move.hard)
            soft += Int64(move.soft)
            let tenure = polishing ? 2 + rng.below(4) : 1 + rng.below(3)
            tabuUntil[move.r * n + move.p] = step + tenure
            tabuUntil[move.r * n + move.q] = step + tenure
            // The hard search counts progress in hard cost only; the polish in soft cost.
            if polishing ? better((hard, soft), best) : hard < best.0 {
                best = (hard, soft); bestWho = who; bestSlot = slot; bestMeet = meet; sinceBest = 0
                // At the bound of what the numbers allow: only the mix is left to improve.
                if !polishing, hard > 0, repeatBound > 0, hard <= repeatBound * Int64(RotationPlanner.repeatWeight) * Int64(max(1, request.rounds - 1)),
                   repeatedPairsOnly() <= repeatBound {
                    polishing = true
                }
            } else {
                sinceBest += 1
                if !polishing, sinceBest > stallLimit {
                    // Back to the best plan, shaken by a few random swaps.
                    who = bestWho; slot = bestSlot; meet = bestMeet
                    for _ in 0..<max(2, n / 10) {
                        let r = rng.below(roundCount)
                        guard movable[r].count > 1 else { continue }
                        let a = movable[r][rng.below(movable[r].count)], b = movable[r][rng.below(movable[r].count)]
                        if table(r, a) != table(r, b) { swap(a, b, r) }
                    }
                    (hard, soft) = totalCost()
                    sinceBest = 0
                    for i in tabuUntil.indices { tabuUntil[i] = 0 }
                }
            }
        }
        who = bestWho; slot = bestSlot; meet = bestMeet
    }

    /// Pairs meeting more than once, when that is the only hard cost left; otherwise Int64.max.
    private func repeatedPairsOnly() -> Int64 {
        var pairs: Int64 = 0
        for a in 0..<n {
            for b in (a + 1)..<max(a + 1, n) {
                let k = a * n + b
                if meet[k] > 0, hardCost[k] > 0 { return .max }
                if meet[k] > 1 { pairs += 1 }
            }
        }
        return pairs
    }

    // MARK: Result

    func seatings() -> [RoundSeating] {
        var rounds: [RoundSeating] = Array(request.fixedRounds.prefix(fixedCount))
        for r in 0..<roundCount {
            rounds.append((0..<tableCount).map { t in (tableStart[t]..<tableStart[t + 1]).compactMap { s in who[r * n + s] >= 0 ? keys[who[r * n + s]] : nil } })
        }
        return rounds
    }

    func result(seconds: Double) -> RotationPlan {
        RotationPlan(rounds: seatings(), quality: quality(of: seatings(), seconds: seconds))
    }

    /// Quality of any seating of these people (the fixed rounds included), measured from scratch.
    func quality(of rounds: [RoundSeating], seconds: Double) -> RotationQuality {
        var index: [String: Int] = [:]
        for (i, key) in keys.enumerated() { index[key] = i }
        var meetings = Array(repeating: UInt8(0), count: n * n)
        var colleagues = 0, apartTogether = 0, mixPenalty = 0, moved = 0
        var metPairs = Set<Int>()
        for (r, round) in rounds.enumerated() {
            for (t, table) in round.enumerated() {
                let members = table.compactMap { index[$0] }
                for i in members.indices {
                    for j in members.indices where i < j {
                        let a = members[i], b = members[j], k = a * n + b
                        meetings[min(a, b) * n + max(a, b)] &+= 1
                        if r < fixedCount { continue }
                        if colleague[k] { colleagues += 1 }
                        if apart[k] { apartTogether += 1 }
                        if metBefore[k] { metPairs.insert(min(a, b) * n + max(a, b)) }
                        mixPenalty += Int(mix[k])
                    }
                }
                if r >= fixedCount { for p in members where anchor[(r - fixedCount) * n + p] >= 0 && anchor[(r - fixedCount) * n + p] != t { moved += 1 } }
            }
        }
        let repeated = meetings.reduce(0) { $0 + ($1 > 1 ? 1 : 0) }
        let bound = lowerBound()
        let mixScore = mixPenalty <= bound.mixPenalty ? 100 : max(0, min(100, Int(Double(bound.mixPenalty) / Double(mixPenalty) * 100)))
        return RotationQuality(
            repeatedPairs: repeated, colleaguePairs: colleagues, keptApartTogether: apartTogether, metBeforeTogether: metPairs.count,
            mixPenalty: mixPenalty, lowerBound: bound, mixScore: mixScore, moved: moved, unmetPins: unmetPins, seconds: seconds
        )
    }

    /// Bounds no plan can beat, from counting alone.
    func lowerBound() -> RotationQuality.LowerBound {
        let sizes = target.filter { $0 > 0 }
        let tablesUsed = sizes.count
        // A group spread as evenly as possible over the tables still shares some tables.
        func spreadPairs(_ members: Int) -> Int {
            guard tablesUsed > 0 else { return 0 }
            let q = members / tablesUsed, rem = members % tablesUsed
            return rem * (q + 1) * q / 2 + (tablesUsed - rem) * q * max(0, q - 1) / 2
        }
        // Repeated pairs, two ways; the larger bound holds.
        // Counting: each person meets at least (smallest table − 1) people a round; beyond the others
        // they may meet (not colleagues, not kept apart), they meet someone again, and one partner
        // absorbs at most (rounds − 1) extra meetings.
        var partnersNeeded = 0
        let smallest = sizes.min() ?? 0
        let rounds = request.rounds
        if rounds > 1 {
            for p in 0..<n {
                var forbidden = 0
                for q in 0..<n where q != p && (colleague[p * n + q] || apart[p * n + q]) { forbidden += 1 }
                let excess = max(0, rounds * max(0, smallest - 1) - max(0, n - 1 - forbidden))
                partnersNeeded += (excess + rounds - 2) / (rounds - 1)
            }
        }
        // Pigeonhole: the people of one table, spread over the tables of the next round, share some.
        let pigeonhole = rounds > 1 ? sizes.reduce(0) { $0 + spreadPairs($1) } : 0
        let repeatedBound = max((partnersNeeded + 1) / 2, pigeonhole)
        var companies: [String: Int] = [:]
        var families: [JobFamily: Int] = [:]
        var newcomers = 0
        for person in request.people {
            if !person.company.isEmpty { companies[person.company, default: 0] += 1 }
            if person.family != .other { families[person.family, default: 0] += 1 }
            if person.newcomer { newcomers += 1 }
        }
        let colleagueBound = companies.values.reduce(0) { $0 + spreadPairs($1) } * roundCount
        let wants = request.priorities
        let perRound = (wants.mixJobs ? families.values.reduce(0) { $0 + spreadPairs($1) } * Int(RotationPlanner.familyWeight) : 0)
            + (wants.mixNewcomers ? (spreadPairs(newcomers) + spreadPairs(n - newcomers)) * Int(RotationPlanner.statusWeight) : 0)
        return .init(repeatedPairs: repeatedBound, colleaguePairs: colleagueBound, mixPenalty: perRound * roundCount)
    }
}

/// Arithmetic in GF(q) for q prime or a power of two (up to 2⁸): enough for the designs above.
struct FiniteField {
    let order: Int
    private let prime: Bool
    private let modulus: Int

    init?(order q: Int) {
        guard q >= 2 else { return nil }
        if (2...Int(Double(q).squareRoot().rounded(.down) + 1)).allSatisfy({ $0 >= q || q % $0 != 0 }) {
            order = q; prime = true; modulus = q
            return
        }
        // Irreducible polynomials for GF(2^k), k = 2…8.
        let polynomials = [4: 0b111, 8: 0b1011, 16: 0b10011, 32: 0b100101, 64: 0b1000011, 128: 0b10000011, 256: 0b100011011]
        guard let polynomial = polynomials[q] else { return nil }
        order = q; prime = false; modulus = polynomial
    }

    func add(_ a: Int, _ b: Int) -> Int { prime ? (a + b) % order : a ^ b }

    func multiply(_ a: Int, _ b: Int) -> Int {
        if prime { return (a * b) % order }
        var result = 0, x = a, y = b
        while y > 0 {
            if y & 1 == 1 { result ^= x }
            y >>= 1
            x <<= 1
            if x & order != 0 { x ^= modulus }
        }
        return result
    }
}
