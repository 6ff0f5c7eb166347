import Hummingbird
import HummingbirdWebSocket
import NIOCore
import RendezvousDomain
import RendezvousPersistence

/// Per-request state: who is calling from where, and in which language to answer.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// Chosen by `LanguageMiddleware`; refined by pages that know their chapter's language.
    public var language: Language = .en
    /// Set when the caller presented a valid bearer token, or a session cookie.
    public var user: User?
    /// The signed-in browser session, if any.
    public var session: WebSession?

    /// Set when a route upgrades the connection to a WebSocket (the live channel).
    public let webSocket = WebSocketHandlerReference<AppRequestContext>()

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    /// Public forms and JSON are small: anything larger is refused with 413 before it is read whole.
    public var maxUploadSize: Int { 64 * 1024 }

    /// The client's address, resolved once by `ClientAddressMiddleware` (through trusted proxies).
    var clientAddress: String?

    /// The client's address, for logs and the audit trail.
    var clientKey: String { clientAddress ?? peerAddress }

    /// Who a rate limit counts: the client's IPv4 address, or its IPv6 /64 — one subscriber
    /// usually holds a whole /64, and rotating addresses inside it must not escape the limit.
    var limitKey: String { Self.limitKey(for: clientKey) }

    static func limitKey(for address: String) -> String {
        guard let bytes = IPNetwork.bytes(address) else { return address }
        guard bytes.count == 16 else { return IPNetwork.format(bytes) }
        return IPNetwork.format(Array(bytes.prefix(8)) + Array(repeating: 0, count: 8)) + "/64"
    }

    /// The other end of the connection: the client, or the nearest proxy.
    var peerAddress: String {
        switch remoteAddress {
        case .v4(let address): address.host
        case .v6(let address): address.host
        case .unixDomainSocket: "unix"
        case nil: "unknown"
        }
    }
}
