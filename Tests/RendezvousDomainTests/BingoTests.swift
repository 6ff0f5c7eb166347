import Foundation
import RendezvousDomain
import Testing

@Suite("Human bingo cards")
struct BingoTests {
    // MARK: - Rooms

    static let titles = [
        "Développeuse iOS", "Software Engineer", "Ingénieur DevOps", "Data Scientist", "Analyste données", "UX Designer",
        "Graphiste freelance", "Product Owner", "Chef de projet", "Directrice marketing", "Community manager", "Account executive",
        "Ingénieur commercial", "Chargée de recrutement", "HR Business Partner", "Comptable", "Contrôleur de gestion", "Juriste",
        "Avocate", "Consultante SAP", "Coach agile", "Enseignant", "PhD student", "Infirmière", "Pharmacien", "CEO & Founder",
        "Head of Sales", "Responsable logistique", "Acheteuse", "Étudiant", "Stagiaire", "", "Astronaute", "Backend developer",
    ]
    /// Each company in the spellings people type.
    static let companies = [
        ["Airbus", "AIRBUS SAS", "airbus"], ["Société Générale", "Societe Generale"], ["Capgemini"], ["Thales", "THALES"],
        ["Orange"], ["Decathlon", "Décathlon"], ["Doctolib"], ["BNP Paribas", "BNP Paribas SA"], ["Ubisoft"], ["L'Oréal", "L'Oreal"],
        ["Criteo"], ["Free"], ["Alan"], ["Qonto"], ["Back Market", "BackMarket"], [""],
    ]
    static let topics = [
        "IA", "aéronautique", "recrutement", "Swift", "Kubernetes", "vélo", "photographie", "cuisine", "startups", "RGPD",
        "design systems", "accessibilité", "finance durable", "jeux vidéo", "escalade",
    ]

    static func room(seed: UInt64, count: Int = 70) -> [BingoPlayer] {
        var rng = SeededGenerator(seed: seed)
        return (0 ..< count).map { index in
            let spellings = companies[rng.below(companies.count)]
            let company = spellings[rng.below(spellings.count)]
            let topicCount = rng.below(4)
            let chosen = (0 ..< topicCount).map { _ in topics[rng.below(topics.count)] }
            let separator = [", ", " et ", " / ", " and "][rng.below(4)]
            let facts = Set(BingoFact.allCases.filter { _ in rng.below(100) < 15 })
            return BingoPlayer(
                key: "\(1000 + index)",
                jobTitle: titles[rng.below(titles.count)],
                company: company,
                askMeAbout: chosen.joined(separator: separator),
                firstMeetup: rng.below(100) < 40,
                facts: facts,
                sharesFacts: rng.below(100) >= 10
            )
        }
    }

    /// An oracle written apart from the generator: what `satisfies` must answer.
    func holds(_ player: BingoPlayer, _ square: BingoSquare) -> Bool {
        guard player.sharesFacts else { return false }
        switch square.kind {
        case .jobFamily: return JobFamily.classify(player.jobTitle).rawValue == square.value && square.value != JobFamily.other.rawValue
        case .company: return !square.value.isEmpty && Folding.companyKey(player.company) == square.value
        case .topic: return Folding.topics(player.askMeAbout).contains(square.value)
        case .firstMeetup: return player.firstMeetup
        case .regular: return !player.firstMeetup
        case .fact: return player.facts.map(\.rawValue).contains(square.value)
        }
    }

    func order(_ card: BingoCard) -> [String] { card.squares.map(\.id) }

    // MARK: - The rules, over generated rooms

    @Test(arguments: [(UInt64(1), 4), (2, 4), (3, 5), (4, 5), (5, 5)])
    func everyCardKeepsTheRules(roomSeed: UInt64, size: Int) {
        let players = Self.room(seed: roomSeed)
        let byKey = Dictionary(uniqueKeysWithValues: players.map { ($0.key, $0) })
        let cards = BingoGenerator.cards(for: players, size: size, seed: roomSeed &* 31 &+ 7)

        #expect(cards.map(\.holder) == players.map(\.key))
        // Who satisfies each square used, asked once per (square, player); `satisfies` agrees with an
        // independent reading.
        var owners: [BingoSquare: Set<String>] = [:]
        for square in Set(cards.flatMap(\.squares)) {
            owners[square] = Set(players.filter { BingoGenerator.satisfies($0, square) }.map(\.key))
            for player in players {
                #expect(BingoGenerator.satisfies(player, square) == holds(player, square), "\(square.id) for \(player.key)")
            }
        }
        for card in cards {
            let holder = byKey[card.holder]!
            #expect(card.size == size, "a room of 70 has enough facts for a full card")
            #expect(card.squares.count == card.size * card.size)
            #expect(Set(card.squares.map(\.id)).count == card.squares.count, "no duplicate squares")
            #expect(Set(card.squares.map(\.kind)).count >= 3, "a mixed card")
            let mostOfOneKind = Dictionary(grouping: card.squares, by: \.kind).values.map(\.count).max() ?? 0
            #expect(mostOfOneKind <= card.squares.count / 2, "no card is mostly one kind")
            for square in card.squares {
                let satisfied = owners[square] ?? []
                #expect(!satisfied.contains(holder.key), "the holder never satisfies a square")
                #expect(satisfied.subtracting([holder.key]).count >= 2, "\(square.id) must be found on two other people")
                #expect(satisfied.allSatisfy { byKey[$0]!.sharesFacts })
                #expect(!players.contains { $0.key == square.value || (!square.label.isEmpty && $0.key == square.label) }, "attributes, never people")
                if square.kind == .company || square.kind == .topic {
                    #expect(!square.label.isEmpty)
                } else {
                    #expect(square.label.isEmpty)
                }
            }
        }
        // Pairwise distinct.
        #expect(Set(cards.map(order)).count == cards.count)
    }

    @Test func theSameSeedGivesTheSameCardsAndAnotherSeedOtherCards() {
        let players = Self.room(seed: 11)
        let first = BingoGenerator.cards(for: players, size: 5, seed: 42)
        let again = BingoGenerator.cards(for: players, size: 5, seed: 42)
        let other = BingoGenerator.cards(for: players, size: 5, seed: 43)
        #expect(first == again)
        #expect(first != other)
        #expect(zip(first, other).filter { $0.squares == $1.squares }.count == 0, "every card changes with the seed")
    }

    @Test func cardsUseManySquaresOfTheRoom() {
        let players = Self.room(seed: 12)
        let cards = BingoGenerator.cards(for: players, size: 4, seed: 9)
        let used = Set(cards.flatMap(\.squares).map(\.id))
        let kinds = Set(cards.flatMap(\.squares).map(\.kind))
        #expect(used.count >= 40, "cards spread over the room's facts")
        #expect(kinds == Set(BingoSquareKind.allCases))
    }

    @Test func labelsAreTheMostCommonSpelling() {
        // p0…p4 share six facts; p5 shares none, so p5's pool is exactly nine squares: all on its card.
        var players = (0 ..< 6).map { index in
            Self.player("p\(index)", facts: index < 5 ? Set(BingoFact.allCases.prefix(6)) : [])
        }
        players[0].company = "AIRBUS SAS"
        players[1].company = "Airbus"
        players[2].company = " Airbus "
        players[3].company = "airbus"
        players[0].askMeAbout = "Intelligence artificielle, vélo"
        players[1].askMeAbout = "intelligence  artificielle et Vélo."
        players[2].askMeAbout = "Intelligence artificielle"
        let card = BingoGenerator.cards(for: players, size: 3, seed: 1)[5]
        #expect(card.size == 3)
        let squares = Set(card.squares)
        #expect(squares.contains(BingoSquare(kind: .company, value: "airbus", label: "Airbus")))
        #expect(squares.contains(BingoSquare(kind: .topic, value: "intelligence artificielle", label: "Intelligence artificielle")))
        // A tie between "vélo" and "Vélo": neither in capitals, same length, code-point order.
        #expect(squares.contains(BingoSquare(kind: .topic, value: "velo", label: "Vélo")))
        #expect(squares.filter { $0.kind == .fact }.allSatisfy { $0.label.isEmpty })
    }

    // MARK: - Opting in

    static func player(_ key: String, facts: Set<BingoFact>, shares: Bool = true, company: String = "", first: Bool = true) -> BingoPlayer {
        BingoPlayer(key: key, jobTitle: "", company: company, askMeAbout: "", firstMeetup: first, facts: facts, sharesFacts: shares)
    }

    /// Two halves of five opted-in people; each half shares six facts, a company and two topics, so
    /// that every opted-in holder's pool is nine or ten squares.
    static func halves() -> [BingoPlayer] {
        let facts = Array(BingoFact.allCases)
        return (0 ..< 10).map { index in
            let first = index < 5
            var player = Self.player("p\(index)", facts: Set(first ? facts[0 ..< 6] : facts[6 ..< 12]), company: first ? "Alpha" : "Beta")
            player.askMeAbout = first ? "vélo, cuisine" : "Swift et RGPD"
            return player
        }
    }

    @Test func aPlayerWhoDidNotOptInNeverMakesASquare() {
        var players = Self.halves()
        // Each of these is owned by one opted-in player and by "shy", who did not opt in.
        players[0].facts.insert(.teachesOrMentors)
        players[0].company = "Secret Lab"
        players[0].jobTitle = "Data analyst"
        players[0].askMeAbout += ", Rust"
        players[5].firstMeetup = false
        players.append(BingoPlayer(key: "shy", jobTitle: "Data scientist", company: "SECRET LAB SAS", askMeAbout: "Rust, fusées",
                                   firstMeetup: false, facts: [.teachesOrMentors, .podcastOrBlog], sharesFacts: false))
        let forbidden: Set<String> = ["company:secret lab", "fact:teachesOrMentors", "fact:podcastOrBlog", "jobFamily:data", "topic:rust", "topic:fusees", "regular:"]
        for seed in UInt64(0) ..< 20 {
            let cards = BingoGenerator.cards(for: players, size: 3, seed: seed)
            #expect(cards.allSatisfy { $0.size == 3 })
            let ids = Set(cards.flatMap(\.squares).map(\.id))
            #expect(ids.isDisjoint(with: forbidden), "\(ids.intersection(forbidden))")
            // The shy player still plays, and satisfies nothing.
            #expect(cards[10].holder == "shy")
            #expect(cards[10].squares.allSatisfy { !BingoGenerator.satisfies(players[10], $0) })
        }
        for id in forbidden {
            let parts = id.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            let square = BingoSquare(kind: BingoSquareKind(rawValue: parts[0])!, value: parts[1])
            #expect(!BingoGenerator.satisfies(players[10], square))
        }
    }

    @Test func twoOptedInOwnersAreEnoughEvenIfAThirdDidNot() {
        var players = Self.halves()
        players[0].facts.insert(.teachesOrMentors)
        players[6].facts.insert(.teachesOrMentors)
        players.append(Self.player("shy", facts: [.teachesOrMentors], shares: false))
        let square = BingoSquare(kind: .fact, value: BingoFact.teachesOrMentors.rawValue)
        #expect(!BingoGenerator.satisfies(players[10], square))
        var appeared = 0
        for seed in UInt64(0) ..< 10 {
            for card in BingoGenerator.cards(for: players, size: 3, seed: seed) where card.squares.contains(square) {
                appeared += 1
                #expect(card.holder != "p0" && card.holder != "p6")
            }
        }
        #expect(appeared > 10)
    }

    // MARK: - Fallback to smaller cards

    @Test func aTinyRoomFallsBackToThreeByThreeOrNothing() {
        let first = Set(BingoFact.allCases.prefix(10))
        let second = Set(BingoFact.allCases.suffix(6))
        // Two share ten facts, three share six others; everyone is at a first meetup (no one can look for it).
        let players = [
            Self.player("a", facts: first), Self.player("b", facts: first),
            Self.player("c", facts: second), Self.player("d", facts: second), Self.player("e", facts: second),
        ]
        for requested in [5, 4, 3] {
            let cards = BingoGenerator.cards(for: players, size: requested, seed: 3)
            #expect(cards.map(\.size) == [0, 0, 3, 3, 3], "a and b see six valid squares only; c, d, e see ten")
            #expect(cards.filter { $0.size == 0 }.allSatisfy { $0.squares.isEmpty })
            #expect(Set(cards.filter { $0.size == 3 }.map(order)).count == 3, "distinct even from one pool of ten")
        }
    }

    @Test func someoneWhoDidNotOptInMaySeeALargerPool() {
        let first = Set(BingoFact.allCases.prefix(10))
        let second = Set(BingoFact.allCases.suffix(6))
        let players = [
            Self.player("a", facts: first), Self.player("b", facts: first),
            Self.player("c", facts: second), Self.player("d", facts: second),
            Self.player("guest", facts: [], shares: false),
        ]
        let cards = BingoGenerator.cards(for: players, size: 5, seed: 3)
        // The guest satisfies nothing: all sixteen facts are valid for them, and the first meetup: 17 squares.
        #expect(cards.map(\.size) == [0, 0, 3, 3, 4])
    }

    @Test func fiveFallsBackToFour() {
        let facts = Array(BingoFact.allCases)
        // Each half sees the other half's eight facts, six topics, company and job family: sixteen squares.
        let players = (0 ..< 6).map { index in
            let first = index < 3
            return BingoPlayer(key: "p\(index)", jobTitle: first ? "UX designer" : "Data scientist", company: first ? "Alpha" : "Beta",
                               askMeAbout: first ? "vélo, cuisine, escalade, photo, jazz, échecs" : "Swift, RGPD, IA, Rust, Go, SQL",
                               firstMeetup: true, facts: Set(first ? facts[0 ..< 8] : facts[8 ..< 16]), sharesFacts: true)
        }
        #expect(BingoGenerator.cards(for: players, size: 5, seed: 8).map(\.size) == [4, 4, 4, 4, 4, 4])
        #expect(BingoGenerator.cards(for: players, size: 4, seed: 8).map(\.size) == [4, 4, 4, 4, 4, 4])
        #expect(BingoGenerator.cards(for: players, size: 3, seed: 8).map(\.size) == [3, 3, 3, 3, 3, 3])
        #expect(BingoGenerator.cards(for: players, size: 9, seed: 8).map(\.size) == [4, 4, 4, 4, 4, 4], "sizes are clamped to 3…5")
        let full = BingoGenerator.cards(for: players, size: 5, seed: 8)
        #expect(Set(full.map(order)).count == 6)
    }

    @Test func anEmptyRoomAndARoomWithoutSharingGiveEmptyCards() {
        #expect(BingoGenerator.cards(for: [], size: 5, seed: 1).isEmpty)
        let players = (0 ..< 10).map { Self.player("p\($0)", facts: Set(BingoFact.allCases), shares: false) }
        let cards = BingoGenerator.cards(for: players, size: 4, seed: 1)
        #expect(cards.map(\.holder) == players.map(\.key))
        #expect(cards.allSatisfy { $0.size == 0 && $0.squares.isEmpty })
    }

    // MARK: - Progress

    @Test func progressCountsRowsColumnsAndDiagonals() {
        #expect(BingoGenerator.progress(size: 4, ticked: []) == (0, false))
        #expect(BingoGenerator.progress(size: 4, ticked: [0, 1, 2]) == (0, false))
        #expect(BingoGenerator.progress(size: 4, ticked: [4, 5, 6, 7]) == (1, false), "second row")
        #expect(BingoGenerator.progress(size: 4, ticked: [2, 6, 10, 14]) == (1, false), "third column")
        #expect(BingoGenerator.progress(size: 4, ticked: [0, 5, 10, 15]) == (1, false), "diagonal")
        #expect(BingoGenerator.progress(size: 4, ticked: [3, 6, 9, 12]) == (1, false), "anti-diagonal")
        #expect(BingoGenerator.progress(size: 5, ticked: [0, 1, 2, 3, 4, 5, 10, 15, 20]) == (2, false), "first row and first column")
        #expect(BingoGenerator.progress(size: 3, ticked: [0, 4, 8, 2, 6]) == (2, false), "both diagonals")
        #expect(BingoGenerator.progress(size: 3, ticked: Set(0 ..< 9)) == (8, true))
        #expect(BingoGenerator.progress(size: 5, ticked: Set(0 ..< 25)) == (12, true))
        #expect(BingoGenerator.progress(size: 3, ticked: Set(0 ..< 8).union([9, 10, -1])) == (5, false), "out of range ignored")
        #expect(BingoGenerator.progress(size: 0, ticked: [0]) == (0, false))
    }

    @Test func cardsRoundTripThroughJSON() throws {
        let cards = BingoGenerator.cards(for: Self.room(seed: 5, count: 30), size: 4, seed: 2)
        let data = try JSONEncoder().encode(cards)
        let decoded = try JSONDecoder().decode([BingoCard].self, from: data)
        #expect(decoded == cards)
    }
}
