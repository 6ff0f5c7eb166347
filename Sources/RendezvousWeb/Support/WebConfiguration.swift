import Foundation

/// What the web layer needs to know about its deployment.
public struct WebConfiguration: Sendable {
    /// The public address of the site, used in links sent outside a page (manage links, API `url`s).
    public var baseURL: String
    public var rateLimit: RateLimit
    /// How stale a cached public page may be; the brief allows one second.
    public var pageCacheTTL: TimeInterval
    /// The reverse proxies whose X-Forwarded-For entries tell the client's address (`TRUST_PROXY`).
    public var trustProxy: TrustedProxies
    /// Where the file transport writes .eml files (listed on the organiser's outbox page).
    public var outboxDirectory: String = "./data/outbox"
    /// True when no SMTP server is configured and messages become .eml files.
    public var mailUsesFiles = true
    /// Header-read and keep-alive idle timeouts of the HTTP server.
    public var serverTimeouts: ServerTimeouts = .default
    /// The door admits from this many hours before an evening's start until this many after its
    /// end (`DOOR_WINDOW_HOURS`).
    public var doorWindowHours: Double = 3
    /// `METRICS_TOKEN`: the bearer token `/metrics` asks for; nil answers this machine only.
    public var metricsToken: String? = nil
    /// `WEBHOOKS_ALLOW_PRIVATE=1`: webhooks may go to loopback and private addresses (and plain
    /// http to loopback). Off by default: an organiser cannot make the server call its own network.
    public var webhooksAllowPrivate: Bool = ProcessInfo.processInfo.environment["WEBHOOKS_ALLOW_PRIVATE"] == "1"

    public init(baseURL: String = "http://localhost:8080", rateLimit: RateLimit = .default, pageCacheTTL: TimeInterval = 1, trustProxy: TrustedProxies = .none) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.rateLimit = rateLimit
        self.pageCacheTTL = pageCacheTTL
        self.trustProxy = trustProxy
    }

    /// `scheme://host[:port]` of `baseURL`, lowercased, as a browser writes it in `Origin`.
    public var origin: String { Self.origin(of: baseURL) ?? baseURL.lowercased() }

    static func origin(of url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              let host = components.host?.lowercased(), !host.isEmpty else { return nil }
        let defaultPort = scheme == "https" ? 443 : scheme == "http" ? 80 : nil
        let port = components.port.flatMap { $0 == defaultPort ? nil : $0 }
        return "\(scheme)://\(host)" + (port.map { ":\($0)" } ?? "")
    }
}

/// `RATE_LIMIT=30/min`, `5/sec`, `1000/hour` or `off`.
public struct RateLimit: Sendable, Equatable {
    public var requests: Int
    public var window: TimeInterval
    public var enabled: Bool

    public static let `default` = RateLimit(requests: 30, window: 60, enabled: true)
    public static let off = RateLimit(requests: 0, window: 1, enabled: false)

    public init(requests: Int, window: TimeInterval, enabled: Bool = true) {
        self.requests = requests
        self.window = window
        self.enabled = enabled
    }

    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if ["off", "0", "none", "false"].contains(trimmed) {
            self = .off
            return
        }
        let parts = trimmed.split(separator: "/")
        guard parts.count == 2, let count = Int(parts[0]), count > 0 else { return nil }
        let window: TimeInterval
        switch parts[1] {
        case "s", "sec", "second": window = 1
        case "m", "min", "minute": window = 60
        case "h", "hour": window = 3600
        default: return nil
        }
        self.init(requests: count, window: window)
    }
}
