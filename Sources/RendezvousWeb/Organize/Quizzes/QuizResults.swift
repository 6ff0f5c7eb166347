import Foundation
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// A finished (or running) game's results, player by player in rank order, with every answer:
/// what the CSV export and the API's results show.
struct QuizResults {
    struct Answer {
        var index: Int
        var answer: QuizAnswer
        var text: String
        var right: Bool
        var points: Int
        var elapsedMillis: Int64
    }

    struct Player {
        var id: String
        var rank: Int
        var name: String
        var team: String?
        var points: Int
        var rightAnswers: Int
        /// By question index; nil where the player did not answer.
        var answers: [Answer?]
    }

    var session: QuizSession
    var players: [Player]

    static func load(_ session: QuizSession, persistence: Persistence, language: Language) async throws -> QuizResults {
        let standings = QuizRules.standings(try await persistence.quizzes.scores(session: session.id))
        var byPlayer: [String: [Int: QuizAnswerRecord]] = [:]
        for record in try await persistence.quizzes.records(session: session.id) {
            byPlayer[record.playerID.uuidString.lowercased(), default: [:]][record.index] = record
        }
        let players = standings.map { standing in
            let records = byPlayer[standing.player.id] ?? [:]
            return Player(
                id: standing.player.id, rank: standing.rank, name: standing.player.name, team: standing.player.team,
                points: standing.player.points, rightAnswers: standing.player.rightAnswers,
                answers: session.questions.indices.map { index in
                    records[index].map {
                        Answer(index: index, answer: $0.answer, text: text(of: $0.answer, for: session.questions[index], language: language),
                               right: $0.right, points: $0.points, elapsedMillis: $0.elapsedMillis)
                    }
                })
        }
        return QuizResults(session: session, players: players)
    }

    /// An answer as a person reads it: the choices' texts, true or false, the number, the word.
    static func text(of answer: QuizAnswer, for question: QuizQuestion, language: Language) -> String {
        switch answer {
        case .choices(let picked):
            if question.kind == .trueFalse {
                return picked.map { $0 == 0 ? Strings.text("quizLibrary.true", language) : Strings.text("quizLibrary.false", language) }
                    .joined(separator: " | ")
            }
            return picked.map { question.choices.indices.contains($0) ? question.choices[$0] : "#\($0 + 1)" }.joined(separator: " | ")
        case .number(let value): return number(value)
        case .word(let word): return word
        }
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// The spreadsheet: rank, name, team, points, right answers, then one column per question.
    func csv(language: Language) -> String {
        func t(_ key: String) -> String { Strings.text(key, language) }
        let header = [t("quizLibrary.csv.rank"), t("quizLibrary.csv.name"), t("quizLibrary.csv.team"), t("quizLibrary.csv.points"),
                      t("quizLibrary.csv.right")]
            + session.questions.enumerated().map { "\($0.offset + 1). \($0.element.prompt)" }
        let rows = players.map { player in
            [String(player.rank), player.name, player.team ?? "", String(player.points), String(player.rightAnswers)]
                + player.answers.map { $0?.text ?? "" }
        }
        return CSV.write([header] + rows)
    }
}
