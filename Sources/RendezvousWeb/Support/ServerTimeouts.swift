import Foundation
import Hummingbird
import HummingbirdCore
import NIOCore
import NIOHTTPTypes

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
}
