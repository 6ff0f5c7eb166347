import Foundation
import HTTPTypes
import Hummingbird
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// Human bingo over JSON. Organisers (bearer token) read every card and generate them; an attendee
/// (their manage token in `X-Manage-Token`) reads their own card and ticks it, as on the phone.
/// Squares are 0-based indices, row-major; each square's `text` is the phone's wording in the
/// request's language.
extension APIController {
    struct BingoGenerateBody: Decodable {
        var size: Int?
    }

    struct BingoTickBody: Decodable {
        var square: Int?
        var person: String?
    }

    struct BingoSquareJSON: Encodable {
        struct Match: Encodable { var registration: String; var firstName: String }
        var index: Int
        var kind: BingoSquareKind
        var value: String
        var label: String
        var text: String
        /// Who filled it (the attendee's own card only).
        var tickedBy: Match?
    }

    struct BingoCardJSON: Encodable {
        var holder: String
        var holderName: String
        var size: Int
        var squares: [BingoSquareJSON]
        var ticked: [Int]
        var lines: Int
        var full: Bool
    }

    struct BingoOverviewJSON: Encodable {
        struct Counts: Encodable {
            var players: Int
            var optedIn: Int
            var cards: Int
            var playableCards: Int
            var lines: Int
            var fullCards: Int
        }
        var eventId: String
        /// The card size chosen; null before any card exists.
        var size: Int?
        var generatedAt: String?
        var counts: Counts
        var cards: [BingoCardJSON]
    }

    struct BingoPersonJSON: Encodable {
        var id: String
        var firstName: String
        var lastName: String
    }

    struct BingoOwnCardJSON: Encodable {
        var registrationId: String
        var eventId: String
        var card: BingoCardJSON
        /// Who may still fill a square of this card: confirmed, playing, not the holder, not used yet.
        var people: [BingoPersonJSON]
        /// What this tick announced on the big screen ("line", "full"); empty on a read or a repeated tick.
        var announced: [BingoAnnouncementKind]?
    }

    func bingoCardJSON(holder: Registration.ID, name: String, card: BingoCard, ticks: [Int: BingoTick], names: Bool,
                       language: Language) -> BingoCardJSON {
        let progress = BingoGenerator.progress(size: card.size, ticked: Set(ticks.keys))
        return BingoCardJSON(
            holder: holder.description, holderName: name, size: card.size,
            squares: card.squares.enumerated().map { index, square in
                BingoSquareJSON(
                    index: index, kind: square.kind, value: square.value, label: square.label, text: Strings.bingoSquare(square, language),
                    tickedBy: names ? ticks[index].map { .init(registration: $0.matched.description, firstName: $0.matchedFirstName) } : nil)
            },
            ticked: ticks.keys.sorted(), lines: progress.lines, full: progress.full)
    }

    // MARK: Organisers

    func bingoOverview(_ event: Event.ID, language: Language) async throws -> BingoOverviewJSON {
        let bingo = services.persistence.bingo
        let summary = try await bingo.summary(of: event)
        let ticks = try await bingo.ticks(of: event)
        let cards = try await bingo.cards(of: event).map { entry in
            bingoCardJSON(holder: entry.holder, name: "\(entry.firstName) \(entry.lastName)", card: entry.card, ticks: ticks[entry.holder] ?? [:],
                          names: false, language: language)
        }
        return BingoOverviewJSON(
            eventId: event.description, size: summary.game?.size, generatedAt: summary.game.map { ISO8601.format($0.generatedAt) },
            counts: .init(players: summary.players, optedIn: summary.optedIn, cards: summary.cards, playableCards: summary.playableCards,
                          lines: summary.lines, fullCards: summary.fullCards),
            cards: cards)
    }

    @Sendable func showBingo(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (event, _) = try await organizedEvent(context)
        return JSONBody.response(status: .ok, try await bingoOverview(event.id, language: context.language))
    }

    /// (Re)generates every confirmed person's card: earlier cards and their ticks go.
    @Sendable func generateBingo(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (event, chapter) = try await organizedEvent(context)
        let body = try await Self.decode(BingoGenerateBody.self, from: request, context: context)
        guard let size = body.size, BingoStore.sizes.contains(size) else {
            throw AppError.validation(ValidationErrors([("size", body.size == nil ? .required : .outOfRange(min: 4, max: 5))]))
        }
        let now = services.clock.now()
        let playable = try await services.persistence.bingo.generate(event: event.id, size: size, now: now, compute: { try await CPUWork.run($0) })
        try await services.persistence.team.audit(
            chapter: chapter.id, by: try requireUser(context), action: "bingo.generated", subject: "\(event.title): \(playable) (\(size)×\(size))", now: now)
        return JSONBody.response(status: .ok, try await bingoOverview(event.id, language: context.language))
    }

    // MARK: The attendee

    /// The registration named in the path, if the manage token in `X-Manage-Token` is its own; 404
    /// otherwise, whatever was wrong. With its chapter's language as the fallback, as on the phone.
    func bingoHolder(_ request: Request, context: AppRequestContext) async throws -> (Registration, Language) {
        let id = try registrationID(context)
        guard let token = request.headers[.xManageToken], !token.isEmpty,
              let registration = try await services.persistence.registrations.registration(id: id),
              constantTimeEquals(registration.manageToken, token),
              let detail = try await services.persistence.events.eventDetail(id: registration.eventID) else { throw AppError.notFound }
        return (registration, LanguageMiddleware.choose(request, fallback: detail.chapter.locale))
    }

    func ownCard(_ registration: Registration, language: Language, announced: [BingoAnnouncementKind]? = nil) async throws -> Response {
        let bingo = services.persistence.bingo
        guard registration.status == .confirmed, let state = try await bingo.card(of: registration.id, now: services.clock.now(), compute: { try await CPUWork.run($0) }) else {
            throw AppError.conflict(messageKey: "bingo.page.notReady")
        }
        let used = Set(state.ticks.values.map(\.matched))
        let people = state.card.size == 0 ? [] : try await bingo.people(of: registration.eventID)
            .filter { $0.id != registration.id && !used.contains($0.id) }
            .map { BingoPersonJSON(id: $0.id.description, firstName: $0.firstName, lastName: $0.lastName) }
        let card = bingoCardJSON(holder: registration.id, name: "\(registration.profile.firstName) \(registration.profile.lastName)",
                                 card: state.card, ticks: state.ticks, names: true, language: language)
        var response = JSONBody.response(status: .ok, BingoOwnCardJSON(
            registrationId: registration.id.description, eventId: registration.eventID.description, card: card, people: people, announced: announced))
        response.headers[.contentLanguage] = language.rawValue
        return response
    }

    @Sendable func showBingoCard(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (registration, language) = try await bingoHolder(request, context: context)
        return try await ownCard(registration, language: language)
    }

    /// Ticks a square with a person, checked by the store against that person's current facts and
    /// consent. A refusal is 422 with the phone's sentence, under `square` or `person`; the same
    /// tick again answers 200 with nothing announced.
    @Sendable func tickBingo(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (registration, language) = try await bingoHolder(request, context: context)
        let body = try await Self.decode(BingoTickBody.self, from: request, context: context)
        var missing = ValidationErrors()
        if body.square == nil { missing.add("square", .required) }
        if (body.person ?? "").isEmpty { missing.add("person", .required) }
        guard missing.isEmpty, let square = body.square, let person = body.person else { throw AppError.validation(missing) }
        guard registration.status == .confirmed else { throw AppError.conflict(messageKey: "bingo.page.notReady") }

        func refuse(_ error: BingoError, matched: Registration.ID?) async throws -> Response {
            var name = ""
            if let matched, let found = try await services.persistence.registrations.registration(id: matched), found.eventID == registration.eventID {
                name = "\(found.profile.firstName) \(found.profile.lastName)"
            }
            // Someone who is not in this evening at all (or no registration id) has no name to give.
            let message = name.isEmpty && error == .notPlaying
                ? Strings.text("bingo.error.unknownPerson", language) : Strings.bingoError(error, name: name, language)
            let field = switch error {
            case .noCard, .squareTaken: "square"
            case .holderThemselves, .notPlaying, .doesNotMatch, .alreadyUsed: "person"
            }
            var response = JSONBody.response(status: .unprocessableContent, APIErrorBody(error: message, fields: [field: message]))
            response.headers[.contentLanguage] = language.rawValue
            return response
        }
        guard let matched = Registration.ID(string: person) else {
            if let wait = await services.bingoRefusals.reserve(["bingo:\(registration.id)"]) { throw AppError.rateLimited(retryAfter: wait) }
            return try await refuse(.notPlaying, matched: nil)
        }
        do {
            let outcome = try await services.guardedTick(card: registration.id) {
                try await services.persistence.bingo.tick(holder: registration.id, square: square, matched: matched, now: services.clock.now())
            }
            services.live.publishSoon(registration.eventID, .bingo, interval: .milliseconds(50))
            return try await ownCard(registration, language: language, announced: outcome.announced)
        } catch let error as BingoError {
            return try await refuse(error, matched: matched)
        }
    }
}
