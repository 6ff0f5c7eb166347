import Foundation
import ServiceLifecycle

/// Keeps the insights' aggregates current (issue 15): every minute, one instance (a lease in the
/// database) computes the numbers of the evenings that ended or changed since, and rolls their
/// chapters up, so that the network's page finds nothing, or little, left to compute.
public struct InsightsRefreshService: Service {
    let services: AppServices
    let interval: Duration

    public init(services: AppServices, interval: Duration = .seconds(60)) {
        self.services = services
        self.interval = interval
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    _ = try await services.persistence.leases.runExclusively("insights", lease: 600) {
                        try await services.persistence.network.refreshEveningStats(now: services.clock.now())
                    }
                } catch {
                    services.logger.error("Insights refresh failed: \(error)")
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}
