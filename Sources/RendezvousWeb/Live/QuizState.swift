import Foundation
import RendezvousDomain
import RendezvousPersistence

/// The quiz as every phone, screen and presenter receives it (`docs/live.md`, message `quiz`).
/// Nothing in it is a player's own: that is `QuizMe`, spliced in per player. The right answer
/// is only there once the question is closed.
struct QuizStateMessage: Encodable {
    struct Question: Encodable {
        var kind: String
        var prompt: String
        var choices: [String]
        var seconds: Int
        var points: Int
        var image: String?
    }

    struct Results: Encodable {
        var correct: [Int]
        var answer: Double?
        var accepted: [String]
        var distribution: QuizDistribution
    }

    struct Row: Encodable {
        var rank: Int
        var name: String
        var points: Int
        var team: String?
    }

    var v = LiveProtocol.version
    var type = "quiz"
    var session: String?
    var title = ""
    var code = ""
    var phase = "none"
    var index = -1
    var count = 0
    var version = 0
    var teams = false
    var poll = false
    var question: Question?
    var openedAt: Int64?
    var deadline: Int64?
    var serverNow: Int64
    var players = 0
    var answered = 0
    /// The latest names to join (the lobby shows them).
    var joined: [String] = []
    var results: Results?
    var leaderboard: [Row]?
    var teamStandings: [QuizTeamStanding]?
    var podium: [Row]?
}

/// A player's own part of the state.
struct QuizMe: Encodable {
    struct Answered: Encodable {
        var index: Int
        var answer: QuizAnswer
    }

    struct Last: Encodable {
        var index: Int
        var right: Bool
        var points: Int
        var answered: Bool
    }

    var player: String
    var name: String
    var team: String?
    var points: Int
    var rank: Int?
    var of: Int
    var answered: Answered?
    var last: Last?
}

extension QuizMe {
    /// The same document as encoding a `QuizMe` without `answered`, written directly.
    static func json(player: QuizStanding.Player, rank: Int, of: Int, last: (index: Int, right: Bool, points: Int, answered: Bool)?) -> String {
        var out = "{\"name\":" + LiveProtocol.string(player.name) + ",\"of\":\(of),\"player\":\"" + player.id + "\",\"points\":\(player.points),\"rank\":\(rank)"
        if let team = player.team { out += ",\"team\":" + LiveProtocol.string(team) }
        if let last {
            out += ",\"last\":{\"answered\":\(last.answered),\"index\":\(last.index),\"points\":\(last.points),\"right\":\(last.right)}"
        }
        return out + "}"
    }
}

enum LiveProtocol {
    /// A JSON string literal: quotes, backslashes and control characters escaped.
    static func string(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }

    /// Bumped when a message changes in a way old pages would misread.
    static let version = 1

    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return (try? String(decoding: encoder.encode(value), as: UTF8.self)) ?? "{}"
    }

    static func hint(_ topic: LiveTopic) -> String {
        "{\"v\":\(version),\"type\":\"changed\",\"topic\":\"\(topic.rawValue)\"}"
    }
}

/// A built state: the shared JSON, and each player's own part (after a question closes).
struct QuizSnapshot: Sendable {
    var session: QuizSession?
    var shared: String
    var personal: [UUID: String]

    /// For phones still on an earlier game: where the new one is joined (nil once it is over).
    var moved: String? {
        guard let session, session.phase != .finished else { return nil }
        return "{\"v\":\(LiveProtocol.version),\"type\":\"moved\",\"code\":\"\(session.code)\",\"join\":\"" + PublicRoute.quizJoin(code: session.code).path + "\"}"
    }
}

enum QuizStateBuilder {
    static let leaderboardSize = 10

    static func imageURL(_ id: String?) -> String? { id.map { "/quiz-images/\($0)" } }

    /// Reads what the event's latest game shows and builds its messages.
    static func build(event: Event.ID, persistence: Persistence, now: Date) async throws -> QuizSnapshot {
        guard let session = try await persistence.quizzes.latestSession(event: event) else {
            return QuizSnapshot(session: nil, shared: LiveProtocol.encode(QuizStateMessage(serverNow: now.millis)), personal: [:])
        }
        let store = persistence.quizzes
        var message = QuizStateMessage(
            session: session.id.description, title: session.title, code: session.code, phase: session.phase.rawValue, index: session.index,
            count: session.questions.count, version: session.version, teams: session.teams, poll: session.isPoll,
            openedAt: session.openedAt?.millis, deadline: session.deadline?.millis, serverNow: now.millis)
        var personal: [UUID: String] = [:]
        if session.phase == .lobby {
            let players = try await store.players(session: session.id)
            message.players = players.count
            message.joined = players.suffix(60).map(\.name)
        } else {
            message.players = try await store.playerCount(session: session.id)
        }
        if let question = session.question, session.phase == .question || session.phase == .results || session.phase == .leaderboard {
            message.question = .init(kind: question.kind.rawValue, prompt: question.prompt, choices: question.choices, seconds: question.seconds,
                                     points: question.points, image: imageURL(question.imageID))
            if session.phase == .question { message.answered = try await store.answerCount(session: session.id, index: session.index) }
        }
        guard session.phase != .lobby, session.phase != .question else {
            return QuizSnapshot(session: session, shared: LiveProtocol.encode(message), personal: [:])
        }
        // Closed: results, standings, each player's own line; the two reads run side by side.
        let closedQuestion = session.phase == .results || session.phase == .leaderboard
        async let scoresRead = store.scores(session: session.id)
        async let recordsRead = closedQuestion ? store.records(session: session.id, index: session.index) : []
        let scores = try await scoresRead
        let records = try await recordsRead
        let standings = QuizRules.standings(scores)
        message.leaderboard = standings.prefix(leaderboardSize).map { QuizStateMessage.Row(rank: $0.rank, name: $0.player.name, points: $0.player.points, team: $0.player.team) }
        if session.teams { message.teamStandings = QuizRules.teamStandings(scores) }
        if session.phase == .finished {
            message.podium = standings.filter { $0.rank <= 3 && $0.player.points > 0 }.map { QuizStateMessage.Row(rank: $0.rank, name: $0.player.name, points: $0.player.points, team: $0.player.team) }
        }
        var lastByPlayer: [String: QuizAnswerRecord] = [:]
        if let question = session.question, closedQuestion {
            message.answered = records.count
            message.results = .init(correct: question.correct, answer: question.answer, accepted: question.accepted,
                                    distribution: QuizDistribution.of(records.map(\.answer), question: question))
            for record in records { lastByPlayer[record.playerID.uuidString.lowercased()] = record }
        }
        // Thousands of small documents: written by hand rather than through an encoder each.
        personal.reserveCapacity(standings.count)
        for standing in standings {
            guard let id = UUID(uuidString: standing.player.id) else { continue }
            let record = closedQuestion ? lastByPlayer[standing.player.id] : nil
            personal[id] = QuizMe.json(player: standing.player, rank: standing.rank, of: standings.count,
                                       last: closedQuestion ? (session.index, record?.right ?? false, record?.points ?? 0, record != nil) : nil)
        }
        return QuizSnapshot(session: session, shared: LiveProtocol.encode(message), personal: personal)
    }

    /// A phone's own part when it (re)connects: its score and rank so far, and its answer to the
    /// open question, so a reload keeps what was chosen.
    static func me(player: QuizPlayer, session: QuizSession, persistence: Persistence) async throws -> String {
        let records = try await persistence.quizzes.records(session: session.id, player: player.id)
        // The open question's points would tell whether the answer was right: they count once it closes.
        let open = session.phase == .question ? session.index : nil
        var me = QuizMe(player: player.id.uuidString.lowercased(), name: player.name, team: player.team,
                        points: records.filter { $0.index != open }.reduce(0) { $0 + $1.points }, rank: nil, of: 0)
        if session.phase != .lobby, session.phase != .question {
            let standings = QuizRules.standings(try await persistence.quizzes.scores(session: session.id))
            me.of = standings.count
            me.rank = standings.first { $0.player.id == me.player }?.rank
        }
        if let mine = records.first(where: { $0.index == session.index }) {
            me.answered = .init(index: mine.index, answer: mine.answer)
            if session.phase == .results || session.phase == .leaderboard {
                me.last = .init(index: mine.index, right: mine.right, points: mine.points, answered: true)
            }
        } else if session.phase == .results || session.phase == .leaderboard {
            me.last = .init(index: session.index, right: false, points: 0, answered: false)
        }
        return LiveProtocol.encode(me)
    }
}
