import Foundation
import NIOCore
import NIOPosix
import RendezvousDomain
@testable import RendezvousPersistence
@testable import RendezvousWebhooks
import Synchronization
import Testing

/// DNS rebinding: the policy checks where a name resolves, then the connection must go to an
/// address it checked. Were the HTTP client to resolve the name again, a DNS server could answer
/// a public address to the check and 127.0.0.1 (or 169.254.169.254) to the connection. Tested
/// against real sockets on loopback; the test resolver answers what an attacker's DNS would, and
/// the system's own resolver still knows `localhost` as this machine.
@Suite("Webhooks: no DNS rebinding")
struct WebhookRebindingTests {
    /// The receiver sees a request only when the vetted address is its own: a made-up name vetted
    /// as the receiver's address reaches it (the system's DNS has never heard of the name), and
    /// `localhost` vetted as 127.0.0.2 does not (the system resolves it to the receiver's 127.0.0.1).
    @Test(arguments: DatabaseKind.available)
    func theConnectionGoesToTheVettedAddress(_ kind: DatabaseKind) async throws {
        try await withApp(kind, configure: WebhookTests.allowPrivate) { app in
            try await WebhookReceiver.run(on: "127.0.0.1") { receiver, port in
                let chapter = try await Fixture.chapter(app.persistence)
                let webhooks = app.persistence.webhooks
                let (madeUp, _) = try await webhooks.createEndpoint(chapter: chapter.id, url: "http://hooks.rebinding.test:\(port)/hook/made-up",
                                                                   types: [], includeEmail: false, now: app.clock.now())
                let (elsewhere, _) = try await webhooks.createEndpoint(chapter: chapter.id, url: "http://localhost:\(port)/hook/elsewhere",
                                                                      types: [], includeEmail: false, now: app.clock.now())
                _ = try await webhooks.enqueuePing(madeUp.id, of: chapter.id, now: app.clock.now())
                _ = try await webhooks.enqueuePing(madeUp.id, of: chapter.id, now: app.clock.now())
                let policy = WebhookURLPolicy(allowPrivate: true, resolver: { host in
                    switch host {
                    case "hooks.rebinding.test": ["127.0.0.1"]
                    case "localhost": ["127.0.0.2"]
                    default: []
                    }
                })
                try await WebhookTests.drain(WebhookSender(persistence: app.persistence, clock: app.clock, logger: testLogger, policy: policy, timeout: 15))
                // Nothing listens on 127.0.0.2: the client tries to connect until the limit, kept short here.
                _ = try await webhooks.enqueuePing(elsewhere.id, of: chapter.id, now: app.clock.now())
                try await WebhookTests.drain(WebhookSender(persistence: app.persistence, clock: app.clock, logger: testLogger, policy: policy, timeout: 1))

                let received = await receiver.received
                #expect(received.map(\.path) == ["/hook/made-up", "/hook/made-up"])
                #expect(received.allSatisfy { $0.host == "hooks.rebinding.test:\(port)" }, "the Host header keeps the name")
                let delivered = try await webhooks.deliveries(of: madeUp.id, chapter: chapter.id)
                #expect(delivered.count == 2 && delivered.allSatisfy { $0.status == .delivered })
                let refused = try #require(try await webhooks.deliveries(of: elsewhere.id, chapter: chapter.id).first)
                #expect(refused.status == .pending && refused.attempts == 1 && refused.responseStatus == nil && !refused.lastError.isEmpty, "\(refused.lastError)")
            }
        }
    }

    /// The rebinding attack itself, with the deployment's rules (no private addresses): the name
    /// answers a public address to the check, then 127.0.0.1. Nothing ever connects to the
    /// loopback listener: the first attempt goes to the public address it checked, the retry's
    /// check sees 127.0.0.1 and refuses. The name is `localhost`, so a client resolving it again
    /// would reach the listener.
    @Test func aRebindingNameReachesNothingOnLoopback() async throws {
        try await withApp(.sqlite) { app in
            try await ConnectionCounter.run { counter, port in
                let chapter = try await Fixture.chapter(app.persistence)
                let webhooks = app.persistence.webhooks
                let (endpoint, _) = try await webhooks.createEndpoint(chapter: chapter.id, url: "https://localhost:\(port)/hook",
                                                                     types: [], includeEmail: false, now: app.clock.now())
                _ = try await webhooks.enqueuePing(endpoint.id, of: chapter.id, now: app.clock.now())
                let lookups = Atomic<Int>(0)
                let policy = WebhookURLPolicy(allowPrivate: false, resolver: { _ in
                    lookups.add(1, ordering: .relaxed).newValue == 1 ? ["93.184.216.34"] : ["127.0.0.1"]
                })
                // The public address is never meant to answer on that port: refused or, at worst, 2 s.
                let sender = WebhookSender(persistence: app.persistence, clock: app.clock, logger: testLogger, policy: policy, timeout: 2)

                try await WebhookTests.drain(sender)
                #expect(lookups.load(ordering: .relaxed) == 1, "the name is looked up once per attempt")
                #expect(counter.accepted == 0, "nothing reached the loopback listener")
                let first = try #require(try await webhooks.deliveries(of: endpoint.id, chapter: chapter.id).first)
                #expect(first.status == .pending && first.attempts == 1 && first.responseStatus == nil)

                app.clock.advance(by: 61)
                try await WebhookTests.drain(sender)
                #expect(counter.accepted == 0)
                let second = try #require(try await webhooks.deliveries(of: endpoint.id, chapter: chapter.id).first)
                #expect(second.status == .failed && second.lastError == "localhost resolves to a private address (127.0.0.1)")
            }
        }
    }

    @Test func vettingReturnsTheCheckedAddressesIPv4First() async {
        let policy = WebhookURLPolicy(allowPrivate: false, resolver: { _ in ["2606:4700::1111", "93.184.216.34"] })
        let vetted = await policy.vet("https://Hooks.Example.org:8443/x")
        #expect(vetted == .success(.init(host: "Hooks.Example.org", addresses: ["93.184.216.34", "2606:4700::1111"])))
        if case .success(let checked) = vetted {
            #expect([0, 1, 2].map(checked.address(forAttempt:)) == ["93.184.216.34", "2606:4700::1111", "93.184.216.34"])
        }
        let literal = WebhookURLPolicy(allowPrivate: true, resolver: { _ in ["::1"] })
        #expect(await literal.vet("http://[::1]:8080/x") == .success(.init(host: "::1", addresses: ["::1"])))
    }
}

/// A TCP listener on 127.0.0.1 that only counts the connections it accepts (and closes them):
/// whether anything reached this machine at all, whatever the protocol.
final class ConnectionCounter: Sendable {
    private let count = Atomic<Int>(0)
    var accepted: Int { count.load(ordering: .relaxed) }

    static func run<T: Sendable>(_ body: @Sendable (ConnectionCounter, Int) async throws -> T) async throws -> T {
        let counter = ConnectionCounter()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                counter.count.add(1, ordering: .relaxed)
                return child.close()
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        do {
            let result = try await body(counter, port)
            try? await channel.close()
            return result
        } catch {
            try? await channel.close()
            throw error
        }
    }
}
