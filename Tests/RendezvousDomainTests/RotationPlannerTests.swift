import Foundation
import RendezvousDomain
import Testing

@Suite("Table rotations: the planner")
struct RotationPlannerTests {
    static let titles = ["Développeuse iOS", "Chargée de marketing", "CEO", "Consultant SAP", "Recruteuse", "Data analyst",
                         "Comptable", "UX designer", "Étudiant", "Avocate", "Commercial", "Chef de projet"]

    /// A room of `count` people; every third works at one of `companies` companies (spelled variously).
    func room(_ count: Int, companies: Int = 0, seed: UInt64 = 7) -> [RotationPerson] {
        var rng = SeededGenerator(seed: seed)
        let spellings = ["Airbus", "AIRBUS SAS", "airbus", "Société Générale", "societe generale", "Capgemini"]
        return (0..<count).map { i in
            let company = companies > 0 && rng.below(3) == 0 ? "\(spellings[rng.below(spellings.count)]) \(rng.below(companies))" : ""
            return RotationPerson(
                key: "p\(i)", company: Folding.companyKey(company), family: JobFamily.classify(Self.titles[rng.below(Self.titles.count)]),
                newcomer: rng.below(3) == 0, topics: Folding.topics(["IA, aéronautique", "recrutement", "", "growth et SEO"][rng.below(4)])
            )
        }
    }

    /// Counts, independently of the planner, what a user would check on paper.
    func recount(_ plan: RotationPlan, _ request: RotationRequest) -> (repeated: Int, colleagues: Int) {
        let company = Dictionary(uniqueKeysWithValues: request.people.map { ($0.key, $0.company) })
        var meetings: [PersonPair: Int] = [:]
        var colleagues = 0
        for (r, round) in plan.rounds.enumerated() {
            for table in round {
                for i in table.indices {
                    for j in table.indices where i < j {
                        meetings[PersonPair(table[i], table[j]), default: 0] += 1
                        if r >= request.fixedRounds.count, let c = company[table[i]], !c.isEmpty, c == company[table[j]] { colleagues += 1 }
                    }
                }
            }
        }
        return (meetings.values.filter { $0 > 1 }.count, colleagues)
    }

    func expectWellFormed(_ plan: RotationPlan, _ request: RotationRequest) {
        #expect(plan.rounds.count == request.rounds)
        let everyone = Set(request.people.map(\.key))
        for round in plan.rounds.dropFirst(request.fixedRounds.count) {
            #expect(round.count == request.tables.count)
            let seated = round.flatMap { $0 }
            #expect(seated.count == everyone.count, "everyone seated exactly once")
            #expect(Set(seated) == everyone)
            for (t, table) in round.enumerated() { #expect(table.count <= request.tables[t].seats, "table \(t) over its seats") }
        }
    }

    @Test func seventyPeopleMeetNobodyTwiceAndNoColleagues() throws {
        let people = room(70, companies: 6)
        let tables = (1...10).map { RoomTable(name: "\($0)", seats: $0 <= 6 ? 8 : 6) }
        let request = RotationRequest(people: people, tables: tables, rounds: 4, seed: 42)
        let plan = try RotationPlanner.plan(request)
        expectWellFormed(plan, request)
        let counted = recount(plan, request)
        #expect(plan.quality.repeatedPairs == 0)
        #expect(plan.quality.colleaguePairs == 0)
        #expect(counted.repeated == plan.quality.repeatedPairs, "the report counts exactly")
        #expect(counted.colleagues == plan.quality.colleaguePairs)
        #expect(plan.quality.mixPenalty >= plan.quality.lowerBound.mixPenalty)
        // Far better than shuffling.
        let shuffled = RotationPlanner.shuffled(request)
        expectWellFormed(shuffled, request)
        #expect(recount(shuffled, request).repeated == shuffled.quality.repeatedPairs)
        #expect(shuffled.quality.repeatedPairs > 10)
    }

    @Test func sameSeedSamePlanOtherSeedOtherPlan() throws {
        let people = room(40, companies: 4)
        let tables = RotationRequest.tables(people: 40, tableSize: 6)
        // Bounded by steps, not by time: on a busy machine a time limit would stop the search at another point.
        let a = try RotationPlanner.plan(RotationRequest(people: people, tables: tables, rounds: 3, seed: 5, timeLimit: 600, maxSteps: 200_000))
        let b = try RotationPlanner.plan(RotationRequest(people: people, tables: tables, rounds: 3, seed: 5, timeLimit: 600, maxSteps: 200_000))
        let c = try RotationPlanner.plan(RotationRequest(people: people, tables: tables, rounds: 3, seed: 6, timeLimit: 600, maxSteps: 200_000))
        #expect(a.rounds == b.rounds)
        #expect(a.rounds != c.rounds)
    }

    @Test func kirkmansSchoolgirls() throws {
        // 15 people, 5 tables of 3, 7 rounds: every pair meets exactly once.
        let people = (0..<15).map { RotationPerson(key: "\($0)") }
        let request = RotationRequest(people: people, tables: RotationRequest.tables(people: 15, tableSize: 3), rounds: 7, seed: 1, timeLimit: 10)
        let plan = try RotationPlanner.plan(request)
        expectWellFormed(plan, request)
        #expect(plan.quality.repeatedPairs == 0)
        #expect(recount(plan, request).repeated == 0)
    }

    @Test func moreSeatsPerTableThanTablesForcesRepeats() throws {
        // 4 tables of 6: in round 2 the six of a table cannot sit at six different tables.
        let people = (0..<24).map { RotationPerson(key: "\($0)") }
        let request = RotationRequest(people: people, tables: RotationRequest.tables(people: 24, tableSize: 6), rounds: 2, seed: 2, timeLimit: 1)
        let plan = try RotationPlanner.plan(request)
        #expect(plan.quality.lowerBound.repeatedPairs == 8)
        #expect(plan.quality.repeatedPairs == 8, "the planner reaches the bound")
    }

    @Test(arguments: [(32, 4, 9), (64, 8, 9), (25, 5, 6), (49, 7, 8), (16, 4, 5)])
    func classicSocialGolferInstances(_ instance: (people: Int, size: Int, rounds: Int)) throws {
        // Known to be possible without a repeat (resolvable designs); planned in well under 10 s.
        let people = (0..<instance.people).map { RotationPerson(key: "\($0)") }
        let request = RotationRequest(people: people, tables: RotationRequest.tables(people: instance.people, tableSize: instance.size),
                                      rounds: instance.rounds, seed: 1, timeLimit: 10)
        let plan = try RotationPlanner.plan(request)
        expectWellFormed(plan, request)
        #expect(plan.quality.repeatedPairs == 0)
        #expect(recount(plan, request).repeated == 0)
    }

    @Test func aDesignedRoomKeepsColleaguesApartToo() throws {
        // 32 at 8 tables of 4: pairs of colleagues of four companies never meet in 9 rounds.
        let people = (0..<32).map { RotationPerson(key: "\($0)", company: $0 < 8 ? ["airbus", "thales", "safran", "cnes"][$0 % 4] : "") }
        let request = RotationRequest(people: people, tables: RotationRequest.tables(people: 32, tableSize: 4), rounds: 9, seed: 2)
        let plan = try RotationPlanner.plan(request)
        #expect(plan.quality.repeatedPairs == 0)
        #expect(plan.quality.colleaguePairs == 0)
        #expect(recount(plan, request).colleagues == 0)
    }

    @Test func impossibleRoomsReportTheFewestRepeatsAndTheBound() throws {
        // 8 people at 2 tables of 4 for 4 rounds: each meets 12 seats' worth of people but there are only 7 others.
        let people = (0..<8).map { RotationPerson(key: "\($0)") }
        let request = RotationRequest(people: people, tables: RotationRequest.tables(people: 8, tableSize: 4), rounds: 4, seed: 3, timeLimit: 1)
        let plan = try RotationPlanner.plan(request)
        expectWellFormed(plan, request)
        #expect(plan.quality.lowerBound.repeatedPairs > 0)
        #expect(plan.quality.repeatedPairs >= plan.quality.lowerBound.repeatedPairs)
        #expect(recount(plan, request).repeated == plan.quality.repeatedPairs)
    }

    @Test func colleaguesApartWhenPossibleAndCountedWhenNot() throws {
        // Six colleagues, three tables: two must share a table each round, and the bound says so.
        var people = (0..<6).map { RotationPerson(key: "a\($0)", company: Folding.companyKey(["Airbus", "AIRBUS SAS", "airbus"][$0 % 3])) }
        people += (0..<12).map { RotationPerson(key: "o\($0)") }
        let request = RotationRequest(people: people, tables: RotationRequest.tables(people: 18, tableSize: 6), rounds: 2, seed: 9)
        let plan = try RotationPlanner.plan(request)
        expectWellFormed(plan, request)
        #expect(plan.quality.lowerBound.colleaguePairs == 6)
        #expect(plan.quality.colleaguePairs == 6)
        #expect(recount(plan, request).colleagues == 6)
    }

    @Test func pinsAndKeepApartAreHonoured() throws {
        let people = room(30)
        let tables = RotationRequest.tables(people: 30, tableSize: 6)
        let pins = [RotationPin(person: "p0", round: 0, table: 0), RotationPin(person: "p1", round: 2, table: 4)]
        let apart = [PersonPair("p2", "p3"), PersonPair("p4", "p5")]
        let request = RotationRequest(people: people, tables: tables, rounds: 3, pins: pins, keepApart: apart, seed: 11)
        let plan = try RotationPlanner.plan(request)
        expectWellFormed(plan, request)
        #expect(plan.rounds[0][0].contains("p0"))
        #expect(plan.rounds[2][4].contains("p1"))
        #expect(plan.quality.unmetPins == 0)
        #expect(plan.quality.keptApartTogether == 0)
        for round in plan.rounds { for table in round { #expect(!(table.contains("p2") && table.contains("p3"))) } }
    }

    @Test func peopleWhoMetBeforeAreKeptApart() throws {
        let people = (0..<24).map { RotationPerson(key: "\($0)") }
        let met = (0..<12).map { PersonPair("\($0)", "\($0 + 12)") }
        let request = RotationRequest(people: people, tables: RotationRequest.tables(people: 24, tableSize: 4), rounds: 3, metBefore: met, seed: 2)
        let plan = try RotationPlanner.plan(request)
        #expect(plan.quality.metBeforeTogether == 0)
        #expect(plan.quality.repeatedPairs == 0)
    }

    @Test func whatMattersCanBeSwitchedOff() throws {
        // Half newcomers: mixed, each table has both; not asked, the planner does not care.
        let people = (0..<24).map { RotationPerson(key: "\($0)", newcomer: $0 < 12) }
        let tables = RotationRequest.tables(people: 24, tableSize: 6)
        func unmixedTables(_ plan: RotationPlan) -> Int {
            plan.rounds.flatMap { $0 }.filter { table in Set(table.map { Int($0)! < 12 }).count < 2 }.count
        }
        let mixed = try RotationPlanner.plan(RotationRequest(people: people, tables: tables, rounds: 1, seed: 4))
        #expect(unmixedTables(mixed) == 0)
        #expect(mixed.quality.mixScore == 100)
        let off = RotationPriorities(mixNewcomers: false, mixJobs: false, spreadTopics: false, avoidMetBefore: false)
        let indifferent = try RotationPlanner.plan(RotationRequest(people: people, tables: tables, rounds: 1, seed: 4, priorities: off))
        #expect(indifferent.quality.mixPenalty == 0, "nothing to mix when nothing matters")
        // Met before still reported, no longer avoided.
        let met = [PersonPair("0", "1")]
        let pinned = [RotationPin(person: "0", round: 0, table: 0), RotationPin(person: "1", round: 0, table: 0)]
        let together = try RotationPlanner.plan(RotationRequest(people: people, tables: tables, rounds: 1, pins: pinned, metBefore: met, seed: 4, priorities: off))
        #expect(together.quality.metBeforeTogether == 1)
    }

    @Test func aReplanKeepsStartedRoundsAndMovesFewPeople() throws {
        let people = room(48, companies: 5)
        let tables = RotationRequest.tables(people: 48, tableSize: 6)
        let first = try RotationPlanner.plan(RotationRequest(people: people, tables: tables, rounds: 4, seed: 1))
        // Round 1 has run; two people leave and one walks in.
        let leavers: Set<String> = ["p3", "p17"]
        var now = people.filter { !leavers.contains($0.key) }
        now.append(RotationPerson(key: "walkin", family: .sales, newcomer: true))
        let previous = first.rounds.dropFirst().map { round in round.map { $0.filter { !leavers.contains($0) } } }
        let request = RotationRequest(people: now, tables: tables, rounds: 4, fixedRounds: [first.rounds[0]], previous: Array(previous), seed: 1)
        let replan = try RotationPlanner.plan(request)
        #expect(replan.rounds[0] == first.rounds[0], "a round already played never changes")
        for round in replan.rounds.dropFirst() {
            #expect(Set(round.flatMap { $0 }) == Set(now.map(\.key)))
        }
        #expect(replan.quality.repeatedPairs == 0)
        // 47 people in 3 rounds = 141 seats; a re-plan that starts over would move most of them.
        #expect(replan.quality.moved <= 30, "moved \(replan.quality.moved)")
    }

    @Test func occupancyIsEvenAndAvoidsNearlyEmptyTables() {
        #expect(RotationPlanner.occupancy(people: 70, tables: (1...10).map { RoomTable(name: "\($0)", seats: 8) }) == Array(repeating: 7, count: 10))
        let counts = RotationPlanner.occupancy(people: 13, tables: (1...6).map { RoomTable(name: "\($0)", seats: 6) })
        #expect(counts.reduce(0, +) == 13)
        #expect(counts.allSatisfy { $0 == 0 || $0 >= 3 })
        // Uneven tables: as even as the seats allow, not a table of two beside full ones.
        let mixed = [RoomTable(name: "1", seats: 4), RoomTable(name: "2", seats: 4), RoomTable(name: "3", seats: 4), RoomTable(name: "4", seats: 3)]
        #expect(RotationPlanner.occupancy(people: 14, tables: mixed) == [4, 4, 3, 3])
    }

    @Test func tooManyPeopleIsAClearError() {
        #expect(throws: RotationError.notEnoughSeats(people: 10, seats: 8)) {
            try RotationPlanner.plan(RotationRequest(people: (0..<10).map { RotationPerson(key: "\($0)") }, tables: [RoomTable(name: "1", seats: 8)], rounds: 2))
        }
    }

    @Test func jobFamiliesAndFolding() {
        #expect(JobFamily.classify("Directrice marketing") == .marketing)
        #expect(JobFamily.classify("Développeuse iOS") == .engineering)
        #expect(JobFamily.classify("CEO & Founder") == .leadership)
        #expect(Folding.companyKey("AIRBUS SAS") == Folding.companyKey("Airbus"))
        #expect(Folding.companyKey("Société Générale") == "societe generale")
        #expect(Folding.sameCompany(Folding.companyKey("Huawei"), Folding.companyKey("Huawei France")))
        #expect(Folding.sameCompany(Folding.companyKey("Thales"), Folding.companyKey("THALES Alenia Space")))
        #expect(!Folding.sameCompany(Folding.companyKey("Groupe"), Folding.companyKey("Groupe SEB")), "a generic word alone is no employer")
        #expect(!Folding.sameCompany(Folding.companyKey("Orange"), Folding.companyKey("Orangina")))
        #expect(!Folding.sameCompany("", ""))
    }
}
