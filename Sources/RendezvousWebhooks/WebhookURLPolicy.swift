import Foundation
import NIOPosix
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// Where a webhook may go. An organiser could otherwise make the server call its own network
/// (SSRF): the URL must be https, its host must resolve, and every address it resolves to must
/// be public — no loopback, private, link-local, shared or multicast address — unless the
/// deployment sets `WEBHOOKS_ALLOW_PRIVATE=1` (tests, `make cluster`), which also allows plain
/// http to a loopback address. Checked when an endpoint is saved and again before every attempt
/// (a name may later resolve elsewhere); redirects are never followed. Before an attempt, `vet`
/// returns the addresses it checked and the sender connects to one of them (the HTTP client's
/// `dnsOverride`), so the name is resolved once: a DNS server that answers a public address to
/// the check and 127.0.0.1 to the connection (DNS rebinding) gets nowhere.
public struct WebhookURLPolicy: Sendable {
    public enum Problem: Error, Equatable, Sendable {
        /// Not an absolute http(s) URL with a host, too long, or with a user name or password in it.
        case invalid
        /// http (or another scheme) where https is required.
        case notHTTPS
        /// The host does not resolve.
        case unresolvable(host: String)
        /// The host resolves to an address on a private network (or this machine).
        case privateAddress(host: String, address: String)
    }

    public var allowPrivate: Bool
    /// Stands in for DNS in tests; nil resolves for real.
    public var resolver: (@Sendable (String) async -> [String])?

    public init(allowPrivate: Bool, resolver: (@Sendable (String) async -> [String])? = nil) {
        self.allowPrivate = allowPrivate
        self.resolver = resolver
    }

    public static let maxLength = 500

    /// Where a vetted URL may be sent: its host as the HTTP client reads it, and the addresses
    /// that were checked (IPv4 first). The sender connects to one of these, never to a fresh
    /// answer for `host`.
    public struct Vetted: Sendable, Equatable {
        public var host: String
        public var addresses: [String]

        /// The address for an attempt: the first, then the next one on each retry.
        public func address(forAttempt attempt: Int) -> String { addresses[max(attempt, 0) % addresses.count] }
    }

    /// The URL's problem, or nil when a webhook may be sent there.
    public func problem(with text: String) async -> Problem? {
        if case .failure(let problem) = await vet(text) { return problem }
        return nil
    }

    /// The URL checked: the addresses a webhook may be sent to, or its problem.
    public func vet(_ text: String) async -> Result<Vetted, Problem> {
        guard text.count <= Self.maxLength, !text.contains(where: { $0.isWhitespace }),
              let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "https" || scheme == "http", let host = components.host, !host.isEmpty,
              components.user == nil, components.password == nil else { return .failure(.invalid) }
        let bare = Self.trimBrackets(host)
        // The host exactly as async-http-client reads it (`URL.host`, brackets trimmed): the key of
        // its `dnsOverride`. Were they to differ, the client would resolve the name itself.
        guard let clientHost = URL(string: text)?.host.map(Self.trimBrackets), clientHost == bare else { return .failure(.invalid) }
        let addresses = await resolve(bare)
        guard !addresses.isEmpty else { return .failure(.unresolvable(host: bare)) }
        if scheme == "http" {
            // Plain http only to this machine, and only where the deployment allows it.
            guard allowPrivate, addresses.allSatisfy(Self.isLoopback) else { return .failure(.notHTTPS) }
        } else if !allowPrivate, let inner = addresses.first(where: { !Self.isPublic($0) }) {
            return .failure(.privateAddress(host: bare, address: inner))
        }
        // IPv4 first: a host without IPv6 connectivity then reaches the endpoint on the first attempt.
        let ordered = addresses.filter { Self.ipv4Bytes($0) != nil } + addresses.filter { Self.ipv4Bytes($0) == nil }
        return .success(Vetted(host: clientHost, addresses: ordered))
    }

    static func trimBrackets(_ host: String) -> String {
        host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }

    func resolve(_ host: String) async -> [String] {
        if let resolver { return await resolver(host) }
        return (try? await NIOThreadPool.singleton.runIfActive { Self.lookUp(host) }) ?? []
    }

    /// Every address `host` resolves to, as text (`127.0.0.1`, `::1`).
    static func lookUp(_ host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return [] }
        defer { freeaddrinfo(first) }
        var addresses: [String] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            if info.pointee.ai_family == AF_INET, let address = info.pointee.ai_addr {
                address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                    var inner = pointer.pointee.sin_addr
                    _ = inet_ntop(AF_INET, &inner, &buffer, socklen_t(buffer.count))
                }
                addresses.append(String(cString: buffer))
            } else if info.pointee.ai_family == AF_INET6, let address = info.pointee.ai_addr {
                address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                    var inner = pointer.pointee.sin6_addr
                    _ = inet_ntop(AF_INET6, &inner, &buffer, socklen_t(buffer.count))
                }
                addresses.append(String(cString: buffer))
            }
            cursor = info.pointee.ai_next
        }
        return Array(Set(addresses)).sorted()
    }

    static func ipv4Bytes(_ address: String) -> [UInt8]? {
        var inner = in_addr()
        guard inet_pton(AF_INET, address, &inner) == 1 else { return nil }
        return withUnsafeBytes(of: &inner) { Array($0) }
    }

    static func ipv6Bytes(_ address: String) -> [UInt8]? {
        var inner = in6_addr()
        guard inet_pton(AF_INET6, address, &inner) == 1 else { return nil }
        return withUnsafeBytes(of: &inner) { Array($0) }
    }

    public static func isLoopback(_ address: String) -> Bool {
        if let v4 = ipv4Bytes(address) { return v4[0] == 127 }
        if let v6 = ipv6Bytes(address) {
            if v6[0..<15].allSatisfy({ $0 == 0 }) && v6[15] == 1 { return true }
            if let mapped = mappedIPv4(v6) { return mapped[0] == 127 }
        }
        return false
    }

    static func mappedIPv4(_ v6: [UInt8]) -> [UInt8]? {
        v6[0..<10].allSatisfy({ $0 == 0 }) && v6[10] == 0xff && v6[11] == 0xff ? Array(v6[12..<16]) : nil
    }

    /// A public unicast address: none of loopback, "this network", private (RFC 1918), shared
    /// (100.64/10), link-local, benchmarking, documentation, multicast, reserved; for IPv6 none of
    /// ::, ::1, unique-local fc00::/7, link-local fe80::/10, multicast, and the IPv4 rules for
    /// mapped and NAT64 addresses.
    public static func isPublic(_ address: String) -> Bool {
        if let v4 = ipv4Bytes(address) { return isPublicIPv4(v4) }
        guard let v6 = ipv6Bytes(address) else { return false }
        if let mapped = mappedIPv4(v6) { return isPublicIPv4(mapped) }
        if v6[0] == 0x00, v6[1] == 0x64, v6[2] == 0xff, v6[3] == 0x9b { return isPublicIPv4(Array(v6[12..<16])) }
        if v6.allSatisfy({ $0 == 0 }) { return false }
        if v6[0..<15].allSatisfy({ $0 == 0 }) && v6[15] == 1 { return false }
        if v6[0] & 0xfe == 0xfc { return false }
        if v6[0] == 0xfe && v6[1] & 0xc0 == 0x80 { return false }
        if v6[0] == 0xff { return false }
        if v6[0] == 0x20, v6[1] == 0x01, v6[2] == 0x0d, v6[3] == 0xb8 { return false }
        return true
    }

    static func isPublicIPv4(_ b: [UInt8]) -> Bool {
        switch (b[0], b[1]) {
        case (0, _), (10, _), (127, _): return false
        case (100, 64...127): return false
        case (169, 254): return false
        case (172, 16...31): return false
        case (192, 168): return false
        case (198, 18...19): return false
        case (192, 0) where b[2] == 0 || b[2] == 2: return false
        case (198, 51) where b[2] == 100: return false
        case (203, 0) where b[2] == 113: return false
        case (224...255, _): return false
        default: return true
        }
    }
}
