import Foundation
import HTTPTypes
import Hummingbird
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// The JSON API under /api/v1. Organiser calls carry a bearer token from POST /api/v1/tokens;
/// a resource of a chapter the caller does not organise answers 404, exactly as if it did not exist.
struct APIController {
    let services: AppServices

    typealias Handler = @Sendable (Request, AppRequestContext) async throws -> Response

    /// Every API route: registered from this table and compared with openapi.json by a test.
    /// Public writes are rate-limited.
    var routes: [(method: HTTPRequest.Method, route: APIRoute, rateLimited: Bool, handler: Handler)] {
        [
            (.post, .tokens, true, createToken),
            (.get, .chapters, false, listChapters),
            (.post, .chapters, false, createChapter),
            (.get, .chapterEvents(slug: .any), false, listEvents),
            (.post, .chapterEvents(slug: .any), false, createEvent),
            (.get, .event(.any), false, showEvent),
            (.patch, .event(.any), false, updateEvent),
            (.get, .eventRegistrations(.any), false, listRegistrations),
            (.post, .eventRegistrations(.any), true, register),
            (.get, .eventQuestions(.any), false, listQuestions),
            (.post, .eventIncidents(.any), true, reportIncident),
            (.get, .myData, false, exportMyData),
            (.delete, .myData, true, eraseMyData),
            (.put, .myConsents, true, changeMyConsents),
            (.get, .registration(.any), false, showRegistration),
            (.post, .cancelRegistration(.any), true, cancel),
            (.post, .acceptRegistration(.any), true, accept),
            (.post, .declineRegistration(.any), true, decline),
            (.get, .eventRoom(.any), false, showRoom),
            (.put, .eventRoom(.any), false, saveRoomSetup),
            (.post, .eventRoomPlan(.any), false, planRoom),
            (.post, .eventRoomMoves(.any), false, moveInRoom),
            (.post, .eventRoomRounds(.any), false, pressRoomRound),
            (.get, .eventBingo(.any), false, showBingo),
            (.post, .eventBingo(.any), false, generateBingo),
            (.get, .registrationBingo(.any), false, showBingoCard),
            // Not rate-limited, as on the phone: a room ticks from one Wi-Fi address, each tick needs the manage token.
            (.post, .registrationBingoTicks(.any), false, tickBingo),
            (.get, .chapterQuizzes(slug: .any), false, listQuizzes),
            (.post, .chapterQuizzes(slug: .any), false, createQuiz),
            (.get, .quiz(.any), false, showQuiz),
            (.put, .quiz(.any), false, replaceQuiz),
            (.delete, .quiz(.any), false, deleteQuiz),
            (.get, .eventQuizGames(.any), false, listQuizGames),
            (.get, .eventQuizGame(.any, game: .any), false, showQuizGameResults),
            (.post, .chapterFollowers(slug: .any), true, followChapter),
            (.post, .audienceUnsubscribe, true, unsubscribeAudience),
            (.get, .chapterAudience(slug: .any), false, showAudience),
            (.post, .chapterAudienceMessages(slug: .any), false, createAudienceMessage),
            (.put, .chapterAudienceMessage(slug: .any, message: .any), false, updateAudienceMessage),
            (.delete, .chapterAudienceMessage(slug: .any, message: .any), false, cancelAudienceMessage),
            (.get, .eventResult(.any), false, showEveningResult),
            (.put, .eventFollowUp(.any), false, saveFollowUpLinks),
            (.post, .eventFollowUpSend(.any), false, sendMorningAfterNow),
            (.put, .feedback, true, saveFeedback),
            (.get, .eventDemand(.any), false, showDemand),
            (.post, .eventOverflow(.any), false, createOverflow),
            (.put, .eventOverbooking(.any), false, setOverbooking),
            (.post, .eventAttendanceChecks(.any), false, sendAttendanceChecks),
            (.get, .chapterInsights(slug: .any), false, showChapterInsights),
            (.get, .networkInsights, false, showNetworkInsights),
            // The door, attendance and badges (APIController+Door): staff calls, not rate-limited, as on the door page.
            (.get, .eventDoor(.any), false, showDoor),
            (.get, .eventDoorPeople(.any), false, listDoorPeople),
            (.post, .eventDoorCheckIns(.any), false, doorCheckIn),
            (.post, .eventDoorUndo(.any), false, doorUndo),
            (.post, .eventDoorWalkIns(.any), false, doorWalkIn),
            (.put, .eventDoorWindow(.any), false, setDoorWindow),
            (.get, .eventAttendance(.any), false, showAttendance),
            (.put, .eventAttendanceEntry(.any, registration: .any), false, correctAttendance),
            (.get, .eventBadges(.any), false, printBadges),
            (.get, .eventBadge(.any, registration: .any), false, printBadge),
            // Webhooks for integrators (APIController+Webhooks).
            (.get, .chapterWebhooks(slug: .any), false, listWebhooks),
            (.post, .chapterWebhooks(slug: .any), false, createWebhook),
            (.delete, .chapterWebhook(slug: .any, .any), false, deleteWebhook),
            (.post, .chapterWebhookTest(slug: .any, .any), false, testWebhook),
            (.get, .chapterWebhookDeliveries(slug: .any, .any), false, listWebhookDeliveries),
        ]
    }

    /// `api` and `writes` carry the bearer-token middleware (and `writes` the rate limit); the
    /// routes' patterns are whole paths, /api/v1 included.
    func addRoutes(to api: RouterGroup<AppRequestContext>, writes: RouterGroup<AppRequestContext>) {
        for route in routes {
            (route.rateLimited ? writes : api).on(route.route.routerPath, method: route.method, use: route.handler)
        }
    }

    // MARK: Decoding

    /// Reads a JSON body: 415 for another content type, 413 past the size limit, 400 with the
    /// offending field for malformed JSON or a wrong type. A date is ISO 8601, as the document says.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: AppRequestContext, allowEmpty: Bool = false) async throws -> T {
        try decode(type, from: try await request.body.collect(upTo: context.maxUploadSize), request: request, context: context, allowEmpty: allowEmpty)
    }

    /// The same, from a body already read (to decode two views of one body).
    static func decode<T: Decodable>(_ type: T.Type, from body: ByteBuffer, request: Request, context: AppRequestContext, allowEmpty: Bool = false) throws -> T {
        if allowEmpty, body.readableBytes == 0, let empty = try? JSONDecoder().decode(T.self, from: Data("{}".utf8)) {
            return empty
        }
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/json") else { throw AppError.unsupportedMediaType }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            guard let date = ISO8601.parse(try decoder.singleValueContainer().decode(String.self)) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an ISO 8601 date-time"))
            }
            return date
        }
        do {
            return try decoder.decode(T.self, from: Data(buffer: body))
        } catch let error as DecodingError {
            throw AppError.badRequest(detail: nil, fields: Self.fields(of: error, language: context.language))
        } catch {
            throw AppError.badRequest(detail: nil)
        }
    }

    static func fields(of error: DecodingError, language: Language) -> [String: String] {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return [path(context.codingPath): Strings.text("v.type", language)]
        case .dataCorrupted(let context) where !context.codingPath.isEmpty:
            return [path(context.codingPath): Strings.text("v.unreadable", language)]
        case .keyNotFound(let key, let context):
            return [path(context.codingPath + [key]): Strings.text("v.required", language)]
        default:
            return [:]
        }
    }

    // MARK: Authorisation

    func requireUser(_ context: AppRequestContext) throws -> User {
        guard let user = context.user else { throw AppError.unauthorized }
        return user
    }

    /// A network admin, or 403 saying so: the caller is signed in (a missing or wrong token is 401).
    @discardableResult
    func requireNetworkAdmin(_ context: AppRequestContext) throws -> User {
        let user = try requireUser(context)
        guard user.role == .networkAdmin else { throw AppError.forbidden(messageKey: "error.networkAdminOnly") }
        return user
    }

    /// The chapter if the caller organises it; otherwise 404, never a hint that it exists.
    func organizedChapter(slug: String, context: AppRequestContext) async throws -> Chapter {
        let user = try requireUser(context)
        guard let chapter = try await services.persistence.chapters.chapter(slug: slug), user.mayOrganize(chapter.id) else {
            throw AppError.notFound
        }
        return chapter
    }

    func organizedEvent(_ context: AppRequestContext) async throws -> (Event, Chapter) {
        let user = try requireUser(context)
        guard let id = context.parameters.get("id").flatMap(Event.ID.init(string:)),
              let event = try await services.persistence.events.event(id: id), user.mayOrganize(event.chapterID),
              let chapter = try await services.persistence.chapters.chapter(id: event.chapterID) else { throw AppError.notFound }
        return (event, chapter)
    }

    // MARK: Tokens

    @Sendable func createToken(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await Self.decode(API.TokenRequest.self, from: request, context: context)
        var errors = ValidationErrors()
        if (body.email ?? "").isEmpty { errors.add("email", .required) }
        if (body.password ?? "").isEmpty { errors.add("password", .required) }
        guard errors.isEmpty, let email = body.email, let password = body.password else { throw AppError.validation(errors) }
        // The same limiter as the sign-in form, counted before the check: the API is no way around it.
        if let wait = await services.passwordAttempts.reserve(email: email, client: context.limitKey) { throw AppError.rateLimited(retryAfter: wait) }
        let credentials = try await services.persistence.accounts.credentials(email: email)
        // Verify even for an unknown email, so response time does not reveal which emails exist.
        guard try await Passwords.verify(password, hash: credentials?.passwordHash), let user = credentials?.user else { throw AppError.unauthorized }
        await services.passwordAttempts.refund(email: email, client: context.limitKey)
        let now = services.clock.now()
        let lifetime: TimeInterval = 30 * 24 * 3600
        let token = try await services.persistence.accounts.issueToken(for: user.id, now: now, lifetime: lifetime)
        return JSONBody.response(status: .created, API.TokenResponse(token: token, expiresAt: ISO8601.format(now.addingTimeInterval(lifetime))))
    }

    // MARK: Chapters

    @Sendable func listChapters(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapters = try await services.persistence.chapters.chapters()
        return JSONBody.response(status: .ok, API.ListResponse(items: chapters.map { API.ChapterJSON($0, services: services) }))
    }

    @Sendable func createChapter(_ request: Request, context: AppRequestContext) async throws -> Response {
        try requireNetworkAdmin(context)
        let input = try await Self.decode(ChapterInput.self, from: request, context: context)
        switch input.validated() {
        case .failure(let errors): throw AppError.validation(errors)
        case .success(var chapter):
            chapter.createdAt = services.clock.now()
            do {
                let created = try await services.persistence.chapters.createChapter(chapter)
                services.cache.invalidate(prefixes: ["home:"])
                return JSONBody.response(status: .created, API.ChapterJSON(created, services: services),
                                         headers: [.location: services.absoluteURL(PublicRoute.chapter(slug: created.slug))])
            } catch ChapterStore.ChapterError.slugTaken {
                throw AppError.validation(ValidationErrors([("slug", .alreadyTaken)]))
            }
        }
    }

    // MARK: Events

    @Sendable func listEvents(_ request: Request, context: AppRequestContext) async throws -> Response {
        let slug = try context.parameters.require("slug")
        guard let chapter = try await services.persistence.chapters.chapter(slug: slug) else { throw AppError.notFound }
        let now = services.clock.now()
        let summaries = try await services.persistence.events.upcomingEvents(of: chapter.id, now: now)
        // The chapter's history is read once, and only if an evening's overbooking is told.
        var history: [AttendanceRecord]?
        var items: [API.EventJSON] = []
        for summary in summaries {
            let overbooking = try await PublicOverbooking.of(summary.event, confirmed: summary.occupancy.confirmed, now: now) {
                if history == nil { history = try await services.persistence.door.attendance(of: chapter.id, now: now).map(AttendanceRecord.init) }
                return NoShowForecast.forecast(history: history ?? [], venue: summary.event.venueID, now: now)
            }
            items.append(API.EventJSON(event: summary.event, chapter: chapter, venue: summary.venue, occupancy: summary.occupancy, speakers: nil, agenda: nil,
                                       overbooking: overbooking, services: services))
        }
        return JSONBody.response(status: .ok, API.ListResponse(items: items))
    }

    @Sendable func createEvent(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await organizedChapter(slug: try context.parameters.require("slug"), context: context)
        let input = try await Self.decode(EventInput.self, from: request, context: context)
        switch input.validated() {
        case .failure(let errors): throw AppError.validation(errors)
        case .success(let valid):
            let event = try await services.persistence.events.createEvent(valid, in: chapter.id, now: services.clock.now())
            services.cache.invalidate(prefixes: ["home:", "chapter:\(chapter.slug):"])
            guard let detail = try await services.persistence.events.eventDetail(id: event.id) else { throw AppError.notFound }
            return JSONBody.response(status: .created, try await eventJSON(detail), headers: [.location: services.absoluteURL(PublicRoute.event(event.id))])
        }
    }

    func eventJSON(_ detail: EventDetail) async throws -> API.EventJSON {
        let overbooking = try await PublicOverbooking.of(detail.event, confirmed: detail.occupancy.confirmed, persistence: services.persistence,
                                                         now: services.clock.now())
        return API.EventJSON(event: detail.event, chapter: detail.chapter, venue: detail.venue, occupancy: detail.occupancy,
                             speakers: detail.speakers, agenda: detail.agenda, overbooking: overbooking, services: services)
    }

    @Sendable func showEvent(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let id = context.parameters.get("id").flatMap(Event.ID.init(string:)),
              let detail = try await services.persistence.events.eventDetail(id: id) else { throw AppError.notFound }
        if detail.event.status == .draft, context.user?.mayOrganize(detail.chapter.id) != true { throw AppError.notFound }
        return JSONBody.response(status: .ok, try await eventJSON(detail))
    }

    @Sendable func updateEvent(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (event, chapter) = try await organizedEvent(context)
        let patch = try await Self.decode(API.EventPatch.self, from: request, context: context)
        var errors = ValidationErrors()
        let title = patch.title.map { TextRules.clean($0, field: "title", required: true, maxLength: 140, into: &errors) }
        let description = patch.description.map { TextRules.clean($0, field: "description", required: false, maxLength: 5000, multiline: true, into: &errors) }
        if let capacity = patch.capacity, capacity < 1 || capacity > EventInput.maxCapacity {
            errors.add("capacity", .outOfRange(min: 1, max: EventInput.maxCapacity))
        }
        guard errors.isEmpty else { throw AppError.validation(errors) }
        _ = try await services.persistence.events.updateEvent(
            event.id, title: title, description: description, capacity: patch.capacity, status: patch.status, now: services.clock.now())
        try await services.seriesChanged(event.id, chapterSlug: chapter.slug)
        guard let detail = try await services.persistence.events.eventDetail(id: event.id) else { throw AppError.notFound }
        return JSONBody.response(status: .ok, try await eventJSON(detail))
    }

    // MARK: Registrations

    @Sendable func register(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let id = context.parameters.get("id").flatMap(Event.ID.init(string:)) else { throw AppError.notFound }
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let input = try Self.decode(RegistrationInput.self, from: body, request: request, context: context)
        let given = try Self.decode(API.AnswersBody.self, from: body, request: request, context: context).answers ?? [:]
        // Over the document's 500 characters is refused, whether or not the id names one of the evening's questions.
        if let long = given.first(where: { $0.value.unicodeScalars.count > 500 }) {
            throw AppError.validation(ValidationErrors([("answers.\(long.key)", .tooLong(max: 500))]))
        }
        let questions = try await services.persistence.questions.questions(forEvent: id)
        // The answers by question id, checked as the form checks them; errors name `answers.<id>`.
        let typed = Dictionary(given.map { ("q-" + $0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        switch RegistrationPagesController.validate(input, answers: typed, questions: questions, requireConduct: true) {
        case .failure(let errors):
            throw AppError.validation(ValidationErrors(errors.problems.map { ($0.field.hasPrefix("q-") ? "answers." + $0.field.dropFirst(2) : $0.field, $0.problem) }))
        case .success(var (profile, answers)):
            profile.language = LanguageMiddleware.preferred(request)
            profile.conductAcceptedAt = services.clock.now()
            let outcome = try await services.persistence.registrations.register(profile, for: id, answers: answers, now: services.clock.now())
            MetricsController.registered(outcome.registration.status.rawValue)
            services.eventChanged(id)
            let registration = outcome.registration
            // "Any date works for me", moved at once: the registration is the seat on the second evening.
            if registration.eventID != id { services.eventChanged(registration.eventID) }
            let manageURL = services.absoluteURL(PublicRoute.manage(token: registration.manageToken))
            return JSONBody.response(
                status: .created,
                API.RegistrationCreated(
                    id: registration.id.description, eventId: registration.eventID.description, status: registration.status.rawValue,
                    waitlistPosition: outcome.waitlistPosition, manageToken: registration.manageToken, manageUrl: manageURL),
                headers: [.location: manageURL])
        }
    }

    /// What the event's form asks beyond the profile: public, like the form itself.
    @Sendable func listQuestions(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let id = context.parameters.get("id").flatMap(Event.ID.init(string:)),
              let event = try await services.persistence.events.event(id: id), event.status != .draft else { throw AppError.notFound }
        let questions = try await services.persistence.questions.questions(forEvent: event.id)
        return JSONBody.response(status: .ok, API.ListResponse(items: questions.map(API.QuestionJSON.init)))
    }

    @Sendable func listRegistrations(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (event, _) = try await organizedEvent(context)
        let registrations = try await services.persistence.registrations.registrations(of: event.id)
        let answers = try await services.persistence.questions.answers(ofEvent: event.id)
        // Positions follow queue order among those still waiting.
        var position = 0
        let waiting = registrations.filter { $0.status == .waitlisted }.sorted { ($0.queueNumber ?? 0) < ($1.queueNumber ?? 0) }
        var positions: [Registration.ID: Int] = [:]
        for registration in waiting { position += 1; positions[registration.id] = position }
        return JSONBody.response(status: .ok, API.ListResponse(items: registrations.map {
            API.RegistrationJSON($0, position: positions[$0.id], answers: answers[$0.id].map { Dictionary(uniqueKeysWithValues: $0.map { ($0.key.description.lowercased(), $0.value) }) } ?? [:])
        }))
    }

    func manageToken(_ request: Request, context: AppRequestContext) async throws -> String {
        if let header = request.headers[.xManageToken], !header.isEmpty { return header }
        let body = try await Self.decode(API.ManageTokenBody.self, from: request, context: context, allowEmpty: true)
        guard let token = body.manageToken, !token.isEmpty else { throw AppError.notFound }
        return token
    }

    func registrationID(_ context: AppRequestContext) throws -> Registration.ID {
        guard let id = context.parameters.get("id").flatMap(Registration.ID.init(string:)) else { throw AppError.notFound }
        return id
    }

    func state(_ registration: Registration) async throws -> API.RegistrationState {
        API.RegistrationState(
            id: registration.id.description, eventId: registration.eventID.description, status: registration.status.rawValue,
            waitlistPosition: try await services.persistence.registrations.waitlistPosition(of: registration),
            offerExpiresAt: registration.offerExpiresAt.map { ISO8601.format($0) })
    }

    @Sendable func showRegistration(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try registrationID(context)
        guard let token = request.headers[.xManageToken],
              let registration = try await services.persistence.registrations.registration(id: id),
              constantTimeEquals(registration.manageToken, token) else { throw AppError.notFound }
        return JSONBody.response(status: .ok, try await state(registration))
    }

    @Sendable func cancel(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try registrationID(context)
        let registration = try await services.persistence.registrations.cancel(id, token: try await manageToken(request, context: context), now: services.clock.now())
        services.eventChanged(registration.eventID)
        return JSONBody.response(status: .ok, try await state(registration))
    }

    @Sendable func accept(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try registrationID(context)
        let registration = try await services.persistence.registrations.accept(id, token: try await manageToken(request, context: context), now: services.clock.now())
        services.eventChanged(registration.eventID)
        return JSONBody.response(status: .ok, try await state(registration))
    }

    @Sendable func decline(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try registrationID(context)
        let registration = try await services.persistence.registrations.decline(id, token: try await manageToken(request, context: context), now: services.clock.now())
        services.eventChanged(registration.eventID)
        return JSONBody.response(status: .ok, try await state(registration))
    }
}
