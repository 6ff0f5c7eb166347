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

    init(limit: RateLimit, clock: @escaping @Sendable () -> TimeInterval = { Date().timeIntervalSince1970 }) {
        self.limit = limit
        self.clock = clock
    }

    /// Whether one more would be refused, without counting it: the seconds to wait, or nil.
    func check(_ key: String) -> Int? {
        guard limit.enabled else { return nil }
        let now = clock()
        return state.withLockedValue { windows in
            guard let window = windows[key] else { return nil }
            let windowStart = (now / limit.window).rounded(.down) * limit.window
            let elapsed = (now - windowStart) / limit.window
            let previous = window.start == windowStart ? window.previousCount : (window.start == windowStart - limit.window ? window.count : 0)
            let current = window.start == windowStart ? window.count : 0
            let estimate = Double(previous) * (1 - elapsed) + Double(current)
            return estimate + 1 > Double(limit.requests) ? max(1, Int((limit.window * (1 - elapsed)).rounded(.up))) : nil
        }
    }

    /// Counts one request; returns nil when allowed, or the seconds to wait.
    func hit(_ key: String) -> Int? {
        guard limit.enabled else { return nil }
        let now = clock()
        return state.withLockedValue { windows in
            if windows.count > 100_000 { windows.removeAll(keepingCapacity: true) }
            let windowStart = (now / limit.window).rounded(.down) * limit.window
            var window = windows[key] ?? Window(start: windowStart, previousCount: 0, count: 0)
            if window.start != windowStart {
                window.previousCount = window.start == windowStart - limit.window ? window.count : 0
                window.count = 0
                window.start = windowStart
            }
            // Weighted estimate of the last full window, so bursts at a boundary are not doubled.
            let elapsed = (now - windowStart) / limit.window
            let estimate = Double(window.previousCount) * (1 - elapsed) + Double(window.count)
            if estimate + 1 > Double(limit.requests) {
                windows[key] = window
                return max(1, Int((limit.window * (1 - elapsed)).rounded(.up)))
            }
            window.count += 1
            windows[key] = window
            return nil
        }
    }
}

/// Applies the limiter to the routes it wraps.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let limiter: RateLimiter
    let trustProxy: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method != .get, request.method != .head {
            var key = context.clientKey
            if trustProxy, let forwarded = request.headers[.xForwardedFor]?.split(separator: ",").first {
                key = forwarded.trimmingCharacters(in: .whitespaces)
            }
            if let wait = limiter.hit(key) {
                throw AppError.rateLimited(retryAfter: wait)
            }
        }
        return try await next(request, context)
    }
}
