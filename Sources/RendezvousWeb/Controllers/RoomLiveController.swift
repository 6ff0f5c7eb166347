import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RendezvousBadges
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// The evening's live pages: the big screen (`/screen/{event}`) and each attendee's seat on their
/// phone (`/manage/{token}/room.json`, shown on the manage page). Both read the room's state from
/// the database on every poll, so every instance behind a proxy shows the same round; the JSON
/// carries `version`, and an `If-None-Match` with the current version answers 304.
///
/// The screen names people, so it is not public: an organiser or door volunteer of the chapter
/// signed in, or the screen link (`?key=`, an HMAC of the event id under the server key) for a
/// projector's computer that nobody signs in on.
struct RoomLiveController {
    let services: AppServices
    var persistence: Persistence { services.persistence }
    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(PublicRoute.screen(.any).routerPath, use: screen)
        router.get(PublicRoute.screenState(.any).routerPath, use: screenState)
        router.get(PublicRoute.seat(token: .any).routerPath, use: seat)
    }

    /// The link an organiser gives the projector's computer.
    static func screenKey(_ event: Event.ID, vault: TokenVault) -> String {
        vault.token(.screen, id: event.uuid, salt: screenSalt)
    }

    /// Screen links name an event, not a registration: there is no per-row salt to renew.
    static let screenSalt = "event"
    static let screenLinkGrace: TimeInterval = 12 * 3600

    static func screenURL(_ event: Event.ID, vault: TokenVault) -> String {
        PublicRoute.screen(event).path("key", screenKey(event, vault: vault))
    }

    /// The event, if the caller may see its screen; 404 otherwise (the same whether it exists or not).
    func screenEvent(_ request: Request, context: AppRequestContext) async throws -> (EventDetail, key: String?) {
        guard let id = context.parameters.get("id").flatMap(Event.ID.init(string:)),
              let detail = try await persistence.events.eventDetail(id: id) else { throw AppError.notFound }
        if let user = context.session?.user, user.mayCheckIn(detail.chapter.id) { return (detail, nil) }
        // The signed link serves the evening, not forever: it stops twelve hours after the end.
        if let key = request.uri.queryParameters.get("key"), persistence.tokens.verify(key, .screen, id: id.uuid, salt: Self.screenSalt),
           services.clock.now() <= detail.event.endsAt.addingTimeInterval(Self.screenLinkGrace) {
            return (detail, key)
        }
        throw AppError.notFound
    }

    /// The room's names, read once per room version for a few seconds (every phone polls).
    func people(_ event: Event.ID, version: Int) async throws -> [String: RoomPerson] {
        try await services.roomNames.people(event, version: version) {
            RoomPerson.byID(try await persistence.room.people(event: event, history: false))
        }
    }

    /// "Your table" for the manage page, from the same names the phone's polls read.
    func seatView(_ registration: Registration, token: String, language: Language) async throws -> ManagePage.Seat? {
        guard registration.status == .confirmed, let state = try await persistence.room.state(event: registration.eventID), state.plan != nil else {
            return nil
        }
        let live = SeatLive.seat(of: registration.id.description, state, people: try await people(registration.eventID, version: state.version),
                                 now: services.clock.now())
        return Self.seatText(live, language).map {
            ManagePage.Seat(headline: $0.headline, detail: $0.detail, stateURL: PublicRoute.seat(token: token).path,
                            liveURL: PublicRoute.live(registration.eventID).path + "?topics=room")
        }
    }

    @Sendable func screen(_ request: Request, context: AppRequestContext) async throws -> Response {
        // Signed out with no key: sign in first.
        if context.session == nil, request.uri.queryParameters.get("key") == nil {
            return Response.redirect(to: AccountRoute.signIn.path("next", request.uri.path), type: .normal)
        }
        let (detail, key) = try await screenEvent(request, context: context)
        let language = context.language
        var stateURL = PublicRoute.screenState(detail.event.id).path
        if let key { stateURL = PublicRoute.screenState(detail.event.id).path("key", key) }
        var query = "as=screen&topics=room,bingo"
        if let key { query += "&key=" + (key.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? key) }
        let page = ScreenPage(
            lang: language.rawValue, t: Chrome.translations[language] ?? [:], title: detail.event.title,
            stateURL: stateURL, scriptURL: PublicRoute.staticFile("room.js").path("v", PublicRoute.assetVersion),
            stylesheet: SiteRoute.stylesheet,
            live: QuizLiveAttributes.make(role: "screen", event: detail.event.id, query: query, language: language),
            liveScript: PublicRoute.staticFile("live.js").path("v", PublicRoute.assetVersion),
            quizScript: PublicRoute.staticFile("quiz.js").path("v", PublicRoute.assetVersion),
            joinURL: services.absoluteURL(PublicRoute.quizEnter),
            qr: PublicRoute.quizQR(code: "0").pattern.replacingOccurrences(of: ":code", with: "{code}"),
            reportURL: services.absoluteURL(PublicRoute.report(detail.event.id)),
            reportQR: QRCode.png(services.absoluteURL(PublicRoute.report(detail.event.id)), pixelsPerModule: 4, quietZone: 2)
                .map { "data:image/png;base64," + $0.base64EncodedString() } ?? "",
            conductURL: services.absoluteURL(PublicRoute.codeOfConduct)
        )
        var response = services.renderer.response(page, status: .ok, language: language)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    @Sendable func screenState(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (detail, _) = try await screenEvent(request, context: context)
        let now = services.clock.now()
        // Bingo is announced whether or not the evening has tables.
        let announcements = try await services.persistence.bingo.recentAnnouncements(event: detail.event.id, since: now.addingTimeInterval(-120))
            .map { ScreenBody.Announcement(text: Strings.text($0.kind == .full ? "screen.bingoFull" : "screen.bingoLine", context.language, ["name": $0.firstName])) }
        guard let state = try await persistence.room.state(event: detail.event.id) else {
            return Self.json(ScreenBody(room: nil, labels: labels(context.language), announcements: announcements), request: request, version: 0)
        }
        let live = RoomLive.screen(state, people: try await people(detail.event.id, version: state.version), now: now)
        return Self.json(ScreenBody(room: live, labels: labels(context.language), announcements: announcements), request: request, version: nil)
    }

    @Sendable func seat(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard let registration = try await persistence.registrations.registration(manageToken: token) else { throw AppError.notFound }
        guard registration.status == .confirmed, let state = try await persistence.room.state(event: registration.eventID) else {
            return Self.json(SeatBody(seat: nil, text: nil), request: request, version: 0)
        }
        // The phone already shows this version: answer before reading anyone's name.
        if request.headers[.ifNoneMatch] == "\"v\(state.version)\"" {
            return Response(status: .notModified, headers: [.eTag: "\"v\(state.version)\"", .cacheControl: "no-cache"])
        }
        let live = SeatLive.seat(of: registration.id.description, state, people: try await people(registration.eventID, version: state.version), now: services.clock.now())
        return Self.json(SeatBody(seat: live, text: Self.seatText(live, context.language)), request: request, version: live.version)
    }

    // MARK: Words

    struct Labels: Encodable {
        var round: String
        var waiting: String
        var paused: String
        var finished: String
        var notPlanned: String
        var table: String
    }

    func labels(_ language: Language) -> Labels {
        Labels(
            round: Strings.text("screen.round", language), waiting: Strings.text("screen.waiting", language),
            paused: Strings.text("screen.paused", language), finished: Strings.text("screen.finished", language),
            notPlanned: Strings.text("screen.notPlanned", language), table: Strings.text("screen.table", language)
        )
    }

    /// The phone's sentences, made on the server in the attendee's language.
    struct SeatText: Encodable, Equatable {
        var headline: String
        var detail: String
    }

    static func seatText(_ seat: SeatLive, _ language: Language) -> SeatText? {
        guard let round = seat.round else {
            return seat.phase == .finished ? SeatText(headline: Strings.text("seat.finished", language), detail: "") : nil
        }
        guard let table = seat.table else { return SeatText(headline: Strings.text("seat.noSeat", language), detail: "") }
        // Each name and job in its own direction (U+2068…U+2069): an Arabic name beside a French
        // job title keeps its order in a French or English sentence.
        func isolated(_ text: String) -> String { "\u{2068}\(text)\u{2069}" }
        let mates = seat.mates.map { $0.jobTitle.isEmpty ? isolated($0.name) : "\(isolated($0.name)) (\(isolated($0.jobTitle)))" }
        let list = Strings.list(mates, language)
        let values = ["round": "\(round)", "rounds": "\(seat.rounds)", "table": table]
        let headline = Strings.text(seat.phase == .notStarted ? "seat.upcoming" : "seat.current", language, values)
        var detail = mates.isEmpty ? "" : Strings.text("seat.with", language, ["people": list])
        if let next = seat.nextTable, seat.phase != .notStarted {
            detail += (detail.isEmpty ? "" : " ") + Strings.text("seat.next", language, ["table": next])
        }
        return SeatText(headline: headline, detail: detail)
    }

    // MARK: JSON

    struct ScreenBody: Encodable {
        struct Announcement: Encodable { var text: String }
        var room: RoomLive?
        var labels: Labels
        var announcements: [Announcement]
    }

    struct SeatBody: Encodable {
        var seat: SeatLive?
        var text: SeatText?
    }

    /// JSON with the room's version as its ETag: a phone asking with the version it has gets 304.
    static func json(_ value: some Encodable, request: Request, version: Int?) -> Response {
        if let version, version > 0 {
            let etag = "\"v\(version)\""
            if request.headers[.ifNoneMatch] == etag {
                return Response(status: .notModified, headers: [.eTag: etag, .cacheControl: "no-cache"])
            }
            var response = JSONBody.response(status: .ok, value)
            response.headers[.eTag] = etag
            response.headers[.cacheControl] = "no-cache"
            return response
        }
        return JSONBody.response(status: .ok, value)
    }
}
