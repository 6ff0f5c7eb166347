import Foundation
@testable import RendezvousWeb
import Testing

/// Rate limits that cannot be escaped by rotating addresses, wiped by flooding the table, or
/// turned against an account's owner.
@Suite("Rate limits and lockouts")
struct LimiterTests {
    @Test func ipv6ClientsAreCountedPerSlash64() {
        let a = AppRequestContext.limitKey(for: "2001:db8:1:2:aaaa::1")
        let b = AppRequestContext.limitKey(for: "2001:db8:1:2:ffff:ffff:ffff:ffff")
        #expect(a == b, "addresses of one /64 share a limit")
        #expect(a != AppRequestContext.limitKey(for: "2001:db8:1:3::1"))
        #expect(AppRequestContext.limitKey(for: "203.0.113.7") == "203.0.113.7")
        #expect(AppRequestContext.limitKey(for: "::ffff:203.0.113.7") == "203.0.113.7")
    }

    @Test func aFloodOfNewKeysNeverWipesALockout() async {
        let now = 1_000_000.0
        let limiter = RateLimiter(limit: RateLimit(requests: 10, window: 900), capacity: 1_000, clock: { now })
        for _ in 0..<10 { #expect(await limiter.reserve(["account:admin"]) == nil) }
        #expect(await limiter.reserve(["account:admin"]) != nil, "locked after ten")
        // 5,000 one-shot keys from rotating addresses: the table is pruned several times.
        for index in 0..<5_000 { _ = await limiter.hit("reset:2001:db8::\(String(index, radix: 16))") }
        #expect(await limiter.reserve(["account:admin"]) != nil, "the lockout survived the flood")
    }

    @Test func oneAddressCannotLockTheOwnerOut() async {
        let attempts = PasswordAttempts()
        for _ in 0..<10 { #expect(await attempts.reserve(email: "admin@example.org", client: "198.51.100.66") == nil) }
        #expect(await attempts.reserve(email: "admin@example.org", client: "198.51.100.66") != nil, "the attacker is limited")
        #expect(await attempts.reserve(email: "Admin@Example.org", client: "203.0.113.7") == nil, "the owner, elsewhere, is not")
    }

    @Test func guessesSpreadOverAddressesStopAtFiftyPerAccount() async {
        let attempts = PasswordAttempts()
        var allowed = 0
        for address in 0..<20 {
            for _ in 0..<10 where await attempts.reserve(email: "admin@example.org", client: "198.51.100.\(address)") == nil { allowed += 1 }
        }
        #expect(allowed == 50)
    }
}
