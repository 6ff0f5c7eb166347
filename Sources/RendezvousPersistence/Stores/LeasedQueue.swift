import Foundation
import SQLKit

/// A row of a leased queue, as its claim returns it.
protocol LeasedQueueRow: Decodable {
    var id: UUID { get }
    var nextAttemptAt: Date { get }
}

/// A table used as a queue by background senders on every instance: the outbox and the webhook
/// deliveries. A row is due while `status = 'pending'`, its `next_attempt_at` has passed and no
/// sender holds a live claim (`claimed_until`, `claim`). A claim lapses after its lease, so a
/// crashed sender's rows are taken again; the sender's answer counts only under its claim.
struct LeasedQueue {
    let table: String

    static let outbox = LeasedQueue(table: "outbox")
    static let webhookDeliveries = LeasedQueue(table: "webhook_deliveries")

    /// Claims up to `limit` due rows (and matching `filter`), the most overdue first, each with the
    /// claim token its answer must show. On PostgreSQL one `UPDATE … FOR UPDATE SKIP LOCKED`
    /// claims the batch: the due rows are locked as they are chosen, and rows another sender is
    /// claiming at this moment are skipped rather than waited for, so senders on several instances
    /// take disjoint batches without queueing behind each other. On SQLite (one instance, one
    /// writer at a time): choose, then claim each with a conditional update.
    func claimDue<Row: LeasedQueueRow>(_: Row.Type, columns: String, filter: SQLQueryString? = nil, now: Date, limit: Int, lease: TimeInterval,
                                       persistence: Persistence) async throws -> [(row: Row, claim: String)] {
        let sql = persistence.sql
        var due = SQLQueryString("status = 'pending' AND next_attempt_at <= \(bind: now) AND (claimed_until IS NULL OR claimed_until < \(bind: now))")
        if let filter { due = "\(due) AND \(filter)" }
        if persistence.kind == .postgres {
            let claim = Secret.token(bytes: 16)
            return try await sql.raw("""
                UPDATE \(ident: table) SET claimed_until = \(bind: now.addingTimeInterval(lease)), claim = \(bind: claim)
                WHERE id IN (SELECT id FROM \(ident: table) WHERE \(due) ORDER BY next_attempt_at LIMIT \(bind: limit) FOR UPDATE SKIP LOCKED)
                RETURNING \(unsafeRaw: columns)
                """).rows(Row.self).sorted { $0.nextAttemptAt < $1.nextAttemptAt }.map { ($0, claim) }
        }
        let candidates = try await sql.raw("SELECT \(unsafeRaw: columns) FROM \(ident: table) WHERE \(due) ORDER BY next_attempt_at LIMIT \(bind: limit)")
            .rows(Row.self)
        var claimed: [(row: Row, claim: String)] = []
        for row in candidates {
            // One conditional update per row: two senders never take the same one.
            let claim = Secret.token(bytes: 16)
            let won = try await sql.raw("""
                UPDATE \(ident: table) SET claimed_until = \(bind: now.addingTimeInterval(lease)), claim = \(bind: claim)
                WHERE id = \(bind: row.id) AND status = 'pending' AND (claimed_until IS NULL OR claimed_until < \(bind: now)) RETURNING id
                """).all()
            if !won.isEmpty { claimed.append((row, claim)) }
        }
        return claimed
    }

    /// The sender's answer for a row it claimed, as one conditional statement: it counts only if
    /// the row is still pending under this sender's claim. A sender whose lease lapsed (a slow
    /// receiver, a paused process) and whose row another sender took changes nothing.
    func settle(id: UUID, claim: String, _ changes: SQLQueryString, on sql: any SQLDatabase) async throws -> Bool {
        try await !sql.raw("""
            UPDATE \(ident: table) SET \(changes), claimed_until = NULL, claim = ''
            WHERE id = \(bind: id) AND status = 'pending' AND claim = \(bind: claim) RETURNING id
            """).all().isEmpty
    }
}
