import Foundation
import Hummingbird
import NIOCore
import RendezvousBadges
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// Table rotations for an event: the room's setup, planning and re-planning the rounds not yet
/// started, adjusting one person at a time, the presenter's controls, and the printed plan.
struct RoomController: OrganizeController {
    let services: AppServices

    var routes: [OrganizeEndpoint] {
        [
            .get(.room(.any), show),
            .post(.roomSetup(.any), saveSetup),
            .post(.roomPlan(.any), plan),
            .post(.roomMove(.any), move),
            .post(.roomPin(.any), pin),
            .post(.roomApart(.any), apart),
            .post(.roomLeft(.any), markLeft),
            .post(.roomNext(.any), next),
            .post(.roomPause(.any), pause),
            .post(.roomResume(.any), resume),
            .post(.roomFinish(.any), finish),
            .get(.roomPlanPDF(.any), planPDF),
        ]
    }

    static let notices = ["setup": "room.saved", "planned": "room.planned", "moved": "room.savedMove", "pinned": "room.savedPin",
                          "apart": "room.savedApart", "left": "room.savedLeft", "round": "room.savedRound", "stale": "room.stale"]

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let notice = request.uri.queryParameters.get("done").flatMap { Self.notices[String($0)] }.map { t($0, context) }
        return try await page(detail, context: context, notice: notice)
    }

    func page(_ detail: EventDetail, context: AppRequestContext, input: RoomSetupInput? = nil, errors: ValidationErrors = ValidationErrors(),
              notice: String? = nil, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let state = try await persistence.room.state(event: detail.event.id)
        let people = try await persistence.room.people(event: detail.event.id)
        var page = RoomPage(
            chrome: try chrome(t("room.title", context), context, path: OrganizeRoute.room(detail.event.id).path), csrf: try session(context).csrfToken,
            event: detail.event, state: state, people: people, now: now(), language: context.language, input: input, errors: errors,
            notice: notice, error: error)
        page.screenURL = RoomLiveController.screenURL(detail.event.id, vault: persistence.tokens)
        return html(page, context, status: status)
    }

    func done(_ detail: EventDetail, _ what: String, anchor: String = "") -> Response {
        .redirect(to: OrganizeRoute.room(detail.event.id).path("done", what) + anchor, type: .normal)
    }

    /// The room's state, or the page again saying the room needs a setup first.
    func configured(_ detail: EventDetail) async throws -> RoomState? {
        try await persistence.room.state(event: detail.event.id)
    }

    func refusal(_ error: RoomError, _ context: AppRequestContext) -> String {
        switch error {
        case .notConfigured: t("room.errorNotConfigured", context)
        case .noPlan: t("room.errorNoPlan", context)
        case .startedRoundChanged: t("room.errorStarted", context)
        case .tablesInUse: t("room.errorTablesInUse", context)
        case .planDoesNotFit: t("room.errorPlanDoesNotFit", context)
        }
    }

    // MARK: Setup

    @Sendable func saveSetup(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let form = try await self.form(request, context)
        let priorities = RotationPriorities(
            mixNewcomers: !form.text("mixNewcomers").isEmpty, mixJobs: !form.text("mixJobs").isEmpty,
            spreadTopics: !form.text("spreadTopics").isEmpty, avoidMetBefore: !form.text("avoidMetBefore").isEmpty)
        let input = RoomSetupInput(tables: form.text("tables"), seats: form.text("seats"), names: form.text("names"), smaller: form.text("smaller"),
                                   rounds: form.text("rounds"), minutes: form.text("minutes"), priorities: priorities)
        switch input.validated() {
        case .failure(let errors):
            return try await page(detail, context: context, input: input, errors: errors, status: .unprocessableContent)
        case .success(let setup):
            let current = try await persistence.room.state(event: detail.event.id)
            let kept = current.map { setup.keepingConstraints(of: $0.setup) } ?? setup
            do {
                try await persistence.room.saveSetup(event: detail.event.id, setup: kept, now: now())
            } catch let error as RoomError {
                return try await page(detail, context: context, input: input, error: refusal(error, context), status: .conflict)
            }
            try await log(context, chapter: detail.chapter.id, "room.setup", "\(detail.event.title): \(setup.tables.count) × \(setup.rounds)")
            return done(detail, "setup")
        }
    }

    // MARK: Planning (shared with the JSON API in `RoomPlanning`)

    var planning: RoomPlanning { RoomPlanning(persistence: persistence) }

    /// A planning refusal in the page's words.
    func refusal(_ failure: RoomPlanning.Failure, _ context: AppRequestContext) -> String {
        switch failure {
        case .notConfigured: t("room.errorNotConfigured", context)
        case .notEnoughSeats(let count, let seats): t("room.errorSeats", context, ["people": String(count), "seats": String(seats)])
        case .unknownPerson: t("room.errorUnknownPerson", context)
        case .roundStarted: t("room.errorStarted", context)
        case .noSuchRound: t("room.errorNoSuchRound", context)
        case .tableFull: t("room.errorTableFull", context)
        case .noPlan: t("room.errorNoPlan", context)
        }
    }

    /// Plans the rounds not yet started for who is in the room (see `RoomPlanning.request`).
    @Sendable func plan(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let seated: Int
        do {
            seated = try await planning.plan(detail.event.id, now: now()).seated
        } catch let failure as RoomPlanning.Failure {
            return try await page(detail, context: context, error: refusal(failure, context),
                                  status: failure == .notConfigured ? .conflict : .unprocessableContent)
        } catch let error as RoomError {
            return try await page(detail, context: context, error: refusal(error, context), status: .conflict)
        }
        try await log(context, chapter: detail.chapter.id, "room.planned", "\(detail.event.title): \(seated)")
        return done(detail, "planned", anchor: "#plan")
    }

    /// The round (not yet started) and the person a per-person form names.
    func target(_ form: FormFields, _ state: RoomState) -> (round: Int, person: String)? {
        guard let round = Int(form.text("round")), round >= state.startedRounds, round < (state.plan?.rounds.count ?? 0) else { return nil }
        let person = form.text("person")
        guard state.seat(of: person, round: round) != nil else { return nil }
        return (round, person)
    }

    /// Moves one person to another table in a round not yet started: into a free seat, or swapped
    /// with whoever there keeps the plan best; the move pins them there (`RoomPlanning.move`).
    @Sendable func move(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let form = try await self.form(request, context)
        guard let state = try await configured(detail), let (round, person) = target(form, state),
              let table = Int(form.text("table")), state.setup.tables.indices.contains(table) else { throw AppError.badRequest(detail: nil) }
        do {
            _ = try await planning.move(detail.event.id, person: person, round: round, table: table, now: now())
        } catch let failure as RoomPlanning.Failure {
            return try await page(detail, context: context, error: refusal(failure, context), status: .conflict)
        } catch let error as RoomError {
            return try await page(detail, context: context, error: refusal(error, context), status: .conflict)
        }
        return done(detail, "moved", anchor: "#round-\(round)")
    }

    /// Pins a person to their table in a round (or unpins them): a re-plan keeps them there.
    @Sendable func pin(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let form = try await self.form(request, context)
        guard let state = try await configured(detail), let (round, person) = target(form, state),
              let seat = state.seat(of: person, round: round) else { throw AppError.badRequest(detail: nil) }
        let pinning = form.text("pin") != "0"
        try await persistence.room.updateConstraints(event: detail.event.id, now: now()) { $0.pin(person, round: round, table: pinning ? seat.table : nil) }
        return done(detail, "pinned", anchor: "#round-\(round)")
    }

    /// Keeps two people apart in every round to come (applies at the next re-plan).
    @Sendable func apart(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let form = try await self.form(request, context)
        let people = Set(try await persistence.room.people(event: detail.event.id).map(\.registrationID))
        let a = form.text("first"), b = form.text("second")
        guard try await configured(detail) != nil, people.contains(a), people.contains(b), a != b else { throw AppError.badRequest(detail: nil) }
        try await persistence.room.updateConstraints(event: detail.event.id, now: now()) { $0.keepApart(a, b) }
        return done(detail, "apart", anchor: "#apart")
    }

    /// Someone left early (or came back): the next re-plan leaves them out of the rounds to come.
    @Sendable func markLeft(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let form = try await self.form(request, context)
        let person = form.text("person")
        let people = Set(try await persistence.room.people(event: detail.event.id).map(\.registrationID))
        guard try await configured(detail) != nil, people.contains(person) else { throw AppError.badRequest(detail: nil) }
        try await persistence.room.markLeft(event: detail.event.id, registration: person, left: form.text("left") != "0", now: now())
        return done(detail, "left", anchor: "#plan")
    }

    // MARK: The presenter

    /// A press of the presenter: applied to the state the page showed (its `version`), so two
    /// phones pressing at once move the evening on once.
    func press(_ request: Request, _ context: AppRequestContext,
               _ action: @Sendable (RoomStore, Event.ID, Date, Int?) async throws -> RoomState) async throws -> Response {
        let detail = try await event(context)
        let form = try await self.form(request, context)
        // Every press names the state its page showed: without it, presses racing each other
        // would each move the evening on.
        guard let seen = Int(form.text("version")) else { throw AppError.badRequest(detail: nil) }
        // The page this press came from is out of date (another phone pressed first): the store
        // changes nothing, and the answer says so rather than "done".
        let current = try await persistence.room.state(event: detail.event.id)
        let stale = current != nil && current?.version != seen
        do {
            _ = try await action(persistence.room, detail.event.id, now(), seen)
        } catch let error as RoomError {
            return try await page(detail, context: context, error: refusal(error, context), status: .conflict)
        }
        return done(detail, stale ? "stale" : "round", anchor: "#presenter")
    }

    @Sendable func next(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await press(request, context) { try await $0.startNextRound(event: $1, now: $2, expectedVersion: $3) }
    }

    @Sendable func pause(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await press(request, context) { try await $0.pause(event: $1, now: $2, expectedVersion: $3) }
    }

    @Sendable func resume(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await press(request, context) { try await $0.resume(event: $1, now: $2, expectedVersion: $3) }
    }

    @Sendable func finish(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await press(request, context) { try await $0.finish(event: $1, now: $2, expectedVersion: $3) }
    }

    // MARK: The printed plan

    /// The table plan as a PDF in the chapter's language: a sheet per round, then who sits where.
    @Sendable func planPDF(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        guard let state = try await configured(detail), let plan = state.plan else { throw AppError.notFound }
        let people = try await persistence.room.people(event: detail.event.id)
        let document = Self.tablePlan(detail: detail, state: state, plan: plan, people: people, language: context.language)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tables-\(UUID().uuidString).pdf").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await CPUWork.run { try TablePlanRenderer.writePDF(document, to: path) }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return Response(status: .ok, headers: [.contentType: "application/pdf", .contentDisposition: "inline; filename=\"tables.pdf\"",
                                               .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func tablePlan(detail: EventDetail, state: RoomState, plan: RotationPlan, people: [RoomPerson], language: Language) -> TablePlan {
        let byID = RoomPerson.byID(people)
        let formatter = DisplayFormatter(language: language, timeZone: detail.chapter.zone, region: detail.chapter.countryCode)
        let rounds = plan.rounds.count
        let labels = state.setup.tables.map { RoomPage.tableLabel($0.name, language) }
        let seatings = plan.rounds.map { round in round.map { table in table.map { byID[$0]?.name ?? "?" } } }
        var tableOf: [String: [String]] = [:]
        for (r, round) in plan.rounds.enumerated() {
            for (t, table) in round.enumerated() {
                for key in table {
                    tableOf[key, default: Array(repeating: "—", count: rounds)][r] = t < state.setup.tables.count ? state.setup.tables[t].name : "\(t + 1)"
                }
            }
        }
        let index = tableOf.compactMap { key, tables in byID[key].map { (person: $0, tables: tables) } }
            .sorted { ($0.person.lastName.lowercased(), $0.person.firstName.lowercased()) < ($1.person.lastName.lowercased(), $1.person.firstName.lowercased()) }
            .map { TablePlan.Entry(name: "\($0.person.lastName) \($0.person.firstName)", tables: $0.tables) }
        return TablePlan(
            title: "\(detail.event.title) · \(detail.chapter.name)", subtitle: formatter.longDate(detail.event.startsAt),
            roundTitles: (0..<rounds).map {
                Strings.text("room.roundOf", language, ["round": String($0 + 1), "rounds": String(rounds)]) + " · "
                    + Strings.text("room.minutesShort", language, ["minutes": String(state.setup.roundMinutes)])
            },
            tableLabels: labels, rounds: seatings, indexTitle: Strings.text("room.whoSitsWhere", language),
            roundShortLabels: (0..<rounds).map { Strings.text("room.roundShort", language, ["round": String($0 + 1)]) }, index: index)
    }
}
