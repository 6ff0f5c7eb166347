import Foundation
import SQLKit

/// Whether an instance can take traffic: the database answers, every migration this build knows
/// is applied, and the outbox is moving (no message has been due for longer than `stuckAfter`).
public struct Readiness: Sendable, Equatable {
    public var databaseAnswers: Bool
    /// Migrations this build knows that the database has not applied (an instance started on an
    /// older schema, or a newer build before `rendezvous migrate`).
    public var pendingMigrations: [String]
    public var outboxDue: Int
    /// Seconds since the oldest due message became due (0 when none is).
    public var oldestDueSeconds: Int
    public var outboxMoving: Bool

    public var isReady: Bool { databaseAnswers && pendingMigrations.isEmpty && outboxMoving }

    /// A message due for longer than this means the senders are stuck (every instance sends).
    public static let stuckAfter: TimeInterval = 15 * 60
}

extension Persistence {
    /// The readiness probe's answer; never throws (a database that fails answers `false`).
    public func readiness(now: Date) async -> Readiness {
        var result = Readiness(databaseAnswers: false, pendingMigrations: [], outboxDue: 0, oldestDueSeconds: 0, outboxMoving: false)
        do {
            struct One: Decodable { var one: Int }
            _ = try await sql.raw("SELECT 1 AS one").row(One.self)
            result.databaseAnswers = true
            struct Applied: Decodable { var name: String }
            let applied = Set(try await sql.raw("SELECT name FROM _fluent_migrations").rows(Applied.self).map(\.name))
            result.pendingMigrations = AllMigrations.list.map(\.name).filter { !applied.contains($0) }
            struct Due: Decodable { var count: Int; var oldest: Date? }
            let due = try await sql.raw("""
                SELECT COUNT(*) AS count, MIN(next_attempt_at) AS oldest FROM outbox
                WHERE status = 'pending' AND next_attempt_at <= \(bind: now)
                """).row(Due.self)
            result.outboxDue = due?.count ?? 0
            result.oldestDueSeconds = due?.oldest.map { max(0, Int(now.timeIntervalSince($0))) } ?? 0
            result.outboxMoving = Double(result.oldestDueSeconds) <= Readiness.stuckAfter
        } catch {
            logger.warning("readiness: \(String(describing: error))")
        }
        return result
    }
}
