import Foundation

// Human bingo: every attendee gets a card of "Find someone who …" squares built from the facts the
// people in the room chose to share. Only attributes, never names; every square on a card can be
// satisfied by at least two other people who opted in, and never by the card's holder.

/// The fixed catalog of "things people may not guess about you", ticked at registration.
public enum BingoFact: String, CaseIterable, Sendable, Codable {
    case livedAbroad, speaksThreeLanguages, changedCareer, foundedCompany, runsMarathons, playsMusic, volunteers, worksRemotely
    case hasPet, cooksWell, readsSciFi, travelledFiveContinents, teachesOrMentors, podcastOrBlog, sportsTeam, firstJobNotInField
}

/// What bingo knows of one attendee.
public struct BingoPlayer: Sendable, Equatable, Codable {
    /// The registration id, as a string: it names the card's holder, never a square.
    public var key: String
    public var jobTitle: String
    public var company: String
    public var askMeAbout: String
    public var firstMeetup: Bool
    public var facts: Set<BingoFact>
    /// Opted in to bingo: without it the player still gets a card, but none of their facts is used.
    public var sharesFacts: Bool

    public init(key: String, jobTitle: String, company: String, askMeAbout: String, firstMeetup: Bool, facts: Set<BingoFact>, sharesFacts: Bool) {
        self.key = key
        self.jobTitle = jobTitle
        self.company = company
        self.askMeAbout = askMeAbout
        self.firstMeetup = firstMeetup
        self.facts = facts
        self.sharesFacts = sharesFacts
    }
}

public enum BingoSquareKind: String, Codable, Sendable, CaseIterable {
    case jobFamily, company, topic, firstMeetup, regular, fact
}

/// "Find someone who …": an attribute, never a person.
public struct BingoSquare: Codable, Sendable, Hashable {
    public var kind: BingoSquareKind
    /// `JobFamily.rawValue`, a company key (`Folding.companyKey`), a topic key (`Folding.topics`),
    /// `BingoFact.rawValue`, or "" for `firstMeetup` and `regular`.
    public var value: String
    /// How to show the value: the company or topic as most of its owners typed it; "" for the other kinds.
    public var label: String

    public var id: String { "\(kind.rawValue):\(value)" }

    public init(kind: BingoSquareKind, value: String, label: String = "") {
        self.kind = kind
        self.value = value
        self.label = label
    }
}

public struct BingoCard: Codable, Sendable, Equatable {
    /// The holder's `BingoPlayer.key`.
    public var holder: String
    /// 5, 4 or 3; 0 when there are not enough shared facts for even a 3×3 card.
    public var size: Int
    /// Row-major, `size * size` squares (empty when `size` is 0).
    public var squares: [BingoSquare]

    public init(holder: String, size: Int, squares: [BingoSquare]) {
        self.holder = holder
        self.size = size
        self.squares = squares
    }
}

public enum BingoGenerator {
    /// One card per player, in the players' order. `size` is clamped to 3...5; a holder whose pool of
    /// valid squares is too small for it gets the largest smaller size that fits, or size 0 with no
    /// squares. Cards with squares are pairwise distinct (set or order); the same players and seed
    /// always give the same cards. Cost: O(players × pool × size²).
    public static func cards(for players: [BingoPlayer], size: Int, seed: UInt64) -> [BingoCard] {
        let requested = min(max(size, 3), 5)
        let catalog = Catalog(players)
        var rng = SeededGenerator(seed: seed)
        var uses = [Int](repeating: 0, count: catalog.entries.count)
        var seen = Set<String>()
        var cards: [BingoCard] = []
        cards.reserveCapacity(players.count)

        for (holder, player) in players.enumerated() {
            // The pool: squares at least two other opted-in people satisfy, and the holder does not.
            let owned = catalog.owned[holder]
            let pool = catalog.entries.indices.filter { entry in
                catalog.entries[entry].owners.count >= 2 && !owned.contains(entry)
            }
            guard let side = stride(from: requested, through: 3, by: -1).first(where: { $0 * $0 <= pool.count }) else {
                cards.append(BingoCard(holder: player.key, size: 0, squares: []))
                continue
            }

            var chosen: [Int] = []
            for _ in 0 ..< 8 {
                chosen = draw(from: pool, count: side * side, catalog: catalog, uses: uses, rng: &rng)
                arrange(&chosen, side: side, catalog: catalog, rng: &rng)
                if !seen.contains(signature(chosen)) { break }
            }
            // Still a copy of an earlier card (tiny pools): step through the orders of the same squares;
            // at most one step per earlier card.
            var steps = 0
            while seen.contains(signature(chosen)), steps <= cards.count {
                nextPermutation(&chosen)
                steps += 1
            }
            seen.insert(signature(chosen))
            for entry in chosen { uses[entry] += 1 }
            cards.append(BingoCard(holder: player.key, size: side, squares: chosen.map { catalog.entries[$0].square }))
        }
        return cards
    }

    /// Does `player` satisfy `square`? (false if the player did not opt in)
    public static func satisfies(_ player: BingoPlayer, _ square: BingoSquare) -> Bool {
        guard player.sharesFacts else { return false }
        switch square.kind {
        case .jobFamily:
            guard let family = JobFamily(rawValue: square.value), family != .other else { return false }
            return JobFamily.classify(player.jobTitle) == family
        case .company:
            return !square.value.isEmpty && Folding.companyKey(player.company) == square.value
        case .topic:
            return !square.value.isEmpty && Folding.topics(player.askMeAbout).contains(square.value)
        case .firstMeetup:
            return player.firstMeetup
        case .regular:
            return !player.firstMeetup
        case .fact:
            guard let fact = BingoFact(rawValue: square.value) else { return false }
            return player.facts.contains(fact)
        }
    }

    /// The squares a holder ticked (indices) → completed lines (rows, columns, both diagonals) and
    /// whether the card is full. Indices outside the card are ignored; size 0 is never full.
    public static func progress(size: Int, ticked: Set<Int>) -> (lines: Int, full: Bool) {
        guard size > 0 else { return (0, false) }
        let all = 0 ..< size
        func done(_ cells: [Int]) -> Bool { cells.allSatisfy(ticked.contains) }
        var lines = 0
        for row in all where done(all.map { row * size + $0 }) { lines += 1 }
        for column in all where done(all.map { $0 * size + column }) { lines += 1 }
        if done(all.map { $0 * size + $0 }) { lines += 1 }
        if done(all.map { $0 * size + (size - 1 - $0) }) { lines += 1 }
        return (lines, all.count * all.count == ticked.filter { (0 ..< size * size).contains($0) }.count)
    }

    // MARK: - The room's squares

    private struct Entry {
        var square: BingoSquare
        var owners: [Int]
    }

    /// Every square some opted-in player satisfies, sorted by id (never in dictionary order, so that a
    /// seed always gives the same cards), with its owners and label; and what each player owns.
    private struct Catalog {
        var entries: [Entry] = []
        /// Each entry's kind as an index into `BingoSquareKind.allCases`.
        var kinds: [Int] = []
        var owned: [Set<Int>]

        init(_ players: [BingoPlayer]) {
            var owners: [String: (kind: BingoSquareKind, value: String, players: [Int], spellings: [String: Int])] = [:]
            func add(_ kind: BingoSquareKind, _ value: String, _ spelling: String, _ player: Int) {
                let id = "\(kind.rawValue):\(value)"
                var entry = owners[id] ?? (kind, value, [], [:])
                if entry.players.last != player { entry.players.append(player) }
                if !spelling.isEmpty { entry.spellings[spelling, default: 0] += 1 }
                owners[id] = entry
            }
            for (index, player) in players.enumerated() where player.sharesFacts {
                let family = JobFamily.classify(player.jobTitle)
                if family != .other { add(.jobFamily, family.rawValue, "", index) }
                let company = Folding.companyKey(player.company)
                if !company.isEmpty { add(.company, company, Self.tidy(player.company), index) }
                let spellings = Self.topicSpellings(player.askMeAbout)
                for topic in Folding.topics(player.askMeAbout) { add(.topic, topic, spellings[topic] ?? topic, index) }
                add(player.firstMeetup ? .firstMeetup : .regular, "", "", index)
                for fact in BingoFact.allCases where player.facts.contains(fact) { add(.fact, fact.rawValue, "", index) }
            }

            owned = Array(repeating: [], count: players.count)
            for id in owners.keys.sorted() {
                let found = owners[id]!
                let labelled = found.kind == .company || found.kind == .topic
                let label = labelled ? Self.mostCommon(found.spellings) ?? found.value : ""
                for player in found.players { owned[player].insert(entries.count) }
                kinds.append(BingoSquareKind.allCases.firstIndex(of: found.kind)!)
                entries.append(Entry(square: BingoSquare(kind: found.kind, value: found.value, label: label), owners: found.players))
            }
        }

        /// Trimmed, inner whitespace collapsed: "  Airbus   SAS " is shown "Airbus SAS".
        static func tidy(_ text: String) -> String {
            text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        }

        /// The original piece behind each topic key, split as `Folding.topics` splits.
        static func topicSpellings(_ askMeAbout: String) -> [String: String] {
            var result: [String: String] = [:]
            let trimmed = CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: ".!?:"))
            for part in askMeAbout.components(separatedBy: CharacterSet(charactersIn: ",;/|·•\n")) {
                for piece in part.components(separatedBy: " and ").flatMap({ $0.components(separatedBy: " et ") }) {
                    let topic = Folding.key(piece)
                    let shown = tidy(piece.trimmingCharacters(in: trimmed))
                    if topic.count >= 2, !shown.isEmpty, result[topic] == nil { result[topic] = shown }
                }
            }
            return result
        }

        /// The most common spelling; ties go to the one not in capitals, then the shorter, then the
        /// first in code-point order, so that the label does not depend on the players' order.
        static func mostCommon(_ spellings: [String: Int]) -> String? {
            func shouting(_ text: String) -> Bool { text.count > 1 && text == text.uppercased() && text != text.lowercased() }
            return spellings.min { a, b in
                if a.value != b.value { return a.value > b.value }
                if shouting(a.key) != shouting(b.key) { return !shouting(a.key) }
                if a.key.count != b.key.count { return a.key.count < b.key.count }
                return a.key.unicodeScalars.lexicographicallyPrecedes(b.key.unicodeScalars)
            }?.key
        }
    }

    // MARK: - Drawing a card

    /// Weighted draw without replacement, in integers only (reproducible everywhere): rarer squares
    /// weigh a little more (2 owners twice as much as many), each square already on the card halves
    /// the weight of its kind (a mixed card), and a square already on many cards weighs less (so that
    /// the few owners of a rare fact are not sought by the whole room).
    private static func draw(from pool: [Int], count: Int, catalog: Catalog, uses: [Int], rng: inout SeededGenerator) -> [Int] {
        var candidates = pool
        var chosen: [Int] = []
        var perKind = [Int](repeating: 0, count: BingoSquareKind.allCases.count)
        chosen.reserveCapacity(count)
        while chosen.count < count, !candidates.isEmpty {
            var weights: [Int] = []
            weights.reserveCapacity(candidates.count)
            var total = 0
            for entry in candidates {
                let owners = catalog.entries[entry].owners.count
                let rarity = 8 + 16 / owners
                let sameKind = min(perKind[catalog.kinds[entry]], 8)
                let mixed = (rarity << 8) >> sameKind
                let weight = max(1, mixed * 4 * owners / (4 * owners + uses[entry]))
                weights.append(weight)
                total += weight
            }
            var pick = rng.below(total)
            var index = 0
            while pick >= weights[index] {
                pick -= weights[index]
                index += 1
            }
            let entry = candidates.remove(at: index)
            chosen.append(entry)
            perKind[catalog.kinds[entry]] += 1
        }
        return chosen
    }

    /// Shuffles the squares, then swaps pairs while that does not gather more squares of one kind
    /// on a row, column or diagonal: kinds spread over the card.
    private static func arrange(_ cells: inout [Int], side: Int, catalog: Catalog, rng: inout SeededGenerator) {
        let count = cells.count
        guard count > 1 else { return }
        for i in stride(from: count - 1, to: 0, by: -1) {
            cells.swapAt(i, rng.below(i + 1))
        }
        let all = 0 ..< side
        var lines: [[Int]] = all.map { row in all.map { row * side + $0 } } + all.map { column in all.map { $0 * side + column } }
        lines.append(all.map { $0 * side + $0 })
        lines.append(all.map { $0 * side + (side - 1 - $0) })
        func crowding() -> Int {
            var total = 0
            var perKind = [Int](repeating: 0, count: BingoSquareKind.allCases.count)
            for line in lines {
                for kind in perKind.indices { perKind[kind] = 0 }
                for cell in line {
                    let kind = catalog.kinds[cells[cell]]
                    total += perKind[kind]
                    perKind[kind] += 1
                }
            }
            return total
        }
        var cost = crowding()
        for _ in 0 ..< count * 4 where cost > 0 {
            let a = rng.below(count)
            let b = rng.below(count)
            guard a != b else { continue }
            cells.swapAt(a, b)
            let swapped = crowding()
            if swapped <= cost { cost = swapped } else { cells.swapAt(a, b) }
        }
    }

    private static func signature(_ cells: [Int]) -> String {
        cells.map(String.init).joined(separator: ",")
    }

    /// The next arrangement in lexicographic order (wrapping round): cycles through every order.
    private static func nextPermutation(_ cells: inout [Int]) {
        guard cells.count > 1 else { return }
        var i = cells.count - 2
        while i >= 0, cells[i] >= cells[i + 1] { i -= 1 }
        if i < 0 {
            cells.reverse()
            return
        }
        var j = cells.count - 1
        while cells[j] <= cells[i] { j -= 1 }
        cells.swapAt(i, j)
        cells[(i + 1)...].reverse()
    }
}
