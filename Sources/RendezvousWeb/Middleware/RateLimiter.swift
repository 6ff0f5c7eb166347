import Foundation
import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers

/// A sliding-window counter per client address for public writes. In memory: each instance of a
/// multi-instance deployment limits on its own, which bounds abuse at N times the limit.
final class RateLimiter: Sendable {
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

    init(limit: RateLimit, capacity: Int = 100_000, clock: @escaping @Sendable () -> TimeInterval = { Date().timeIntervalSince1970 }) {
        self.limit = limit
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
    func hit(_ key: String) -> Int? {
        reserve([key])
    }

    /// Counts one attempt against every key at once, under one lock, before the work it guards
    /// starts: nil when all keys allow it (and each is counted), or the seconds to wait (and none
    /// is). Thirty attempts arriving together cannot all pass a check that counts only afterwards.
    func reserve(_ keys: [String]) -> Int? {
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
    func refund(_ keys: [String]) {
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
        if request.method != .get, request.method != .head, let wait = limiter.hit(context.limitKey) {
            throw AppError.rateLimited(retryAfter: wait)
        }
        return try await next(request, context)
    }
}
