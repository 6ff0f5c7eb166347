import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Where and how to deliver: `SMTP_URL`, e.g. `smtp+starttls://user:pass@host:587`,
/// `smtps://user:pass@host:465` (implicit TLS) or `smtp://host:25` (plain). `?ca=/path/to.pem`
/// trusts an extra certificate authority (a private relay, the tests' server).
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

    public init(host: String, port: Int, security: Security, username: String? = nil, password: String? = nil, trustedCAFile: String? = nil, heloName: String = "localhost") {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.trustedCAFile = trustedCAFile
        self.heloName = heloName
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
        trustedCAFile = components.queryItems?.first { $0.name == "ca" }?.value
        preferLogin = components.queryItems?.first { $0.name == "auth" }?.value?.lowercased() == "login"
        self.heloName = heloName
    }
}

public enum SMTPError: Error, Equatable, CustomStringConvertible {
    /// 4xx, or the connection failed: try again later.
    case temporary(code: Int, message: String)
    /// 5xx: the server refused for good.
    case permanent(code: Int, message: String)

    public var description: String {
        switch self {
        case .temporary(let code, let message), .permanent(let code, let message): code == 0 ? message : "\(code) \(message)"
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
                throw SMTPError.temporary(code: 0, message: "timed out after \(self.timeout)")
            }
            try await group.next()
            group.cancelAll()
        }
    }

    func tlsHandler() throws -> NIOSSLClientHandler {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let file = configuration.trustedCAFile {
            tls.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMFile(file))]
        }
        let context = try NIOSSLContext(configuration: tls)
        let isAddress = configuration.host.allSatisfy { $0.isNumber || $0 == "." || $0 == ":" }
        return try NIOSSLClientHandler(context: context, serverHostname: isAddress ? nil : configuration.host)
    }

    private func deliver(_ message: MailMessage) async throws {
        let (lines, continuation) = AsyncThrowingStream<String, any Error>.makeStream()
        let reader = LineHandler(continuation: continuation)
        let implicit = configuration.security == .implicitTLS ? try tlsHandler() : nil
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(10))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let implicit { try channel.pipeline.syncOperations.addHandler(implicit) }
                        try channel.pipeline.syncOperations.addHandler(reader)
                    }
                }
                .connect(host: configuration.host, port: configuration.port).get()
        } catch {
            throw SMTPError.temporary(code: 0, message: "cannot connect to \(configuration.host):\(configuration.port): \(error)")
        }
        defer { channel.close(promise: nil) }
        var replies = lines.makeAsyncIterator()

        func reply() async throws -> (code: Int, lines: [String]) {
            var collected: [String] = []
            while true {
                guard let line = try await replies.next() else { throw SMTPError.temporary(code: 0, message: "connection closed") }
                collected.append(line)
                let scalars = Array(line.utf8)
                if scalars.count < 4 || scalars[3] == UInt8(ascii: " ") {
                    guard let code = Int(String(line.prefix(3))) else { throw SMTPError.temporary(code: 0, message: "garbled reply: \(line)") }
                    return (code, collected.map { String($0.dropFirst(4)) })
                }
            }
        }
        func expect(_ accepted: Set<Int>, after command: String?) async throws -> [String] {
            if let command { try await channel.writeAndFlush(ByteBuffer(string: command + "\r\n")) }
            let answer = try await reply()
            guard accepted.contains(answer.code) else {
                let text = answer.lines.joined(separator: " ")
                if answer.code >= 500 { throw SMTPError.permanent(code: answer.code, message: text) }
                throw SMTPError.temporary(code: answer.code, message: text)
            }
            return answer.lines
        }

        _ = try await expect([220], after: nil)
        var capabilities = try await expect([250], after: "EHLO \(configuration.heloName)")
        if configuration.security == .startTLS {
            _ = try await expect([220], after: "STARTTLS")
            try await channel.pipeline.addHandler(try tlsHandler(), position: .first).get()
            capabilities = try await expect([250], after: "EHLO \(configuration.heloName)")
        }
        if let user = configuration.username, let password = configuration.password {
            let auth = capabilities.first { $0.uppercased().hasPrefix("AUTH") }?.uppercased() ?? ""
            let useLogin = auth.contains("LOGIN") && (configuration.preferLogin || !auth.contains("PLAIN"))
            if !useLogin {
                let token = Data("\u{0}\(user)\u{0}\(password)".utf8).base64EncodedString()
                _ = try await expect([235], after: "AUTH PLAIN \(token)")
            } else {
                _ = try await expect([334], after: "AUTH LOGIN")
                _ = try await expect([334], after: Data(user.utf8).base64EncodedString())
                _ = try await expect([235], after: Data(password.utf8).base64EncodedString())
            }
        }
        _ = try await expect([250], after: "MAIL FROM:<\(Self.clean(message.from.email))>")
        _ = try await expect([250, 251], after: "RCPT TO:<\(Self.clean(message.to.email))>")
        _ = try await expect([354], after: "DATA")
        _ = try await expect([250], after: Self.dotStuffed(message.rendered()) + ".")
        _ = try? await expect([221], after: "QUIT")
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

/// Splits the server's bytes into CRLF lines for the client.
final class LineHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    private var pending = ""
    private let continuation: AsyncThrowingStream<String, any Error>.Continuation

    init(continuation: AsyncThrowingStream<String, any Error>.Continuation) {
        self.continuation = continuation
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        pending += buffer.readString(length: buffer.readableBytes) ?? ""
        while let end = pending.range(of: "\r\n") {
            continuation.yield(String(pending[..<end.lowerBound]))
            pending.removeSubrange(..<end.upperBound)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish(throwing: SMTPError.temporary(code: 0, message: "connection closed"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        continuation.finish(throwing: SMTPError.temporary(code: 0, message: "\(error)"))
        context.close(promise: nil)
    }
}
