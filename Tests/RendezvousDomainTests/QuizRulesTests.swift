import Foundation
import RendezvousDomain
import Testing

@Suite("Live quiz rules")
struct QuizRulesTests {
    static let now = Date(timeIntervalSince1970: 1_750_000_000)

    static let single = QuizQuestion(kind: .single, prompt: "Capital of France?", choices: ["Lyon", "Paris", "Lille"], correct: [1], seconds: 20, points: 1000)
    static let multiple = QuizQuestion(kind: .multiple, prompt: "Prime numbers?", choices: ["2", "4", "5", "9"], correct: [0, 2], seconds: 30, points: 800)
    static let trueFalse = QuizQuestion(kind: .trueFalse, prompt: "Swift is a bird", correct: [0], seconds: 10, points: 500)
    static let number = QuizQuestion(kind: .number, prompt: "Year of the Moon landing?", answer: 1969, seconds: 15)
    static let word = QuizQuestion(kind: .word, prompt: "One word for meetups?", accepted: ["Réseau", "networking"], seconds: 25)
    static let cloud = QuizQuestion(kind: .word, prompt: "Your mood?")

    static func session(_ questions: [QuizQuestion] = [single, multiple, number], phase: QuizSession.Phase = .lobby,
                        index: Int = -1, deadline: Date? = nil, version: Int = 7) -> QuizSession {
        QuizSession(eventID: Event.ID(), quizID: Quiz.ID(), code: "123456", title: "Quiz night", questions: questions,
                    phase: phase, index: index, openedAt: deadline == nil ? nil : now.addingTimeInterval(-5), deadline: deadline, version: version)
    }

    func applied(_ command: QuizCommand, _ session: QuizSession, at now: Date = QuizRulesTests.now) throws -> QuizSession {
        try QuizRules.apply(command, to: session, now: now).get()
    }

    // MARK: - Phases

    @Test func nextFromLobbyOpensTheFirstQuestionWithItsDeadline() throws {
        let start = Self.session()
        let next = try applied(.next, start)
        #expect(next.phase == .question)
        #expect(next.index == 0)
        #expect(next.openedAt == Self.now)
        #expect(next.deadline == Self.now.addingTimeInterval(20))
        #expect(next.version == 8)
        #expect(next.question == Self.single)
    }

    @Test func nextUsesTheNextQuestionsOwnSeconds() throws {
        let results = Self.session(phase: .results, index: 0, deadline: Self.now.addingTimeInterval(-1))
        let later = Self.now.addingTimeInterval(100)
        let next = try applied(.next, results, at: later)
        #expect(next.phase == .question)
        #expect(next.index == 1)
        #expect(next.openedAt == later)
        #expect(next.deadline == later.addingTimeInterval(30))

        let leaderboard = Self.session(phase: .leaderboard, index: 1)
        let third = try applied(.next, leaderboard)
        #expect(third.phase == .question)
        #expect(third.index == 2)
        #expect(third.deadline == Self.now.addingTimeInterval(15))
        #expect(third.version == 8)
    }

    @Test func closeBeforeTheDeadlineMovesItToNow() throws {
        let open = Self.session(phase: .question, index: 0, deadline: Self.now.addingTimeInterval(12))
        let closed = try applied(.close, open)
        #expect(closed.phase == .results)
        #expect(closed.index == 0)
        #expect(closed.deadline == Self.now)
        #expect(closed.version == 8)
        // No answer counts any more, even one that would have been in time.
        #expect(!closed.accepts(index: 0, at: Self.now))
    }

    @Test func closeAfterTheDeadlineKeepsIt() throws {
        let deadline = Self.now.addingTimeInterval(-3)
        let open = Self.session(phase: .question, index: 0, deadline: deadline)
        let closed = try applied(.close, open)
        #expect(closed.phase == .results)
        #expect(closed.deadline == deadline)
    }

    @Test func leaderboardFollowsResults() throws {
        let results = Self.session(phase: .results, index: 0)
        let board = try applied(.leaderboard, results)
        #expect(board.phase == .leaderboard)
        #expect(board.index == 0)
        #expect(board.version == 8)
    }

    @Test(arguments: [QuizSession.Phase.results, .leaderboard])
    func nextAfterTheLastQuestionFinishes(_ phase: QuizSession.Phase) throws {
        let deadline = Self.now.addingTimeInterval(-30)
        let last = Self.session(phase: phase, index: 2, deadline: deadline)
        let done = try applied(.next, last)
        #expect(done.phase == .finished)
        #expect(done.index == 2)
        #expect(done.deadline == deadline)
        #expect(done.version == 8)
    }

    @Test func nextInTheLobbyOfAnEmptyQuizFinishes() throws {
        let done = try applied(.next, Self.session([]))
        #expect(done.phase == .finished)
        #expect(done.index == -1)
    }

    @Test(arguments: [QuizSession.Phase.lobby, .question, .results, .leaderboard])
    func finishFromEveryLivePhase(_ phase: QuizSession.Phase) throws {
        let session = Self.session(phase: phase, index: phase == .lobby ? -1 : 1)
        let done = try applied(.finish, session)
        #expect(done.phase == .finished)
        #expect(done.index == session.index)
        #expect(done.version == 8)
    }

    @Test(arguments: [
        (QuizCommand.close, QuizSession.Phase.lobby), (.leaderboard, .lobby),
        (.next, .question), (.leaderboard, .question),
        (.close, .results),
        (.close, .leaderboard), (.leaderboard, .leaderboard),
        (.next, .finished), (.close, .finished), (.leaderboard, .finished), (.finish, .finished),
    ])
    func illegalCommandsAreNotNow(_ command: QuizCommand, _ phase: QuizSession.Phase) {
        let session = Self.session(phase: phase, index: phase == .lobby ? -1 : 0, deadline: Self.now.addingTimeInterval(10))
        #expect(QuizRules.apply(command, to: session, now: Self.now) == .failure(.notNow))
    }

    @Test func aWholeGameCountsEveryChange() throws {
        var session = Self.session([Self.single, Self.trueFalse], version: 1)
        let commands: [(QuizCommand, QuizSession.Phase, Int)] = [
            (.next, .question, 0), (.close, .results, 0), (.leaderboard, .leaderboard, 0),
            (.next, .question, 1), (.close, .results, 1), (.next, .finished, 1),
        ]
        for (step, (command, phase, index)) in commands.enumerated() {
            session = try applied(command, session, at: Self.now.addingTimeInterval(Double(step)))
            #expect(session.phase == phase, "step \(step)")
            #expect(session.index == index, "step \(step)")
            #expect(session.version == step + 2, "step \(step)")
        }
        for command in QuizCommand.allCases {
            #expect(QuizRules.apply(command, to: session, now: Self.now) == .failure(.notNow))
        }
    }

    // MARK: - Accepting answers

    @Test func acceptsUpToTheDeadlineExactly() {
        let deadline = Self.now.addingTimeInterval(20)
        let open = Self.session(phase: .question, index: 1, deadline: deadline)
        #expect(open.accepts(index: 1, at: Self.now))
        #expect(open.accepts(index: 1, at: deadline))
        #expect(!open.accepts(index: 1, at: deadline.addingTimeInterval(0.001)))
        #expect(!open.accepts(index: 0, at: Self.now))
        #expect(!open.accepts(index: 2, at: Self.now))
    }

    @Test(arguments: [QuizSession.Phase.lobby, .results, .leaderboard, .finished])
    func acceptsNothingOutsideAQuestion(_ phase: QuizSession.Phase) {
        let session = Self.session(phase: phase, index: 1, deadline: Self.now.addingTimeInterval(20))
        #expect(!session.accepts(index: 1, at: Self.now))
    }

    @Test func acceptsNothingWithoutADeadline() {
        let session = Self.session(phase: .question, index: 1, deadline: nil)
        #expect(!session.accepts(index: 1, at: Self.now))
    }

    // MARK: - Scoring

    @Test func pointsFallLinearlyToHalf() {
        let question = QuizQuestion(kind: .single, prompt: "?", choices: ["a", "b"], correct: [0], seconds: 20, points: 1000)
        #expect(QuizRules.points(for: question, elapsed: 0) == 1000)
        #expect(QuizRules.points(for: question, elapsed: 5) == 875)
        #expect(QuizRules.points(for: question, elapsed: 10) == 750)
        #expect(QuizRules.points(for: question, elapsed: 15) == 625)
        #expect(QuizRules.points(for: question, elapsed: 20) == 500)
        #expect(QuizRules.points(for: question, elapsed: 0.5) == 988) // 987.5 rounded
        #expect(QuizRules.points(for: question, elapsed: 25) == 500)
        #expect(QuizRules.points(for: question, elapsed: 3600) == 500)
        #expect(QuizRules.points(for: question, elapsed: -2) == 1000)
    }

    @Test func pointsOfOtherValues() {
        let odd = QuizQuestion(kind: .trueFalse, prompt: "?", correct: [1], seconds: 10, points: 999)
        #expect(QuizRules.points(for: odd, elapsed: 0) == 999)
        #expect(QuizRules.points(for: odd, elapsed: 10) == 500) // 499.5 rounded
        let none = QuizQuestion(kind: .trueFalse, prompt: "?", correct: [1], seconds: 10, points: 0)
        #expect(QuizRules.points(for: none, elapsed: 3) == 0)
    }

    @Test func singleAndTrueFalseNeedTheRightChoice() {
        #expect(QuizRules.isRight(.choices([1]), for: Self.single))
        #expect(!QuizRules.isRight(.choices([0]), for: Self.single))
        #expect(!QuizRules.isRight(.choices([0, 1]), for: Self.single))
        #expect(!QuizRules.isRight(.choices([]), for: Self.single))
        #expect(QuizRules.isRight(.choices([0]), for: Self.trueFalse))
        #expect(!QuizRules.isRight(.choices([1]), for: Self.trueFalse))
    }

    @Test func multipleNeedsExactlyTheRightSet() {
        #expect(QuizRules.isRight(.choices([0, 2]), for: Self.multiple))
        #expect(QuizRules.isRight(.choices([2, 0]), for: Self.multiple))
        #expect(!QuizRules.isRight(.choices([0]), for: Self.multiple))
        #expect(!QuizRules.isRight(.choices([0, 2, 3]), for: Self.multiple))
        #expect(!QuizRules.isRight(.choices([0, 1, 2, 3]), for: Self.multiple))
        #expect(!QuizRules.isRight(.choices([1, 3]), for: Self.multiple))
    }

    @Test func pollQuestionsHaveNoRightAnswer() {
        let poll = QuizQuestion(kind: .single, prompt: "Pizza or sushi?", choices: ["Pizza", "Sushi"])
        #expect(!QuizRules.isRight(.choices([0]), for: poll))
        #expect(!QuizRules.isRight(.choices([]), for: poll))
        #expect(!QuizRules.isRight(.word("anything"), for: Self.cloud))
        #expect(!QuizRules.isRight(.word(""), for: Self.cloud))
    }

    @Test func wordsAreComparedWithoutCaseOrAccents() {
        #expect(QuizRules.isRight(.word("Réseau"), for: Self.word))
        #expect(QuizRules.isRight(.word("reseau"), for: Self.word))
        #expect(QuizRules.isRight(.word("RÉSEAU"), for: Self.word))
        #expect(QuizRules.isRight(.word("Re\u{0301}seau"), for: Self.word))
        #expect(QuizRules.isRight(.word("  Networking "), for: Self.word))
        #expect(!QuizRules.isRight(.word("réseaux"), for: Self.word))
        #expect(!QuizRules.isRight(.word("net"), for: Self.word))
        #expect(!QuizRules.isRight(.word("!!!"), for: QuizQuestion(kind: .word, prompt: "?", accepted: ["?"])))
    }

    @Test func wrongKindsAndNumbersAreNeverRightThroughIsRight() {
        #expect(!QuizRules.isRight(.number(1969), for: Self.number))
        #expect(!QuizRules.isRight(.word("Paris"), for: Self.single))
        #expect(!QuizRules.isRight(.choices([0]), for: Self.number))
        #expect(!QuizRules.isRight(.choices([0]), for: Self.word))
    }

    @Test func closestGuessesWithTies() throws {
        let guesses: [Double] = [1950, 1968, 1970, 2001]
        let best = try #require(QuizRules.closest(guesses, to: Self.number))
        #expect(best == 1)
        #expect(QuizRules.isClosest(1968, best: best, question: Self.number))
        #expect(QuizRules.isClosest(1970, best: best, question: Self.number))
        #expect(!QuizRules.isClosest(1950, best: best, question: Self.number))
        #expect(!QuizRules.isClosest(1971, best: best, question: Self.number))
        #expect(QuizRules.closest([1969, 1900], to: Self.number) == 0)
    }

    @Test func closestWithNegativeNumbers() throws {
        let cold = QuizQuestion(kind: .number, prompt: "Coldest temperature in France (°C)?", answer: -41)
        let best = try #require(QuizRules.closest([-30, -45, -37, 12], to: cold))
        #expect(best == 4)
        #expect(QuizRules.isClosest(-45, best: best, question: cold))
        #expect(QuizRules.isClosest(-37, best: best, question: cold))
        #expect(!QuizRules.isClosest(-30, best: best, question: cold))
        #expect(!QuizRules.isClosest(41, best: best, question: cold))
        #expect(QuizRules.closest([0.1 + 0.2], to: QuizQuestion(kind: .number, prompt: "?", answer: 0.3))! < 1e-9)
    }

    @Test func closestNeedsGuessesAndAnAnswer() {
        let poll = QuizQuestion(kind: .number, prompt: "How many meetups?")
        #expect(QuizRules.closest([], to: Self.number) == nil)
        #expect(QuizRules.closest([3, 4], to: poll) == nil)
        #expect(!QuizRules.isClosest(3, best: 0, question: poll))
    }

    // MARK: - Standings

    typealias Player = QuizStanding.Player

    @Test func standingsByPointsThenSpeedThenJoinOrder() {
        let players = [
            Player(id: "a", name: "Ana", points: 1500, rightMillis: 9000, rightAnswers: 2, joinOrder: 0),
            Player(id: "b", name: "Ben", points: 2000, rightMillis: 12000, rightAnswers: 2, joinOrder: 1),
            Player(id: "c", name: "Chloé", points: 1500, rightMillis: 4000, rightAnswers: 2, joinOrder: 2),
            Player(id: "d", name: "Dan", points: 0, rightMillis: 0, rightAnswers: 0, joinOrder: 3),
            Player(id: "e", name: "Eve", points: 1500, rightMillis: 9000, rightAnswers: 2, joinOrder: 4),
        ]
        let standings = QuizRules.standings(players)
        #expect(standings.map(\.player.id) == ["b", "c", "a", "e", "d"])
        #expect(standings.map(\.rank) == [1, 2, 3, 3, 5])
    }

    @Test func equalPointsAndTimeShareARank() {
        let players = [
            Player(id: "d", name: "D", points: 100, rightMillis: 500, joinOrder: 3),
            Player(id: "c", name: "C", points: 500, rightMillis: 800, joinOrder: 2),
            Player(id: "b", name: "B", points: 500, rightMillis: 800, joinOrder: 1),
            Player(id: "a", name: "A", points: 900, rightMillis: 1000, joinOrder: 0),
        ]
        let standings = QuizRules.standings(players)
        #expect(standings.map(\.player.id) == ["a", "b", "c", "d"])
        #expect(standings.map(\.rank) == [1, 2, 2, 4])
    }

    @Test func equalPointsButDifferentTimesDoNotShare() {
        let players = [
            Player(id: "slow", name: "S", points: 500, rightMillis: 801, joinOrder: 0),
            Player(id: "quick", name: "Q", points: 500, rightMillis: 800, joinOrder: 1),
        ]
        let standings = QuizRules.standings(players)
        #expect(standings.map(\.player.id) == ["quick", "slow"])
        #expect(standings.map(\.rank) == [1, 2])
        #expect(QuizRules.standings([]).isEmpty)
    }

    @Test func teamsScoreTheirMean() {
        let four = (0..<4).map { Player(id: "s\($0)", name: "S\($0)", team: "Table 2", points: 100) }
        let eight = (0..<8).map { Player(id: "b\($0)", name: "B\($0)", team: "Table 10", points: 90) }
        let loners = [
            Player(id: "x", name: "X", team: nil, points: 5000),
            Player(id: "y", name: "Y", team: "", points: 5000),
        ]
        let standings = QuizRules.teamStandings(eight + loners + four)
        #expect(standings.map(\.team) == ["Table 2", "Table 10"])
        #expect(standings.map(\.rank) == [1, 2])
        #expect(standings.map(\.points) == [100, 90])
        #expect(standings.map(\.members) == [4, 8])
    }

    @Test func teamMeansAreRoundedAndTiesShareARank() {
        let players = [
            Player(id: "1", name: "1", team: "Table 3", points: 100),
            Player(id: "2", name: "2", team: "Table 3", points: 201), // mean 150.5 → 151
            Player(id: "3", name: "3", team: "Table 1", points: 151),
            Player(id: "4", name: "4", team: "Table 2", points: 300),
            Player(id: "5", name: "5", team: "Table 4", points: 20),
        ]
        let standings = QuizRules.teamStandings(players)
        #expect(standings.map(\.team) == ["Table 2", "Table 1", "Table 3", "Table 4"])
        #expect(standings.map(\.points) == [300, 151, 151, 20])
        #expect(standings.map(\.rank) == [1, 2, 2, 4])
        #expect(standings.map(\.members) == [1, 1, 2, 1])
    }

    // MARK: - Distribution

    @Test func countsPerChoice() {
        let answers: [QuizAnswer] = [.choices([1]), .choices([1]), .choices([0]), .choices([1])]
        let distribution = QuizDistribution.of(answers, question: Self.single)
        #expect(distribution.answers == 4)
        #expect(distribution.choices == [1, 3, 0])
        #expect(distribution.words.isEmpty)
        #expect(distribution.median == nil)
        #expect(distribution.closest == nil)

        let multi = QuizDistribution.of([.choices([0, 2]), .choices([2, 3]), .choices([9])], question: Self.multiple)
        #expect(multi.answers == 3)
        #expect(multi.choices == [1, 0, 2, 1])

        let truth = QuizDistribution.of([.choices([1]), .choices([0]), .choices([1])], question: Self.trueFalse)
        #expect(truth.choices == [1, 2])
    }

    @Test func wordCloudFoldsSpellings() {
        let answers: [QuizAnswer] = [
            .word("Réseau"), .word("reseau"), .word("RÉSEAU"), .word("reseau"),
            .word("Café"), .word("café"),
            .word("networking"),
            .word("!!!"),
        ]
        let distribution = QuizDistribution.of(answers, question: Self.word)
        #expect(distribution.answers == 8)
        #expect(distribution.choices.isEmpty)
        #expect(distribution.words.map(\.word) == ["reseau", "Café", "networking"])
        #expect(distribution.words.map(\.count) == [4, 2, 1])
        #expect(distribution.words.map(\.right) == [true, false, true])
    }

    @Test func wordCloudKeepsTheFortyMostFrequent() {
        var answers: [QuizAnswer] = []
        for index in 0..<45 {
            // word00 is given 46 times, word44 twice: the five least given are dropped.
            for _ in 0..<(46 - index) { answers.append(.word(String(format: "word%02d", index))) }
        }
        let distribution = QuizDistribution.of(answers, question: Self.cloud)
        #expect(distribution.words.count == 40)
        #expect(distribution.words.map(\.word) == (0..<40).map { String(format: "word%02d", $0) })
        #expect(distribution.words.map(\.count) == (0..<40).map { 46 - $0 })
        #expect(distribution.words.allSatisfy { !$0.right })
        #expect(!distribution.words.contains { $0.word == "word40" })
    }

    @Test func medianAndClosestGuess() {
        let odd = QuizDistribution.of([.number(2001), .number(1950), .number(1971)], question: Self.number)
        #expect(odd.answers == 3)
        #expect(odd.median == 1971)
        #expect(odd.closest == 1971)
        #expect(odd.choices.isEmpty)

        let even = QuizDistribution.of([.number(1900), .number(1968), .number(2030), .number(1980)], question: Self.number)
        #expect(even.median == 1974)
        #expect(even.closest == 1968)

        let poll = QuizDistribution.of([.number(3), .number(8)], question: QuizQuestion(kind: .number, prompt: "How many?"))
        #expect(poll.median == 5.5)
        #expect(poll.closest == nil)

        let cold = QuizDistribution.of([.number(-30), .number(-40), .number(-50)], question: QuizQuestion(kind: .number, prompt: "?", answer: -41))
        #expect(cold.median == -40)
        #expect(cold.closest == -40)
    }

    // MARK: - Answers from phones

    @Test func choiceAnswersAreChecked() {
        #expect(QuizAnswer.choices([2]).validated(for: Self.single) == .choices([2]))
        #expect(QuizAnswer.choices([3]).validated(for: Self.single) == nil)
        #expect(QuizAnswer.choices([-1]).validated(for: Self.single) == nil)
        #expect(QuizAnswer.choices([0, 1]).validated(for: Self.single) == nil)
        #expect(QuizAnswer.choices([]).validated(for: Self.single) == nil)
        #expect(QuizAnswer.choices([1]).validated(for: Self.trueFalse) == .choices([1]))
        #expect(QuizAnswer.choices([2]).validated(for: Self.trueFalse) == nil)
        #expect(QuizAnswer.choices([3, 0, 3, 0]).validated(for: Self.multiple) == .choices([0, 3]))
        #expect(QuizAnswer.choices([0, 4]).validated(for: Self.multiple) == nil)
        #expect(QuizAnswer.choices([]).validated(for: Self.multiple) == nil)
    }

    @Test func numberAnswersAreChecked() {
        #expect(QuizAnswer.number(1969.5).validated(for: Self.number) == .number(1969.5))
        #expect(QuizAnswer.number(-3).validated(for: Self.number) == .number(-3))
        #expect(QuizAnswer.number(.nan).validated(for: Self.number) == nil)
        #expect(QuizAnswer.number(.infinity).validated(for: Self.number) == nil)
        #expect(QuizAnswer.number(-.infinity).validated(for: Self.number) == nil)
        #expect(QuizAnswer.number(1e15).validated(for: Self.number) == nil)
    }

    @Test func wordAnswersAreChecked() {
        #expect(QuizAnswer.word("  Re\u{0301}seau \n").validated(for: Self.word) == .word("Réseau"))
        #expect(QuizAnswer.word(String(repeating: "a", count: 40)).validated(for: Self.word) == .word(String(repeating: "a", count: 40)))
        #expect(QuizAnswer.word(String(repeating: "a", count: 41)).validated(for: Self.word) == nil)
        #expect(QuizAnswer.word("   ").validated(for: Self.word) == nil)
        #expect(QuizAnswer.word("ab\u{0007}c").validated(for: Self.word) == nil)
        #expect(QuizAnswer.word("two\nlines").validated(for: Self.word) == nil)
        #expect(QuizAnswer.word("evil\u{202E}txt").validated(for: Self.word) == nil)
    }

    @Test func answersOfTheWrongKindAreRefused() {
        #expect(QuizAnswer.word("Paris").validated(for: Self.single) == nil)
        #expect(QuizAnswer.number(1).validated(for: Self.single) == nil)
        #expect(QuizAnswer.choices([0]).validated(for: Self.number) == nil)
        #expect(QuizAnswer.word("1969").validated(for: Self.number) == nil)
        #expect(QuizAnswer.number(1).validated(for: Self.word) == nil)
        #expect(QuizAnswer.choices([0]).validated(for: Self.word) == nil)
    }

    @Test(arguments: [
        (QuizAnswer.choices([1]), #"{"choices":[1]}"#),
        (.choices([0, 2]), #"{"choices":[0,2]}"#),
        (.number(1969), #"{"number":1969}"#),
        (.number(-2.5), #"{"number":-2.5}"#),
        (.word("x"), #"{"word":"x"}"#),
    ])
    func answersInJSON(_ answer: QuizAnswer, _ json: String) throws {
        let encoded = try #require(String(data: JSONEncoder().encode(answer), encoding: .utf8))
        #expect(encoded == json)
        #expect(try JSONDecoder().decode(QuizAnswer.self, from: Data(json.utf8)) == answer)
    }

    @Test(arguments: [#"{}"#, #"{"choice":[1]}"#, #"{"choices":"1"}"#, #"{"number":"ten"}"#, #"{"word":3}"#, #"[1]"#, #""x""#, #"nonsense"#])
    func garbageDoesNotDecode(_ json: String) {
        #expect(throws: (any Error).self) { try JSONDecoder().decode(QuizAnswer.self, from: Data(json.utf8)) }
    }

    // MARK: - The editor's form

    func errors(_ input: QuizQuestionInput) -> ValidationErrors? {
        if case .failure(let errors) = input.validated() { return errors }
        return nil
    }

    @Test func starsMarkTheRightChoices() throws {
        let input = QuizQuestionInput(kind: "multiple", prompt: "  Prime numbers? ", choices: "* 2\n4\n\n *5 \r\n9", seconds: " 30 ", points: "800")
        let question = try input.validated(imageID: "img-1").get()
        #expect(question == QuizQuestion(kind: .multiple, prompt: "Prime numbers?", choices: ["2", "4", "5", "9"], correct: [0, 2],
                                         seconds: 30, points: 800, imageID: "img-1"))

        let poll = try QuizQuestionInput(kind: "single", prompt: "Pizza or sushi?", choices: "Pizza\nSushi").validated().get()
        #expect(poll.choices == ["Pizza", "Sushi"])
        #expect(poll.correct == [])
        #expect(!poll.hasRightAnswer)
    }

    @Test(arguments: ["Only one", "*a\nb\nc\nd\ne\nf\ng", "", "\n\n"])
    func oneOrSevenChoicesAreRefused(_ choices: String) throws {
        let found = try #require(errors(QuizQuestionInput(kind: "single", prompt: "?", choices: choices)))
        #expect(found.problems.map(\.field) == ["choices"])
        #expect(found["choices"] == .outOfRange(min: 2, max: 6))
    }

    @Test func twoStarsForASingleChoiceAreRefused() throws {
        let found = try #require(errors(QuizQuestionInput(kind: "single", prompt: "?", choices: "*a\n*b\nc")))
        #expect(found.problems.map(\.field) == ["choices"])
        #expect(found["choices"] == .format(example: "*Paris"))
        // The same choices are fine for a multiple-choice question.
        #expect(try QuizQuestionInput(kind: "multiple", prompt: "?", choices: "*a\n*b\nc").validated().get().correct == [0, 1])
    }

    @Test func tooLongOrControlCharactersInChoices() throws {
        let long = try #require(errors(QuizQuestionInput(kind: "single", prompt: "?", choices: "a\n" + String(repeating: "b", count: 121))))
        #expect(long["choices"] == .tooLong(max: 120))
        let control = try #require(errors(QuizQuestionInput(kind: "single", prompt: "?", choices: "a\nb\u{202E}c")))
        #expect(control["choices"] == .controlCharacters)
    }

    @Test(arguments: [("true", [0]), (" TRUE ", [0]), ("False", [1]), ("", [])])
    func trueFalseTruth(_ truth: String, _ correct: [Int]) throws {
        let question = try QuizQuestionInput(kind: "trueFalse", prompt: "The Earth is flat", choices: "ignored\nhere", truth: truth).validated().get()
        #expect(question.kind == .trueFalse)
        #expect(question.correct == correct)
        #expect(question.choices == [])
        #expect(question.choiceCount == 2)
    }

    @Test func trueFalseRefusesOtherWords() throws {
        let found = try #require(errors(QuizQuestionInput(kind: "trueFalse", prompt: "?", truth: "vrai")))
        #expect(found.problems.map(\.field) == ["truth"])
        #expect(found["truth"] == .format(example: "true"))
    }

    @Test(arguments: [("1969", 1969.0), ("1 969,5", 1969.5), (" -3,25 ", -3.25), ("1\u{202F}000", 1000), ("12\u{00A0}345.5", 12345.5), ("0.001", 0.001)])
    func numberAnswers(_ text: String, _ value: Double) throws {
        let question = try QuizQuestionInput(kind: "number", prompt: "How much?", answer: text).validated().get()
        #expect(question.answer == value)
        #expect(question.hasRightAnswer)
    }

    @Test func numberWithoutAnswerIsAPoll() throws {
        let question = try QuizQuestionInput(kind: "number", prompt: "How many meetups?", answer: "  ").validated().get()
        #expect(question.answer == nil)
        #expect(!question.hasRightAnswer)
    }

    @Test(arguments: ["about 1969", "19,69,5", "1e400", "nan", "inf", "1e15"])
    func badNumbersAreRefusedOnAnswer(_ text: String) throws {
        let found = try #require(errors(QuizQuestionInput(kind: "number", prompt: "?", answer: text)))
        #expect(found.problems.map(\.field) == ["answer"])
        #expect(found["answer"] == .format(example: "1969"))
    }

    @Test func acceptedWordsAreSplitOnCommasAndLines() throws {
        let question = try QuizQuestionInput(kind: "word", prompt: "One word?", accepted: " Re\u{0301}seau, networking\n\n,IA ").validated().get()
        #expect(question.accepted == ["Réseau", "networking", "IA"])
        let tooLong = try #require(errors(QuizQuestionInput(kind: "word", prompt: "?", accepted: "ok, " + String(repeating: "x", count: 41))))
        #expect(tooLong.problems.map(\.field) == ["accepted"])
    }

    @Test(arguments: [("4", "1000", "seconds"), ("241", "1000", "seconds"), ("twenty", "1000", "seconds"), ("", "1000", "seconds"),
                      ("20", "-1", "points"), ("20", "2001", "points"), ("20", "1 000", "points")])
    func secondsAndPointsOutOfRange(_ seconds: String, _ points: String, _ field: String) throws {
        let input = QuizQuestionInput(kind: "single", prompt: "Capital?", choices: "Lyon\n*Paris", seconds: seconds, points: points)
        let found = try #require(errors(input))
        #expect(found.problems.map(\.field) == [field])
        #expect(found[field] == (field == "seconds" ? .outOfRange(min: 5, max: 240) : .outOfRange(min: 0, max: 2000)))
    }

    @Test func boundsOfSecondsAndPointsAreAccepted() throws {
        let low = try QuizQuestionInput(kind: "single", prompt: "?", choices: "a\n*b", seconds: "5", points: "0").validated().get()
        #expect(low.seconds == 5)
        #expect(low.points == 0)
        let high = try QuizQuestionInput(kind: "single", prompt: "?", choices: "a\n*b", seconds: "240", points: "2000").validated().get()
        #expect(high.seconds == 240)
        #expect(high.points == 2000)
    }

    @Test func unknownKindAndMissingPrompt() throws {
        let kind = try #require(errors(QuizQuestionInput(kind: "essay", prompt: "?")))
        #expect(kind.problems.map(\.field) == ["kind"])
        #expect(kind["kind"] == .required)
        let prompt = try #require(errors(QuizQuestionInput(kind: "single", prompt: "  ", choices: "a\nb")))
        #expect(prompt.problems.map(\.field) == ["prompt"])
        #expect(prompt["prompt"] == .required)
    }

    @Test(arguments: [
        single, multiple, trueFalse, number, word, cloud,
        QuizQuestion(kind: .trueFalse, prompt: "False one", correct: [1], seconds: 5, points: 0),
        QuizQuestion(kind: .trueFalse, prompt: "Opinion", seconds: 240, points: 2000),
        QuizQuestion(kind: .number, prompt: "Half?", answer: 1969.5),
        QuizQuestion(kind: .number, prompt: "Cold?", answer: -41),
        QuizQuestion(kind: .number, prompt: "Poll?"),
        QuizQuestion(kind: .single, prompt: "Poll", choices: ["A", "B", "C", "D", "E", "F"]),
    ])
    func theFormRoundTrips(_ question: QuizQuestion) throws {
        #expect(try QuizQuestionInput(question).validated().get() == question)
        var pictured = question
        pictured.imageID = "picture"
        #expect(try QuizQuestionInput(pictured).validated(imageID: "picture").get() == pictured)
    }

    // MARK: - Joining

    @Test func joinCodesAreSixDigitsAndAvoidUsedOnes() {
        var probe = SeededGenerator(seed: 42)
        let first = QuizRules.joinCode(avoiding: [], using: &probe)
        let second = QuizRules.joinCode(avoiding: [], using: &probe)
        #expect(first != second)

        // The same seed, with the first two codes taken: the third one comes out.
        var replay = SeededGenerator(seed: 42)
        let avoided = QuizRules.joinCode(avoiding: [first, second], using: &replay)
        #expect(avoided != first)
        #expect(avoided != second)
        var again = SeededGenerator(seed: 42)
        _ = QuizRules.joinCode(avoiding: [], using: &again)
        _ = QuizRules.joinCode(avoiding: [], using: &again)
        #expect(avoided == QuizRules.joinCode(avoiding: [], using: &again))

        var rng = SeededGenerator(seed: 7)
        var used = Set<String>()
        for _ in 0..<2000 {
            let code = QuizRules.joinCode(avoiding: used, using: &rng)
            #expect(code.count == 6 && code.allSatisfy { $0.isASCII && $0.isNumber }, "\(code)")
            #expect(!used.contains(code))
            used.insert(code)
        }
        #expect(used.count == 2000)
    }

    @Test func nicknames() {
        #expect(QuizRules.nickname("  Zoé ") == .success("Zoé"))
        #expect(QuizRules.nickname(String(repeating: "n", count: 24)) == .success(String(repeating: "n", count: 24)))
        #expect(QuizRules.nickname("👩‍👩‍👧‍👦 Family") == .success("👩‍👩‍👧‍👦 Family"))
        #expect(QuizRules.nickname("") == .failure(ValidationErrors([("nickname", .required)])))
        #expect(QuizRules.nickname(" \n ") == .failure(ValidationErrors([("nickname", .required)])))
        #expect(QuizRules.nickname(String(repeating: "n", count: 25)) == .failure(ValidationErrors([("nickname", .tooLong(max: 24))])))
        #expect(QuizRules.nickname("abc\u{202E}gpj.exe") == .failure(ValidationErrors([("nickname", .controlCharacters)])))
        #expect(QuizRules.nickname("\u{2066}x") == .failure(ValidationErrors([("nickname", .controlCharacters)])))
        #expect(QuizRules.nickname("a\u{0000}b") == .failure(ValidationErrors([("nickname", .controlCharacters)])))
    }
}
