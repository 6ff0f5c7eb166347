import Foundation
import RendezvousDomain
import SQLKit

/// One past evening's numbers as the insights read them (issue 15), kept in `evening_stats`.
struct EveningStats: Sendable {
    var eventID: UUID
    var startsAt: Date
    var quarter: String
    var expected = 0, came = 0, walkIns = 0, showed = 0
    /// Among those who came: first evening of the chapter they came to, and second one.
    var newcomers = 0, secondVisits = 0
    var waitlisted = 0
    var demand: [Int] = []
    var answers = 0, scoreSum = 0
    var scores: [Int] = Array(repeating: 0, count: 11)
    var contacts = 0

    var averageScore: Double? { answers > 0 ? Double(scoreSum) / Double(answers) : nil }

    static func list(_ text: String?) -> [Int] { (text ?? "").split(separator: ",").compactMap { Int($0) } }
}

/// The evening aggregates: read by the insights pages, computed per evening with indexed queries
/// (registrations, feedback and contacts by event; a person's earlier evenings by address) when
/// missing or out of date, and stored. Every change that alters an evening's numbers calls
/// `EveningStatsStore.invalidate` in its own transaction; a computation stores its result only if
/// no invalidation happened since it began (`dirty` unchanged), so a result read before a change
/// committed is never kept as current.
enum EveningStatsStore {
    /// Marks an evening's numbers out of date, in the caller's transaction. `later`: the change moves
    /// who is a newcomer (a check-in), so the chapter's later evenings are out of date too.
    static func invalidate(event: UUID, later: Bool = false, on sql: any SQLDatabase) async throws {
        // An upsert, so that a first computation racing this change finds the row and cannot store
        // what it read before the change.
        try await sql.raw("""
            INSERT INTO evening_stats (event_id, chapter_id, starts_at, dirty, clean)
            SELECT id, chapter_id, starts_at, 1, 0 FROM events WHERE id = \(bind: event)
            ON CONFLICT (event_id) DO UPDATE SET dirty = evening_stats.dirty + 1
            """).run()
        if later {
            try await sql.raw("""
                UPDATE evening_stats SET dirty = dirty + 1
                WHERE chapter_id = (SELECT chapter_id FROM events WHERE id = \(bind: event))
                  AND starts_at > (SELECT starts_at FROM events WHERE id = \(bind: event))
                """).run()
        }
    }

    /// Every stored evening of the event's chapter (an evening moved: who was new when changes).
    static func invalidateChapter(of event: UUID, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            UPDATE evening_stats SET dirty = dirty + 1 WHERE chapter_id = (SELECT chapter_id FROM events WHERE id = \(bind: event))
            """).run()
    }
}

extension NetworkStore {
    /// Tests: runs between reading an evening's numbers and storing them (a change committing then).
    @TaskLocal static var afterComputing: (@Sendable () async throws -> Void)?

    struct StatsRow: Decodable {
        var id: UUID
        var chapterId: UUID
        var title: String
        var startsAt: Date
        var dirty: Int?
        var clean: Int?
        var quarter: String?
        var expected: Int?, came: Int?, walkIns: Int?, showed: Int?, newcomers: Int?, secondVisits: Int?, waitlisted: Int?
        var demand: String?
        var answers: Int?, scoreSum: Int?
        var scores: String?
        var contacts: Int?

        static let columns = """
            e.id, e.chapter_id, e.title, e.starts_at, s.dirty, s.clean, s.quarter, s.expected, s.came, s.walk_ins, s.showed, s.newcomers,
            s.second_visits, s.waitlisted, s.demand, s.answers, s.score_sum, s.scores, s.contacts
            """

        var isCurrent: Bool { dirty != nil && dirty == clean && quarter != nil }

        var stats: EveningStats {
            EveningStats(
                eventID: id, startsAt: startsAt, quarter: quarter ?? Quarter.label(startsAt), expected: expected ?? 0, came: came ?? 0,
                walkIns: walkIns ?? 0, showed: showed ?? 0, newcomers: newcomers ?? 0, secondVisits: secondVisits ?? 0, waitlisted: waitlisted ?? 0,
                demand: EveningStats.list(demand), answers: answers ?? 0, scoreSum: scoreSum ?? 0, scores: EveningStats.list(scores),
                contacts: contacts ?? 0)
        }
    }

    /// A chapter's last past evenings (newest first) with their numbers, computing those missing or out of date.
    func eveningStats(of chapter: Chapter.ID, now: Date, limit: Int) async throws -> [(title: String, stats: EveningStats)] {
        let rows = try await sql.raw("""
            SELECT \(unsafeRaw: StatsRow.columns) FROM events e LEFT JOIN evening_stats s ON s.event_id = e.id
            WHERE e.chapter_id = \(bind: chapter.uuid) AND e.status = 'published' AND e.starts_at <= \(bind: now)
            ORDER BY e.starts_at DESC LIMIT \(bind: limit)
            """).rows(StatsRow.self)
        let fresh = try await refresh(rows.filter { !$0.isCurrent })
        return rows.map { row in (row.title, fresh[row.id] ?? row.stats) }
    }

    /// Computes and stores the numbers of every past evening of the network missing or out of date
    /// (after a load, or the evenings that ended or changed since the last view). Returns how many.
    @discardableResult
    public func refreshEveningStats(now: Date) async throws -> Int {
        let stale = try await sql.raw("""
            SELECT \(unsafeRaw: StatsRow.columns) FROM events e LEFT JOIN evening_stats s ON s.event_id = e.id
            WHERE e.status = 'published' AND e.starts_at <= \(bind: now) AND (s.event_id IS NULL OR s.clean <> s.dirty OR s.quarter IS NULL)
            ORDER BY e.chapter_id, e.starts_at
            """).rows(StatsRow.self)
        var done = 0
        for start in stride(from: 0, to: stale.count, by: 200) {
            done += try await refresh(Array(stale[start..<min(stale.count, start + 200)])).count
        }
        return done
    }

    /// Computes these evenings' numbers (a few indexed queries for the lot) and stores each one whose
    /// `dirty` did not move while it was computed.
    private func refresh(_ rows: [StatsRow]) async throws -> [UUID: EveningStats] {
        guard !rows.isEmpty else { return [:] }
        let ids = rows.map(\.id)
        // A row to hold `dirty` (the first computation of an evening inserts it), then `dirty` as it is
        // before anything is read.
        try await write { sql in
            try await sql.raw("""
                INSERT INTO evening_stats (event_id, chapter_id, starts_at, dirty, clean)
                SELECT id, chapter_id, starts_at, 1, 0 FROM events WHERE id IN \(SQLBind.group(ids))
                ON CONFLICT (event_id) DO NOTHING
                """).run()
        }
        struct Dirty: Decodable { var eventId: UUID; var dirty: Int }
        let dirty = Dictionary(uniqueKeysWithValues: try await sql.raw("SELECT event_id, dirty FROM evening_stats WHERE event_id IN \(SQLBind.group(ids))")
            .rows(Dirty.self).map { ($0.eventId, $0.dirty) })
        let computed = try await compute(rows)
        try await Self.afterComputing?()
        let results = computed.values.compactMap { stats in dirty[stats.eventID].map { (stats, $0) } }
        @Sendable func store(_ stats: EveningStats, seen: Int, on sql: any SQLDatabase) async throws {
            try await sql.raw("""
                UPDATE evening_stats SET clean = \(bind: seen), starts_at = \(bind: stats.startsAt), quarter = \(bind: stats.quarter),
                    expected = \(bind: stats.expected), came = \(bind: stats.came), walk_ins = \(bind: stats.walkIns), showed = \(bind: stats.showed),
                    newcomers = \(bind: stats.newcomers), second_visits = \(bind: stats.secondVisits), waitlisted = \(bind: stats.waitlisted),
                    demand = \(bind: stats.demand.map(String.init).joined(separator: ",")), answers = \(bind: stats.answers),
                    score_sum = \(bind: stats.scoreSum), scores = \(bind: stats.scores.map(String.init).joined(separator: ",")),
                    contacts = \(bind: stats.contacts)
                WHERE event_id = \(bind: stats.eventID) AND dirty = \(bind: seen)
                """).run()
        }
        switch persistence.kind {
        case .sqlite:
            // One writer at a time: one transaction for the lot.
            try await write { sql in for (stats, seen) in results { try await store(stats, seen: seen, on: sql) } }
        case .postgres:
            // One row per statement: never two rows' locks held at once, so no deadlock with an
            // invalidation (which takes an evening's row, then its later evenings').
            for (stats, seen) in results { try await store(stats, seen: seen, on: sql) }
        }
        try await rollUp(Set(rows.map(\.chapterId)))
        return computed
    }

    /// Rolls each chapter's stored evenings up into its `chapter_stats` row and `chapter_quarters`
    /// rows: a read of the chapter's evenings (by index) and a rewrite, under the chapter's lock so
    /// that the last roll-up to run reads the last evenings stored.
    func rollUp(_ chapters: Set<UUID>) async throws {
        struct Row: Decodable {
            var startsAt: Date; var quarter: String; var came: Int; var expected: Int; var showed: Int; var newcomers: Int; var secondVisits: Int
            var contacts: Int; var answers: Int; var scoreSum: Int
        }
        for chapter in chapters.sorted(by: { $0.uuidString < $1.uuidString }) {
            try await write { sql in
                try await self.persistence.lock("chapter-stats:" + chapter.uuidString, on: sql)
                let rows = try await sql.raw("""
                    SELECT s.starts_at, s.quarter, s.came, s.expected, s.showed, s.newcomers, s.second_visits, s.contacts, s.answers, s.score_sum
                    FROM evening_stats s JOIN events e ON e.id = s.event_id
                    WHERE s.chapter_id = \(bind: chapter) AND e.status = 'published' AND s.quarter IS NOT NULL ORDER BY s.starts_at
                    """).rows(Row.self)
                func sum(_ value: (Row) -> Int) -> Int { rows.reduce(0) { $0 + value($1) } }
                let recent = rows.suffix(6).map { String($0.came) }.joined(separator: ",")
                try await sql.raw("""
                    INSERT INTO chapter_stats (chapter_id, evenings, last_evening, came, expected, showed, people, came_back, contacts, answers, score_sum, recent)
                    VALUES (\(bind: chapter), \(bind: rows.count), \(bind: rows.last?.startsAt), \(bind: sum(\.came)), \(bind: sum(\.expected)),
                        \(bind: sum(\.showed)), \(bind: sum(\.newcomers)), \(bind: sum(\.secondVisits)), \(bind: sum(\.contacts)),
                        \(bind: sum(\.answers)), \(bind: sum(\.scoreSum)), \(bind: recent))
                    ON CONFLICT (chapter_id) DO UPDATE SET evenings = excluded.evenings, last_evening = excluded.last_evening, came = excluded.came,
                        expected = excluded.expected, showed = excluded.showed, people = excluded.people, came_back = excluded.came_back,
                        contacts = excluded.contacts, answers = excluded.answers, score_sum = excluded.score_sum, recent = excluded.recent
                    """).run()
                try await sql.raw("DELETE FROM chapter_quarters WHERE chapter_id = \(bind: chapter)").run()
                var quarters: [(quarter: String, evenings: Int, came: Int)] = []
                for row in rows {
                    if quarters.last?.quarter == row.quarter { quarters[quarters.count - 1].evenings += 1; quarters[quarters.count - 1].came += row.came }
                    else { quarters.append((row.quarter, 1, row.came)) }
                }
                guard !quarters.isEmpty else { return }
                var insert = sql.insert(into: "chapter_quarters").columns("chapter_id", "quarter", "evenings", "came")
                for quarter in quarters { insert = insert.values([chapter, quarter.quarter, quarter.evenings, quarter.came] as [any Encodable & Sendable]) }
                try await insert.run()
            }
        }
    }

    /// The numbers of these evenings, read from registrations, feedback and contacts.
    private func compute(_ rows: [StatsRow]) async throws -> [UUID: EveningStats] {
        let ids = rows.map(\.id)
        var result = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, EveningStats(eventID: $0.id, startsAt: $0.startsAt, quarter: Quarter.label($0.startsAt))) })
        for row in try await DoorStore.attendanceCounts(of: ids, on: sql).values {
            result[row.eventId]?.expected = row.expected; result[row.eventId]?.came = row.came
            result[row.eventId]?.walkIns = row.walkIns; result[row.eventId]?.showed = row.showed
        }
        // Who came, and how many of the chapter's earlier evenings each of them came to (by address).
        struct Visit: Decodable { var eventId: UUID; var before: Int }
        for row in try await sql.raw("""
            SELECT r.event_id, (SELECT COUNT(*) FROM registrations p JOIN events pe ON pe.id = p.event_id
                WHERE p.active_email = r.active_email AND p.checked_in_at IS NOT NULL AND pe.chapter_id = e.chapter_id
                  AND pe.status = 'published' AND pe.starts_at < e.starts_at) AS before
            FROM registrations r JOIN events e ON e.id = r.event_id
            WHERE r.event_id IN \(SQLBind.group(ids)) AND r.checked_in_at IS NOT NULL
            """).rows(Visit.self) {
            if row.before == 0 { result[row.eventId]?.newcomers += 1 } else if row.before == 1 { result[row.eventId]?.secondVisits += 1 }
        }
        // Demand: when each seat or waitlist place was asked for (walk-ins apart).
        struct Registered: Decodable { var eventId: UUID; var createdAt: Date; var queueNumber: Int? }
        let registered = Dictionary(grouping: try await sql.raw("""
            SELECT event_id, created_at, queue_number FROM registrations WHERE event_id IN \(SQLBind.group(ids)) AND walk_in = \(bind: false)
            """).rows(Registered.self), by: \.eventId)
        for row in rows {
            let theirs = registered[row.id] ?? []
            result[row.id]?.waitlisted = theirs.filter { $0.queueNumber != nil }.count
            result[row.id]?.demand = DemandCurve.cumulative(theirs.map(\.createdAt), startsAt: row.startsAt)
        }
        struct Score: Decodable { var eventId: UUID; var score: Int; var count: Int }
        for row in try await sql.raw("""
            SELECT event_id, score, COUNT(*) AS count FROM feedback WHERE event_id IN \(SQLBind.group(ids)) GROUP BY event_id, score
            """).rows(Score.self) where (0...10).contains(row.score) {
            result[row.eventId]?.scores[row.score] += row.count
            result[row.eventId]?.answers += row.count
            result[row.eventId]?.scoreSum += row.score * row.count
        }
        struct Count: Decodable { var eventId: UUID; var count: Int }
        for row in try await sql.raw("""
            SELECT event_id, COUNT(*) AS count FROM contacts WHERE event_id IN \(SQLBind.group(ids)) AND status <> 'declined' GROUP BY event_id
            """).rows(Count.self) { result[row.eventId]?.contacts = row.count }
        return result
    }
}
