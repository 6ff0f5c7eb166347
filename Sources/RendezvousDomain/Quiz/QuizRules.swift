import Foundation

/// One playing of a quiz on an evening: where it is, decided by the server alone.
public struct QuizSession: Sendable, Equatable, Codable, Identifiable {
    public typealias ID = Identifier<QuizSession>

    public enum Phase: String, Sendable, Codable {
        /// The screen shows the join code; phones join.
        case lobby
        /// A question is open until `deadline`.
        case question
        /// The question is closed: its distribution and right answer are shown.
        case results
        /// The standings after a question.
        case leaderboard
        /// The podium.
        case finished
    }

    public var id: ID
    public var eventID: Event.ID
    public var quizID: Quiz.ID
    /// The six digits people type at `/q`.
    public var code: String
    public var title: String
    /// The questions as they were when the session started: editing the quiz does not change a game.
    public var questions: [QuizQuestion]
    /// Scores by table too (from the rotation plan).
    public var teams: Bool
    public var phase: Phase
    /// The current (or last) question, 0-based; -1 in the lobby.
    public var index: Int
    public var openedAt: Date?
    public var deadline: Date?
    /// Grows with every change: clients and instances compare it.
    public var version: Int

    public init(id: ID = ID(), eventID: Event.ID, quizID: Quiz.ID, code: String, title: String, questions: [QuizQuestion],
                teams: Bool = false, phase: Phase = .lobby, index: Int = -1, openedAt: Date? = nil, deadline: Date? = nil, version: Int = 1) {
        self.id = id
        self.eventID = eventID
        self.quizID = quizID
        self.code = code
        self.title = title
        self.questions = questions
        self.teams = teams
        self.phase = phase
        self.index = index
        self.openedAt = openedAt
        self.deadline = deadline
        self.version = version
    }

    public var question: QuizQuestion? { questions.indices.contains(index) ? questions[index] : nil }
    public var isLastQuestion: Bool { index >= questions.count - 1 }
    public var isPoll: Bool { questions.allSatisfy { !$0.hasRightAnswer } }

    /// Whether an answer received at `now` for question `index` counts.
    public func accepts(index: Int, at now: Date) -> Bool {
        phase == .question && index == self.index && deadline.map { now <= $0 } == true
    }
}

/// What the presenter asks for.
public enum QuizCommand: String, Sendable, Codable, CaseIterable {
    /// Opens the next question (from the lobby, the results or the standings).
    case next
    /// Closes the open question now.
    case close
    /// Shows the standings after a question's results.
    case leaderboard
    /// Shows the podium and ends the game.
    case finish
}

public enum QuizRuleError: Error, Sendable, Equatable {
    /// The command does not apply now (a double click, or another presenter was quicker).
    case notNow
}

public enum QuizRules {
    /// The session after `command`, or `.notNow`. A closed question's phase becomes `results`;
    /// "next" after the last question finishes the game.
    public static func apply(_ command: QuizCommand, to session: QuizSession, now: Date) -> Result<QuizSession, QuizRuleError> {
        var next = session
        next.version += 1
        switch (command, session.phase) {
        case (.next, .lobby), (.next, .results), (.next, .leaderboard):
            if session.isLastQuestion {
                next.phase = .finished
                return .success(next)
            }
            next.index += 1
            next.phase = .question
            next.openedAt = now
            next.deadline = now.addingTimeInterval(TimeInterval(next.questions[next.index].seconds))
        case (.close, .question):
            next.phase = .results
            if let deadline = session.deadline, deadline > now { next.deadline = now }
        case (.leaderboard, .results):
            next.phase = .leaderboard
        case (.finish, .lobby), (.finish, .question), (.finish, .results), (.finish, .leaderboard):
            next.phase = .finished
        default:
            return .failure(.notNow)
        }
        return .success(next)
    }

    /// Whether an answer is right. For a `number` question this is decided with every guess: see `closest`.
    public static func isRight(_ answer: QuizAnswer, for question: QuizQuestion) -> Bool {
        switch (answer, question.kind) {
        case (.choices(let picked), .single), (.choices(let picked), .trueFalse), (.choices(let picked), .multiple):
            return !question.correct.isEmpty && Set(picked) == Set(question.correct)
        case (.word(let word), .word):
            let key = Folding.key(word)
            return !key.isEmpty && question.accepted.contains { Folding.key($0) == key }
        default:
            return false
        }
    }

    /// Points for a right answer: all of them at once, half at the deadline, linearly in between
    /// (the rule Kahoot players know). Rounded to the unit; a wrong answer gets none.
    public static func points(for question: QuizQuestion, elapsed: TimeInterval) -> Int {
        let limit = Double(max(question.seconds, 1))
        let fraction = elapsed.isFinite ? min(max(elapsed / limit, 0), 1) : 1
        return Int((Double(question.points) * (1 - fraction / 2)).rounded())
    }

    /// The distance of the closest guesses to a number question's answer, nil without guesses or answer.
    public static func closest(_ guesses: [Double], to question: QuizQuestion) -> Double? {
        guard let answer = question.answer else { return nil }
        return guesses.map { abs($0 - answer) }.min()
    }

    /// Whether one guess is among the closest (within a rounding error of the best distance).
    public static func isClosest(_ guess: Double, best: Double, question: QuizQuestion) -> Bool {
        guard let answer = question.answer else { return false }
        return abs(abs(guess - answer) - best) <= 1e-9 * max(1, abs(answer))
    }

    /// Standings: points, then the quickest (the sum of the seconds taken by right answers), then
    /// who joined first. Equal points and equal time share a rank ("1, 2, 2, 4").
    public static func standings(_ players: [QuizStanding.Player]) -> [QuizStanding] {
        let sorted = players.sorted {
            if $0.points != $1.points { return $0.points > $1.points }
            if $0.rightMillis != $1.rightMillis { return $0.rightMillis < $1.rightMillis }
            return $0.joinOrder < $1.joinOrder
        }
        var out: [QuizStanding] = []
        out.reserveCapacity(sorted.count)
        for (offset, player) in sorted.enumerated() {
            var rank = offset + 1
            if let previous = out.last, previous.player.points == player.points, previous.player.rightMillis == player.rightMillis {
                rank = previous.rank
            }
            out.append(QuizStanding(rank: rank, player: player))
        }
        return out
    }

    /// Team standings: each table's mean score over the players who sat there and played, so a
    /// table of four is not beaten by a table of eight for its size. Ties share a rank.
    public static func teamStandings(_ players: [QuizStanding.Player]) -> [QuizTeamStanding] {
        var byTeam: [String: (points: Int, members: Int)] = [:]
        for player in players {
            guard let team = player.team, !team.isEmpty else { continue }
            byTeam[team, default: (0, 0)].points += player.points
            byTeam[team, default: (0, 0)].members += 1
        }
        let teams = byTeam.map { QuizTeamStanding(rank: 0, team: $0.key, points: Int((Double($0.value.points) / Double($0.value.members)).rounded()), members: $0.value.members) }
            .sorted {
                if $0.points != $1.points { return $0.points > $1.points }
                return $0.team.localizedStandardCompare($1.team) == .orderedAscending
            }
        var out: [QuizTeamStanding] = []
        for (offset, var team) in teams.enumerated() {
            team.rank = (out.last.map { $0.points == team.points } ?? false) ? out.last!.rank : offset + 1
            out.append(team)
        }
        return out
    }

    /// A six-digit join code that no live session uses.
    public static func joinCode(avoiding used: Set<String>, using generator: inout some RandomNumberGenerator) -> String {
        while true {
            let code = String(format: "%06d", Int.random(in: 100_000...999_999, using: &generator))
            if !used.contains(code) { return code }
        }
    }

    /// A nickname a phone may use: 1 to 24 characters, no control characters.
    public static func nickname(_ raw: String) -> Result<String, ValidationErrors> {
        var errors = ValidationErrors()
        let name = TextRules.clean(raw, field: "nickname", required: true, maxLength: 24, into: &errors)
        // Characters stacked with marks ("Zalgo" text) would draw over the big screen: at most two
        // code points per character on average.
        if errors.isEmpty, name.unicodeScalars.count > 48 { errors.add("nickname", .tooLong(max: 24)) }
        return errors.isEmpty ? .success(name) : .failure(errors)
    }
}

public struct QuizStanding: Sendable, Equatable, Codable {
    public struct Player: Sendable, Equatable, Codable {
        public var id: String
        public var name: String
        public var team: String?
        public var points: Int
        /// Milliseconds taken by the right answers, summed: the tie-break.
        public var rightMillis: Int
        public var rightAnswers: Int
        public var joinOrder: Int

        public init(id: String, name: String, team: String? = nil, points: Int, rightMillis: Int = 0, rightAnswers: Int = 0, joinOrder: Int = 0) {
            self.id = id
            self.name = name
            self.team = team
            self.points = points
            self.rightMillis = rightMillis
            self.rightAnswers = rightAnswers
            self.joinOrder = joinOrder
        }
    }

    public var rank: Int
    public var player: Player
}

public struct QuizTeamStanding: Sendable, Equatable, Codable {
    public var rank: Int
    public var team: String
    public var points: Int
    public var members: Int
}

/// How a closed question was answered: counts per choice, the word cloud, the guesses.
public struct QuizDistribution: Sendable, Equatable, Codable {
    public struct Word: Sendable, Equatable, Codable {
        public var word: String
        public var count: Int
        public var right: Bool
    }

    public var answers: Int
    /// Per choice, for choice questions.
    public var choices: [Int]
    /// The most frequent words (case and accents folded, the most common spelling shown), at most 40.
    public var words: [Word]
    /// Number questions: the closest guess, and the median of the guesses.
    public var closest: Double?
    public var median: Double?

    public init(answers: Int = 0, choices: [Int] = [], words: [Word] = [], closest: Double? = nil, median: Double? = nil) {
        self.answers = answers
        self.choices = choices
        self.words = words
        self.closest = closest
        self.median = median
    }

    public static func of(_ answers: [QuizAnswer], question: QuizQuestion) -> QuizDistribution {
        var out = QuizDistribution(answers: answers.count, choices: Array(repeating: 0, count: question.choiceCount))
        var words: [String: [String: Int]] = [:]
        var guesses: [Double] = []
        for answer in answers {
            switch answer {
            case .choices(let picked):
                for choice in picked where out.choices.indices.contains(choice) { out.choices[choice] += 1 }
            case .number(let value):
                guesses.append(value)
            case .word(let word):
                let key = Folding.key(word)
                if !key.isEmpty { words[key, default: [:]][word, default: 0] += 1 }
            }
        }
        out.words = words.map { key, spellings in
            let shown = spellings.max { ($0.value, $1.key) < ($1.value, $0.key) }!.key
            return Word(word: shown, count: spellings.values.reduce(0, +), right: question.accepted.contains { Folding.key($0) == key })
        }
        .sorted { ($0.count, $1.word) > ($1.count, $0.word) }
        .prefix(40).map { $0 }
        if !guesses.isEmpty {
            let sorted = guesses.sorted()
            out.median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
            if let answer = question.answer {
                out.closest = sorted.min { abs($0 - answer) < abs($1 - answer) }
            }
        }
        return out
    }
}
