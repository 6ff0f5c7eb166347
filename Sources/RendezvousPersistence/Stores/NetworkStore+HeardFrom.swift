import Foundation
import RendezvousDomain
import SQLKit

extension NetworkStore {
    /// "How did you hear about us?" over some evenings (the chapter's insights pass its last ones):
    /// registrations per answer, one grouped query through the registrations' event index. Each
    /// registration counts once: walk-ins are not asked, and a seat on a second evening copied from
    /// a waitlist place (`origin_registration_id`) is the same person's same answer.
    /// (The copied seats are left out inside the count, not in the WHERE: there, SQLite chose the
    /// origin index, where nearly every registration is NULL, over the events', and read them all.)
    public func heardFrom(events: [Event.ID]) async throws -> HeardFromCounts {
        guard !events.isEmpty else { return HeardFromCounts() }
        struct Row: Decodable { var heardFrom: String?; var count: Int }
        let rows = try await sql.raw("""
            SELECT heard_from, CAST(SUM(CASE WHEN origin_registration_id IS NULL THEN 1 ELSE 0 END) AS BIGINT) AS count FROM registrations
            WHERE event_id IN \(SQLBind.group(events.map(\.uuid))) AND walk_in = \(bind: false)
            GROUP BY heard_from
            """).rows(Row.self)
        var result = HeardFromCounts()
        for row in rows where row.count > 0 {
            if let source = row.heardFrom.flatMap(HeardFrom.init(rawValue:)) { result.counts[source, default: 0] += row.count }
            else { result.unanswered += row.count }
        }
        return result
    }
}
