import Foundation
import Hummingbird
import RendezvousPersistence

/// `/readyz`: 200 when this instance can take traffic, 503 with the reason otherwise. `/healthz`
/// only says the process answers; a load balancer takes an instance out on `/readyz`.
struct ReadinessController {
    let services: AppServices

    struct Body: Encodable {
        var status: String
        var database: String
        var migrations: String
        var pendingMigrations: [String]
        var outbox: Outbox
        struct Outbox: Encodable { var due: Int; var oldestDueSeconds: Int; var moving: Bool }
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(PublicRoute.readyz.routerPath) { _, _ in
            let readiness = await services.persistence.readiness(now: services.clock.now())
            let body = Body(
                status: readiness.isReady ? "ready" : "not ready", database: readiness.databaseAnswers ? "ok" : "unreachable",
                migrations: readiness.pendingMigrations.isEmpty ? "current" : "pending", pendingMigrations: readiness.pendingMigrations,
                outbox: .init(due: readiness.outboxDue, oldestDueSeconds: readiness.oldestDueSeconds, moving: readiness.outboxMoving))
            var response = JSONBody.response(status: readiness.isReady ? .ok : .serviceUnavailable, body)
            response.headers[.cacheControl] = "no-store"
            return response
        }
    }
}
