import ArgumentParser
import Foundation
import RendezvousDomain

/// Plans a synthetic room, for benchmarks and for anyone checking the planner:
/// people are numbered from 0; every person sits at exactly one table per round.
struct RotationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotations",
        abstract: "Plan table rotations for a synthetic room and print the plan as JSON."
    )

    @Option(help: "How many people.") var people: Int
    @Option(name: .customLong("table-size"), help: "Seats per table.") var tableSize: Int
    @Option(help: "How many rounds.") var rounds: Int
    @Option(help: "Seed of the search (the same seed gives the same plan).") var seed: UInt64 = 1
    @Option(help: "Stop searching after this many seconds.") var seconds: Double = 10
    @Option(help: "A file with one company per line, line i for person i (colleagues are never seated together).")
    var companies: String?
    @Option(help: "A file of pairs who met before, one \"a b\" per line (kept apart where possible).")
    var history: String?
    @Flag(help: "Seat people at random instead (the baseline the planner is compared with).") var shuffle = false

    struct Output: Encodable {
        var rounds: [[[Int]]]
        var repeatedPairs: Int
        var colleaguePairs: Int
        var metBeforeTogether: Int
        var mixScore: Int
        var lowerBound: RotationQuality.LowerBound
        var seconds: Double
    }

    func validate() throws {
        guard people >= 1, people <= 20_000 else { throw ValidationError("--people must be between 1 and 20000.") }
        guard tableSize >= 2 else { throw ValidationError("--table-size must be at least 2.") }
        guard rounds >= 1, rounds <= 50 else { throw ValidationError("--rounds must be between 1 and 50.") }
    }

    func run() async throws {
        var persons = (0..<people).map { RotationPerson(key: String($0)) }
        if let companies {
            let lines = try String(contentsOfFile: companies, encoding: .utf8).components(separatedBy: .newlines)
            for (i, line) in lines.prefix(people).enumerated() { persons[i].company = Folding.companyKey(line) }
        }
        var met: [PersonPair] = []
        if let history {
            for line in try String(contentsOfFile: history, encoding: .utf8).components(separatedBy: .newlines) {
                let parts = line.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }).compactMap { Int($0) }
                guard parts.count == 2, parts.allSatisfy({ (0..<people).contains($0) }) else { continue }
                met.append(PersonPair(String(parts[0]), String(parts[1])))
            }
        }
        let request = RotationRequest(
            people: persons, tables: RotationRequest.tables(people: people, tableSize: tableSize), rounds: rounds,
            metBefore: met, seed: seed, timeLimit: seconds
        )
        let plan = shuffle ? RotationPlanner.shuffled(request) : try RotationPlanner.plan(request)
        let output = Output(
            rounds: plan.rounds.map { $0.map { $0.compactMap(Int.init) } },
            repeatedPairs: plan.quality.repeatedPairs, colleaguePairs: plan.quality.colleaguePairs,
            metBeforeTogether: plan.quality.metBeforeTogether, mixScore: plan.quality.mixScore,
            lowerBound: plan.quality.lowerBound, seconds: (plan.quality.seconds * 1000).rounded() / 1000
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        FileHandle.standardOutput.write(try encoder.encode(output))
        FileHandle.standardOutput.write(Data("\n".utf8))
    }
}
