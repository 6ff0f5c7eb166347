import Foundation
import RendezvousWeb

/// Everything configurable, read from the environment, with development defaults.
public struct AppConfiguration: Sendable {
    public var databaseURL: String
    public var hostname: String
    public var port: Int
    public var baseURL: String
    public var rateLimit: RateLimit
    public var trustProxy: Bool
    public var logLevel: String

    public static let defaultDatabaseURL = "sqlite://./data/rendezvous.sqlite"

    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AppConfiguration {
        let port = Int(environment["PORT"] ?? "8080") ?? 8080
        let rateLimitText = environment["RATE_LIMIT"] ?? "30/min"
        guard let rateLimit = RateLimit(parsing: rateLimitText) else {
            throw Invalid(description: "RATE_LIMIT must look like 30/min, 5/sec, 1000/hour or off; got \(rateLimitText)")
        }
        return AppConfiguration(
            databaseURL: environment["DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultDatabaseURL,
            hostname: environment["HOSTNAME_BIND"] ?? "0.0.0.0",
            port: port,
            baseURL: environment["BASE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "http://localhost:\(port)",
            rateLimit: rateLimit,
            trustProxy: environment["TRUST_PROXY"] == "1" || environment["TRUST_PROXY"] == "true",
            logLevel: environment["LOG_LEVEL"] ?? "info")
    }

    public var web: WebConfiguration {
        WebConfiguration(baseURL: baseURL, rateLimit: rateLimit, trustProxy: trustProxy)
    }
}
