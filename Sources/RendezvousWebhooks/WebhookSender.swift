import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import RendezvousDomain
import RendezvousPersistence
import ServiceLifecycle

/// Delivers the webhook queue: claims due deliveries (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so
/// with several instances each goes once), POSTs each signed body with a 10 s limit, and records
/// the answer. 2xx: delivered. 5xx, 408, 429, a timeout or no connection: tried again after 1 min,
/// 5 min, 30 min, 2 h, 12 h, then failed. Any other 4xx, or an address the policy refuses: failed
/// at once. Each attempt connects to an address the policy has just checked (a retry to the next
/// one when the name has several), so DNS rebinding cannot turn it to this machine's network. A retry sends the same id and body, signed anew. An endpoint failing for three days is
/// turned off and its organisers mailed (`WebhookStore.markAttemptFailed`).
public struct WebhookSender: Service {
    let persistence: Persistence
    let clock: any Clock
    let logger: Logger
    let policy: WebhookURLPolicy
    let interval: Duration
    let lease: TimeInterval
    let userAgent: String
    /// One attempt's limit (`WebhookRules.timeout`; shorter in tests).
    let timeout: TimeInterval
    /// The signature's timestamp: the wall clock (receivers compare it with theirs), not the
    /// application's clock.
    let wallClock: @Sendable () -> Date

    public init(persistence: Persistence, clock: any Clock, logger: Logger, policy: WebhookURLPolicy, interval: Duration = .seconds(1),
                lease: TimeInterval = 60, baseURL: String = "", timeout: TimeInterval = WebhookRules.timeout,
                wallClock: @escaping @Sendable () -> Date = { Date() }) {
        self.timeout = timeout
        self.persistence = persistence
        self.clock = clock
        self.logger = logger
        self.policy = policy
        self.interval = interval
        self.lease = lease
        self.userAgent = "Rendezvous-Webhooks/1.0" + (baseURL.isEmpty ? "" : " (+\(baseURL))")
        self.wallClock = wallClock
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    while try await deliverDue() > 0 {}
                } catch {
                    logger.error("Webhooks: \(LogRedaction.redact(String(describing: error)))")
                }
                try await Task.sleep(for: interval)
            }
        }
    }

    /// Delivers what is due now (a batch, in parallel); returns how many were tried.
    @discardableResult
    public func deliverDue(limit: Int = 20) async throws -> Int {
        let claims = try await persistence.webhooks.claimDue(now: clock.now(), limit: limit, lease: lease)
        guard !claims.isEmpty else { return 0 }
        // Clients for this batch, one per vetted host and address, shut down after it: nothing
        // outlives the batch (a graceful shutdown waits for the batch, then for these).
        let clients = Clients(timeout: timeout)
        await withTaskGroup(of: Void.self) { group in
            for claim in claims {
                group.addTask {
                    do {
                        try await deliver(claim, clients: clients)
                    } catch {
                        logger.error("Webhook \(claim.id): \(LogRedaction.redact(String(describing: error)))")
                    }
                }
            }
        }
        await clients.shutdown()
        return claims.count
    }

    /// HTTP clients that connect to a vetted address instead of resolving the name again (the
    /// client's `dnsOverride`: the connection goes to the address, while the Host header, TLS SNI
    /// and certificate check keep the name). One per host and address, so deliveries of a batch to
    /// the same endpoint share connections.
    actor Clients {
        struct Key: Hashable { var host: String; var address: String }
        let timeout: TimeInterval
        private var clients: [Key: HTTPClient] = [:]

        init(timeout: TimeInterval) { self.timeout = timeout }

        func client(for host: String, connectingTo address: String) -> HTTPClient {
            let key = Key(host: host, address: address)
            if let client = clients[key] { return client }
            var configuration = HTTPClient.Configuration(
                redirectConfiguration: .disallow,
                timeout: .init(connect: .milliseconds(Int64(timeout * 1000)), read: .milliseconds(Int64(timeout * 1000))))
            configuration.dnsOverride = [host: address]
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            clients[key] = client
            return client
        }

        func shutdown() async {
            let all = clients.values
            clients = [:]
            for client in all { try? await client.shutdown() }
        }
    }

    /// What one attempt came to.
    enum Attempt: Equatable {
        case answered(status: Int, excerpt: String)
        /// No answer: timeout, refused connection, TLS, DNS.
        case noAnswer(String)
        /// Not sent: the address is refused.
        case refused(String)
    }

    func deliver(_ claim: WebhookClaim, clients: Clients) async throws {
        let attempt = await send(claim, clients: clients)
        let now = clock.now()
        switch attempt {
        case .answered(let status, let excerpt) where WebhookRules.isSuccess(status: status):
            try await persistence.webhooks.markDelivered(claim, status: status, excerpt: excerpt, now: now)
        case .answered(let status, let excerpt):
            let retryAt = WebhookRules.shouldRetry(status: status) ? WebhookRules.retryDelay(afterAttempts: claim.attempts + 1).map(now.addingTimeInterval) : nil
            logger.info("Webhook \(claim.id) answered \(status)\(retryAt == nil ? "; failed" : "; will be retried")")
            try await fail(claim, status: status, error: excerpt, retryAt: retryAt, now: now)
        case .noAnswer(let error):
            let retryAt = WebhookRules.retryDelay(afterAttempts: claim.attempts + 1).map(now.addingTimeInterval)
            logger.info("Webhook \(claim.id) got no answer (\(LogRedaction.redact(error)))\(retryAt == nil ? "; failed" : "; will be retried")")
            try await fail(claim, status: nil, error: error, retryAt: retryAt, now: now)
        case .refused(let error):
            try await fail(claim, status: nil, error: error, retryAt: nil, now: now)
        }
    }

    func fail(_ claim: WebhookClaim, status: Int?, error: String, retryAt: Date?, now: Date) async throws {
        if try await persistence.webhooks.markAttemptFailed(claim, status: status, error: error, retryAt: retryAt, now: now) {
            logger.warning("Webhook endpoint \(claim.endpointID) failed for days: turned off, its organisers are told")
        }
    }

    func send(_ claim: WebhookClaim, clients: Clients) async -> Attempt {
        // Checked again before each attempt: a name may resolve elsewhere since it was saved. The
        // connection goes to an address that was checked, never to a second answer for the name.
        let vetted: WebhookURLPolicy.Vetted
        switch await policy.vet(claim.url) {
        case .failure(let problem): return .refused(Self.describe(problem))
        case .success(let checked): vetted = checked
        }
        let client = await clients.client(for: vetted.host, connectingTo: vetted.address(forAttempt: claim.attempts))
        var request = HTTPClientRequest(url: claim.url)
        request.method = .POST
        let timestamp = Int(wallClock().timeIntervalSince1970)
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: userAgent)
        request.headers.add(name: WebhookSignature.idHeader, value: claim.id.uuid.uuidString.lowercased())
        request.headers.add(name: WebhookSignature.typeHeader, value: claim.type.rawValue)
        request.headers.add(name: WebhookSignature.header, value: WebhookSignature.headerValue(secret: claim.secret, timestamp: timestamp, body: claim.body))
        request.body = .bytes(ByteBuffer(string: claim.body))
        do {
            let response = try await client.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
            // Only the first bytes of the answer are read and kept.
            var excerpt = ByteBuffer()
            do {
                for try await chunk in response.body {
                    var chunk = chunk
                    excerpt.writeBuffer(&chunk)
                    if excerpt.readableBytes >= WebhookRules.excerptLength { break }
                }
            } catch {}
            let text = String(decoding: excerpt.readableBytesView.prefix(WebhookRules.excerptLength), as: UTF8.self)
            return .answered(status: Int(response.status.code), excerpt: text.trimmingCharacters(in: .whitespacesAndNewlines))
        } catch {
            return .noAnswer(Self.describe(error, timeout: timeout))
        }
    }

    static func describe(_ error: any Error, timeout: TimeInterval) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return "timeout (\(Int(timeout.rounded())) s)"
            default: return String(describing: error)
            }
        }
        return String(describing: error).prefix(300).description
    }

    public static func describe(_ problem: WebhookURLPolicy.Problem) -> String {
        switch problem {
        case .invalid: "invalid address"
        case .notHTTPS: "https required"
        case .unresolvable(let host): "\(host) does not resolve"
        case .privateAddress(let host, let address): "\(host) resolves to a private address (\(address))"
        }
    }
}
