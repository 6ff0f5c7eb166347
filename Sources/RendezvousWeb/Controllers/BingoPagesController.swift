import Foundation
import HTTPTypes
import Hummingbird
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// Human bingo on the attendee's phone: their card (reached from the manage page), ticking a square
/// by picking a person, and ticking from a scanned badge's contact card. Without JavaScript:
/// forms, the Origin check every public post passes, and for the contact card a signed cookie
/// (`rv_bingo`, a `TokenVault` token of purpose `.bingo`, never a raw id) that the form repeats.
struct BingoPagesController {
    let services: AppServices

    static let cookieName = "rv_bingo"

    struct TickForm: Decodable {
        var square: String?
        var person: String?
        /// The contact card's form repeats the cookie's token (double submit).
        var card: String?
    }

    /// Ticks are not under the per-address limit of public writes (`writes`): a whole room plays
    /// behind the venue's one Wi-Fi address, and every tick already needs a secret (the manage
    /// token, or the signed cookie with the badge's contact token).
    func addRoutes(to router: Router<AppRequestContext>, writes: RouterGroup<AppRequestContext>) {
        router.get(PublicRoute.bingo(token: .any).routerPath, use: card)
        router.post(PublicRoute.bingoTick(token: .any).routerPath, use: tick)
        router.post(PublicRoute.contactBingo(token: .any).routerPath, use: tickFromContact)
    }

    static func decodeTick(_ request: Request, context: AppRequestContext) async throws -> TickForm {
        guard (request.headers[.contentType] ?? "").hasPrefix("application/x-www-form-urlencoded") else { throw AppError.unsupportedMediaType }
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        do {
            return try URLEncodedFormDecoder().decode(TickForm.self, from: String(buffer: body))
        } catch {
            throw AppError.badRequest(detail: nil)
        }
    }

    func cookie(_ token: String) -> Cookie {
        Cookie(name: Self.cookieName, value: token, expires: nil, maxAge: 24 * 3600, domain: nil, path: "/",
               secure: services.configuration.baseURL.hasPrefix("https://"), httpOnly: true, sameSite: .lax)
    }

    // MARK: The card

    @Sendable func card(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard let registration = try await services.persistence.registrations.registration(manageToken: token) else { throw AppError.notFound }
        let selected = request.uri.queryParameters.get("square").flatMap { Int($0) }
        let notice = request.uri.queryParameters.get("done") == "ticked"
        return try await page(registration, request: request, selected: selected, person: nil, notice: notice, error: nil, status: .ok)
    }

    func page(_ registration: Registration, request: Request, selected: Int?, person: Registration.ID?, notice: Bool,
              error: (BingoError, name: String)?, status: HTTPResponse.Status) async throws -> Response {
        let persistence = services.persistence
        guard let detail = try await persistence.events.eventDetail(id: registration.eventID) else { throw AppError.notFound }
        let language = LanguageMiddleware.choose(request, fallback: detail.chapter.locale)
        func t(_ key: String, _ arguments: [String: String] = [:]) -> String { Strings.text(key, language, arguments) }
        let token = registration.manageToken
        var page = BingoPage(
            chrome: Chrome(title: t("bingo.page.title"), language: language, path: PublicRoute.bingo(token: token).path),
            eventTitle: detail.event.title, manageURL: PublicRoute.manage(token: token).path,
            notice: notice ? t("bingo.page.tickedNotice") : nil, error: error.map { Strings.bingoError($0.0, name: $0.name, language) }, message: nil, size: 0, squares: [],
            lineText: nil, fullText: nil, tickURL: PublicRoute.bingoTick(token: token).path, openSquares: [], people: [], hasForm: false)
        var cookieToken: String?
        if registration.status != .confirmed {
            page.message = t("bingo.page.notReady")
        } else if let state = try await persistence.bingo.card(of: registration.id, now: services.clock.now(), compute: { try await CPUWork.run($0) }) {
            cookieToken = try await persistence.bingo.cookieToken(of: registration.id)
            if state.card.size == 0 {
                page.message = t("bingo.page.empty")
            } else {
                let texts = state.card.squares.map { Strings.bingoSquareShort($0, language) }
                let path = PublicRoute.bingo(token: token).path
                page.size = state.card.size
                page.hasForm = true
                page.squares = texts.indices.map { index in
                    let tick = state.ticks[index]
                    return BingoPage.Square(
                        index: index, number: index + 1, text: texts[index], ticked: tick != nil,
                        state: tick.map { t("bingo.page.ticked", ["name": "\($0.matchedFirstName) \($0.matchedLastName)"]) } ?? t("bingo.page.open"),
                        pickURL: tick == nil ? "\(path)?square=\(index)#tick" : nil)
                }
                page.openSquares = texts.indices.filter { state.ticks[$0] == nil }
                    .map { .init(value: String($0), label: "\($0 + 1). \(texts[$0])", selected: $0 == selected) }
                let used = Set(state.ticks.values.map(\.matched))
                page.people = try await persistence.bingo.people(of: registration.eventID)
                    .filter { $0.id != registration.id && !used.contains($0.id) }
                    .map { .init(value: $0.id.description, label: "\($0.firstName) \($0.lastName)", selected: $0.id == person) }
                let progress = state.progress
                if progress.full { page.fullText = t("bingo.page.full") } else if progress.lines > 0 { page.lineText = t("bingo.page.line") }
                if page.openSquares.isEmpty { page.hasForm = !progress.full }
            }
        } else {
            page.message = t("bingo.page.notReady")
        }
        var response = services.renderer.privateResponse(page, status: status, language: language)
        if let cookieToken { response.setCookie(cookie(cookieToken)) }
        return response
    }

    @Sendable func tick(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard let registration = try await services.persistence.registrations.registration(manageToken: token) else { throw AppError.notFound }
        let form = try await Self.decodeTick(request, context: context)
        let square = form.square.flatMap { Int($0) }
        let person = form.person.flatMap(Registration.ID.init(string:))
        func refuse(_ error: BingoError) async throws -> Response {
            var name = ""
            if let person, let found = try await services.persistence.registrations.registration(id: person), found.eventID == registration.eventID {
                name = "\(found.profile.firstName) \(found.profile.lastName)"
            }
            return try await page(registration, request: request, selected: square, person: person, notice: false,
                                  error: (error, name), status: .unprocessableContent)
        }
        guard let square else { return try await refuse(.noCard) }
        guard let person else { return try await refuse(.notPlaying) }
        do {
            _ = try await services.guardedTick(card: registration.id) {
                try await services.persistence.bingo.tick(holder: registration.id, square: square, matched: person, now: services.clock.now())
            }
            services.live.publishSoon(registration.eventID, .bingo, interval: .milliseconds(50))
        } catch let error as BingoError {
            return try await refuse(error)
        }
        return Response.redirect(to: PublicRoute.bingo(token: token).path("done", "ticked") + "#sq-\(square)", type: .normal)
    }

    // MARK: From a scanned badge

    /// The bingo cookie's holder, if it names a confirmed registration of `event`.
    func holder(_ request: Request, event: Event.ID) async throws -> (Registration, token: String)? {
        guard let token = request.cookies[Self.cookieName]?.value, !token.isEmpty,
              let holder = try await services.persistence.bingo.holder(cookieToken: token), holder.eventID == event else { return nil }
        return (holder, token)
    }

    /// What the contact card shows to a phone that holds a bingo card for the same evening.
    func contactBlock(_ request: Request, card: ContactCard, contactToken: String, language: Language) async throws -> ContactBingo? {
        guard card.status == .confirmed, let (holder, token) = try await holder(request, event: card.eventID), holder.id != card.registrationID,
              let state = try await services.persistence.bingo.card(of: holder.id, now: services.clock.now(), compute: { try await CPUWork.run($0) }), state.card.size > 0 else { return nil }
        let name = "\(card.profile.firstName) \(card.profile.lastName)"
        let indices = try await services.persistence.bingo.squares(of: holder.id, fillableBy: card.registrationID, now: services.clock.now())
        return ContactBingo(
            title: Strings.text("bingo.contact.title", language, ["name": name]),
            action: PublicRoute.contactBingo(token: contactToken).path, cookie: token,
            squares: indices.map { .init(index: $0, text: Strings.bingoSquare(state.card.squares[$0], language)) },
            none: indices.isEmpty ? Strings.text("bingo.contact.none", language, ["name": name]) : nil)
    }

    @Sendable func tickFromContact(_ request: Request, context: AppRequestContext) async throws -> Response {
        let contactToken = try context.parameters.require("token")
        guard let card = try await services.persistence.registrations.contactCard(token: contactToken), card.status.isActive else { throw AppError.notFound }
        let form = try await Self.decodeTick(request, context: context)
        // The cookie and the form must agree: a post from elsewhere cannot use a phone's card.
        guard let (holder, token) = try await holder(request, event: card.eventID), let repeated = form.card,
              constantTimeEquals(repeated, token) else { throw AppError.notFound }
        let back = PublicRoute.contactCard(token: contactToken)
        guard let square = form.square.flatMap({ Int($0) }) else { return Response.redirect(to: back.path("bingo", "noCard"), type: .normal) }
        do {
            _ = try await services.guardedTick(card: holder.id) {
                try await services.persistence.bingo.tick(holder: holder.id, square: square, matched: card.registrationID, now: services.clock.now())
            }
            services.live.publishSoon(holder.eventID, .bingo, interval: .milliseconds(50))
        } catch let error as BingoError {
            return Response.redirect(to: back.path("bingo", Self.code(error)), type: .normal)
        }
        return Response.redirect(to: PublicRoute.bingo(token: holder.manageToken).path("done", "ticked") + "#sq-\(square)", type: .normal)
    }

    static func code(_ error: BingoError) -> String {
        switch error {
        case .noCard: "noCard"
        case .holderThemselves: "holderThemselves"
        case .notPlaying: "notPlaying"
        case .doesNotMatch: "doesNotMatch"
        case .alreadyUsed: "alreadyUsed"
        case .squareTaken: "squareTaken"
        }
    }

    static func error(code: String) -> BingoError? {
        [BingoError.noCard, .holderThemselves, .notPlaying, .doesNotMatch, .alreadyUsed, .squareTaken].first { Self.code($0) == code }
    }
}
