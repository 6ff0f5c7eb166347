#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Hummingbird
import Logging
import NIOCore

/// Which peers may tell the server who the client is, through `X-Forwarded-For` (`TRUST_PROXY`).
///
/// Each proxy appends the address it received the request from, so the list reads client-written
/// entries first and proxy-written entries last: only the entries on the right, written by our own
/// proxies, can be believed. The client is the rightmost hop that is not one of them.
public enum TrustedProxies: Sendable, Equatable {
    /// No proxy: the client is the connection's peer, and X-Forwarded-For is ignored.
    case none
    /// This many proxies in front of the server (`TRUST_PROXY=1`): the client is that many hops
    /// from the right, counting the connection's peer as the first.
    case hops(Int)
    /// Proxies by address (`TRUST_PROXY=10.0.0.0/8,192.0.2.7`): from the right, every hop inside
    /// one of these networks is a proxy; the first one outside is the client.
    case networks([IPNetwork])

    /// `off`, `0` or empty: none; a number: that many hops (`true` stands for one); otherwise a
    /// comma-separated list of addresses and CIDR blocks. Nil when the text is none of these.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if ["", "off", "0", "false", "no", "none"].contains(trimmed) {
            self = .none
        } else if trimmed == "true" || trimmed == "yes" {
            self = .hops(1)
        } else if let count = Int(trimmed) {
            guard count > 0, count <= 10 else { return nil }
            self = .hops(count)
        } else {
            var networks: [IPNetwork] = []
            for part in trimmed.split(separator: ",") {
                guard let network = IPNetwork(cidr: part.trimmingCharacters(in: .whitespaces)) else { return nil }
                networks.append(network)
            }
            guard !networks.isEmpty else { return nil }
            self = .networks(networks)
        }
    }

    /// The client's address: the peer itself, or the rightmost hop of `forwardedFor` + peer that
    /// is not a trusted proxy. If every hop is trusted, the leftmost one.
    func client(peer: String, forwardedFor: [String]) -> String {
        let chain = forwardedFor.compactMap(IPNetwork.canonical) + [peer]
        switch self {
        case .none:
            return peer
        case .hops(let count):
            let index = chain.count - 1 - count
            return index >= 0 ? chain[index] : chain[0]
        case .networks(let networks):
            for hop in chain.reversed() {
                guard let bytes = IPNetwork.bytes(hop), networks.contains(where: { $0.contains(bytes) }) else { return hop }
            }
            return chain[0]
        }
    }
}

/// An IPv4 or IPv6 block such as `10.0.0.0/8`, `2001:db8::/32`, or one address.
public struct IPNetwork: Sendable, Equatable {
    let bytes: [UInt8]
    let prefix: Int

    public init?(cidr: String) {
        let parts = cidr.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let bytes = Self.bytes(String(parts[0])) else { return nil }
        let prefix: Int
        if parts.count == 2 {
            guard let value = Int(parts[1]), value >= 0, value <= bytes.count * 8 else { return nil }
            prefix = value
        } else {
            prefix = bytes.count * 8
        }
        self.bytes = bytes
        self.prefix = prefix
    }

    func contains(_ address: [UInt8]) -> Bool {
        guard address.count == bytes.count else { return false }
        var remaining = prefix
        for index in bytes.indices where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if address[index] & mask != bytes[index] & mask { return false }
            remaining -= bits
        }
        return true
    }

    /// 4 bytes for IPv4 (IPv4-mapped IPv6 included), 16 for IPv6; nil for anything else.
    static func bytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes.prefix(10).allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF { return Array(bytes[12...]) }
        return bytes
    }

    /// One X-Forwarded-For entry as an address (`[v6]:port` and `v4:port` lose their port);
    /// an entry that is not an address is kept as written, shortened.
    static func canonical(_ entry: String) -> String? {
        var text = entry.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        guard !text.isEmpty else { return nil }
        if text.hasPrefix("["), let end = text.firstIndex(of: "]") {
            text = String(text[text.index(after: text.startIndex)..<end])
        } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            text = String(text[..<colon])
        }
        guard let bytes = bytes(text) else { return String(text.prefix(64)) }
        return format(bytes)
    }

    static func format(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        var address = in6_addr()
        withUnsafeMutableBytes(of: &address) { $0.copyBytes(from: bytes) }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count)) != nil else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Resolves the client's address once per request, before anything else reads it: every limiter,
/// the logs and the audit trail use `context.clientAddress`.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let trusted: TrustedProxies

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        var forwarded: [String] = []
        if trusted != .none {
            for value in request.headers[values: .xForwardedFor] {
                forwarded.append(contentsOf: value.split(separator: ",").map(String.init))
            }
            // Only the right end can matter; a client cannot make the server walk a long list.
            forwarded = Array(forwarded.suffix(32))
        }
        let address = trusted.client(peer: context.peerAddress, forwardedFor: forwarded)
        context.clientAddress = address
        context.logger[metadataKey: "client"] = .string(address)
        return try await next(request, context)
    }
}
