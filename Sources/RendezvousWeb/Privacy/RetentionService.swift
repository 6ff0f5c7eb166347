import Foundation
import RendezvousDomain
import RendezvousPersistence
import ServiceLifecycle

/// The network forgets on time: every `interval`, anonymises the registrations of events that
/// ended more than the retention ago (a network setting, 24 months by default), strips personal
/// details from older activity-log entries, and deletes the .eml copies of the emptied messages.
/// Safe on several instances: each event is claimed by a conditional UPDATE.
/// Run every hour by `LeasedJobService.retention`.
public enum RetentionService {
    /// One run: the database, then the outbox's .eml files, then cached pages, then the rate-limit
    /// windows that no longer count (wall-clock time, as the limiters count), then the webhook
    /// deliveries past `WebhookRules.keepDeliveries`.
    @discardableResult
    public static func runOnce(_ services: AppServices) async throws -> RetentionRun {
        let run = try await services.persistence.privacy.runRetention(now: services.clock.now())
        removeMessageFiles(run.outboxIDs, directory: services.configuration.outboxDirectory)
        if run.events > 0 || run.auditEntries > 0 {
            services.logger.info("Retention: anonymised \(run.registrations) registrations of \(run.events) events, \(run.auditEntries) log entries")
            services.cache.invalidate(prefixes: ["event:", "home:", "chapter:"])
        }
        try await services.persistence.limits.prune(now: Date().timeIntervalSince1970)
        try await services.persistence.webhooks.prune(now: services.clock.now())
        return run
    }

    /// The file transport names each message `outbox-<id>.eml` (see `MessageComposer.messageID`).
    static func removeMessageFiles(_ ids: [UUID], directory: String) {
        for id in ids {
            let path = URL(fileURLWithPath: directory).appendingPathComponent("outbox-\(id.uuidString.lowercased()).eml").path
            try? FileManager.default.removeItem(atPath: path)
        }
    }
}
