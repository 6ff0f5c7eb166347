import Foundation
import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers
import RendezvousPersistence

/// A sliding-window counter per client address for public writes. On SQLite (one instance) the
/// counts are in memory; on PostgreSQL they are in the database (`LimitStore`, one atomic upsert
/// per key and window), so several instances limit as one instead of giving N times the limit.
/// Should the database not answer, the instance limits on its own until it does.
final class RateLimiter: Sendable {
    /// The database's counters and this limiter's name in them (its keys are prefixed with it).
    struct Shared: Sendable {
        var store: LimitStore
        var name: String
    }

    private struct Window {
        var start: TimeInterval
        var previousCount: Int
        var count: Int
    }

    private let limit: RateLimit
    private let state = NIOLockedValueBox<[String: Window]>([:])
    private let clock: @Sendable () -> TimeInterval

    /// Keys kept before the table is pruned.
    private let capacity: Int

    private let shared: Shared?

    init(limit: RateLimit, capacity: Int = 100_000, shared: Shared? = nil,
         clock: @escaping @Sendable () -> TimeInterval = { Date().timeIntervalSince1970 }) {
        self.limit = limit
        self.shared = shared
        self.capacity = capacity
        self.clock = clock
    }

    /// Makes room without forgetting who is limited: windows that have ended go first, then keys
    /// with few requests. A flood of one-shot keys (rotating addresses, random emails) can
    /// therefore never wipe a lockout, as clearing the whole table would.
    private func prune(_ windows: inout [String: Window], windowStart: TimeInterval) {
        windows = windows.filter { $0.value.start >= windowStart - limit.window }
        guard windows.count > capacity * 9 / 10 else { return }
        let busy = max(1, limit.requests / 2)
        windows = windows.filter { $0.value.count + $0.value.previousCount >= busy }
    }

    /// Counts one request; returns nil when allowed, or the seconds to wait.
    func hit(_ key: String) async -> Int? {
        await reserve([key])
    }

    /// Counts one attempt against every key at once (under one lock, or in one transaction) before
    /// the work it guards starts: nil when all keys allow it (and each is counted), or the seconds
    /// to wait (and none is). Thirty attempts arriving together cannot all pass a check that counts
    /// only afterwards, on one instance or spread over several.
    func reserve(_ keys: [String]) async -> Int? {
        guard limit.enabled else { return nil }
        if let shared {
            do {
                return try await shared.store.reserve(keys.map { shared.name + "|" + $0 }, limit: limit.requests, window: limit.window, now: clock())
            } catch {
                // The database is the source of truth; while it does not answer, count here.
            }
        }
        return reserveHere(keys)
    }

    /// The in-memory count (SQLite, or while the database does not answer).
    func reserveHere(_ keys: [String]) -> Int? {
        guard limit.enabled else { return nil }
        let now = clock()
        return state.withLockedValue { windows in
            let windowStart = (now / limit.window).rounded(.down) * limit.window
            if windows.count > capacity { prune(&windows, windowStart: windowStart) }
            // Weighted estimate of the last full window, so bursts at a boundary are not doubled.
            let elapsed = (now - windowStart) / limit.window
            var updated: [(String, Window)] = []
            for key in keys {
                var window = windows[key] ?? Window(start: windowStart, previousCount: 0, count: 0)
                if window.start != windowStart {
                    window.previousCount = window.start == windowStart - limit.window ? window.count : 0
                    window.count = 0
                    window.start = windowStart
                }
                let estimate = Double(window.previousCount) * (1 - elapsed) + Double(window.count)
                if estimate + 1 > Double(limit.requests) {
                    return max(1, Int((limit.window * (1 - elapsed)).rounded(.up)))
                }
                window.count += 1
                updated.append((key, window))
            }
            for (key, window) in updated { windows[key] = window }
            return nil
        }
    }

    /// Gives back attempts reserved by `reserve` (a sign-in that succeeded is not a guess).
    func refund(_ keys: [String]) async {
        guard limit.enabled else { return }
        if let shared, (try? await shared.store.refund(keys.map { shared.name + "|" + $0 }, window: limit.window, now: clock())) != nil {
            return
        }
        refundHere(keys)
    }

    func refundHere(_ keys: [String]) {
        guard limit.enabled else { return }
        let windowStart = (clock() / limit.window).rounded(.down) * limit.window
        state.withLockedValue { windows in
            for key in keys {
                guard var window = windows[key] else { continue }
                if window.start == windowStart, window.count > 0 {
                    window.count -= 1
                } else if window.start == windowStart - limit.window, window.count > 0 {
                    window.count -= 1
                } else if window.start == windowStart, window.previousCount > 0 {
                    window.previousCount -= 1
                }
                windows[key] = window
            }
        }
    }
}

/// Applies the limiter to the routes it wraps, per client address (see `ClientAddressMiddleware`).
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let limiter: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method != .get, request.method != .head, let wait = await limiter.hit(context.limitKey) {
            throw AppError.rateLimited(retryAfter: wait)
        }
        return try await next(request, context)
    }
}
