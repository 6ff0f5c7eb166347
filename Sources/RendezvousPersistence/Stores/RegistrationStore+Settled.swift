import Foundation
import RendezvousDomain
import SQLKit

extension RegistrationStore {
    /// Whether a cancelled registration that held an offer ended some other way than its holder
    /// declining it, so a decline sent now (a page or an app left open) is refused instead of
    /// answered as if it had been declined. A decline leaves no trace of its own (no mail, no
    /// `cancelled_from`), so this looks for what every other ending leaves:
    /// - the evening is no longer published (cancelled, its offers withdrawn);
    /// - the holder cancelled it (`cancelled_from`) or the organisers did (its cancellation mail);
    /// - a second evening's offer whose first-evening place became a seat (taken there: the offer
    ///   lapsed, `withdrawSecondEveningOffers`, or an accept found it so, `releaseOrigin`);
    /// - an offer of the first evening's seat given back because its second evening's was accepted.
    static func settledOtherwise(_ row: RegistrationRow, on sql: any SQLDatabase) async throws -> Bool {
        if row.cancelledFrom != nil { return true }
        return try await sql.raw("""
            SELECT 1 AS found FROM events e WHERE e.id = \(bind: row.eventId) AND e.status <> 'published'
            UNION ALL SELECT 1 FROM outbox WHERE registration_id = \(bind: row.id) AND kind = \(bind: OutboxKind.cancelled.rawValue)
            UNION ALL SELECT 1 FROM registrations s JOIN registrations o ON o.id = s.origin_registration_id
                WHERE s.id = \(bind: row.id) AND o.status = 'confirmed'
            UNION ALL SELECT 1 FROM registrations s WHERE s.origin_registration_id = \(bind: row.id) AND s.status = 'confirmed'
            """).all().isEmpty == false
    }
}
