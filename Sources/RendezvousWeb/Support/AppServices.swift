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
    let authLimiter: RateLimiter
    /// Refused bingo ticks per card: playing needs a few, guessing who has which fact needs many.
    /// A tick that counts gives its place back. Not per address: a room shares one Wi-Fi address.
    /// Counted on each instance, not in the database: the key is one card, so N instances allow at
    /// most N times a budget that is far below guessing, and a tick costs no database round trip.
    let bingoRefusals: RateLimiter
    let roomNames = RoomNamesCache()
    /// Joining a quiz: a whole room of phones shares the venue's one address, so the budget is a
    /// room's (a thousand joins in ten minutes per address), not the public forms' thirty a minute.
    let quizJoins: RateLimiter
    /// Wrong join codes per address (a right one gives its place back): six digits cannot be tried
    /// one after the other.
    let quizGuesses: RateLimiter
    /// The evening's live channel: connections here, and the bus to the other instances.
    public let live: LiveService

    /// Runs a bingo tick under the card's refusal budget: 429 once the card has had too many
    /// refusals lately; a tick that is accepted is not counted.
    func guardedTick<T: Sendable>(card holder: Registration.ID, _ tick: () async throws -> T) async throws -> T {
        let key = "bingo:\(holder)"
        if let wait = await bingoRefusals.reserve([key]) { throw AppError.rateLimited(retryAfter: wait) }
        let result = try await tick()
        await bingoRefusals.refund([key])
        return result
    }
    let passwordAttempts: PasswordAttempts
    let shareImages = ShareImageCache()

    public init(persistence: Persistence, clock: any Clock, configuration: WebConfiguration, logger: Logger) async throws {
        self.persistence = persistence
        self.clock = clock
        self.configuration = configuration
        self.logger = logger
        self.renderer = try await PageRenderer()
        self.cache = PageCache(ttl: configuration.pageCacheTTL)
        // On PostgreSQL every instance counts in the database: the limits hold for the whole network.
        let store: LimitStore? = persistence.kind == .postgres ? persistence.limits : nil
        func shared(_ name: String) -> RateLimiter.Shared? { store.map { .init(store: $0, name: name) } }
        self.rateLimiter = RateLimiter(limit: configuration.rateLimit, shared: shared("public"))
        self.authLimiter = RateLimiter(limit: RateLimit(requests: 10, window: 900), shared: shared("auth"))
        self.bingoRefusals = RateLimiter(limit: RateLimit(requests: 12, window: 600), shared: nil)
        self.passwordAttempts = PasswordAttempts(shared: store)
        let limits = configuration.rateLimit.enabled
        self.quizJoins = RateLimiter(limit: limits ? RateLimit(requests: 1000, window: 600) : .off, shared: shared("quiz-join"))
        self.quizGuesses = RateLimiter(limit: limits ? RateLimit(requests: 30, window: 600) : .off, shared: shared("quiz-guess"))
        self.live = LiveService(persistence: persistence, clock: clock, logger: logger)
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

/// Password guesses (the sign-in form, API tokens, a password change), counted before the check.
/// Ten a quarter-hour per client network, and per account from that network; fifty per account
/// from everywhere. One address therefore cannot lock an account's owner out, and guesses spread
/// over many addresses still get at most fifty an account.
struct PasswordAttempts: Sendable {
    let perClient: RateLimiter
    let perAccount: RateLimiter

    /// `shared`: the database's counters (PostgreSQL), so a lockout holds on every instance.
    init(shared: LimitStore? = nil) {
        perClient = RateLimiter(limit: RateLimit(requests: 10, window: 900), shared: shared.map { .init(store: $0, name: "password-client") })
        perAccount = RateLimiter(limit: RateLimit(requests: 50, window: 900), shared: shared.map { .init(store: $0, name: "password-account") })
    }

    private func keys(_ email: String, _ client: String) -> (local: [String], account: [String]) {
        let account = EmailAddress.normalize(email)
        return (["signin:" + client, "account:\(account)|\(client)"], ["account:" + account])
    }

    /// Nil when the attempt may go ahead (and is counted), or the seconds to wait.
    func reserve(email: String, client: String) async -> Int? {
        let (local, account) = keys(email, client)
        if let wait = await perClient.reserve(local) { return wait }
        if let wait = await perAccount.reserve(account) {
            await perClient.refund(local)
            return wait
        }
        return nil
    }

    /// A right password is not a guess: its attempt is given back.
    func refund(email: String, client: String) async {
        let (local, account) = keys(email, client)
        await perClient.refund(local)
        await perAccount.refund(account)
    }
}
