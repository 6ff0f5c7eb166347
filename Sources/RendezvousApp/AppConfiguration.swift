import Foundation
import RendezvousMail
import RendezvousWeb

/// Everything configurable, read from the environment, with development defaults.
public struct AppConfiguration: Sendable {
    public var databaseURL: String
    public var hostname: String
    public var port: Int
    public var baseURL: String
    public var rateLimit: RateLimit
    public var trustProxy: TrustedProxies
    public var logLevel: String
    /// `smtp+starttls://user:pass@host:587` and friends; nil writes .eml files to `outboxDirectory`.
    public var smtpURL: String?
    public var mailFrom: String
    public var outboxDirectory: String
    /// Time for a client to send a request head (`HTTP_HEADER_TIMEOUT`), and for a keep-alive
    /// connection to sit idle (`HTTP_IDLE_TIMEOUT`), before the server hangs up.
    public var serverTimeouts: ServerTimeouts = .default
    /// Hours before an evening's start and after its end during which the door checks people in
    /// (`DOOR_WINDOW_HOURS`, 3 by default).
    public var doorWindowHours: Double = 3
    /// Seconds an outbox sender holds the messages it claimed before another may send them
    /// (`OUTBOX_LEASE`, 120 by default).
    public var outboxLease: TimeInterval = 120
    /// Seconds a webhook sender holds the deliveries it claimed before another may send them
    /// (`WEBHOOK_LEASE`, 60 by default: above the 10 s limit of one attempt, or a slow receiver
    /// would get the delivery twice).
    public var webhookLease: TimeInterval = 60
    /// `METRICS_TOKEN`: the bearer token for `/metrics` (without one, only this machine may read it).
    public var metricsToken: String? = nil

    public static let defaultDatabaseURL = "sqlite://./data/rendezvous.sqlite"

    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AppConfiguration {
        let port = Int(environment["PORT"] ?? "8080") ?? 8080
        let rateLimitText = environment["RATE_LIMIT"] ?? "30/min"
        if let smtp = environment["SMTP_URL"], !smtp.isEmpty, SMTPConfiguration(url: smtp) == nil {
            throw Invalid(description: "SMTP_URL must look like smtp+starttls://user:pass@host:587, smtps://… or smtp://…")
        }
        let trustProxyText = environment["TRUST_PROXY"] ?? ""
        guard let trustProxy = TrustedProxies(parsing: trustProxyText) else {
            throw Invalid(description: "TRUST_PROXY must be a number of proxies (1) or a comma-separated list of proxy addresses and CIDR blocks (10.0.0.0/8,192.0.2.7); got \(trustProxyText)")
        }
        guard let rateLimit = RateLimit(parsing: rateLimitText) else {
            throw Invalid(description: "RATE_LIMIT must look like 30/min, 5/sec, 1000/hour or off; got \(rateLimitText)")
        }
        func seconds(_ name: String, default value: Duration) throws -> Duration {
            guard let text = environment[name], !text.isEmpty else { return value }
            guard let duration = ServerTimeouts.seconds(parsing: text) else {
                throw Invalid(description: "\(name) must be a positive number of seconds, like 10 or 2.5; got \(text)")
            }
            return duration
        }
        let serverTimeouts = ServerTimeouts(
            header: try seconds("HTTP_HEADER_TIMEOUT", default: ServerTimeouts.default.header),
            idle: try seconds("HTTP_IDLE_TIMEOUT", default: ServerTimeouts.default.idle))
        if let format = environment["LOG_FORMAT"], !format.isEmpty, !["text", "json"].contains(format.lowercased()) {
            throw Invalid(description: "LOG_FORMAT must be text or json; got \(format)")
        }
        var doorWindowHours = 3.0
        if let text = environment["DOOR_WINDOW_HOURS"], !text.isEmpty {
            guard let hours = Double(text), hours.isFinite, hours >= 0 else {
                throw Invalid(description: "DOOR_WINDOW_HOURS must be a number of hours, like 3 or 12; got \(text)")
            }
            doorWindowHours = hours
        }
        func lease(_ name: String, default value: TimeInterval) throws -> TimeInterval {
            guard let text = environment[name], !text.isEmpty else { return value }
            guard let seconds = TimeInterval(text), seconds.isFinite, seconds >= 1 else {
                throw Invalid(description: "\(name) must be a number of seconds, at least 1, like \(Int(value)); got \(text)")
            }
            return seconds
        }
        let outboxLease = try lease("OUTBOX_LEASE", default: 120)
        let webhookLease = try lease("WEBHOOK_LEASE", default: 60)
        return AppConfiguration(
            databaseURL: environment["DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultDatabaseURL,
            hostname: environment["HOSTNAME_BIND"] ?? "0.0.0.0",
            port: port,
            baseURL: environment["BASE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "http://localhost:\(port)",
            rateLimit: rateLimit,
            trustProxy: trustProxy,
            logLevel: environment["LOG_LEVEL"] ?? "info",
            smtpURL: environment["SMTP_URL"].flatMap { $0.isEmpty ? nil : $0 },
            mailFrom: environment["MAIL_FROM"].flatMap { $0.isEmpty ? nil : $0 } ?? "rendezvous@localhost",
            outboxDirectory: environment["OUTBOX_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "./data/outbox",
            serverTimeouts: serverTimeouts, doorWindowHours: doorWindowHours, outboxLease: outboxLease, webhookLease: webhookLease,
            metricsToken: environment["METRICS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 })
    }

    public var web: WebConfiguration {
        var web = WebConfiguration(baseURL: baseURL, rateLimit: rateLimit, trustProxy: trustProxy)
        web.outboxDirectory = outboxDirectory
        web.mailUsesFiles = smtpURL == nil
        web.serverTimeouts = serverTimeouts
        web.doorWindowHours = doorWindowHours
        web.metricsToken = metricsToken
        return web
    }
}

extension AppConfiguration {
    /// The transport the outbox uses: SMTP when configured, otherwise .eml files.
    public var mailTransport: any MailTransport {
        if let smtpURL, let smtp = SMTPConfiguration(url: smtpURL, heloName: URL(string: baseURL)?.host ?? "localhost") {
            return SMTPClient(configuration: smtp)
        }
        return FileTransport(directory: outboxDirectory)
    }
}
