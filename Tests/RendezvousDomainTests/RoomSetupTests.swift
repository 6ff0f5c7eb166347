import Foundation
@testable import RendezvousDomain
import Testing

@Suite("Room setup and state")
struct RoomSetupTests {
    @Test func theFormBecomesTablesWithNamesAndSmallerOnes() throws {
        let setup = try RoomSetupInput(tables: " 5 ", seats: "6", names: "Fenêtre\n\nBar", smaller: "2:4; 5:3", rounds: "4", minutes: "15").validated().get()
        #expect(setup.tables == [RoomTable(name: "Fenêtre", seats: 6), RoomTable(name: "2", seats: 4), RoomTable(name: "Bar", seats: 6),
                                 RoomTable(name: "4", seats: 6), RoomTable(name: "5", seats: 3)])
        #expect(setup.rounds == 4 && setup.roundMinutes == 15 && setup.seats == 25)
        #expect(RoomSetupInput(setup).validated() == .success(setup), "a stored setup shows as a form that gives it back")
    }

    @Test(arguments: [
        (RoomSetupInput(tables: "0", seats: "6", rounds: "3", minutes: "20"), "tables", ValidationProblem.outOfRange(min: 1, max: 200)),
        (RoomSetupInput(tables: "", seats: "6", rounds: "3", minutes: "20"), "tables", .required),
        (RoomSetupInput(tables: "4", seats: "21", rounds: "3", minutes: "20"), "seats", .outOfRange(min: 2, max: 20)),
        (RoomSetupInput(tables: "4", seats: "6", rounds: "13", minutes: "20"), "rounds", .outOfRange(min: 1, max: 12)),
        (RoomSetupInput(tables: "4", seats: "6", rounds: "3", minutes: "121"), "minutes", .outOfRange(min: 1, max: 120)),
        (RoomSetupInput(tables: "4", seats: "6", smaller: "5:4", rounds: "3", minutes: "20"), "smaller", .outOfRange(min: 1, max: 4)),
        (RoomSetupInput(tables: "4", seats: "6", smaller: "2:7", rounds: "3", minutes: "20"), "smaller", .outOfRange(min: 2, max: 6)),
        (RoomSetupInput(tables: "4", seats: "6", smaller: "2-4", rounds: "3", minutes: "20"), "smaller", .format(example: "5:4, 9:4")),
        (RoomSetupInput(tables: "2", seats: "6", names: "A\nB\nC", rounds: "3", minutes: "20"), "names", .outOfRange(min: 0, max: 2)),
        (RoomSetupInput(tables: "2", seats: "6", names: "A\u{202E}B", rounds: "3", minutes: "20"), "names", .controlCharacters),
    ])
    func eachProblemNamesItsField(_ input: RoomSetupInput, _ field: String, _ problem: ValidationProblem) {
        guard case .failure(let errors) = input.validated() else { Issue.record("accepted \(input)"); return }
        #expect(errors.problems.map(\.field) == [field])
        #expect(errors[field] == problem)
    }

    @Test func pinsAndPairs() {
        var setup = RoomSetup.suggested
        setup.pin("a", round: 1, table: 2)
        setup.pin("a", round: 1, table: 3)
        setup.pin("b", round: 0, table: 9)
        #expect(setup.pins == [RotationPin(person: "a", round: 1, table: 3), RotationPin(person: "b", round: 0, table: 9)])
        setup.pin("a", round: 1, table: nil)
        setup.keepApart("x", "y")
        setup.keepApart("y", "x")
        setup.keepApart("z", "z")
        #expect(setup.keepApart == [PersonPair("x", "y")])
        let smaller = RoomSetup(tables: Array(setup.tables.prefix(4)), rounds: 3, roundMinutes: 10).keepingConstraints(of: setup)
        #expect(smaller.pins.isEmpty, "table 9 is gone")
        #expect(smaller.keepApart == [PersonPair("x", "y")])
    }

    @Test func theClockAndTheSeats() throws {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let plan = try JSONDecoder().decode(RotationPlan.self, from: Data("""
            {"rounds": [[["a", "b"], ["c", "d"]], [["a", "c"], ["b", "d"]]],
             "quality": {"repeatedPairs": 0, "colleaguePairs": 0, "keptApartTogether": 0, "metBeforeTogether": 0, "mixPenalty": 0,
                         "lowerBound": {"repeatedPairs": 0, "colleaguePairs": 0, "mixPenalty": 0}, "mixScore": 100, "moved": 0, "unmetPins": 0, "seconds": 0}}
            """.utf8))
        var state = RoomState(eventID: Event.ID(UUID()), setup: RoomSetup(tables: [RoomTable(name: "1", seats: 2), RoomTable(name: "2", seats: 2)], rounds: 2, roundMinutes: 10), plan: plan)
        #expect(state.secondsLeft(now: start) == nil && state.startedRounds == 0)
        state.phase = .running
        state.currentRound = 1
        state.roundStartedAt = start
        #expect(state.startedRounds == 2)
        #expect(state.secondsLeft(now: start.addingTimeInterval(61.5)) == 539)
        #expect(state.secondsLeft(now: start.addingTimeInterval(3600)) == 0)
        state.phase = .paused
        state.remainingWhenPaused = 42
        #expect(state.secondsLeft(now: start.addingTimeInterval(3600)) == 42)
        #expect(state.seat(of: "d", round: 1)?.table == 1)
        #expect(state.seat(of: "d", round: 1)?.mates == ["b"])
        #expect(state.seat(of: "e", round: 0) == nil)
        #expect(state.seat(of: "a", round: 2) == nil)
    }

    @Test func whoIsInTheRoom() {
        func person(_ id: String, _ checkedIn: Bool) -> RoomPerson {
            RoomPerson(registrationID: id, firstName: id, lastName: "", jobTitle: "Développeuse", company: "Airbus SAS", askMeAbout: "Swift, design",
                       newcomer: true, checkedIn: checkedIn)
        }
        #expect(RoomPerson.present([person("a", false), person("b", false)], left: ["b"]).map(\.registrationID) == ["a"], "before the doors: everyone confirmed")
        #expect(RoomPerson.present([person("a", false), person("b", true), person("c", true)], left: ["c"]).map(\.registrationID) == ["b"], "then who came")
        let rotation = person("a", true).rotationPerson
        #expect(rotation.company == "airbus" && rotation.newcomer && rotation.topics == ["swift", "design"])
    }
}
