import Crypto
import Foundation
import Hummingbird
import NIOCore
import NIOPosix
import RendezvousBadges
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// The door: any phone of a door-staff member or organiser. Works without JavaScript (search and
/// forms); with it, the page keeps the list on the device, checks people in offline, queues the
/// check-ins and syncs them, scans tickets with the camera where the browser can, and polls the
/// counters every second and a half.
struct DoorController {
    let services: AppServices
    typealias Handler = @Sendable (Request, AppRequestContext) async throws -> Response

    /// The door's routes for signed-in people (the chapter checked by `event(_:)`).
    var routes: [(method: HTTPRequest.Method, route: DoorRoute, handler: Handler)] {
        [
            (.get, .page(.any), page),
            (.get, .list(.any), list),
            (.get, .state(.any), state),
            (.post, .checkIns(.any), checkIn),
            (.post, .undo(.any), undo),
            (.post, .walkIns(.any), walkIn),
            (.get, .badge(.any, registration: .any), badge),
            (.post, .window(.any), widenWindow),
        ]
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>, router: Router<AppRequestContext>) {
        for route in routes { group.on(route.route.routerPath, method: route.method, use: route.handler) }
        router.get(DoorRoute.ticket(token: .any).routerPath, use: ticket)
        // Admission is a POST with the session's CSRF token: opening a link never admits anyone.
        group.post(DoorRoute.ticket(token: .any).routerPath, use: admit)
    }

    var persistence: Persistence { services.persistence }
    func t(_ key: String, _ context: AppRequestContext, _ arguments: [String: String] = [:]) -> String { Strings.text(key, context.language, arguments) }

    /// The event, if the signed-in person may check people in for its chapter; 404 otherwise.
    func event(_ context: AppRequestContext) async throws -> (EventDetail, WebSession) {
        guard let session = context.session, let id = context.parameters.get("id").flatMap(Event.ID.init(string:)),
              let detail = try await persistence.events.eventDetail(id: id), session.user.mayCheckIn(detail.chapter.id) else { throw AppError.notFound }
        return (detail, session)
    }

    static func wantsJSON(_ request: Request) -> Bool {
        request.headers[.contentType]?.hasPrefix("application/json") == true || request.headers[.accept]?.contains("application/json") == true
    }

    // MARK: The page

    func describe(_ outcome: CheckInOutcome, detail: EventDetail, context: AppRequestContext) -> (ok: Bool, title: String, detail: String) {
        let f = Presenter(language: context.language, chapter: detail.chapter).formatter
        let name = [outcome.firstName, outcome.lastName].compactMap { $0 }.joined(separator: " ")
        switch outcome.result {
        case .admitted: return (true, t("door.welcome", context, ["name": outcome.firstName ?? ""]), name)
        case .undone: return (true, t("door.undone", context, ["name": name]), "")
        case .already:
            let when = outcome.checkedInAt.map { f.time($0) } ?? ""
            return (false, t("door.already", context, ["time": when, "by": outcome.checkedInBy ?? ""]), name + (outcome.conflict ? " · " + t("door.conflict", context) : ""))
        case .notConfirmed:
            return (false, t("door.invalid", context), name + " · " + Strings.status(outcome.status ?? .cancelled, context.language))
        case .otherEvent: return (false, t("door.otherEvent", context), name)
        case .unknown: return (false, t("door.unknown", context), "")
        case .notToday: return (false, t("door.notToday", context, ["date": f.longDate(detail.event.startsAt)]), name)
        }
    }

    // MARK: The evening a phone serves, and when

    /// The door page writes which evening this phone serves; a ticket for another one is refused.
    static let servingCookie = "rv_door_event"

    func servingCookie(_ event: Event.ID) -> Cookie {
        Cookie(name: Self.servingCookie, value: event.description, expires: nil, maxAge: 24 * 3600, domain: nil, path: "/",
               secure: services.configuration.baseURL.hasPrefix("https://"), httpOnly: true, sameSite: .lax)
    }

    /// The evening this phone serves, if its door page was opened (within the last day).
    static func serving(_ request: Request) -> Event.ID? {
        request.cookies[servingCookie].flatMap { Event.ID(string: $0.value) }
    }

    var desk: DoorDesk { DoorDesk(services: services) }

    /// An organiser widens (or narrows back) the hours the door admits for this evening.
    @Sendable func widenWindow(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (detail, session) = try await event(context)
        guard session.user.mayOrganize(detail.chapter.id) else { throw AppError.notFound }
        let fields = FormFields(String(buffer: try await request.body.collect(upTo: 64 * 1024)))
        guard let hours = Int(fields.text("hours")), DoorDesk.windowChoices.contains(hours) else { throw AppError.badRequest(detail: nil) }
        try await desk.setWindow(detail, hours: hours, by: session.user)
        return .redirect(to: DoorRoute.page(detail.event.id).path, type: .normal)
    }

    func dateText(_ detail: EventDetail, _ context: AppRequestContext) -> String {
        let f = Presenter(language: context.language, chapter: detail.chapter).formatter
        return "\(f.longDate(detail.event.startsAt)) · \(f.time(detail.event.startsAt))"
    }

    /// Why this phone may not admit with this ticket now, if it may not: a ticket for another
    /// evening than the one served, or a moment far from the evening. Sets the red answer and the
    /// way back on the page.
    func refusal(_ detail: EventDetail, request: Request, context: AppRequestContext, page: inout TicketPage) async throws -> Bool {
        if let serving = Self.serving(request), serving != detail.event.id {
            page.resultClass = "bad"
            page.resultTitle = t("door.otherEventOn", context, ["title": detail.event.title, "date": dateText(detail, context)])
            page.doorURL = DoorRoute.page(serving).path
            return true
        }
        if !(try await desk.withinWindow(detail.event, at: services.clock.now())) {
            page.resultClass = "bad"
            page.resultTitle = t("door.notToday", context, ["date": dateText(detail, context)])
            return true
        }
        return false
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (detail, session) = try await event(context)
        let f = Presenter(language: context.language, chapter: detail.chapter).formatter
        // Read as a form sends it: a "+" is a space ("eloise+dupre" is two words).
        let query = FormFields(request.uri.query ?? "").text("q")
        let people = try await persistence.door.doorList(of: detail.event.id)
        let state = try await persistence.door.doorState(of: detail.event.id)
        // Without JavaScript the search runs here; with it, on the device, over the whole list.
        let shown = query.isEmpty ? [] : DoorDesk.search(people, query: query)
        var flash: (Bool, String, String)?
        if let result = request.uri.queryParameters.get("r").flatMap({ CheckInResult(rawValue: String($0)) }),
           Self.flashIsGenuine(request.uri.queryParameters, session: session) {
            let name = request.uri.queryParameters.get("n").map { String($0) }
            let outcome = CheckInOutcome(result: result, registrationID: nil, firstName: name, lastName: nil, status: request.uri.queryParameters.get("s").flatMap { RegistrationStatus(rawValue: String($0)) },
                                         checkedInAt: request.uri.queryParameters.get("at").flatMap { Double(String($0)) }.map { Date(timeIntervalSince1970: $0) },
                                         checkedInBy: request.uri.queryParameters.get("by").map { String($0) }, conflict: false)
            let described = describe(outcome, detail: detail, context: context)
            flash = (described.ok, described.title, described.detail)
        }
        let id = detail.event.id
        let hours = try await desk.windowHours(detail.event)
        let window = DoorDesk.window(detail.event, hours: hours)
        let page = DoorPage(
            chrome: { var c = Chrome(title: t("door.title", context) + " · " + detail.event.title, language: context.language, path: DoorRoute.page(id).path); c.session = SessionNav(session); return c }(),
            eventId: detail.event.id.description, csrf: session.csrfToken, by: session.user.name, title: detail.event.title,
            date: "\(f.longDate(detail.event.startsAt)) · \(f.time(detail.event.startsAt))",
            notToday: t("door.notToday", context, ["date": f.longDate(detail.event.startsAt)]),
            window: t("door.window", context, ["from": f.dateTime(window.opens), "to": f.dateTime(window.closes)]),
            windowForm: session.user.mayOrganize(detail.chapter.id) ? DoorPage.WindowForm(
                url: DoorRoute.window(id).path,
                options: DoorDesk.windowChoices.map { .init(value: String($0), label: t("door.windowHours", context, ["hours": String($0)]), selected: Double($0) == hours) }) : nil,
            dashboardURL: session.user.mayOrganize(detail.chapter.id) ? WorkspaceLinks.event(id) : WorkspaceLinks.home,
            checkedIn: state.checkedIn, expected: state.expected, walkIns: state.walkIns,
            overCapacity: state.isOverCapacity,
            result: flash != nil, resultClass: flash?.0 == true ? "ok" : "bad", resultTitle: flash?.1 ?? "", resultDetail: flash?.2 ?? "",
            query: query,
            people: shown.map { person in
                .init(id: person.id, name: "\(person.firstName) \(person.lastName)", role: [person.jobTitle, person.company].filter { !$0.isEmpty }.joined(separator: " · "),
                      status: person.status.rawValue, statusLabel: Strings.status(person.status, context.language),
                      arrival: person.checkedInAt.map { t("door.checkedInAt", context, ["time": f.time($0), "by": person.checkedInBy ?? ""]) },
                      canCheckIn: person.status == .confirmed, checkInURL: DoorRoute.checkIns(id).path, undoURL: DoorRoute.undo(id).path)
            },
            walkInURL: DoorRoute.walkIns(id).path,
            walkInFields: [
                FormField(name: "firstName", label: t("form.firstName", context), value: "", required: true, error: nil, maxLength: RegistrationInput.Limits.name, autocomplete: "off"),
                FormField(name: "lastName", label: t("form.lastName", context), value: "", required: false, error: nil, maxLength: RegistrationInput.Limits.name, autocomplete: "off"),
                FormField(name: "jobTitle", label: t("form.jobTitle", context), value: "", required: false, error: nil, maxLength: RegistrationInput.Limits.jobTitle, autocomplete: "off"),
                FormField(name: "company", label: t("form.company", context), value: "", required: false, error: nil, maxLength: RegistrationInput.Limits.company, autocomplete: "off"),
                FormField(name: "email", label: t("form.email", context), value: "", type: "email", required: false, error: nil, maxLength: EmailAddress.maxLength, autocomplete: "off"),
            ],
            conflicts: state.conflicts.map { "\($0.name) · \($0.by) · \(f.time($0.at))" })
        var doorPage = page
        doorPage.zone = detail.chapter.zone.identifier
        var response = services.renderer.response(doorPage, language: context.language)
        response.headers[.cacheControl] = "no-store"
        response.setCookie(servingCookie(id))
        return response
    }

    // MARK: JSON for the door script

    struct ListBody: Encodable { var people: [DoorAttendee]; var state: DoorState }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (detail, _) = try await event(context)
        return JSONBody.response(status: .ok, ListBody(people: try await persistence.door.doorList(of: detail.event.id), state: try await persistence.door.doorState(of: detail.event.id)))
    }

    @Sendable func state(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (detail, _) = try await event(context)
        return JSONBody.response(status: .ok, try await persistence.door.doorState(of: detail.event.id))
    }

    struct CheckInBody: Decodable {
        var registrationId: String?
        var ticket: String?
        var nonce: String?
        var device: String?
        var at: Date?
        var offline: Bool?
        var firstName: String?
        var lastName: String?
        var jobTitle: String?
        var company: String?
        var email: String?
    }

    func body(_ request: Request, context: AppRequestContext) async throws -> CheckInBody {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        if Self.wantsJSON(request), request.headers[.contentType]?.hasPrefix("application/json") == true {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            do { return try decoder.decode(CheckInBody.self, from: Data(buffer: buffer)) } catch { throw AppError.badRequest(detail: nil) }
        }
        let form = FormFields(String(buffer: buffer))
        return CheckInBody(registrationId: form["registrationId"], ticket: form["ticket"], nonce: form["nonce"], device: "form", at: nil, offline: false,
                           firstName: form["firstName"], lastName: form["lastName"], jobTitle: form["jobTitle"], company: form["company"], email: form["email"])
    }

    func answer(_ outcome: CheckInOutcome, detail: EventDetail, request: Request, context: AppRequestContext) -> Response {
        if Self.wantsJSON(request) { return JSONBody.response(status: .ok, outcome) }
        let flash = [URLQueryItem(name: "r", value: outcome.result.rawValue), URLQueryItem(name: "n", value: [outcome.firstName, outcome.lastName].compactMap { $0 }.joined(separator: " ")),
                     URLQueryItem(name: "s", value: outcome.status?.rawValue), URLQueryItem(name: "by", value: outcome.checkedInBy),
                     URLQueryItem(name: "at", value: outcome.checkedInAt.map { String($0.timeIntervalSince1970) })]
        let signature = context.session.map { Self.flashSignature(flash.map { $0.value ?? "" }, session: $0) } ?? ""
        return .redirect(to: DoorRoute.page(detail.event.id).path(query: flash + [URLQueryItem(name: "sig", value: signature)]), type: .normal)
    }

    /// The answer shown after a check-in travels in the redirect's address, signed with the
    /// session's secret: a link that says "Welcome, Mallory" in green was made by this session's
    /// own check-in, or it shows nothing.
    static func flashSignature(_ values: [String], session: WebSession) -> String {
        let message = Data(values.joined(separator: "\u{1F}").utf8)
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(session.csrfToken.utf8)))
        return Data(code).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func flashIsGenuine(_ query: Parameters, session: WebSession) -> Bool {
        let values = ["r", "n", "s", "by", "at"].map { name -> String in query.get(name).map { String($0) } ?? "" }
        guard let signature = query.get("sig").map({ String($0) }) else { return false }
        return constantTimeEquals(signature, flashSignature(values, session: session))
    }

    @Sendable func checkIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (detail, session) = try await event(context)
        let body = try await body(request, context: context)
        let outcome = try await desk.checkIn(detail.event, target: try DoorDesk.target(registrationId: body.registrationId, ticket: body.ticket), nonce: body.nonce,
                                             device: DoorDesk.device(body.device, default: "web"), by: session.user.name, at: body.at, offline: body.offline)
        return answer(outcome, detail: detail, request: request, context: context)
    }

    @Sendable func undo(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (detail, session) = try await event(context)
        let body = try await body(request, context: context)
        let outcome = try await desk.undo(detail.event, registrationId: body.registrationId, nonce: body.nonce, device: DoorDesk.device(body.device, default: "web"),
                                          by: session.user.name)
        return answer(outcome, detail: detail, request: request, context: context)
    }

    @Sendable func walkIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (detail, session) = try await event(context)
        let body = try await body(request, context: context)
        let outcome = try await desk.walkIn(detail, firstName: body.firstName, lastName: body.lastName, jobTitle: body.jobTitle, company: body.company,
                                            email: body.email, by: session.user.name)
        return answer(outcome, detail: detail, request: request, context: context)
    }

    /// A single label for someone at the door (a walk-in, a lost badge).
    @Sendable func badge(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (detail, _) = try await event(context)
        let layout = BadgeLayout(rawValue: request.uri.queryParameters.get("layout").map { String($0) } ?? "") ?? .roll62
        guard let id = context.parameters.get("registration").flatMap(Registration.ID.init(string:)),
              let pdf = try await desk.badgePDF(detail, registration: id, layout: layout) else { throw AppError.notFound }
        return DoorDesk.pdfResponse(pdf)
    }

    // MARK: Ticket links

    /// What a ticket's QR code opens. For door staff of that chapter: the person and one big
    /// button that admits them (a POST with the CSRF token, so a link planted on another site
    /// admits no one), or when and by whom they were already admitted; for anyone else, only
    /// whose ticket it is and for which event.
    @Sendable func ticket(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard let (registration, detail, context) = try await ticketed(token, request: request, context: context) else { return try unknownTicket(request, context: context) }
        var page = ticketPage(registration, token: token, detail: detail, context: context)
        if let session = context.session, session.user.mayCheckIn(detail.chapter.id) {
            page.doorURL = DoorRoute.page(detail.event.id).path
            page.chrome.session = SessionNav(session)
            let f = Presenter(language: context.language, chapter: detail.chapter).formatter
            let name = "\(registration.profile.firstName) \(registration.profile.lastName)"
            // Door staff see in large which evening the ticket is for, unless it is refused.
            let refused = try await refusal(detail, request: request, context: context, page: &page)
            page.heading = !refused
            if refused {
                page.resultDetail = name
                page.eventURL = nil
            } else if registration.status != .confirmed {
                page.resultClass = "bad"
                page.resultTitle = t("door.invalid", context)
                page.resultDetail = name + " · " + Strings.status(registration.status, context.language)
            } else if let admission = try await persistence.door.doorState(of: detail.event.id).admissions.first(where: { $0.id == registration.id.description.lowercased() }) {
                page.resultClass = "bad"
                page.resultTitle = t("door.already", context, ["time": f.time(admission.at), "by": admission.by])
                page.resultDetail = name
            } else {
                page.resultDetail = ([name] + [registration.profile.jobTitle, registration.profile.company].filter { !$0.isEmpty }).joined(separator: " · ")
                page.admitURL = DoorRoute.ticket(token: token).path
                page.csrf = session.csrfToken
            }
        } else if registration.status != .confirmed {
            page.resultClass = "bad"
            page.resultTitle = t("door.invalid", context)
            page.resultDetail = Strings.status(registration.status, context.language)
        } else if let png = QRCode.png(services.absoluteURL(DoorRoute.ticket(token: token))) {
            // The holder (or anyone who has the link): the code to show at the door, and how it goes.
            page.qrCode = "data:image/png;base64," + png.base64EncodedString()
            page.instructions = [t("door.holderShow", context), t("door.holderBrightness", context), t("door.holderName", context)]
        }
        return ticketResponse(page)
    }

    /// The tap on the ticket page's button: admits the person, once.
    @Sendable func admit(_ request: Request, context: AppRequestContext) async throws -> Response {
        if request.headers[.secFetchSite] == "cross-site" { throw AppError.forbidden(messageKey: "error.forbidden") }
        let token = try context.parameters.require("token")
        guard let (registration, detail, context) = try await ticketed(token, request: request, context: context) else { return try unknownTicket(request, context: context) }
        guard let session = context.session, session.user.mayCheckIn(detail.chapter.id) else { throw AppError.notFound }
        var refused = ticketPage(registration, token: token, detail: detail, context: context)
        refused.doorURL = DoorRoute.page(detail.event.id).path
        refused.chrome.session = SessionNav(session)
        if try await refusal(detail, request: request, context: context, page: &refused) {
            refused.resultDetail = "\(registration.profile.firstName) \(registration.profile.lastName)"
            refused.eventURL = nil
            return ticketResponse(refused)
        }
        let now = services.clock.now()
        let outcome = try await persistence.door.checkIn(event: detail.event.id, target: .ticket(token), nonce: Secret.random(), device: "ticket-link",
                                                    by: session.user.name, happenedAt: now, offline: false, now: now)
        services.live.publishSoon(detail.event.id, .door, interval: .milliseconds(50))
        let described = describe(outcome, detail: detail, context: context)
        var page = ticketPage(registration, token: token, detail: detail, context: context)
        page.resultClass = described.ok ? "ok" : "bad"
        page.resultTitle = described.title
        page.resultDetail = described.detail
        page.doorURL = DoorRoute.page(detail.event.id).path
        page.chrome.session = SessionNav(session)
        page.heading = true
        return ticketResponse(page)
    }

    /// A token that names no ticket. Door staff see it in red on a door page with the way back;
    /// anyone else gets the site's 404.
    func unknownTicket(_ request: Request, context: AppRequestContext) throws -> Response {
        guard let session = context.session, session.user.isNetworkAdmin || !session.user.memberships.isEmpty else { throw AppError.notFound }
        var page = TicketPage(chrome: Chrome(title: t("door.unknown", context), language: context.language, path: request.uri.path),
                              resultClass: "bad", resultTitle: t("door.unknown", context), resultDetail: "", eventTitle: "", eventURL: nil, date: "",
                              doorURL: Self.serving(request).map { DoorRoute.page($0).path } ?? WorkspaceLinks.home)
        page.chrome.session = SessionNav(session)
        return ticketResponse(page, status: .notFound)
    }

    /// The registration a ticket names and its event, with the page's language chosen (nil for no such ticket).
    func ticketed(_ token: String, request: Request, context: AppRequestContext) async throws -> (Registration, EventDetail, AppRequestContext)? {
        guard let registration = try await persistence.door.ticket(token),
              let detail = try await persistence.events.eventDetail(id: registration.eventID) else { return nil }
        var context = context
        context.language = LanguageMiddleware.choose(request, fallback: detail.chapter.locale)
        return (registration, detail, context)
    }

    func ticketPage(_ registration: Registration, token: String, detail: EventDetail, context: AppRequestContext) -> TicketPage {
        let f = Presenter(language: context.language, chapter: detail.chapter).formatter
        return TicketPage(
            chrome: Chrome(title: t("door.ticket", context), language: context.language, path: DoorRoute.ticket(token: token).path),
            resultClass: "", resultTitle: t("door.ticketFor", context, ["name": registration.profile.firstName]),
            resultDetail: t("door.showAtDoor", context), eventTitle: detail.event.title, eventURL: PublicRoute.event(detail.event.id).path,
            date: "\(f.longDate(detail.event.startsAt)) · \(f.time(detail.event.startsAt))", doorURL: nil)
    }

    func ticketResponse(_ page: TicketPage, status: HTTPResponse.Status = .ok) -> Response {
        services.renderer.privateResponse(page, status: status, language: Language(code: page.chrome.lang) ?? .en)
    }
}
