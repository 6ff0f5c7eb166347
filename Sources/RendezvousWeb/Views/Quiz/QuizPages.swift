import Foundation
import RendezvousDomain
import RendezvousLocalization

/// What `quiz.js` needs on the page: its role, the live channel's addresses, and its words.
struct QuizLiveAttributes {
    var role: String
    var ws: String
    var events: String
    var answerURL: String
    var commandURL: String
    var labels: String

    static func make(role: String, event: Event.ID, query: String, language: Language) -> QuizLiveAttributes {
        QuizLiveAttributes(
            role: role, ws: PublicRoute.live(event).path + "?" + query, events: PublicRoute.liveEvents(event).path + "?" + query,
            answerURL: PublicRoute.liveAnswer(event).path, commandURL: PublicRoute.liveCommand(event).path, labels: labels(language))
    }

    /// The catalog's keys `quiz.js` reads, named without their `quiz.live.` (or `quiz.`) prefix.
    static let labelKeys = [
        "quiz.live.answer", "quiz.live.answeredOf", "quiz.live.chooseAll", "quiz.live.closest", "quiz.live.falseLabel", "quiz.live.finished",
        "quiz.live.joinAt", "quiz.live.joinedAs", "quiz.live.median", "quiz.live.next", "quiz.live.noAnswer", "quiz.live.noGame",
        "quiz.live.numberLabel", "quiz.live.offline", "quiz.live.players", "quiz.live.podium", "quiz.live.points", "quiz.live.progress",
        "quiz.live.qrAlt", "quiz.live.rankOf", "quiz.live.reconnecting", "quiz.live.right", "quiz.live.rightAnswer", "quiz.live.secondsLeft",
        "quiz.live.send", "quiz.live.sending", "quiz.live.sent", "quiz.live.showPodium", "quiz.live.standings", "quiz.live.start",
        "quiz.live.team", "quiz.live.teamStandings", "quiz.live.thanks", "quiz.live.tooLate", "quiz.live.trueLabel", "quiz.live.waiting",
        "quiz.live.waitingNext", "quiz.live.wordLabel", "quiz.live.wrong", "quiz.live.newGame", "quiz.live.joinNew", "quiz.live.invalid",
        "quiz.live.confirmFinish",
        "quiz.phase.lobby", "quiz.phase.question", "quiz.phase.results", "quiz.phase.leaderboard", "quiz.phase.finished",
    ]

    static func labels(_ language: Language) -> String {
        var out: [String: String] = [:]
        // `quiz.live.send` is `send`; `quiz.phase.lobby` is `phase.lobby`.
        for key in labelKeys {
            let name = key.hasPrefix("quiz.live.") ? key.dropFirst("quiz.live.".count) : key.dropFirst("quiz.".count)
            out[String(name)] = Strings.text(key, language)
        }
        // "3 players", and "1 player", "0 joueur": the forms for 0 and 1 by the language's plural
        // rule; quiz.js fills in {players}.
        out["players"] = Strings.text("quiz.live.players", language, ["count": "{players}"])
        for count in [0, 1] {
            out["players.\(count)"] = Strings.plural("quiz.live.players", count: count, language, ["count": "{players}"])
        }
        return LiveProtocol.encode(out)
    }
}

struct QuizEnterPage: Page {
    static let template = "quiz/enter"
    var chrome: Chrome
    var action: String
    var code: String
    var hasError: Bool
    var error: String
}

struct QuizJoinPage: Page {
    static let template = "quiz/join"
    var chrome: Chrome
    var title: String
    var action: String
    var attendeeName: String
    var hasAttendee: Bool
    var nickname: FormField
}

struct QuizPlayPage: Page {
    static let template = "quiz/play"
    var chrome: Chrome
    var title: String
    var live: QuizLiveAttributes
    var scripts = [PublicRoute.staticFile("live.js").path("v", PublicRoute.assetVersion), PublicRoute.staticFile("quiz.js").path("v", PublicRoute.assetVersion)]
}
