import Foundation
import Logging
import NIOConcurrencyHelpers
import RendezvousDomain
import RendezvousPersistence
import ServiceLifecycle

/// The evening's live channel on this instance: its connections (`LiveHub`), what changed and
/// who must hear it, and the bus that tells the other instances (PostgreSQL LISTEN/NOTIFY).
///
/// A change is written to the database first; then `publish` tells this instance's connections
/// at once and the other instances through the bus. Every instance builds what it sends from the
/// database, so a phone on one instance and the presenter on another see the same question.
/// The server's clock alone decides deadlines: every instance with phones of a game closes its
/// question when time is up (`closeIfDue`: the first one does it, the others find it closed).
public final class LiveService: Sendable {
    let hub = LiveHub()
    let persistence: Persistence
    let clock: any Clock
    let logger: Logger
    /// Names this instance on the bus, so it ignores its own notifications.
    let instance = String(UUID().uuidString.prefix(8))

    private struct Pending: Sendable {
        var running = false
        var again = false
    }
    private let refreshing = NIOLockedValueBox<[Event.ID: Pending]>([:])
    private let throttled = NIOLockedValueBox<Set<String>>([])
    private let deadlines = NIOLockedValueBox<Set<String>>([])
    /// The last quiz state sent per event, for connections that open between changes.
    private let latest = NIOLockedValueBox<[Event.ID: QuizSnapshot]>([:])
    /// Timers and throttled deliveries under way, cancelled by `stop()`.
    private let tasks = NIOLockedValueBox<(stopped: Bool, running: [UUID: Task<Void, Never>])>((false, [:]))

    /// Runs `body` in the background unless the service has stopped; `stop()` cancels it.
    private func background(_ body: @escaping @Sendable () async -> Void) {
        let id = UUID()
        tasks.withLockedValue { state in
            guard !state.stopped else { return }
            state.running[id] = Task { [weak self] in
                await body()
                _ = self?.tasks.withLockedValue { $0.running.removeValue(forKey: id) }
            }
        }
    }

    /// Cancels the timers; nothing more is delivered (the server is stopping).
    public func stop() {
        let running = tasks.withLockedValue { state -> [Task<Void, Never>] in
            state.stopped = true
            defer { state.running = [:] }
            return Array(state.running.values)
        }
        for task in running { task.cancel() }
        hub.closeAll()
    }

    var stopped: Bool { tasks.withLockedValue { $0.stopped } }

    init(persistence: Persistence, clock: any Clock, logger: Logger) {
        self.persistence = persistence
        self.clock = clock
        self.logger = logger
    }

    /// Something of `topic` changed for the event: tell everyone following it, here and elsewhere.
    func publish(_ event: Event.ID, _ topic: LiveTopic) async {
        guard !stopped else { return }
        await deliver(event, topic)
        do {
            try await persistence.notify("\(instance)|\(event)|\(topic.rawValue)")
        } catch {
            logger.warning("Live bus: cannot notify: \(error)")
        }
    }

    /// Like `publish`, for changes that come in floods (players joining, answers counted): at
    /// most one delivery per event every `interval`.
    func publishSoon(_ event: Event.ID, _ topic: LiveTopic, interval: Duration = .milliseconds(400)) {
        let key = "\(event)|\(topic.rawValue)"
        let first = throttled.withLockedValue { $0.insert(key).inserted }
        guard first else { return }
        background {
            try? await Task.sleep(for: interval)
            _ = self.throttled.withLockedValue { $0.remove(key) }
            guard !Task.isCancelled else { return }
            await self.publish(event, topic)
        }
    }

    /// A notification from the bus.
    func received(_ payload: String) async {
        let parts = payload.split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] != instance, let event = Event.ID(string: String(parts[1])),
              let topic = LiveTopic(rawValue: String(parts[2])) else { return }
        await deliver(event, topic)
    }

    /// The bus was lost for a while: whatever changed meanwhile is sent again.
    func resynchronise() async {
        for event in hub.events {
            for topic in LiveTopic.allCases { await deliver(event, topic) }
        }
    }

    private func deliver(_ event: Event.ID, _ topic: LiveTopic) async {
        guard hub.hasConnections(event) else {
            if topic == .quiz { latest.withLockedValue { $0[event] = nil } }
            return
        }
        switch topic {
        case .quiz: await refreshQuiz(event)
        case .room, .bingo, .door: hub.send(LiveProtocol.hint(topic), event: event, topic: topic)
        case .answers: await sendCounts(event)
        }
    }

    /// Builds the event's quiz state once and sends it to every connection here. Refreshes asked
    /// for while one runs are folded into one more.
    private func refreshQuiz(_ event: Event.ID) async {
        let start = refreshing.withLockedValue { state -> Bool in
            if state[event]?.running == true {
                state[event]?.again = true
                return false
            }
            state[event] = Pending(running: true, again: false)
            return true
        }
        guard start else { return }
        while true {
            do {
                let start = ContinuousClock.now
                let snapshot = try await QuizStateBuilder.build(event: event, persistence: persistence, now: clock.now())
                let built = ContinuousClock.now
                latest.withLockedValue { $0[event] = snapshot }
                hub.send(quiz: snapshot.shared, personal: snapshot.personal, event: event, game: snapshot.session?.id, moved: snapshot.moved)
                logger.debug("Quiz state sent", metadata: [
                    "phase": "\(snapshot.session?.phase.rawValue ?? "none")", "build_ms": "\((built - start).milliseconds)",
                    "send_ms": "\((ContinuousClock.now - built).milliseconds)", "personal": "\(snapshot.personal.count)",
                ])
                if let session = snapshot.session { watchDeadline(session) }
            } catch {
                logger.error("Live quiz state for \(event) failed: \(error)")
            }
            let again = refreshing.withLockedValue { state -> Bool in
                if state[event]?.again == true {
                    state[event]?.again = false
                    return true
                }
                state[event] = nil
                return false
            }
            if !again { return }
        }
    }

    struct Counts: Encodable {
        var v = LiveProtocol.version
        var type = "count"
        var session: String
        var index: Int
        var players: Int
        var answered: Int
    }

    /// How many have answered the open question, for the screen and the presenter.
    private func sendCounts(_ event: Event.ID) async {
        do {
            guard let session = try await persistence.quizzes.latestSession(event: event), session.phase == .question else { return }
            let counts = Counts(session: session.id.description, index: session.index,
                                players: try await persistence.quizzes.playerCount(session: session.id),
                                answered: try await persistence.quizzes.answerCount(session: session.id, index: session.index))
            hub.sendToHosts(LiveProtocol.encode(counts), event: event)
        } catch {
            logger.warning("Live answer counts for \(event) failed: \(error)")
        }
    }

    /// The game as the last state sent here shows it (nil before any): answers are checked
    /// against it first, and against the database when they are written.
    func cachedSession(_ event: Event.ID) -> QuizSession? {
        latest.withLockedValue { $0[event]?.session }
    }

    /// The state a connection opening now should see first.
    func currentQuiz(_ event: Event.ID) async throws -> QuizSnapshot {
        if let cached = latest.withLockedValue({ $0[event] }) { return cached }
        let snapshot = try await QuizStateBuilder.build(event: event, persistence: persistence, now: clock.now())
        if hub.hasConnections(event) { latest.withLockedValue { $0[event] = snapshot } }
        if let session = snapshot.session { watchDeadline(session) }
        return snapshot
    }

    /// Closes the open question when its time is up (once per question and instance).
    private func watchDeadline(_ session: QuizSession) {
        guard session.phase == .question, let deadline = session.deadline else { return }
        let key = "\(session.id)/\(session.index)"
        guard deadlines.withLockedValue({ $0.insert(key).inserted }) else { return }
        background {
            defer { _ = self.deadlines.withLockedValue { $0.remove(key) } }
            // A few milliseconds of grace for answers received at the deadline and still being written.
            let wait = deadline.timeIntervalSince(self.clock.now()) + 0.015
            if wait > 0 { try? await Task.sleep(for: .milliseconds(Int64(wait * 1000))) }
            guard !Task.isCancelled else { return }
            await self.closeIfDue(session.id, index: session.index, event: session.eventID)
        }
    }

    /// Closes the question if its deadline has passed on the server's clock; publishes if it did.
    @discardableResult
    func closeIfDue(_ session: QuizSession.ID, index: Int, event: Event.ID) async -> Bool {
        do {
            let start = ContinuousClock.now
            if try await persistence.quizzes.closeIfDue(session, index: index, now: clock.now()) != nil {
                let closed = ContinuousClock.now
                await publish(event, .quiz)
                logger.info("Quiz question closed", metadata: [
                    "game": "\(session)", "question": "\(index)",
                    "close_ms": "\((closed - start).milliseconds)", "results_sent_ms": "\((ContinuousClock.now - closed).milliseconds)",
                ])
                return true
            }
        } catch {
            logger.error("Closing question \(index) of game \(session) failed: \(error)")
        }
        return false
    }

    /// Checks every game followed here for a question whose time is up (tests move a manual clock).
    func tick() async {
        for event in hub.quizEvents {
            if let session = try? await persistence.quizzes.latestSession(event: event), session.phase == .question,
               let deadline = session.deadline, clock.now() > deadline {
                await closeIfDue(session.id, index: session.index, event: event)
            }
        }
    }
}

extension Duration {
    /// Whole milliseconds, for logs.
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}

/// Listens on the bus (PostgreSQL) and checks deadlines once a second, for as long as the server runs.
public struct LiveBusService: Service {
    let live: LiveService

    public init(services: AppServices) { self.live = services.live }

    public func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await live.persistence.listen(onReconnect: { await live.resynchronise() }) { payload in await live.received(payload) }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    await live.tick()
                }
            }
            try? await gracefulShutdown()
            // Live connections would hold the server open: end them, phones reconnect elsewhere.
            live.stop()
            group.cancelAll()
        }
    }
}
