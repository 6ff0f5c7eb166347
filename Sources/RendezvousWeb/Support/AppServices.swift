import Foundation
import Logging
import RendezvousDomain
import RendezvousPersistence

/// What the web layer runs on, handed to every controller in `init`.
public struct AppServices: Sendable {
    public let persistence: Persistence
    public let clock: any Clock
    public let configuration: WebConfiguration
    public let logger: Logger
    let renderer: PageRenderer
    let cache: PageCache
    let rateLimiter: RateLimiter
    /// Every way to prove a password (the sign-in form, API tokens, a password change) and every
    /// link that leads to an account (invitations, resets) counts here: ten a quarter-hour per
    /// client address, and per account for passwords.
    let authLimiter = RateLimiter(limit: RateLimit(requests: 10, window: 900))
    let shareImages = ShareImageCache()

    public init(persistence: Persistence, clock: any Clock, configuration: WebConfiguration, logger: Logger) async throws {
        self.persistence = persistence
        self.clock = clock
        self.configuration = configuration
        self.logger = logger
        self.renderer = try await PageRenderer()
        self.cache = PageCache(ttl: configuration.pageCacheTTL)
        self.rateLimiter = RateLimiter(limit: configuration.rateLimit)
    }

    func absoluteURL(_ route: some Route) -> String {
        configuration.baseURL + route.path
    }

    /// Drops cached pages that show this event's seats.
    func eventChanged(_ event: Event.ID, chapterSlug: String? = nil) {
        var prefixes = ["event:\(event):", "home:"]
        if let chapterSlug { prefixes.append("chapter:\(chapterSlug):") } else { prefixes.append("chapter:") }
        cache.invalidate(prefixes: prefixes)
    }
}
