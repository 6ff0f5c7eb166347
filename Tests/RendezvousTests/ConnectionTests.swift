import Foundation
import HTTPTypes
import Hummingbird
import RendezvousApp
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import RendezvousDomain
@testable import RendezvousPersistence
@testable import RendezvousWeb
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Connections cannot be held hostage: raw TCP clients against the real server, wired by
/// `buildApplication` as `rendezvous serve` is. Timed, so the suite runs on its own.
@Suite("Connections cannot be held hostage", .serialized)
struct ConnectionTests {
    // MARK: Configuration

    @Test
    func timeoutsComeFromTheEnvironment() throws {
        let defaults = try AppConfiguration.fromEnvironment([:])
        #expect(defaults.web.serverTimeouts == ServerTimeouts(header: .seconds(10), idle: .seconds(30)))
        let set = try AppConfiguration.fromEnvironment(["HTTP_HEADER_TIMEOUT": "2.5", "HTTP_IDLE_TIMEOUT": "60"])
        #expect(set.web.serverTimeouts == ServerTimeouts(header: .milliseconds(2500), idle: .seconds(60)))
        for wrong in ["0", "-1", "ten", "inf"] {
            #expect(throws: AppConfiguration.Invalid.self) { try AppConfiguration.fromEnvironment(["HTTP_HEADER_TIMEOUT": wrong]) }
            #expect(throws: AppConfiguration.Invalid.self) { try AppConfiguration.fromEnvironment(["HTTP_IDLE_TIMEOUT": wrong]) }
        }
    }

    // MARK: (a) header-read timeout

    @Test
    func halfSentRequestLineIsClosedAtTheHeaderTimeout() async throws {
        try await withTimeouts(.sqlite, ServerTimeouts(header: .seconds(1), idle: .seconds(30))) { app in
            try await withLiveServer(app) { port in
                // The deadline runs from the server's accept, which comes after the client starts to
                // connect: measure from before the connect, so a test client slowed down by a busy
                // machine (its connect returning late) does not see an "early" close.
                let connected = ContinuousClock.now
                let client = try await RawClient.connect(port)
                defer { client.close() }
                try await client.send("GET /healthz HT")
                let closedAfter = await client.waitForClose(within: .seconds(5))
                #expect(closedAfter != nil, "a half-sent request line kept the connection open")
                if closedAfter != nil {
                    let sinceConnect = ContinuousClock.now - connected
                    #expect(sinceConnect >= .milliseconds(900) && sinceConnect <= .milliseconds(5000), "closed \(sinceConnect) after connecting")
                }
                #expect(client.text.isEmpty, "nothing is answered to an incomplete head: \(client.text)")
            }
        }
    }

    /// Slowloris: a byte every 200 ms never completes the head, and does not push the deadline back.
    @Test
    func tricklingClientIsCutOffAtTheDeadline() async throws {
        try await withTimeouts(.sqlite, ServerTimeouts(header: .seconds(1), idle: .seconds(30))) { app in
            try await withLiveServer(app) { port in
                let client = try await RawClient.connect(port)
                defer { client.close() }
                let trickle = Task {
                    for byte in "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".utf8 where !client.isClosed {
                        try? await client.send(bytes: [byte])
                        try? await Task.sleep(for: .milliseconds(200))
                    }
                }
                let closedAfter = await client.waitForClose(within: .seconds(5))
                trickle.cancel()
                #expect(closedAfter != nil, "a trickling client kept the connection open")
                if let closedAfter { #expect(closedAfter <= .milliseconds(2500), "closed after \(closedAfter)") }
            }
        }
    }

    /// The deadline also holds for a second request on a kept-alive connection: it starts with its first byte.
    @Test
    func halfSentSecondRequestIsClosedAtTheHeaderTimeout() async throws {
        try await withTimeouts(.sqlite, ServerTimeouts(header: .seconds(1), idle: .seconds(30))) { app in
            try await withLiveServer(app) { port in
                let client = try await RawClient.connect(port)
                defer { client.close() }
                try await client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                let first = try await client.waitForResponse(within: .seconds(5))
                #expect(first == 200)
                try await Task.sleep(for: .milliseconds(1500))
                #expect(!client.isClosed, "an idle kept-alive connection is governed by the idle timeout, not the header one")
                let start = ContinuousClock.now
                try await client.send("GET /healthz HTTP/1.1\r\nHo")
                let closed = await client.waitForClose(within: .seconds(5))
                #expect(closed != nil, "a half-sent second request kept the connection open")
                if closed != nil { #expect(ContinuousClock.now - start <= .milliseconds(2500)) }
            }
        }
    }

    // MARK: (b) keep-alive idle timeout

    @Test
    func idleKeepAliveConnectionIsClosedAfterTheIdleTimeout() async throws {
        try await withTimeouts(.sqlite, ServerTimeouts(header: .seconds(1), idle: .seconds(3))) { app in
            try await withLiveServer(app) { port in
                let client = try await RawClient.connect(port)
                defer { client.close() }
                try await client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try await client.waitForResponse(within: .seconds(5)) == 200)
                let answeredAt = ContinuousClock.now
                let closed = await client.waitForClose(within: .seconds(8))
                #expect(closed != nil, "an idle keep-alive connection stayed open")
                if closed != nil {
                    let idle = ContinuousClock.now - answeredAt
                    #expect(idle >= .milliseconds(2500) && idle <= .seconds(6), "closed after \(idle) idle")
                }
            }
        }
    }

    // MARK: (c) an early answer closes the connection

    @Test(arguments: DatabaseKind.available)
    func oversizedUploadGets413AndTheConnectionIsClosed(_ kind: DatabaseKind) async throws {
        try await withTimeouts(kind, ServerTimeouts(header: .seconds(10), idle: .seconds(30))) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10)
            try await withLiveServer(app) { port in
                let client = try await RawClient.connect(port)
                defer { client.close() }
                let body = [UInt8](repeating: UInt8(ascii: " "), count: 4 * 1024 * 1024)
                let head = "POST /api/v1/events/\(event.id)/registrations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
                // The whole upload first, as a naive client does; only then the answer is read.
                let sent = await withDeadline(.seconds(10)) { try await client.send(bytes: Array(head.utf8) + body) }
                #expect(sent == .done, "the upload hung or was cut off: \(sent)")
                let status = try await client.waitForResponse(within: .seconds(5))
                #expect(status == 413)
                #expect(client.text.lowercased().contains("connection: close"))
                let closed = await client.waitForClose(within: .seconds(5))
                #expect(closed != nil, "the connection stayed open after the 413")
            }
        }
    }

    /// Any answer sent before the body is in closes the connection, here a 401 for a wrong token.
    @Test(arguments: DatabaseKind.available)
    func answerBeforeTheBodyClosesTheConnection(_ kind: DatabaseKind) async throws {
        try await withTimeouts(kind, ServerTimeouts(header: .seconds(10), idle: .seconds(30))) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10)
            try await withLiveServer(app) { port in
                let client = try await RawClient.connect(port)
                defer { client.close() }
                let body = [UInt8](repeating: UInt8(ascii: " "), count: 1024 * 1024)
                let head = "POST /api/v1/events/\(event.id)/registrations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer wrong\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
                let sent = await withDeadline(.seconds(10)) { try await client.send(bytes: Array(head.utf8) + body) }
                #expect(sent == .done, "the upload hung or was cut off: \(sent)")
                #expect(try await client.waitForResponse(within: .seconds(5)) == 401)
                #expect(client.text.lowercased().contains("connection: close"))
                #expect(await client.waitForClose(within: .seconds(5)) != nil, "the connection stayed open after the early 401")
            }
        }
    }

    /// The guard does not close what may stay open: an answered registration and a page on one connection.
    @Test
    func ordinaryRequestsKeepTheConnection() async throws {
        try await withTimeouts(.sqlite, ServerTimeouts(header: .seconds(1), idle: .seconds(30))) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10)
            try await withLiveServer(app) { port in
                let client = try await RawClient.connect(port)
                defer { client.close() }
                let json = Fixture.registrationJSON(1)
                try await client.send("POST /api/v1/events/\(event.id)/registrations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(json.utf8.count)\r\n\r\n")
                try await Task.sleep(for: .milliseconds(100))
                try await client.send(json)
                #expect(try await client.waitForResponse(within: .seconds(5)) == 201)
                #expect(!client.text.lowercased().contains("connection: close"))
                try await Task.sleep(for: .milliseconds(300))
                #expect(!client.isClosed)
                client.record.withLockedValue { $0.bytes = [] }
                try await client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try await client.waitForResponse(within: .seconds(5)) == 200)
                #expect(!client.isClosed)
            }
        }
    }

    // MARK: (d) a thousand half-open connections

    @Test(arguments: DatabaseKind.available)
    func thousandHalfOpenConnectionsDoNotStopARegistration(_ kind: DatabaseKind) async throws {
        try raiseFileLimit(to: 8192)
        // Long enough that a loaded machine (make test runs every suite at once on two cores) opens
        // the thousand before the first is let go: at 3 s, CI saw some closed before the check.
        let headerTimeout = Duration.seconds(8)
        try await withTimeouts(kind, ServerTimeouts(header: headerTimeout, idle: .seconds(30))) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10)
            try await withLiveServer(app) { port in
                let hostages = try await withThrowingTaskGroup(of: [RawClient].self) { group in
                    for batch in 0..<10 {
                        group.addTask {
                            var clients: [RawClient] = []
                            for index in 0..<100 {
                                let client = try await RawClient.connect(port)
                                try await client.send("POST /api/v1/events/\(event.id)/registrations?h=\(batch * 100 + index) HT")
                                clients.append(client)
                            }
                            return clients
                        }
                    }
                    return try await group.reduce(into: []) { $0 += $1 }
                }
                let openedAt = ContinuousClock.now
                #expect(hostages.count == 1000)
                #expect(hostages.filter(\.isClosed).isEmpty, "the hostages must still be open when the normal client comes")

                let start = ContinuousClock.now
                let response = try await send(port, .post, "/api/v1/events/\(event.id)/registrations", json: Fixture.registrationJSON(1))
                let took = ContinuousClock.now - start
                #expect(response.status == .created)
                #expect(took < .seconds(1), "the registration took \(took)")

                // And every hostage is let go at the header deadline.
                while hostages.contains(where: { !$0.isClosed }), ContinuousClock.now - openedAt < headerTimeout + .seconds(4) {
                    try await Task.sleep(for: .milliseconds(100))
                }
                let stillOpen = hostages.filter { !$0.isClosed }.count
                #expect(stillOpen == 0, "\(stillOpen) half-open connections outlived the header timeout")
                for client in hostages { client.close() }
            }
        }
    }
}

// MARK: - Support

/// The application wired as in production, with the given server timeouts.
private func withTimeouts<T: Sendable>(
    _ kind: DatabaseKind, _ timeouts: ServerTimeouts, _ body: @Sendable (TestApp) async throws -> T
) async throws -> T {
    try await withDatabase(kind) { persistence in
        let clock = ManualClock(Fixture.start)
        var configuration = WebConfiguration(baseURL: "https://rendezvous.test", rateLimit: .off, pageCacheTTL: 0)
        configuration.serverTimeouts = timeouts
        let services = try await AppServices(persistence: persistence, clock: clock, configuration: configuration, logger: testLogger)
        return try await body(TestApp(services: services, clock: clock))
    }
}

private enum DeadlineOutcome: Equatable { case done, failed, timedOut }

/// Runs `operation`, giving up on it after `limit`.
private func withDeadline(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> Void) async -> DeadlineOutcome {
    await withTaskGroup(of: DeadlineOutcome.self) { group in
        group.addTask {
            do { try await operation(); return .done } catch { return .failed }
        }
        group.addTask {
            try? await Task.sleep(for: limit)
            return .timedOut
        }
        let first = await group.next() ?? .timedOut
        group.cancelAll()
        return first
    }
}

/// A thousand sockets on each side need more than the common default of 1,024 descriptors.
private func raiseFileLimit(to wanted: rlim_t) throws {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
    guard limit.rlim_cur < wanted else { return }
    limit.rlim_cur = min(wanted, limit.rlim_max)
    _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    #expect(limit.rlim_cur >= 2500, "the file-descriptor limit (\(limit.rlim_cur)) is too low for 1,000 connections")
}

/// A raw TCP client on NIO (never blocking a thread), recording what it receives and when the
/// server closes the connection (its end of stream, or a reset).
private final class RawClient: Sendable {
    struct Record {
        var bytes: [UInt8] = []
        var closedAt: ContinuousClock.Instant?
    }

    let channel: any Channel
    let record: NIOLockedValueBox<Record>
    let openedAt: ContinuousClock.Instant

    private init(channel: any Channel, record: NIOLockedValueBox<Record>) {
        self.channel = channel
        self.record = record
        self.openedAt = .now
    }

    final class Recorder: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let record: NIOLockedValueBox<Record>
        init(_ record: NIOLockedValueBox<Record>) { self.record = record }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            record.withLockedValue { $0.bytes += buffer.readableBytesView }
        }

        func channelInactive(context: ChannelHandlerContext) {
            record.withLockedValue { $0.closedAt = $0.closedAt ?? .now }
            context.fireChannelInactive()
        }

        /// The server's end of stream. The client keeps its own side open, as a socket that is
        /// still uploading does: it can go on writing, and counts the connection as closed.
        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case ChannelEvent.inputClosed = event {
                record.withLockedValue { $0.closedAt = $0.closedAt ?? .now }
            }
            context.fireUserInboundEventTriggered(event)
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }

    static func connect(_ port: Int) async throws -> RawClient {
        let record = NIOLockedValueBox(Record())
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Recorder(record)) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return RawClient(channel: channel, record: record)
    }

    func send(_ text: String) async throws { try await send(bytes: Array(text.utf8)) }

    func send(bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes)).get()
    }

    var isClosed: Bool { record.withLockedValue { $0.closedAt != nil } }
    var text: String { String(decoding: record.withLockedValue { $0.bytes }, as: UTF8.self) }

    func close() { channel.close(promise: nil) }

    /// How long after the connection opened the server closed it, or nil if it is still open after `limit`.
    func waitForClose(within limit: Duration) async -> Duration? {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let closedAt = record.withLockedValue({ $0.closedAt }) { return closedAt - openedAt }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    /// The status code of the first complete response head, nil if none arrives within `limit`.
    func waitForResponse(within limit: Duration) async throws -> Int? {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            let text = self.text
            if text.contains("\r\n\r\n") {
                let statusLine = text.split(separator: "\r\n").first ?? ""
                let parts = statusLine.split(separator: " ")
                return parts.count > 1 ? Int(parts[1]) : nil
            }
            if isClosed { return nil }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }
}
