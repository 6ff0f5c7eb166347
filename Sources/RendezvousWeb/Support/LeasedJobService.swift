import Foundation
import RendezvousDomain
import RendezvousPersistence
import ServiceLifecycle

/// A job every instance runs on a timer and one instance at a time does (a lease in the database:
/// with several instances the others skip that round). Errors are logged, and the loop goes on.
public struct LeasedJobService: Service {
    let services: AppServices
    let name: String
    let interval: Duration
    let lease: TimeInterval
    let job: @Sendable () async throws -> Void

    public init(services: AppServices, name: String, interval: Duration, lease: TimeInterval, job: @escaping @Sendable () async throws -> Void) {
        self.services = services; self.name = name; self.interval = interval; self.lease = lease; self.job = job
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    _ = try await services.persistence.leases.runExclusively(name, lease: lease) { try await job() }
                } catch {
                    services.logger.error("\(name.prefix(1).uppercased() + name.dropFirst()) failed: \(LogRedaction.redact(String(describing: error)))")
                }
                try await Task.sleep(for: interval)
            }
        }
    }

    /// Expires unanswered waitlist offers and passes their seats on, every 30 seconds.
    public static func offerExpiry(_ services: AppServices) -> Self {
        Self(services: services, name: "offer expiry", interval: .seconds(30), lease: 60) {
            let expired = try await services.persistence.registrations.expireOffers(now: services.clock.now())
            if expired > 0 {
                services.logger.info("Expired \(expired) waitlist offers")
                services.cache.invalidate(prefixes: ["event:", "home:", "chapter:"])
            }
        }
    }

    /// The network forgets on time (`RetentionService.runOnce`), every hour.
    public static func retention(_ services: AppServices) -> Self {
        Self(services: services, name: "retention", interval: .seconds(3600), lease: 3600) { try await RetentionService.runOnce(services) }
    }

    /// Keeps the insights' aggregates current (issue 15): every minute, the numbers of the evenings
    /// that ended or changed since, and their chapters' roll-ups, so that the network's page finds
    /// nothing, or little, left to compute.
    public static func insights(_ services: AppServices) -> Self {
        Self(services: services, name: "insights", interval: .seconds(60), lease: 600) {
            try await services.persistence.network.refreshEveningStats(now: services.clock.now())
        }
    }
}
