import Hummingbird
import NIOCore
import Logging
import RendezvousDomain
import RendezvousPersistence
import ServiceLifecycle

/// The one wiring path, used by `rendezvous serve` and by the tests alike.
public func buildApplication(
    services: AppServices, hostname: String = "127.0.0.1", port: Int = 8080,
    backgroundServices: [any Service] = [],
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) throws -> some ApplicationProtocol {
    let router = try buildRouter(services: services)
    return Application(
        router: router,
        // Nobody holds a connection hostage: a deadline for request heads, an idle timeout, and a
        // close after an answer sent before the request body was in (see ServerTimeouts).
        server: services.configuration.serverTimeouts.http1WebSocketServer(router: router),
        // A deep accept queue: a registration rush opens hundreds of connections at once.
        configuration: .init(address: .hostname(hostname, port: port), serverName: "Rendezvous", backlog: 4096),
        services: backgroundServices,
        onServerRunning: onServerRunning,
        logger: services.logger)
}

public func buildRouter(services: AppServices) throws -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: MetricsMiddleware<AppRequestContext>())
    router.add(middleware: RequestIdMiddleware())
    // gzip for text answers, outside the error middleware so error pages are compressed too;
    // metrics still count (and time) the whole answer, compression included.
    router.add(middleware: CompressionMiddleware<AppRequestContext>())
    router.add(middleware: ClientAddressMiddleware(trusted: services.configuration.trustProxy))
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: LanguageMiddleware())
    router.add(middleware: ErrorMiddleware(renderer: services.renderer))
    router.add(middleware: OriginCheckMiddleware(origin: services.configuration.origin))
    router.add(middleware: SessionMiddleware(services: services))
    router.add(middleware: LiveHintMiddleware(live: services.live))

    let rateLimit = RateLimitMiddleware(limiter: services.rateLimiter)
    try SystemController().addRoutes(to: router)
    ReadinessController(services: services).addRoutes(to: router)
    MetricsController(services: services).addRoutes(to: router)
    let pages = PublicPagesController(services: services)
    pages.addRoutes(to: router)
    CalendarController(services: services).addRoutes(to: router)
    FollowController(services: services).addRoutes(to: router, writes: router.group().add(middleware: rateLimit))
    FeedbackController(services: services).addRoutes(to: router, writes: router.group().add(middleware: rateLimit))
    RoomLiveController(services: services).addRoutes(to: router)
    LiveController(services: services).addRoutes(to: router)
    RegistrationPagesController(services: services, pages: pages)
        .addRoutes(to: router, writes: router.group().add(middleware: rateLimit))
    QuizPlayController(services: services).addRoutes(to: router)
    IncidentReportController(services: services).addRoutes(writes: router.group().add(middleware: rateLimit))
    MeController(services: services).addRoutes(to: router, writes: router.group().add(middleware: rateLimit))
    MyDataController(services: services).addRoutes(to: router, writes: router.group().add(middleware: rateLimit))

    let signedIn = router.group().add(middleware: RequireSessionMiddleware()).add(middleware: CSRFMiddleware())
    AuthController(services: services).addRoutes(to: router, signedIn: signedIn)
    OrganizeRoutes.add(to: signedIn, services: services)
    DoorController(services: services).addRoutes(to: signedIn, router: router)
    AdminController(services: services).addRoutes(to: signedIn.group().add(middleware: RequireAdminMiddleware()), publicWrites: router.group().add(middleware: rateLimit))

    let api = router.group().add(middleware: BearerAuthMiddleware(services: services))
    APIController(services: services).addRoutes(to: api, writes: api.group().add(middleware: rateLimit))
    return router
}
