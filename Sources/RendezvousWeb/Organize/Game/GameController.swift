import Foundation
import Hummingbird
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// The evening's quiz for organisers: pick a quiz or poll (the chapter's or a network template),
/// start a game, and present it: the console shows what the big screen shows, with the buttons
/// that move the game on. Without JavaScript the buttons are forms; with it they go over the
/// live channel, and the console follows the game as it happens.
struct GameController: OrganizeController {
    let services: AppServices

    var routes: [OrganizeEndpoint] {
        [
            .get(.game(.any), console),
            .post(.startGame(.any), start),
            .post(.gameCommand(.any), command),
        ]
    }

    @Sendable func console(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let id = detail.event.id
        let language = context.language
        let library = try await persistence.quizzes.library(chapter: detail.chapter.id)
        let templates = try await persistence.quizzes.templates().filter { $0.chapterID != detail.chapter.id }
        func option(_ quiz: QuizSummary) -> SelectField.Option {
            let kind = quiz.isPoll ? t("quiz.game.poll", context) : t("quiz.game.questions", context, ["count": String(quiz.questionCount)])
            return .init(value: quiz.id.description, label: "\(quiz.title) (\(kind), \(quiz.language.nativeName))", selected: false)
        }
        let sessions = try await persistence.quizzes.sessions(event: id)
        let current = sessions.first
        let room = try await persistence.room.state(event: id)
        let screenURL = RoomLiveController.screenURL(id, vault: persistence.tokens)
        var page = GamePage(
            chrome: try chrome(t("quiz.game.title", context), context, path: OrganizeRoute.game(id).path),
            csrf: try session(context).csrfToken, title: detail.event.title, eventURL: OrganizeRoute.event(id).path,
            libraryURL: OrganizeRoute.quizzes(slug: detail.chapter.slug).path,
            startURL: OrganizeRoute.startGame(id).path, commandURL: OrganizeRoute.gameCommand(id).path,
            own: library.filter { $0.questionCount > 0 }.map(option), templates: templates.filter { $0.questionCount > 0 }.map(option),
            hasPlan: room?.plan != nil, screenURL: screenURL,
            joinURL: services.absoluteURL(PublicRoute.quizEnter),
            live: QuizLiveAttributes.make(role: "presenter", event: id, query: "as=presenter", language: language),
            scripts: [PublicRoute.staticFile("live.js").path("v", PublicRoute.assetVersion), PublicRoute.staticFile("quiz.js").path("v", PublicRoute.assetVersion)],
            qr: PublicRoute.quizQR(code: "0").pattern.replacingOccurrences(of: ":code", with: "{code}"))
        page.hasOwn = !page.own.isEmpty
        page.hasTemplates = !page.templates.isEmpty
        page.hasOptions = page.hasOwn || page.hasTemplates
        if let current {
            page.current = .init(title: current.title, code: current.code, version: current.version,
                                 phase: Self.phaseLabel(current.phase, language),
                                 running: current.phase != .finished,
                                 resultsURL: OrganizeRoute.quizResults(id, game: current.id).path)
        }
        page.past = sessions.dropFirst().map { .init(title: $0.title, code: $0.code, version: $0.version, phase: Self.phaseLabel($0.phase, language),
                                                     running: false, resultsURL: OrganizeRoute.quizResults(id, game: $0.id).path) }
        page.hasPast = !page.past.isEmpty
        page.confirmFinish = request.uri.queryParameters.get("confirm") == "finish" && current?.phase != .finished
        switch request.uri.queryParameters.get("done") {
        case "started": page.notice = t("quiz.game.started", context)
        case "notNow": page.error = t("quiz.game.notNow", context)
        default: break
        }
        return html(page, context)
    }

    static func phaseLabel(_ phase: QuizSession.Phase, _ language: Language) -> String {
        switch phase {
        case .lobby: Strings.text("quiz.phase.lobby", language)
        case .question: Strings.text("quiz.phase.question", language)
        case .results: Strings.text("quiz.phase.results", language)
        case .leaderboard: Strings.text("quiz.phase.leaderboard", language)
        case .finished: Strings.text("quiz.phase.finished", language)
        }
    }

    @Sendable func start(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let fields = try await form(request, context)
        // The chapter's own quizzes, and those shared with the network; never another chapter's private one.
        guard let quizID = fields["quiz"].flatMap(Quiz.ID.init(string:)), let quiz = try await persistence.quizzes.quiz(id: quizID),
              quiz.chapterID == detail.chapter.id || quiz.shared || quiz.chapterID == nil, !quiz.questions.isEmpty else { throw AppError.notFound }
        let session = try await persistence.quizzes.start(quiz, event: detail.event.id, teams: fields["teams"] == "on", now: now())
        try await log(context, chapter: detail.chapter.id, "quiz.started", "\(detail.event.title): \(quiz.title) (\(session.code))")
        await services.live.publish(detail.event.id, .quiz)
        return Response.redirect(to: OrganizeRoute.game(detail.event.id).path("done", "started"), type: .normal)
    }

    @Sendable func command(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let fields = try await form(request, context)
        guard let command = fields["command"].flatMap(QuizCommand.init(rawValue:)),
              let session = try await persistence.quizzes.latestSession(event: detail.event.id) else { throw AppError.badRequest(detail: nil) }
        let back = OrganizeRoute.game(detail.event.id)
        // Ending cannot be undone: without JavaScript the console asks on a second step.
        if command == .finish, fields["confirmed"] != "yes" {
            return Response.redirect(to: back.path("confirm", "finish") + "#console", type: .normal)
        }
        switch try await persistence.quizzes.apply(command, session: session.id, expectedVersion: fields["version"].flatMap { Int($0) }, now: now()) {
        case .success:
            await services.live.publish(detail.event.id, .quiz)
            return Response.redirect(to: back.path + "#console", type: .normal)
        case .failure:
            return Response.redirect(to: back.path("done", "notNow") + "#console", type: .normal)
        }
    }
}

struct GamePage: Page {
    static let template = "organize/game"

    struct Game {
        var title: String
        var code: String
        var version: Int
        var phase: String
        var running: Bool
        var resultsURL: String
    }

    var chrome: Chrome
    var csrf: String
    var title: String
    var eventURL: String
    var libraryURL: String
    var startURL: String
    var commandURL: String
    var own: [SelectField.Option]
    var templates: [SelectField.Option]
    var hasOptions = false
    var hasOwn = false
    var hasTemplates = false
    var hasPast = false
    var hasPlan: Bool
    var screenURL: String
    var joinURL: String
    var live: QuizLiveAttributes
    var scripts: [String]
    var qr: String
    var current: Game?
    var past: [Game] = []
    var notice: String?
    var error: String?
    /// The second step of "End the game" without JavaScript.
    var confirmFinish = false
}
