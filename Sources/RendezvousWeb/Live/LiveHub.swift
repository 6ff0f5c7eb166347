import Foundation
import NIOConcurrencyHelpers
import RendezvousDomain

/// What a live connection listens to.
enum LiveTopic: String, Sendable, CaseIterable {
    /// The evening's quiz or poll: full state, with each player's own part.
    case quiz
    /// Table rotations: a hint that the room's state changed (the page fetches what it shows).
    case room
    /// Bingo lines and full cards: a hint, as for the room.
    case bingo
    /// Check-ins at the door: a hint, for the door's counters.
    case door
    /// How many have answered the open question (screens and presenters; from the bus, a game's counts).
    case answers
}

/// Who is at the other end of a live connection.
enum LiveRole: Sendable, Equatable {
    /// A phone playing the quiz.
    case player(UUID)
    /// The big screen: names and standings, never a player's own answers.
    case screen
    /// An organiser running the quiz: the same as the screen, plus the commands.
    case presenter
    /// Hints only (the door, a manage page following the rounds).
    case watcher
}

/// One open connection (a WebSocket, or a Server-Sent Events stream): messages are queued in
/// its own buffer and written by its own task, so one slow phone never holds up the others.
final class LiveConnection: Sendable {
    let id = UUID()
    let event: Event.ID
    let role: LiveRole
    let topics: Set<LiveTopic>
    let stream: AsyncStream<String>
    private let continuation: AsyncStream<String>.Continuation

    /// The game a player's phone joined.
    let game: QuizSession.ID?

    init(event: Event.ID, role: LiveRole, topics: Set<LiveTopic>, game: QuizSession.ID? = nil) {
        self.event = event
        self.role = role
        self.topics = topics
        self.game = game
        // A phone that cannot keep up only needs the latest states.
        (stream, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(64))
    }

    var player: UUID? {
        if case .player(let id) = role { return id }
        return nil
    }

    func send(_ text: String) { continuation.yield(text) }
    func finish() { continuation.finish() }
}

/// The live connections of this instance, by event. Fan-out is a loop over the event's
/// connections with one message serialised once (players get their own part appended).
final class LiveHub: Sendable {
    private let byEvent = NIOLockedValueBox<[Event.ID: [UUID: LiveConnection]]>([:])

    func add(_ connection: LiveConnection) {
        byEvent.withLockedValue { $0[connection.event, default: [:]][connection.id] = connection }
    }

    func remove(_ connection: LiveConnection) {
        byEvent.withLockedValue { events in
            events[connection.event]?[connection.id] = nil
            if events[connection.event]?.isEmpty == true { events[connection.event] = nil }
        }
        connection.finish()
    }

    func connections(_ event: Event.ID, topic: LiveTopic) -> [LiveConnection] {
        byEvent.withLockedValue { Array(($0[event] ?? [:]).values) }.filter { $0.topics.contains(topic) }
    }

    func hasConnections(_ event: Event.ID) -> Bool {
        byEvent.withLockedValue { $0[event] != nil }
    }

    /// Ends every connection (the server is stopping): phones reconnect to another instance.
    func closeAll() {
        let all = byEvent.withLockedValue { events -> [LiveConnection] in
            defer { events = [:] }
            return events.values.flatMap(\.values)
        }
        for connection in all { connection.finish() }
    }

    /// Every event with a connection here.
    var events: [Event.ID] { byEvent.withLockedValue { Array($0.keys) } }

    /// Every event with a phone, screen or presenter of a quiz here (not only hint watchers).
    var quizEvents: [Event.ID] {
        byEvent.withLockedValue { events in events.filter { $0.value.values.contains { $0.topics.contains(.quiz) } }.map(\.key) }
    }

    var count: Int { byEvent.withLockedValue { $0.values.reduce(0) { $0 + $1.count } } }

    /// Sends `text` to the event's screens and presenters (not the phones).
    func sendToHosts(_ text: String, event: Event.ID) {
        for connection in connections(event, topic: .quiz) where connection.player == nil { connection.send(text) }
    }

    /// Sends `text` to every connection of the event following `topic`.
    func send(_ text: String, event: Event.ID, topic: LiveTopic) {
        for connection in connections(event, topic: topic) { connection.send(text) }
    }

    /// Sends the quiz's state: `shared` is a JSON object; a player's own part, when there is one,
    /// is spliced in as its `me` member.
    func send(quiz shared: String, personal: [UUID: String], event: Event.ID, game: QuizSession.ID?, moved: String?) {
        let open = String(shared.dropLast())
        for connection in connections(event, topic: .quiz) {
            // A phone still on an earlier game of the evening is told where the new one is.
            if let joined = connection.game, joined != game {
                if let moved { connection.send(moved) }
                continue
            }
            if let player = connection.player, let mine = personal[player] {
                connection.send(open + ",\"me\":" + mine + "}")
            } else {
                connection.send(shared)
            }
        }
    }
}
