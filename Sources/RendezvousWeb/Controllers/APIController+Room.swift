import Foundation
import Hummingbird
import RendezvousDomain
import RendezvousPersistence

/// The room over JSON, for organisers' tools: the setup, the plan (with its quality), a move of
/// one person, and the rounds (next, pause, resume, finish). Rounds and tables are 1-based here,
/// as people count them; registration ids name people.
extension APIController {
    struct RoomSetupBody: Decodable {
        var tables: Int?
        var seats: Int?
        var names: [String]?
        /// Tables with fewer seats: {"5": 4} gives table 5 four seats.
        var smaller: [String: Int]?
        var rounds: Int?
        var roundMinutes: Int?
        /// What matters (each defaults to true).
        var priorities: RotationPriorities?

        var input: RoomSetupInput {
            RoomSetupInput(
                tables: tables.map(String.init) ?? "", seats: seats.map(String.init) ?? "", names: (names ?? []).joined(separator: "\n"),
                smaller: (smaller ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ", "),
                rounds: rounds.map(String.init) ?? "", minutes: roundMinutes.map(String.init) ?? "",
                priorities: priorities ?? RotationPriorities())
        }
    }

    struct RoomMoveBody: Decodable {
        var registration: String
        var round: Int
        var table: Int
    }

    struct RoomRoundBody: Decodable {
        var action: String
        /// The version the caller saw (required): a press meant for an older state changes
        /// nothing (two presenters pressing "next" at once move the evening on once).
        var version: Int?
    }

    struct RoomJSON: Encodable {
        struct Table: Encodable { var name: String; var seats: Int }
        struct Pin: Encodable { var registration: String; var round: Int; var table: Int }
        struct Person: Encodable {
            var id: String
            var firstName: String
            var lastName: String
            var jobTitle: String
            var company: String
            var newcomer: Bool
            var checkedIn: Bool
            var left: Bool
        }
        struct Plan: Encodable { var rounds: [RoundSeating]; var quality: RotationQuality; var plannedAt: Date? }

        var eventId: String
        var version: Int
        var phase: RoundPhase
        /// The round running, paused or just finished (1-based); null before the first.
        var round: Int?
        var rounds: Int
        var roundMinutes: Int
        var secondsLeft: Int?
        var tables: [Table]
        var pins: [Pin]
        var keepApart: [PersonPair]
        var priorities: RotationPriorities
        var plan: Plan?
        var people: [Person]
    }

    func roomJSON(_ state: RoomState, people: [RoomPerson]) -> RoomJSON {
        let left = Set(state.left)
        return RoomJSON(
            eventId: state.eventID.description, version: state.version, phase: state.phase, round: state.currentRound.map { $0 + 1 },
            rounds: state.setup.rounds, roundMinutes: state.setup.roundMinutes, secondsLeft: state.secondsLeft(now: services.clock.now()),
            tables: state.setup.tables.map { .init(name: $0.name, seats: $0.seats) },
            pins: state.setup.pins.map { .init(registration: $0.person, round: $0.round + 1, table: $0.table + 1) },
            keepApart: state.setup.keepApart, priorities: state.setup.priorities,
            plan: state.plan.map { .init(rounds: $0.rounds, quality: $0.quality, plannedAt: state.plannedAt) },
            people: people.map {
                .init(id: $0.registrationID, firstName: $0.firstName, lastName: $0.lastName, jobTitle: $0.jobTitle, company: $0.company,
                      newcomer: $0.newcomer, checkedIn: $0.checkedIn, left: left.contains($0.registrationID))
            })
    }

    func roomResponse(_ event: Event.ID, status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let state = try await services.persistence.room.state(event: event) else { throw AppError.notFound }
        let people = try await services.persistence.room.people(event: event)
        return JSONBody.response(status: status, roomJSON(state, people: people))
    }

    @Sendable func showRoom(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (event, _) = try await organizedEvent(context)
        return try await roomResponse(event.id)
    }

    @Sendable func saveRoomSetup(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (event, _) = try await organizedEvent(context)
        let body = try await Self.decode(RoomSetupBody.self, from: request, context: context)
        if (body.names ?? []).contains(where: { $0.contains(where: \.isNewline) }) {
            var errors = ValidationErrors()
            errors.add("names", .controlCharacters)
            throw AppError.validation(errors)
        }
        switch body.input.validated() {
        case .failure(let errors):
            // The form calls it `minutes`; the API `roundMinutes`.
            var renamed = ValidationErrors()
            for (field, problem) in errors.problems { renamed.add(field == "minutes" ? "roundMinutes" : field, problem) }
            throw AppError.validation(renamed)
        case .success(let setup):
            let existing = try await services.persistence.room.state(event: event.id)
            do {
                _ = try await services.persistence.room.saveSetup(
                    event: event.id, setup: existing.map { setup.keepingConstraints(of: $0.setup) } ?? setup, now: services.clock.now())
            } catch let error as RoomError {
                throw Self.apiError(error)
            }
            return try await roomResponse(event.id)
        }
    }

    @Sendable func planRoom(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (event, _) = try await organizedEvent(context)
        do {
            _ = try await RoomPlanning(persistence: services.persistence).plan(event.id, now: services.clock.now())
        } catch let failure as RoomPlanning.Failure {
            throw Self.apiError(failure)
        } catch let error as RoomError {
            throw Self.apiError(error)
        }
        return try await roomResponse(event.id)
    }

    @Sendable func moveInRoom(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (event, _) = try await organizedEvent(context)
        let body = try await Self.decode(RoomMoveBody.self, from: request, context: context)
        do {
            _ = try await RoomPlanning(persistence: services.persistence)
                .move(event.id, person: body.registration, round: body.round - 1, table: body.table - 1, now: services.clock.now())
        } catch let failure as RoomPlanning.Failure {
            throw Self.apiError(failure)
        } catch let error as RoomError {
            throw Self.apiError(error)
        }
        return try await roomResponse(event.id)
    }

    @Sendable func pressRoomRound(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (event, _) = try await organizedEvent(context)
        let body = try await Self.decode(RoomRoundBody.self, from: request, context: context)
        // The version the tool saw is required: fifty tools pressing "next" at once move one round.
        guard let version = body.version else {
            var errors = ValidationErrors()
            errors.add("version", .required)
            throw AppError.validation(errors)
        }
        let room = services.persistence.room
        let now = services.clock.now()
        do {
            switch body.action {
            case "next": _ = try await room.startNextRound(event: event.id, now: now, expectedVersion: version)
            case "pause": _ = try await room.pause(event: event.id, now: now, expectedVersion: version)
            case "resume": _ = try await room.resume(event: event.id, now: now, expectedVersion: version)
            case "finish": _ = try await room.finish(event: event.id, now: now, expectedVersion: version)
            default: throw AppError.badRequest(detail: nil, fields: ["action": "next, pause, resume or finish"])
            }
        } catch let error as RoomError {
            throw Self.apiError(error)
        }
        return try await roomResponse(event.id)
    }

    static func apiError(_ failure: RoomPlanning.Failure) -> AppError {
        switch failure {
        case .notConfigured: .conflict(messageKey: "room.errorNotConfigured")
        case .noPlan: .conflict(messageKey: "room.errorNoPlan")
        case .notEnoughSeats: .unprocessable(messageKey: "room.errorSeatsShort")
        case .unknownPerson: .unprocessable(messageKey: "room.errorUnknownPerson")
        case .roundStarted: .conflict(messageKey: "room.errorStarted")
        case .noSuchRound: .unprocessable(messageKey: "room.errorNoSuchRound")
        case .tableFull: .conflict(messageKey: "room.errorTableFull")
        }
    }

    static func apiError(_ error: RoomError) -> AppError {
        switch error {
        case .notConfigured: .conflict(messageKey: "room.errorNotConfigured")
        case .noPlan: .conflict(messageKey: "room.errorNoPlan")
        case .startedRoundChanged: .conflict(messageKey: "room.errorStarted")
        case .tablesInUse: .conflict(messageKey: "room.errorTablesInUse")
        case .planDoesNotFit: .conflict(messageKey: "room.errorPlanDoesNotFit")
        }
    }
}
