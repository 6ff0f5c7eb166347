import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import RendezvousDomain
import RendezvousPersistence
import ServiceLifecycle

/// The live channel's doors: a WebSocket at `/live/{event}`, and for networks that break
/// WebSockets the same messages as Server-Sent Events (`/live/{event}/events`) with answers and
/// commands sent by POST. Messages are described in `docs/live.md`.
///
/// Who may listen, from the query's `as`:
/// - `player`: the phone's quiz cookie names a player of a game of this event;
/// - `screen`: a door volunteer or organiser of the chapter signed in, or the screen link's `key`;
/// - `presenter`: an organiser of the chapter signed in; may send commands;
/// - `watch`: anyone, for hints only (`topics=room,bingo,door`): they carry no names.
struct LiveController {
    let services: AppServices
    var live: LiveService { services.live }
    var persistence: Persistence { services.persistence }

    static let playerCookie = "rv_quiz"
    static let playerSalt = "player"

    func addRoutes(to router: Router<AppRequestContext>) {
        router.ws(PublicRoute.live(.any).routerPath, shouldUpgrade: { request, context in
            _ = try await identify(request, context: context)
            return .upgrade([:])
        }, onUpgrade: { inbound, outbound, context in
            let connection = try await identify(context.request, context: context.requestContext)
            try await serveWebSocket(connection, inbound: inbound, outbound: outbound)
        })
        router.get(PublicRoute.liveEvents(.any).routerPath, use: events)
        router.post(PublicRoute.liveAnswer(.any).routerPath, use: answerByPost)
        router.post(PublicRoute.liveCommand(.any).routerPath, use: commandByPost)
    }

    // MARK: Who is calling

    static func playerCookieValue(_ player: UUID, vault: TokenVault) -> String {
        player.uuidString.lowercased() + "." + vault.token(.quizPlayer, id: player, salt: playerSalt)
    }

    /// The player the phone's cookie names, if it is genuine.
    func player(_ request: Request) async throws -> QuizPlayer? {
        guard let value = request.cookies[Self.playerCookie]?.value else { return nil }
        let parts = value.split(separator: ".", maxSplits: 1)
        guard parts.count == 2, let id = UUID(uuidString: String(parts[0])),
              persistence.tokens.verify(String(parts[1]), .quizPlayer, id: id, salt: Self.playerSalt) else { return nil }
        return try await persistence.quizzes.player(id: id)
    }

    func identify(_ request: Request, context: AppRequestContext) async throws -> LiveConnection {
        guard let event = context.parameters.get("id").flatMap(Event.ID.init(string:)) else { throw AppError.notFound }
        let query = request.uri.queryParameters
        var topics = Set((query.get("topics") ?? "").split(separator: ",").compactMap { LiveTopic(rawValue: String($0)) })
        switch query.get("as") ?? "watch" {
        case "player":
            guard let player = try await player(request), let session = try await persistence.quizzes.session(id: player.sessionID),
                  session.eventID == event else { throw AppError.notFound }
            topics.insert(.quiz)
            return LiveConnection(event: event, role: .player(player.id), topics: topics, game: session.id)
        case "screen", "presenter":
            guard let detail = try await persistence.events.eventDetail(id: event) else { throw AppError.notFound }
            let user = context.session?.user
            if query.get("as") == "presenter" {
                guard let user, user.mayOrganize(detail.chapter.id) else { throw AppError.notFound }
                topics.insert(.quiz)
                return LiveConnection(event: event, role: .presenter, topics: topics)
            }
            let signedIn = user?.mayCheckIn(detail.chapter.id) == true
            let keyed = query.get("key").map { persistence.tokens.verify($0, .screen, id: event.uuid, salt: RoomLiveController.screenSalt) } == true
                && services.clock.now() <= detail.event.endsAt.addingTimeInterval(RoomLiveController.screenLinkGrace)
            guard signedIn || keyed else { throw AppError.notFound }
            topics.insert(.quiz)
            return LiveConnection(event: event, role: .screen, topics: topics)
        default:
            topics.remove(.quiz)
            guard !topics.isEmpty else { throw AppError.badRequest(detail: nil) }
            // Hints for an evening that exists only: nobody keeps sockets open on made-up events.
            guard try await persistence.events.eventDetail(id: event) != nil else { throw AppError.notFound }
            return LiveConnection(event: event, role: .watcher, topics: topics)
        }
    }

    // MARK: What a connection receives first

    func greeting(_ connection: LiveConnection) async throws -> [String] {
        var out = ["{\"v\":\(LiveProtocol.version),\"type\":\"hello\",\"serverNow\":\(services.clock.now().millis)}"]
        guard connection.topics.contains(.quiz) else { return out }
        let snapshot = try await live.currentQuiz(connection.event)
        var shared = snapshot.shared
        // The state may be a moment old: its clock is now.
        if let range = shared.range(of: "\"serverNow\":") {
            let end = shared[range.upperBound...].firstIndex(where: { $0 == "," || $0 == "}" }) ?? shared.endIndex
            shared.replaceSubrange(range.upperBound..<end, with: String(services.clock.now().millis))
        }
        if let joined = connection.game, joined != snapshot.session?.id {
            if let moved = snapshot.moved { out.append(moved) }
        } else if let id = connection.player, let session = snapshot.session, let player = try await persistence.quizzes.player(id: id), player.sessionID == session.id {
            let me = try await QuizStateBuilder.me(player: player, session: session, persistence: persistence)
            out.append(String(shared.dropLast()) + ",\"me\":" + me + "}")
        } else {
            out.append(shared)
        }
        return out
    }

    // MARK: WebSocket

    func serveWebSocket(_ connection: LiveConnection, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        live.hub.add(connection)
        defer { live.hub.remove(connection) }
        for text in try await greeting(connection) { connection.send(text) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await text in connection.stream { try await outbound.write(.text(text)) }
            }
            group.addTask {
                for try await message in inbound.messages(maxSize: 8192) {
                    // An answer's time is when it arrived, not when the server got round to it.
                    let received = services.clock.now()
                    guard case .text(let text) = message else { continue }
                    if let reply = await handle(text, from: connection, received: received) { connection.send(reply) }
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    struct Incoming: Decodable {
        var type: String
        var index: Int?
        var answer: QuizAnswer?
        var command: String?
        var version: Int?
        var id: String?
    }

    /// One message from a phone or a presenter; the reply, if any.
    func handle(_ text: String, from connection: LiveConnection, received: Date) async -> String? {
        guard let incoming = try? JSONDecoder().decode(Incoming.self, from: Data(text.utf8)) else {
            return Self.error("badMessage", id: nil)
        }
        switch incoming.type {
        case "ping":
            return "{\"v\":\(LiveProtocol.version),\"type\":\"pong\",\"serverNow\":\(services.clock.now().millis)}"
        case "state":
            return try? await greeting(connection).last
        case "answer":
            guard let player = connection.player else { return Self.error("notPlayer", id: incoming.id) }
            guard let index = incoming.index, let given = incoming.answer else { return Self.error("badMessage", id: incoming.id) }
            return await answer(player: player, event: connection.event, index: index, answer: given, id: incoming.id,
                                received: received, game: connection.game)
        case "command":
            guard connection.role == .presenter else { return Self.error("notPresenter", id: incoming.id) }
            guard let asked = incoming.command.flatMap(QuizCommand.init(rawValue:)) else { return Self.error("badMessage", id: incoming.id) }
            return await command(asked, event: connection.event, version: incoming.version, id: incoming.id)
        default:
            return Self.error("badMessage", id: incoming.id)
        }
    }

    static func error(_ code: String, id: String?) -> String {
        LiveProtocol.encode(ErrorMessage(code: code, id: id))
    }

    struct ErrorMessage: Encodable {
        var v = LiveProtocol.version
        var type = "error"
        var code: String
        var id: String?
    }

    struct Ack: Encodable {
        var v = LiveProtocol.version
        var type = "ack"
        var id: String?
        var index: Int
        /// `accepted`, `duplicate` (the first answer stands: `answer` is it), `closed` or `invalid`.
        var outcome: String
        var answer: QuizAnswer?
    }

    /// Records a phone's answer. A WebSocket phone's game is known from its connection, and the
    /// game itself from the last state sent (the database checks the phase, question and deadline
    /// again when the answer is written): no reads before the answer joins the next batch.
    func answer(player id: UUID, event: Event.ID, index: Int, answer: QuizAnswer, id messageID: String?,
                received: Date, game: QuizSession.ID? = nil) async -> String {
        do {
            let session: QuizSession
            if let game, let cached = live.cachedSession(event), cached.id == game, cached.index == index {
                session = cached
            } else {
                guard let player = try await persistence.quizzes.player(id: id),
                      let stored = try await persistence.quizzes.session(id: player.sessionID), stored.eventID == event else {
                    return Self.error("notPlayer", id: messageID)
                }
                session = stored
            }
            guard session.accepts(index: index, at: received) else {
                return LiveProtocol.encode(Ack(id: messageID, index: index, outcome: "closed"))
            }
            let outcome = try await persistence.quizzes.answer(session: session, player: id, index: index, answer: answer, received: received)
            switch outcome {
            case .accepted:
                live.publishSoon(event, .answers)
                return LiveProtocol.encode(Ack(id: messageID, index: index, outcome: "accepted", answer: answer.validated(for: session.questions[index])))
            case .duplicate(let first):
                return LiveProtocol.encode(Ack(id: messageID, index: index, outcome: "duplicate", answer: first))
            case .closed:
                return LiveProtocol.encode(Ack(id: messageID, index: index, outcome: "closed"))
            case .invalid:
                return LiveProtocol.encode(Ack(id: messageID, index: index, outcome: "invalid"))
            }
        } catch {
            services.logger.error("Quiz answer failed: \(error)")
            return Self.error("unavailable", id: messageID)
        }
    }

    struct CommandAck: Encodable {
        var v = LiveProtocol.version
        var type = "commanded"
        var id: String?
        var command: String
        var outcome: String
        var version: Int?
    }

    func command(_ command: QuizCommand, event: Event.ID, version: Int?, id messageID: String?) async -> String {
        do {
            guard let session = try await persistence.quizzes.latestSession(event: event) else { return Self.error("noGame", id: messageID) }
            switch try await persistence.quizzes.apply(command, session: session.id, expectedVersion: version, now: services.clock.now()) {
            case .success(let next):
                await live.publish(event, .quiz)
                return LiveProtocol.encode(CommandAck(id: messageID, command: command.rawValue, outcome: "done", version: next.version))
            case .failure:
                return LiveProtocol.encode(CommandAck(id: messageID, command: command.rawValue, outcome: "notNow", version: session.version))
            }
        } catch {
            services.logger.error("Quiz command failed: \(error)")
            return Self.error("unavailable", id: messageID)
        }
    }

    // MARK: Server-Sent Events and POST, for networks that break WebSockets

    @Sendable func events(_ request: Request, context: AppRequestContext) async throws -> Response {
        let connection = try await identify(request, context: context)
        let greeting = try await greeting(connection)
        let live = self.live
        let body = ResponseBody { writer in
            live.hub.add(connection)
            defer { live.hub.remove(connection) }
            // Tells EventSource how long to wait before reconnecting.
            try await writer.write(ByteBuffer(string: "retry: 1500\n\n"))
            for text in greeting { try await writer.write(ByteBuffer(string: "data: \(text)\n\n")) }
            // A comment every 15 s keeps proxies from closing a quiet stream.
            let heartbeat = Task {
                while !Task.isCancelled {
                    try await Task.sleep(for: .seconds(15))
                    connection.send("")
                }
            }
            defer { heartbeat.cancel() }
            // A stream never ends by itself: when the server stops, end it so the client reconnects elsewhere.
            try await withGracefulShutdownHandler {
                for await text in connection.stream {
                    try await writer.write(ByteBuffer(string: text.isEmpty ? ": keep-alive\n\n" : "data: \(text)\n\n"))
                }
            } onGracefulShutdown: {
                connection.finish()
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [
            .contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store", HTTPField.Name("X-Accel-Buffering")!: "no",
        ], body: body)
    }

    struct PostedAnswer: Decodable {
        var index: Int
        var answer: QuizAnswer
        var id: String?
    }

    @Sendable func answerByPost(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let event = context.parameters.get("id").flatMap(Event.ID.init(string:)) else { throw AppError.notFound }
        guard let player = try await player(request) else { throw AppError.notFound }
        let body = try await request.body.collect(upTo: 8192)
        guard let posted = try? JSONDecoder().decode(PostedAnswer.self, from: Data(buffer: body)) else {
            throw AppError.badRequest(detail: nil)
        }
        let reply = await answer(player: player.id, event: event, index: posted.index, answer: posted.answer, id: posted.id, received: services.clock.now())
        return Self.jsonText(reply)
    }

    struct PostedCommand: Decodable {
        var command: String
        var version: Int?
        var id: String?
    }

    @Sendable func commandByPost(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let event = context.parameters.get("id").flatMap(Event.ID.init(string:)),
              let detail = try await persistence.events.eventDetail(id: event),
              let user = context.session?.user, user.mayOrganize(detail.chapter.id) else { throw AppError.notFound }
        let body = try await request.body.collect(upTo: 8192)
        guard let posted = try? JSONDecoder().decode(PostedCommand.self, from: Data(buffer: body)),
              let command = QuizCommand(rawValue: posted.command) else { throw AppError.badRequest(detail: nil) }
        return Self.jsonText(await self.command(command, event: event, version: posted.version, id: posted.id))
    }

    static func jsonText(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
