import Foundation
import Logging
import Hummingbird
import HummingbirdCore
import NIOCore
import NIOHTTPTypes
import HummingbirdWebSocket

/// How long the HTTP server waits on a client before it hangs up, so that nobody can hold a
/// connection hostage: a request head that never completes, or a keep-alive connection left idle.
public struct ServerTimeouts: Sendable, Equatable {
    /// From a request's first byte (or from the accept, for the first request on a connection)
    /// to the end of its head. Bytes trickling in do not extend it. `HTTP_HEADER_TIMEOUT`.
    public var header: Duration
    /// How long a connection may wait between requests, or between the parts of a request body,
    /// before it is closed. `HTTP_IDLE_TIMEOUT`.
    public var idle: Duration

    public static let `default` = ServerTimeouts(header: .seconds(10), idle: .seconds(30))

    public init(header: Duration, idle: Duration) {
        self.header = header
        self.idle = idle
    }

    /// A positive number of seconds, decimals allowed (`10`, `2.5`); nil otherwise.
    public static func seconds(parsing text: String) -> Duration? {
        guard let seconds = Double(text.trimmingCharacters(in: .whitespaces)), seconds.isFinite, seconds > 0 else { return nil }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }
}

// MARK: - Enforcement on each connection

/// Guards one HTTP/1 connection against clients that hold it hostage.
///
/// - The request head must be complete within `header` of its first byte; for the first request
///   of a connection, within `header` of the accept. Bytes trickling in do not push the deadline
///   back (slowloris), so a head sent a byte a second is cut off at the deadline all the same.
///   Between requests the connection is governed by Hummingbird's idle timeout instead.
/// - An answer written before the request body has arrived whole (413 on an oversized upload,
///   401, 403, 429 before the body is read) carries `Connection: close`; once it is sent the
///   server closes its side, reads and drops what the client is still sending for a short while
///   (so the client, which may be writing before it reads, sees the answer rather than a reset),
///   then closes the connection.
///
/// Sits after the HTTP codec, where it sees request heads and ends and the answers; it puts a
/// small companion at the very front of the pipeline to see the raw bytes arrive.
final class ConnectionGuardHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// How long the bytes still coming after an early answer are read and dropped before the connection is closed.
    static let lingerAfterEarlyAnswer: TimeAmount = .seconds(5)

    let headerTimeout: TimeAmount
    private var headerDeadline: Scheduled<Void>?
    private var lingerDeadline: Scheduled<Void>?
    /// True between the end of a request and the head of the next one (and before the first).
    private var betweenRequests = true
    private var headsRead = 0
    private var answersSent = 0
    private var closeAfterAnswer = false
    private var context: ChannelHandlerContext?

    init(headerTimeout: Duration) {
        self.headerTimeout = TimeAmount(headerTimeout)
    }

    // MARK: Lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        try? context.pipeline.syncOperations.addHandler(RawBytesWatcher(guard: self), position: .first)
        if context.channel.isActive { startHeaderDeadline() }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelDeadlines()
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        startHeaderDeadline()
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelDeadlines()
        context.fireChannelInactive()
    }

    // MARK: Inbound

    /// Called by the front companion for each read, around passing it on to the HTTP decoder.
    fileprivate func bytesArrived(_ decode: () -> Void) {
        let startsARequest = betweenRequests
        let heads = headsRead
        decode()
        // Bytes of a new request that did not complete its head: the clock starts now.
        if startsARequest, headsRead == heads, betweenRequests { startHeaderDeadline() }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            headsRead += 1
            betweenRequests = false
            headerDeadline?.cancel()
            headerDeadline = nil
        case .body:
            break
        case .end:
            betweenRequests = true
        }
        context.fireChannelRead(data)
    }

    // MARK: Outbound

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var response) where response.status.kind != .informational:
            // The answer to the latest request, before its body is in: the connection cannot be reused.
            guard answersSent + 1 == headsRead, !betweenRequests else { break }
            closeAfterAnswer = true
            response.headerFields[.connection] = "close"
            context.write(wrapOutboundOut(.head(response)), promise: promise)
            return
        case .end where closeAfterAnswer:
            answersSent += 1
            closeAfterAnswer = false
            let written = promise ?? context.eventLoop.makePromise()
            context.writeAndFlush(data, promise: written)
            written.futureResult.assumeIsolated().whenComplete { _ in self.lingerThenClose() }
            return
        case .end:
            answersSent += 1
        default:
            break
        }
        context.write(data, promise: promise)
    }

    // MARK: Deadlines

    private func startHeaderDeadline() {
        guard headerDeadline == nil, let context else { return }
        headerDeadline = context.eventLoop.assumeIsolated().scheduleTask(in: headerTimeout) { [weak self] in
            guard let self, let context = self.context else { return }
            self.headerDeadline = nil
            context.channel.close(promise: nil)
        }
    }

    /// Half-closes: the client gets the whole answer and an end of stream, while what it is still
    /// sending is read and dropped for a moment; then the connection is closed.
    private func lingerThenClose() {
        guard let context, context.channel.isActive, lingerDeadline == nil else { return }
        context.channel.close(mode: .output, promise: nil)
        lingerDeadline = context.eventLoop.assumeIsolated().scheduleTask(in: Self.lingerAfterEarlyAnswer) { [weak self] in
            guard let self, let context = self.context else { return }
            self.lingerDeadline = nil
            context.channel.close(promise: nil)
        }
    }

    private func cancelDeadlines() {
        headerDeadline?.cancel()
        headerDeadline = nil
        lingerDeadline?.cancel()
        lingerDeadline = nil
    }
}

/// The front of the pipeline: tells the guard when bytes arrive, before the HTTP decoder sees them.
private final class RawBytesWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    let connectionGuard: ConnectionGuardHandler

    init(guard: ConnectionGuardHandler) {
        self.connectionGuard = `guard`
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        connectionGuard.bytesArrived { context.fireChannelRead(data) }
    }
}

extension ServerTimeouts {
    /// The HTTP/1 server with these timeouts: Hummingbird's idle timeout between requests (and
    /// between the parts of a body), and the guard above for request heads and early answers.
    var http1Server: HTTPServerBuilder {
        let header = self.header
        return .http1(configuration: .init(
            additionalChannelHandlers: [ConnectionGuardHandler(headerTimeout: header)],
            idleTimeout: TimeAmount(idle)))
    }

    /// The same HTTP/1 server, where the live channel's routes may upgrade to a WebSocket. A
    /// WebSocket is pinged every 20 s (a phone whose network vanished is noticed and dropped).
    ///
    /// The upgrade machinery reads the first request head itself and only then adds the guard, so
    /// a `FirstHeadDeadline` at the front of every connection holds the first head to the header
    /// timeout from the accept, as the plain server does.
    func http1WebSocketServer(router: Router<AppRequestContext>) -> HTTPServerBuilder {
        let header = self.header
        let idle = self.idle
        let responder = router.buildResponder()
        return HTTPServerBuilder { httpResponder in
            GuardedUpgradeChannel(
                inner: HTTP1WebSocketUpgradeChannel(
                    responder: httpResponder, webSocketResponder: responder,
                    configuration: .init(
                        http1: .init(additionalChannelHandlers: [ConnectionGuardHandler(headerTimeout: header)], idleTimeout: TimeAmount(idle)),
                        ws: .init(maxFrameSize: 1 << 16, autoPing: .enabled(timePeriod: .seconds(20))))),
                header: TimeAmount(header))
        }
    }
}

/// The WebSocket-capable HTTP/1 channel with the first request head's deadline in front.
struct GuardedUpgradeChannel: ServerChildChannel {
    typealias Value = HTTP1WebSocketUpgradeChannel.Value
    let inner: HTTP1WebSocketUpgradeChannel
    let header: TimeAmount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        do {
            try channel.pipeline.syncOperations.addHandler(FirstHeadDeadline(timeout: header))
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return inner.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

/// Closes a connection whose first request head is not complete (an empty line received) within
/// the header timeout of the accept; inert afterwards (WebSocket frames pass straight through).
final class FirstHeadDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    let timeout: TimeAmount
    private var deadline: Scheduled<Void>?
    private var done = false
    /// The last three bytes seen, for an empty line split across reads.
    private var tail: [UInt8] = []

    init(timeout: TimeAmount) { self.timeout = timeout }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    private func start(_ context: ChannelHandlerContext) {
        guard deadline == nil, !done else { return }
        let channel = context.channel
        deadline = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !done {
            let buffer = unwrapInboundIn(data)
            let bytes = tail + (buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes) ?? [])
            if bytes.count >= 4, (0...(bytes.count - 4)).contains(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 && bytes[$0 + 2] == 13 && bytes[$0 + 3] == 10 }) {
                done = true
                deadline?.cancel()
                deadline = nil
                tail = []
            } else {
                tail = Array(bytes.suffix(3))
            }
        }
        context.fireChannelRead(data)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
    }
}
