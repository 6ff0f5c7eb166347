import Foundation
import RendezvousDomain
import RendezvousPersistence

/// Planning the room, shared by the organiser's page and the JSON API: who is asked for, the
/// planner run off the event loop, an organiser's move of one person measured as the planner
/// measures. Errors are `RoomPlanning.Failure` (or the store's `RoomError`), for each caller to word.
struct RoomPlanning {
    let persistence: Persistence

    enum Failure: Error, Equatable {
        case notConfigured
        case notEnoughSeats(people: Int, seats: Int)
        case unknownPerson
        case roundStarted
        case noSuchRound
        case tableFull
        case noPlan
    }

    /// What the planner is asked for the room as it is: who is here (checked in once anyone is,
    /// else confirmed; minus those who left), the started rounds kept, the old plan of the others
    /// to move few people, the organiser's pins and pairs, and who met at earlier meetups.
    static func request(_ state: RoomState, people: [RoomPerson], metBefore: [PersonPair]) -> RotationRequest {
        let present = RoomPerson.present(people, left: state.left)
        let started = state.startedRounds
        let fixed = state.plan.map { Array($0.rounds.prefix(started)) } ?? []
        let previous = state.plan.map { Array($0.rounds.dropFirst(started)) } ?? []
        return RotationRequest(
            people: present.map(\.rotationPerson), tables: state.setup.tables, rounds: state.setup.rounds, fixedRounds: fixed,
            previous: previous, pins: state.setup.pins, keepApart: state.setup.keepApart, metBefore: metBefore,
            seed: UInt64(max(1, state.version)), timeLimit: 1.5, priorities: state.setup.priorities)
    }

    /// Plans (or re-plans the rounds to come) and stores the plan. Returns the stored state and how many were seated.
    func plan(_ event: Event.ID, now: Date) async throws -> (state: RoomState, seated: Int) {
        guard let state = try await persistence.room.state(event: event) else { throw Failure.notConfigured }
        let people = try await persistence.room.people(event: event)
        let met = try await persistence.room.metBefore(event: event)
        let rotation = Self.request(state, people: people, metBefore: met)
        let plan: RotationPlan
        do {
            plan = try await CPUWork.run { try RotationPlanner.plan(rotation) }
        } catch RotationError.notEnoughSeats(let count, let seats) {
            throw Failure.notEnoughSeats(people: count, seats: seats)
        } catch is RotationError {
            throw Failure.notConfigured
        }
        return (try await persistence.room.savePlan(event: event, plan: plan, now: now), rotation.people.count)
    }

    /// Moves one person to another table in a round not yet started: into a free seat if there is
    /// one, else swapped with whoever there keeps the plan best. The move pins them there, so a
    /// re-plan keeps it; the quality is measured again.
    func move(_ event: Event.ID, person: String, round: Int, table: Int, now: Date) async throws -> RoomState {
        guard let state = try await persistence.room.state(event: event) else { throw Failure.notConfigured }
        guard let plan = state.plan else { throw Failure.noPlan }
        guard round >= 0, round < plan.rounds.count else { throw Failure.noSuchRound }
        guard round >= state.startedRounds else { throw Failure.roundStarted }
        guard state.setup.tables.indices.contains(table), let seat = state.seat(of: person, round: round) else { throw Failure.unknownPerson }
        guard seat.table != table else { return state }
        let people = try await persistence.room.people(event: event)
        let met = try await persistence.room.metBefore(event: event)
        let rotation = Self.request(state, people: people, metBefore: met)
        var rounds = plan.rounds
        var seating = rounds[round]
        seating[seat.table].removeAll { $0 == person }
        let pinned = Set(state.setup.pins.filter { $0.round == round }.map(\.person))
        if seating[table].count < state.setup.tables[table].seats || seating[table].isEmpty {
            seating[table].append(person)
            rounds[round] = seating
        } else {
            // The best partner to swap with, by the same measure the planner uses.
            var best: (rounds: [RoundSeating], score: [Int])?
            for other in seating[table] where !pinned.contains(other) {
                var trial = seating
                trial[table].removeAll { $0 == other }
                trial[table].append(person)
                trial[seat.table].append(other)
                var candidate = rounds
                candidate[round] = trial
                let q = RotationPlanner.measure(rotation, rounds: candidate)
                let score = [q.keptApartTogether, q.repeatedPairs, q.colleaguePairs, q.metBeforeTogether, q.mixPenalty]
                if best == nil || score.lexicographicallyPrecedes(best!.score) { best = (candidate, score) }
            }
            guard let best else { throw Failure.tableFull }
            rounds = best.rounds
        }
        var quality = RotationPlanner.measure(rotation, rounds: rounds)
        quality.seconds = 0
        var adjusted = plan
        adjusted.rounds = rounds
        adjusted.quality = quality
        _ = try await persistence.room.savePlan(event: event, plan: adjusted, now: now)
        return try await persistence.room.updateConstraints(event: event, now: now) { $0.pin(person, round: round, table: table) }
    }
}
