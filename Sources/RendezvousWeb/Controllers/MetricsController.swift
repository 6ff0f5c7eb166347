import Foundation
import Hummingbird
import Metrics
import NIOConcurrencyHelpers
import Prometheus
import RendezvousDomain
import RendezvousPersistence

/// `/metrics` in Prometheus' text format: every request by route, method and status with a
/// latency histogram (Hummingbird's `MetricsMiddleware` through swift-metrics), registrations,
/// seats, the outbox's depth and oldest due message, live connections. Read with
/// `Authorization: Bearer $METRICS_TOKEN`; without a token configured, only from this machine
/// (loopback), so a public instance never shows its numbers.
struct MetricsController {
    let services: AppServices

    /// One registry per process: swift-metrics is bootstrapped once.
    static let registry: PrometheusCollectorRegistry = {
        var factory = PrometheusMetricsFactory(registry: PrometheusMetricsFactory.defaultRegistry)
        factory.defaultDurationHistogramBuckets = [.milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                                                   .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10)]
        MetricsSystem.bootstrap(factory)
        return factory.registry
    }()

    static func bootstrap() { _ = registry }

    /// Counted where a registration is acknowledged (form and API).
    static func registered(_ outcome: String) {
        Counter(label: "rendezvous_registrations_total", dimensions: [("outcome", outcome)]).increment()
    }

    struct Gauges {
        let seatsTaken = registry.makeGauge(name: "rendezvous_seats_taken", help: "Seats held (confirmed or offered) at published meetups to come")
        let waiting = registry.makeGauge(name: "rendezvous_waitlist", help: "People on waitlists of published meetups to come")
        let outboxDue = registry.makeGauge(name: "rendezvous_outbox_due", help: "Messages due to be sent now")
        let outboxOldest = registry.makeGauge(name: "rendezvous_outbox_oldest_due_seconds", help: "Seconds since the oldest due message became due")
        let liveConnections = registry.makeGauge(name: "rendezvous_live_connections", help: "Open live-channel connections (WebSocket and SSE) on this instance")
        let ready = registry.makeGauge(name: "rendezvous_ready", help: "1 when /readyz answers ready")
        let webhooksPending = registry.makeGauge(name: "rendezvous_webhooks_pending", help: "Webhook deliveries waiting (first attempt or retry) to enabled endpoints")
        let webhooksOldest = registry.makeGauge(name: "rendezvous_webhooks_oldest_pending_seconds", help: "Seconds since the oldest waiting webhook delivery was queued")
        let webhooksFailed = registry.makeGauge(name: "rendezvous_webhooks_failed_last_day", help: "Webhook deliveries that failed for good in the last 24 hours")
        let webhooksDisabled = registry.makeGauge(name: "rendezvous_webhooks_disabled_endpoints", help: "Webhook endpoints turned off (by organisers or after failing for days)")
    }
    /// Made on first use (a static is lazy and thread-safe), after the registry above.
    static let gauges = Gauges()

    func addRoutes(to router: Router<AppRequestContext>) {
        Self.bootstrap()
        router.get(PublicRoute.metrics.routerPath) { request, context in
            try authorize(request, context)
            let gauges = Self.gauges
            let now = services.clock.now()
            let readiness = await services.persistence.readiness(now: now)
            let seats = try await services.persistence.events.upcomingSeats(now: now)
            gauges.seatsTaken.set(Double(seats.taken))
            gauges.waiting.set(Double(seats.waiting))
            gauges.outboxDue.set(Double(readiness.outboxDue))
            gauges.outboxOldest.set(Double(readiness.oldestDueSeconds))
            gauges.liveConnections.set(Double(services.live.hub.count))
            gauges.ready.set(readiness.isReady ? 1.0 : 0.0)
            let webhooks = try await services.persistence.webhooks.gauges(now: now)
            gauges.webhooksPending.set(Double(webhooks.pending))
            gauges.webhooksOldest.set(webhooks.oldestPendingAge.rounded())
            gauges.webhooksFailed.set(Double(webhooks.failedLastDay))
            gauges.webhooksDisabled.set(Double(webhooks.disabledEndpoints))
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(bytes: Self.registry.emitToBuffer())))
        }
    }

    func authorize(_ request: Request, _ context: AppRequestContext) throws {
        if let token = services.configuration.metricsToken, !token.isEmpty {
            let given = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil } ?? ""
            guard constantTimeEquals(given, token) else { throw AppError.notFound }
        } else {
            let peer = context.peerAddress
            guard peer == "127.0.0.1" || peer == "::1" || peer.hasPrefix("::ffff:127.") else { throw AppError.notFound }
            // Behind a proxy on this machine, the proxy's clients are not this machine.
            guard request.headers[.xForwardedFor] == nil else { throw AppError.notFound }
        }
    }
}
