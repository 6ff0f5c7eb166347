import Foundation
import NIOConcurrencyHelpers
import RendezvousPersistence
import ServiceLifecycle

/// Cached pages across instances: each instance publishes the pages a write made stale on
/// PostgreSQL's LISTEN/NOTIFY (channel `rendezvous_cache`) and drops those the others publish,
/// so a change made on one instance shows on every instance's pages within a moment, not a TTL.
/// SQLite serves one instance: there is no bus and nothing to publish.
enum CacheBus {
    static let channel = "rendezvous_cache"

    struct Message: Codable {
        /// The publishing instance: it has dropped its pages already.
        var from: String
        var prefixes: [String]
    }

    /// Publishes this instance's invalidations from now on (called when the instance joins the bus).
    static func connect(_ cache: PageCache, persistence: Persistence, instance: String) {
        guard persistence.hasBus else { return }
        let pending = Pending()
        cache.publish { prefixes in
            // A rush drops the same pages many times a second: what is dropped within 50 ms goes
            // out as one notification.
            guard pending.add(prefixes) else { return }
            Task {
                try? await Task.sleep(for: .milliseconds(50))
                let prefixes = pending.take()
                guard let data = try? JSONEncoder().encode(Message(from: instance, prefixes: prefixes)) else { return }
                let payload = String(decoding: data, as: UTF8.self)
                // Too long for one notification (8,000 bytes): the others drop every page instead.
                let sent = payload.utf8.count < 7_500 ? payload : #"{"from":"\#(instance)","prefixes":[""]}"#
                try? await persistence.notify(sent, channel: channel)
            }
        }
    }

    /// Prefixes dropped here and not yet published.
    final class Pending: Sendable {
        private let state = NIOLockedValueBox<(prefixes: Set<String>, scheduled: Bool)>(([], false))

        /// Adds prefixes; true when nothing was scheduled yet (the caller schedules the flush).
        func add(_ prefixes: [String]) -> Bool {
            state.withLockedValue { state in
                state.prefixes.formUnion(prefixes)
                if state.scheduled { return false }
                state.scheduled = true
                return true
            }
        }

        func take() -> [String] {
            state.withLockedValue { state in
                defer { state = ([], false) }
                return state.prefixes.sorted()
            }
        }
    }

    /// Drops the pages another instance published, until cancelled. After a lost connection every
    /// page is dropped: what was published meanwhile was missed.
    static func listen(_ services: AppServices, onListening: @escaping @Sendable () -> Void = {}) async {
        let cache = services.cache
        // The live channel's name for this instance: its own invalidations are not applied twice.
        let instance = services.live.instance
        // An instance publishes once it takes part in the bus (the server always does; a test's
        // instance only when it listens).
        connect(cache, persistence: services.persistence, instance: instance)
        await services.persistence.listen(channel: channel, onReconnect: { cache.invalidateHere(prefixes: [""]) }, onListening: onListening) { payload in
            guard let message = try? JSONDecoder().decode(Message.self, from: Data(payload.utf8)), message.from != instance else { return }
            cache.invalidateHere(prefixes: message.prefixes)
        }
    }
}

/// Listens on the cache bus for as long as the server runs (PostgreSQL; nothing to do on SQLite).
public struct CacheBusService: Service {
    let services: AppServices

    public init(services: AppServices) { self.services = services }

    public func run() async throws {
        guard services.persistence.hasBus else {
            // A service that returns would stop the server: wait for the shutdown like the others.
            try? await gracefulShutdown()
            return
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await CacheBus.listen(services) }
            try? await gracefulShutdown()
            group.cancelAll()
        }
    }
}
