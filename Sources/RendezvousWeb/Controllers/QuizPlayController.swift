import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RendezvousBadges
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// Joining and playing the evening's quiz on a phone: no app, no account. An attendee joins in
/// one tap from their manage page (or from a phone that holds their bingo cookie) and plays under
/// their own name; anyone else picks a nickname. The phone keeps a cookie naming its player, so
/// a reload, a lost connection or a locked screen come back to the same score.
struct QuizPlayController {
    let services: AppServices
    var persistence: Persistence { services.persistence }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(PublicRoute.quizEnter.routerPath, use: enter)
        router.get(PublicRoute.quizJoin(code: .any).routerPath, use: joinPage)
        router.get(PublicRoute.quizQR(code: .any).routerPath, use: qrCode)
        router.get(PublicRoute.quizPlay(code: .any).routerPath, use: play)
        // Not the public forms' limit (a room shares one address): their own, below.
        router.post(PublicRoute.quizJoin(code: .any).routerPath, use: join)
        router.post(PublicRoute.quizFromManage(token: .any).routerPath, use: joinFromManage)
    }

    static let cookieLifetime = 12 * 3600

    func t(_ key: String, _ context: AppRequestContext, _ values: [String: String] = [:]) -> String {
        Strings.text(key, context.language, values)
    }

    func html(_ page: some Page, _ context: AppRequestContext, status: HTTPResponse.Status = .ok) -> Response {
        var response = services.renderer.response(page, status: status, language: context.language)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// Only digits, six of them: anything else is no game.
    static func cleanCode(_ raw: String?) -> String? {
        let code = (raw ?? "").filter { !$0.isWhitespace }
        return code.count == 6 && code.allSatisfy(\.isASCII) && code.allSatisfy(\.isNumber) ? code : nil
    }

    // MARK: Entering a code

    @Sendable func enter(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let raw = request.uri.queryParameters.get("code") {
            if let session = try await game(code: raw, context) {
                return Response.redirect(to: PublicRoute.quizJoin(code: session.code).path, type: .normal)
            }
            return html(enterPage(context, code: raw, error: t("quiz.join.unknownCode", context)), context, status: .notFound)
        }
        return html(enterPage(context, code: "", error: nil), context)
    }

    func enterPage(_ context: AppRequestContext, code: String, error: String?) -> QuizEnterPage {
        QuizEnterPage(chrome: Chrome(title: t("quiz.join.title", context), language: context.language, path: PublicRoute.quizEnter.path),
                      action: PublicRoute.quizEnter.path, code: code, hasError: error != nil, error: error ?? "")
    }

    // MARK: Joining one game

    func game(_ context: AppRequestContext) async throws -> QuizSession? {
        try await game(code: context.parameters.get("code"), context)
    }

    /// The game a code names; wrong codes count against the address (429 when too many).
    func game(code raw: String?, _ context: AppRequestContext) async throws -> QuizSession? {
        let key = ["quiz-code:" + context.limitKey]
        if let wait = await services.quizGuesses.reserve(key) { throw AppError.rateLimited(retryAfter: wait) }
        guard let code = Self.cleanCode(raw), let session = try await persistence.quizzes.session(code: code) else { return nil }
        await services.quizGuesses.refund(key)
        return session
    }

    func countJoin(_ context: AppRequestContext) async throws {
        if let wait = await services.quizJoins.reserve(["quiz-join:" + context.limitKey]) { throw AppError.rateLimited(retryAfter: wait) }
    }

    /// The attendee this phone belongs to: its bingo cookie, or the attendee it played an earlier
    /// game of the evening as (`earlier`, the player its quiz cookie names), if that names a
    /// confirmed registration of the game's evening.
    func attendee(_ request: Request, event: Event.ID, earlier: QuizPlayer?) async throws -> Registration? {
        if let token = request.cookies[BingoPagesController.cookieName]?.value, !token.isEmpty,
           let holder = try await persistence.bingo.holder(cookieToken: token), holder.eventID == event, holder.status == .confirmed {
            return holder
        }
        if let id = earlier?.registrationID, let registration = try await persistence.registrations.registration(id: id),
           registration.eventID == event, registration.status == .confirmed {
            return registration
        }
        return nil
    }

    @Sendable func joinPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let session = try await game(context) else {
            return html(enterPage(context, code: context.parameters.get("code") ?? "", error: t("quiz.join.unknownCode", context)), context, status: .notFound)
        }
        // The phone's quiz cookie, read once: this game's player goes to the game; an earlier
        // game's is offered its name again.
        let earlier = try await LiveController(services: services).player(request)
        if let earlier, earlier.sessionID == session.id {
            return Response.redirect(to: PublicRoute.quizPlay(code: session.code).path, type: .normal)
        }
        let attendee = try await attendee(request, event: session.eventID, earlier: earlier)
        var nickname = ""
        if attendee == nil, let earlier, earlier.registrationID == nil,
           try await persistence.quizzes.session(id: earlier.sessionID)?.eventID == session.eventID {
            nickname = earlier.name
        }
        return html(joinView(session, context, attendee: attendee, nickname: nickname, error: nil), context)
    }

    func joinView(_ session: QuizSession, _ context: AppRequestContext, attendee: Registration?, nickname: String, error: String?) -> QuizJoinPage {
        let path = PublicRoute.quizJoin(code: session.code).path
        return QuizJoinPage(
            chrome: Chrome(title: session.title, language: context.language, path: path), title: session.title, action: path,
            attendeeName: attendee.map { Self.displayName($0.profile) } ?? "", hasAttendee: attendee != nil,
            nickname: FormField(name: "nickname", label: t("quiz.join.nickname", context), value: nickname, required: true,
                                hint: t("quiz.join.nicknameHint", context), error: error, maxLength: 24, autocomplete: "nickname"))
    }

    /// "Karim B.": the first name and the last name's initial, as the big screen shows it.
    static func displayName(_ profile: AttendeeProfile) -> String {
        let initial = profile.lastName.first.map { " \($0)." } ?? ""
        return profile.firstName + initial
    }

    @Sendable func join(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await countJoin(context)
        guard let session = try await game(context) else { throw AppError.notFound }
        let form = FormFields(String(buffer: try await request.body.collect(upTo: 16 * 1024)))
        if form["as"] == "attendee" {
            guard let attendee = try await attendee(request, event: session.eventID,
                                                    earlier: try await LiveController(services: services).player(request)) else {
                return Response.redirect(to: PublicRoute.quizJoin(code: session.code).path, type: .normal)
            }
            return try await enter(session, registration: attendee, name: Self.displayName(attendee.profile))
        }
        switch QuizRules.nickname(form["nickname"] ?? "") {
        case .failure(let errors):
            let message = errors["nickname"].map { Strings.message(for: $0, context.language) } ?? ""
            return html(joinView(session, context, attendee: nil, nickname: form["nickname"] ?? "", error: message), context, status: .unprocessableContent)
        case .success(let name):
            return try await enter(session, registration: nil, name: name)
        }
    }

    @Sendable func joinFromManage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        try await countJoin(context)
        guard let registration = try await persistence.registrations.registration(manageToken: token), registration.status == .confirmed else {
            throw AppError.notFound
        }
        guard let session = try await persistence.quizzes.latestSession(event: registration.eventID), session.phase != .finished else {
            return Response.redirect(to: PublicRoute.manage(token: token).path, type: .normal)
        }
        return try await enter(session, registration: registration, name: Self.displayName(registration.profile))
    }

    /// Adds the player (an attendee again on another phone is the same player), sets the phone's cookie, opens the game.
    func enter(_ session: QuizSession, registration: Registration?, name: String) async throws -> Response {
        var team: String?
        if let registration, let room = try await persistence.room.state(event: session.eventID), room.plan != nil {
            let round = RoomLive.shownRound(room) ?? 0
            team = room.seat(of: registration.id.description, round: round).map { room.setup.tableName($0.table) }
        }
        let player = try await persistence.quizzes.join(session: session.id, registration: registration?.id, name: name, team: team, now: services.clock.now())
        services.live.publishSoon(session.eventID, .quiz)
        var response = Response.redirect(to: PublicRoute.quizPlay(code: session.code).path, type: .normal)
        response.setCookie(Cookie(name: LiveController.playerCookie, value: LiveController.playerCookieValue(player.id, vault: persistence.tokens),
                                  maxAge: Self.cookieLifetime, path: "/", secure: services.configuration.baseURL.hasPrefix("https://"),
                                  httpOnly: true, sameSite: .lax))
        return response
    }

    // MARK: Playing

    @Sendable func play(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let code = Self.cleanCode(context.parameters.get("code")) else { throw AppError.notFound }
        // The phone's player, whatever became of the game since (the podium stays).
        guard let player = try await LiveController(services: services).player(request),
              let session = try await persistence.quizzes.session(id: player.sessionID), session.code == code else {
            return Response.redirect(to: PublicRoute.quizJoin(code: code).path, type: .normal)
        }
        let event = session.eventID
        let page = QuizPlayPage(
            chrome: Chrome(title: session.title, language: context.language, path: PublicRoute.quizPlay(code: code).path),
            title: session.title, live: QuizLiveAttributes.make(role: "player", event: event, query: "as=player", language: context.language))
        return html(page, context)
    }

    @Sendable func qrCode(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let code = Self.cleanCode(context.parameters.get("code")),
              let png = QRCode.png(services.absoluteURL(PublicRoute.quizJoin(code: code))) else { throw AppError.notFound }
        return Response(status: .ok, headers: [.contentType: "image/png", .cacheControl: "public, max-age=3600"], body: .init(byteBuffer: ByteBuffer(bytes: png)))
    }
}

