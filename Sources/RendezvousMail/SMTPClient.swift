import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Where and how to deliver: `SMTP_URL`, e.g. `smtp+starttls://user:pass@host:587`,
/// `smtps://user:pass@host:465` (implicit TLS) or `smtp://host:25` (plain). `?ca=/path/to.pem`
/// trusts an extra certificate authority (a private relay, the tests' server). Credentials are
/// only ever sent over TLS, unless `?insecure-auth=1` says otherwise.
public struct SMTPConfiguration: Sendable, Equatable {
    public enum Security: String, Sendable { case plain, startTLS, implicitTLS }

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    public var trustedCAFile: String?
    public var heloName: String
    /// `?auth=login` uses AUTH LOGIN even where the server also offers PLAIN.
    public var preferLogin = false
    /// `?insecure-auth=1` allows AUTH on a plain connection (a relay on a trusted network).
    public var allowsInsecureAuth = false

    public init(host: String, port: Int, security: Security, username: String? = nil, password: String? = nil, trustedCAFile: String? = nil,
                heloName: String = "localhost", allowsInsecureAuth: Bool = false) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.trustedCAFile = trustedCAFile
        self.heloName = heloName
        self.allowsInsecureAuth = allowsInsecureAuth
    }

    public init?(url text: String, heloName: String = "localhost") {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(), let host = components.host, !host.isEmpty else { return nil }
        switch scheme {
        case "smtp": security = .plain; port = components.port ?? 25
        case "smtp+starttls", "submission": security = .startTLS; port = components.port ?? 587
        case "smtps": security = .implicitTLS; port = components.port ?? 465
        default: return nil
        }
        self.host = host
        username = components.user?.removingPercentEncoding
        password = components.password?.removingPercentEncoding
        let query = { (name: String) in components.queryItems?.first { $0.name == name }?.value }
        trustedCAFile = query("ca")
        preferLogin = query("auth")?.lowercased() == "login"
        allowsInsecureAuth = ["1", "true", "yes"].contains(query("insecure-auth")?.lowercased() ?? "")
        self.heloName = heloName
    }

    var hasCredentials: Bool { username != nil && password != nil }

    /// Why these settings must not be used as they are, or nil. Credentials on a plain connection
    /// would travel in clear: refused unless `?insecure-auth=1` asks for it.
    public var problem: String? {
        guard security == .plain, hasCredentials, !allowsInsecureAuth else { return nil }
        return "SMTP_URL has a user name and password but no TLS, so they would travel in clear: use smtp+starttls:// or smtps://, "
            + "or add ?insecure-auth=1 if the relay is on a trusted network"
    }
}

/// What keeps the relay from taking any message: every message waits and is retried, and the
/// network admins are told once.
public enum RelayTrouble: String, Sendable, CaseIterable {
    /// No connection, the connection dropped, or no answer in time.
    case connection
    /// The relay turns us away (greeting or EHLO refused, 421, a temporary AUTH failure).
    case unavailable
    /// The TLS handshake failed, STARTTLS was refused, or plaintext came before the handshake.
    case tls
    /// AUTH refused (535 and the like).
    case credentials
    /// 530: the relay wants AUTH first.
    case authenticationRequired
    /// MAIL FROM refused: our sender address or our right to send.
    case sender
    /// Our own settings: credentials without TLS, an unreadable CA file.
    case configuration
}

public enum SMTPError: Error, Equatable, CustomStringConvertible {
    /// 4xx about this message or recipient: try again later.
    case temporary(code: Int, message: String)
    /// 5xx to RCPT TO or DATA: the server refused this message or recipient for good.
    case permanent(code: Int, message: String)
    /// The relay does not work for us whatever the message: try again later, and tell the admins.
    case relay(RelayTrouble, code: Int, message: String)

    public var description: String {
        switch self {
        case .temporary(let code, let message), .permanent(let code, let message), .relay(_, let code, let message):
            code == 0 ? message : "\(code) \(message)"
        }
    }

    /// Where in the conversation a reply came, which tells whose fault a refusal is.
    enum Stage { case greeting, hello, startTLS, auth, sender, recipient, data }

    /// Only a 5xx to RCPT TO or DATA is about this message; anything the relay says before that is
    /// about us or the relay, so temporary.
    static func classify(code: Int, text: String, stage: Stage) -> SMTPError {
        if code == 530 || (code >= 500 && text.hasPrefix("5.7.0") && (stage == .sender || stage == .recipient)) {
            return .relay(.authenticationRequired, code: code, message: text)
        }
        if code == 421 { return .relay(.unavailable, code: code, message: text) }
        switch stage {
        case .greeting, .hello:
            return .relay(.unavailable, code: code, message: text)
        case .startTLS:
            return .relay(.tls, code: code, message: text)
        case .auth:
            return .relay(code >= 500 ? .credentials : .unavailable, code: code, message: text)
        case .sender:
            // 552 (5.3.4) is the only MAIL FROM refusal clearly about the message (its size).
            if code >= 500 { return code == 552 || text.hasPrefix("5.3.4") ? .permanent(code: code, message: text) : .relay(.sender, code: code, message: text) }
            return .temporary(code: code, message: text)
        case .recipient, .data:
            return code >= 500 ? .permanent(code: code, message: text) : .temporary(code: code, message: text)
        }
    }
}

/// A minimal SMTP client on SwiftNIO and NIOSSL: plain, STARTTLS and implicit TLS; AUTH PLAIN and
/// LOGIN; one message per connection.
public struct SMTPClient: Sendable {
    public let configuration: SMTPConfiguration
    public var timeout: Duration = .seconds(30)

    public init(configuration: SMTPConfiguration) {
        self.configuration = configuration
    }

    public func send(_ message: MailMessage) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.deliver(message) }
            group.addTask {
                try await Task.sleep(for: self.timeout)
                throw SMTPError.relay(.connection, code: 0, message: "no answer from \(self.configuration.host):\(self.configuration.port) after \(self.timeout)")
            }
            try await group.next()
            group.cancelAll()
        }
    }

    func tlsContext() throws -> NIOSSLContext {
        do {
            var tls = TLSConfiguration.makeClientConfiguration()
            if let file = configuration.trustedCAFile {
                tls.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMFile(file))]
            }
            return try NIOSSLContext(configuration: tls)
        } catch {
            throw SMTPError.relay(.configuration, code: 0, message: "cannot set up TLS (ca=\(configuration.trustedCAFile ?? "")): \(error)")
        }
    }

    /// The name the certificate must carry (none for an IP address).
    var serverHostname: String? {
        configuration.host.allSatisfy { $0.isNumber || $0 == "." || $0 == ":" } ? nil : configuration.host
    }

    private func deliver(_ message: MailMessage) async throws {
        if let problem = configuration.problem { throw SMTPError.relay(.configuration, code: 0, message: problem) }
        let tls = configuration.security == .plain ? nil : try tlsContext()
        let implicit = configuration.security == .implicitTLS ? tls : nil
        let hostname = serverHostname
        let (lines, continuation) = AsyncThrowingStream<String, any Error>.makeStream()
        let reader = LineHandler(continuation: continuation)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(10))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let implicit { try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: implicit, serverHostname: hostname)) }
                        try channel.pipeline.syncOperations.addHandler(reader)
                    }
                }
                .connect(host: configuration.host, port: configuration.port).get()
        } catch {
            throw SMTPError.relay(.connection, code: 0, message: "cannot connect to \(configuration.host):\(configuration.port): \(error)")
        }
        defer { channel.close(promise: nil) }
        var replies = lines.makeAsyncIterator()
        var consumed = 0

        func reply() async throws -> SMTPReply {
            var reader = SMTPReply.Reader()
            while true {
                guard let line = try await replies.next() else { throw SMTPError.relay(.connection, code: 0, message: "connection closed") }
                consumed += 1
                do {
                    if let reply = try reader.read(line) { return reply }
                } catch {
                    throw SMTPError.relay(.connection, code: 0, message: error.description)
                }
            }
        }
        func expect(_ accepted: Set<Int>, after command: String?, _ stage: SMTPError.Stage) async throws -> [String] {
            if let command {
                do { try await channel.writeAndFlush(ByteBuffer(string: command + "\r\n")) } catch {
                    throw SMTPError.relay(LineHandler.trouble(error), code: 0, message: "cannot write to \(configuration.host): \(error)")
                }
            }
            let answer = try await reply()
            guard accepted.contains(answer.code) else { throw SMTPError.classify(code: answer.code, text: answer.lines.joined(separator: " "), stage: stage) }
            return answer.lines
        }

        _ = try await expect([220], after: nil, .greeting)
        var capabilities = try await expect([250], after: "EHLO \(configuration.heloName)", .hello)
        if configuration.security == .startTLS, let tls {
            _ = try await expect([220], after: "STARTTLS", .startTLS)
            // Whatever came after the 220 was sent before the handshake, in clear: reading it as a
            // reply inside TLS would let anyone on the path answer for the server. Checked and the
            // TLS handler added in one turn of the event loop, so no byte slips in between.
            let read = consumed
            try await channel.eventLoop.submit {
                guard reader.yielded == read, !reader.hasPartialLine else {
                    throw SMTPError.relay(.tls, code: 0, message: "the server sent plaintext after its STARTTLS reply, before the TLS handshake: connection closed")
                }
                try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: tls, serverHostname: hostname), position: .first)
            }.get()
            capabilities = try await expect([250], after: "EHLO \(configuration.heloName)", .hello)
        }
        if let user = configuration.username, let password = configuration.password {
            let auth = capabilities.first { $0.uppercased().hasPrefix("AUTH") }?.uppercased() ?? ""
            let useLogin = auth.contains("LOGIN") && (configuration.preferLogin || !auth.contains("PLAIN"))
            if !useLogin {
                let token = Data("\u{0}\(user)\u{0}\(password)".utf8).base64EncodedString()
                _ = try await expect([235], after: "AUTH PLAIN \(token)", .auth)
            } else {
                _ = try await expect([334], after: "AUTH LOGIN", .auth)
                _ = try await expect([334], after: Data(user.utf8).base64EncodedString(), .auth)
                _ = try await expect([235], after: Data(password.utf8).base64EncodedString(), .auth)
            }
        }
        _ = try await expect([250], after: "MAIL FROM:<\(Self.clean(message.from.email))>", .sender)
        _ = try await expect([250, 251], after: "RCPT TO:<\(Self.clean(message.to.email))>", .recipient)
        _ = try await expect([354], after: "DATA", .data)
        _ = try await expect([250], after: Self.dotStuffed(message.rendered()) + ".", .data)
        _ = try? await expect([221], after: "QUIT", .data)
    }

    /// Addresses go into commands: nothing that could end the command or start another.
    static func clean(_ address: String) -> String {
        address.filter { !$0.isWhitespace && $0 != "<" && $0 != ">" && !$0.isNewline }
    }

    /// A line that begins with a dot gets a second one, so no line of the body ends DATA early.
    static func dotStuffed(_ rendered: String) -> String {
        rendered.components(separatedBy: "\r\n").map { $0.hasPrefix(".") ? "." + $0 : $0 }.joined(separator: "\r\n")
    }
}

/// Splits the server's bytes into CRLF lines for the client, counting them so the client can tell
/// whether anything is waiting that it has not read.
final class LineHandler: ChannelInboundHandler, @unchecked Sendable {
    // @unchecked: the handler is created off the event loop, but its state is only touched on it
    // (channel callbacks, and the client's `eventLoop.submit` before adding TLS).
    typealias InboundIn = ByteBuffer
    private var splitter = SMTPReply.LineSplitter()
    private(set) var yielded = 0
    private let continuation: AsyncThrowingStream<String, any Error>.Continuation

    init(continuation: AsyncThrowingStream<String, any Error>.Continuation) {
        self.continuation = continuation
    }

    /// Bytes received that do not make a whole line yet.
    var hasPartialLine: Bool { splitter.hasPartialLine }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        do {
            for line in try splitter.append(buffer.readableBytesView) {
                continuation.yield(line)
                yielded += 1
            }
        } catch {
            continuation.finish(throwing: SMTPError.relay(.connection, code: 0, message: error.description))
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish(throwing: SMTPError.relay(.connection, code: 0, message: "connection closed"))
        context.fireChannelInactive()
    }

    static func trouble(_ error: any Error) -> RelayTrouble {
        error is NIOSSLError || error is BoringSSLError ? .tls : .connection
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        continuation.finish(throwing: SMTPError.relay(Self.trouble(error), code: 0, message: "\(error)"))
        context.close(promise: nil)
    }
}
