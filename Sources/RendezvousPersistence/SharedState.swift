import Foundation
import SQLKit

/// Rate-limit counters kept in the database, so that several instances on one PostgreSQL database
/// limit as one: N instances do not give N times the limit. A sliding window per key, as the
/// in-memory limiter: the last full window's count weighted by what is left of it, plus this one's.
public struct LimitStore: Store {
    public let persistence: Persistence

    struct Refused: Error { var wait: Int }

    /// Counts one attempt against every key at once, in one transaction: nil when every key allows
    /// it (and each is counted), or the seconds to wait (and none is counted). Each count is an
    /// atomic upsert, so attempts arriving together on several instances are each counted once.
    public func reserve(_ keys: [String], limit: Int, window: TimeInterval, now: TimeInterval) async throws -> Int? {
        let position = now / window
        let period = Int64(position.rounded(.down))
        let elapsed = position - Double(period)
        let expires = Int64(((Double(period) + 2) * window).rounded(.up))
        // Always in the same order: two transactions over the same keys never wait on each other in a circle.
        let keys = Array(Set(keys)).sorted()
        do {
            try await write { sql in
                for key in keys {
                    // This window's count after the upsert and the last window's, in one statement.
                    struct Hits: Decodable { var hits: Int64; var previous: Int64? }
                    let row = try await sql.raw("""
                        INSERT INTO rate_limits (bucket, period, hits, expires_at) VALUES (\(bind: key), \(bind: period), 1, \(bind: expires))
                        ON CONFLICT (bucket, period) DO UPDATE SET hits = rate_limits.hits + 1
                        RETURNING hits, (SELECT last.hits FROM rate_limits AS last WHERE last.bucket = \(bind: key) AND last.period = \(bind: period - 1)) AS previous
                        """).row(Hits.self)
                    let current = row?.hits ?? 1, previous = row?.previous ?? 0
                    let estimate = Double(previous) * (1 - elapsed) + Double(current - 1)
                    if estimate + 1 > Double(limit) {
                        throw Refused(wait: max(1, Int((window * (1 - elapsed)).rounded(.up))))
                    }
                }
            }
            return nil
        } catch let refused as Refused {
            return refused.wait
        }
    }

    /// Gives back one attempt per key (a right password is not a guess): this window's count if it
    /// has one, else the last window's.
    public func refund(_ keys: [String], window: TimeInterval, now: TimeInterval) async throws {
        let period = Int64((now / window).rounded(.down))
        for key in Set(keys) {
            for candidate in [period, period - 1] {
                let given = try await sql.raw("""
                    UPDATE rate_limits SET hits = hits - 1 WHERE bucket = \(bind: key) AND period = \(bind: candidate) AND hits > 0 RETURNING bucket
                    """).all()
                if !given.isEmpty { break }
            }
        }
    }

    /// Forgets windows that no longer count (the hourly retention run, under its lease; not in requests).
    public func prune(now: TimeInterval) async throws {
        try await sql.raw("DELETE FROM rate_limits WHERE expires_at < \(bind: Int64(now))").run()
    }
}

/// Leases on named jobs, so that of several instances one at a time runs each periodic job.
/// A lease is a row: taken by one conditional upsert, given back when the job ends, and lapsing
/// on its own after `lease` seconds if its holder died mid-run.
public struct LeaseStore: Store {
    public let persistence: Persistence

    /// Runs `body` if no other holder (another instance, or another task here) runs the job named
    /// `name` now; returns its result, or nil when the job was left to the holder. `lease` bounds how
    /// long a dead holder keeps the job from the others: longer than a run, shorter than the wait
    /// the job may bear (a job that outlives its lease may run twice at once, so jobs stay idempotent).
    public func runExclusively<T: Sendable>(_ name: String, lease: TimeInterval = 120, _ body: () async throws -> T) async throws -> T? {
        let holder = Secret.token(bytes: 12)
        guard try await acquire(name, holder: holder, lease: lease) else { return nil }
        do {
            let result = try await body()
            try? await release(name, holder: holder)
            return result
        } catch {
            try? await release(name, holder: holder)
            throw error
        }
    }

    /// Wall-clock time: leases are about processes, not about the application's clock.
    func acquire(_ name: String, holder: String, lease: TimeInterval) async throws -> Bool {
        let now = Date()
        return try await !sql.raw("""
            INSERT INTO job_leases (name, holder, until) VALUES (\(bind: name), \(bind: holder), \(bind: now.addingTimeInterval(lease)))
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until WHERE job_leases.until < \(bind: now)
            RETURNING name
            """).all().isEmpty
    }

    func release(_ name: String, holder: String) async throws {
        try await sql.raw("DELETE FROM job_leases WHERE name = \(bind: name) AND holder = \(bind: holder)").run()
    }
}

extension Persistence {
    public var limits: LimitStore { .init(persistence: self) }
    public var leases: LeaseStore { .init(persistence: self) }
}
