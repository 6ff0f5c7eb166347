import Foundation
import RendezvousDomain
import SQLKit

/// Insights (issue 15): a chapter's last evenings for its organisers, the network rolled up for
/// admins, and the public "network in numbers", read from the evenings' aggregates
/// (`NetworkStore+EveningStats.swift`): no page view scans registrations, feedback or contacts.
extension NetworkStore {
    public static let insightEvenings = 8
    public static let topCompanies = 10
    /// How long the admin's network pages reuse a roll-up (seconds): a change shows within it.
    public static let rollupMaxAge: TimeInterval = 30

    /// The chapter's last past evenings (oldest first), who came, and what they thought: the
    /// evenings' numbers from `evening_stats`, who came from the last evenings' registrations.
    public func chapterInsights(of chapter: Chapter.ID, now: Date, evenings limit: Int = NetworkStore.insightEvenings) async throws -> ChapterInsights {
        let stored = Array(try await eveningStats(of: chapter, now: now, limit: limit).reversed())
        guard !stored.isEmpty else { return ChapterInsights(evenings: [], jobFamilies: [], companies: [], scoreCounts: Array(repeating: 0, count: 11)) }
        // Who came, counted by job title and by company as typed (a chapter's people share a few dozen of each).
        let ids = stored.map(\.stats.eventID)
        struct Titled: Decodable { var jobTitle: String; var count: Int }
        let titles = try await sql.raw("""
            SELECT job_title, COUNT(*) AS count FROM registrations WHERE event_id IN \(SQLBind.group(ids)) AND checked_in_at IS NOT NULL GROUP BY job_title
            """).rows(Titled.self)
        struct Employed: Decodable { var company: String; var count: Int }
        let employers = try await sql.raw("""
            SELECT company, COUNT(*) AS count FROM registrations WHERE event_id IN \(SQLBind.group(ids)) AND checked_in_at IS NOT NULL GROUP BY company
            """).rows(Employed.self)
        var scoreCounts = Array(repeating: 0, count: 11)
        for (_, stats) in stored { for (score, count) in stats.scores.enumerated() where score < 11 { scoreCounts[score] += count } }
        let evenings = stored.map { title, stats in
            EveningInsight(
                eventID: .init(stats.eventID), title: title, startsAt: stats.startsAt, expected: stats.expected, came: stats.came, walkIns: stats.walkIns,
                showed: stats.showed, newcomers: min(stats.newcomers, stats.came), regulars: max(0, stats.came - stats.newcomers), waitlisted: stats.waitlisted,
                demand: stats.demand, answers: stats.answers, averageScore: stats.averageScore, contacts: stats.contacts)
        }
        var families: [JobFamily: Int] = [:]
        var companies: [String: (name: String, count: Int)] = [:]
        for title in titles { families[JobFamily.classify(title.jobTitle), default: 0] += title.count }
        for employer in employers {
            let name = employer.company.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !name.isEmpty else { continue }
            companies[name.lowercased(), default: (name, 0)].count += employer.count
        }
        return ChapterInsights(
            evenings: evenings,
            jobFamilies: families.map { (family: $0.key, count: $0.value) }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.family.rawValue < $1.family.rawValue },
            companies: Array(companies.values.sorted { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }.prefix(Self.topCompanies)).map { (name: $0.name, count: $0.count) },
            scoreCounts: scoreCounts)
    }

    /// Every chapter rolled up, and the network's evenings and people per quarter: one row per
    /// chapter (`chapter_stats`) and per chapter and quarter, after computing the evenings missing
    /// or out of date (the background refresh leaves few).
    /// `maxAge`: a roll-up made at most that many seconds ago is reused (the admin's page, its CSVs
    /// and the network JSON: reloading them does not redo the work). Past `maxAge` one request
    /// computes it anew while the others are served the last one, up to twice `maxAge` old; past
    /// that they wait for that one computation. So a change shows within `2 × maxAge`, and many
    /// admins reloading at once never compute it more than once per instance.
    public func networkRollup(now: Date, maxAge: TimeInterval = 0) async throws -> NetworkRollup {
        guard maxAge > 0 else { return try await computeNetworkRollup(now: now) }
        switch persistence.networkMemo.decide(now: now, maxAge: maxAge, compute: { try await computeNetworkRollup(now: now) }) {
        case .kept(let rollup): return rollup
        case .wait(let computing): return try await computing.value
        }
    }

    private func computeNetworkRollup(now: Date) async throws -> NetworkRollup {
        try await refreshEveningStats(now: now)
        let chapters = try await persistence.chapters.chapters()
        // One row per chapter, and per chapter and quarter, rolled up as its evenings were stored.
        struct Totals: Decodable {
            var chapterId: UUID; var evenings: Int; var lastEvening: Date?; var came: Int; var expected: Int; var showed: Int; var people: Int
            var cameBack: Int; var contacts: Int; var answers: Int; var scoreSum: Int; var recent: String
        }
        let totals = try await sql.raw("""
            SELECT chapter_id, evenings, last_evening, came, expected, showed, people, came_back, contacts, answers, score_sum, recent FROM chapter_stats
            """).rows(Totals.self)
        struct Quarterly: Decodable { var quarter: String; var evenings: Int; var people: Int }
        let quarters = try await sql.raw("""
            SELECT quarter, CAST(SUM(evenings) AS BIGINT) AS evenings, CAST(SUM(came) AS BIGINT) AS people FROM chapter_quarters GROUP BY quarter ORDER BY quarter
            """).rows(Quarterly.self)
        // Evenings that used table rotations or a quiz: one row per such evening in those tables.
        struct PerChapter: Decodable { var chapterId: UUID; var count: Int }
        let rotations = Dictionary(uniqueKeysWithValues: try await sql.raw("""
            SELECT e.chapter_id, COUNT(*) AS count FROM event_rooms er JOIN events e ON e.id = er.event_id WHERE er.plan IS NOT NULL GROUP BY e.chapter_id
            """).rows(PerChapter.self).map { ($0.chapterId, $0.count) })
        let quizzes = Dictionary(uniqueKeysWithValues: try await sql.raw("""
            SELECT e.chapter_id, COUNT(DISTINCT qs.event_id) AS count FROM quiz_sessions qs JOIN events e ON e.id = qs.event_id GROUP BY e.chapter_id
            """).rows(PerChapter.self).map { ($0.chapterId, $0.count) })
        // The next announced evening of each chapter (a range of the starts index: upcoming evenings only).
        struct Next: Decodable { var chapterId: UUID; var next: Date }
        let next = Dictionary(uniqueKeysWithValues: try await sql.raw("""
            SELECT chapter_id, MIN(starts_at) AS next FROM events WHERE status = 'published' AND starts_at > \(bind: now) GROUP BY chapter_id
            """).rows(Next.self).map { ($0.chapterId, $0.next) })
        let byChapter = Dictionary(uniqueKeysWithValues: totals.map { ($0.chapterId, $0) })
        let rollups = chapters.map { chapter in
            let mine = byChapter[chapter.id.uuid]
            var rollup = ChapterRollup(
                chapter: chapter, evenings: mine?.evenings ?? 0, lastEvening: mine?.lastEvening,
                came: EveningStats.list(mine?.recent),
                attendees: mine?.came ?? 0, expected: mine?.expected ?? 0, showed: mine?.showed ?? 0, people: mine?.people ?? 0, returning: mine?.cameBack ?? 0,
                contacts: mine?.contacts ?? 0, answers: mine?.answers ?? 0, scoreSum: mine?.scoreSum ?? 0,
                rotations: rotations[chapter.id.uuid] ?? 0, quizzes: quizzes[chapter.id.uuid] ?? 0)
            rollup.nextEvening = next[chapter.id.uuid]
            return rollup
        }
        return (rollups, Quarter.filled(quarters.map { ($0.quarter, $0.evenings, $0.people) }))
    }

    /// The public figures: chapters, countries, evenings held, people met (contacts exchanged).
    public func networkNumbers(now: Date) async throws -> (chapters: Int, countries: Int, evenings: Int, contacts: Int) {
        struct Row: Decodable { var count: Int }
        let chapters = try await sql.raw("SELECT COUNT(*) AS count FROM chapters").row(Row.self)?.count ?? 0
        let countries = try await sql.raw("SELECT COUNT(DISTINCT country_code) AS count FROM chapters").row(Row.self)?.count ?? 0
        try await refreshEveningStats(now: now)
        struct Totals: Decodable { var evenings: Int; var contacts: Int }
        let totals = try await sql.raw("""
            SELECT CAST(COALESCE(SUM(evenings), 0) AS BIGINT) AS evenings, CAST(COALESCE(SUM(contacts), 0) AS BIGINT) AS contacts FROM chapter_stats
            """).row(Totals.self)
        let evenings = totals?.evenings ?? 0, contacts = totals?.contacts ?? 0
        return (chapters, countries, evenings, contacts)
    }
}

public typealias NetworkRollup = (chapters: [ChapterRollup], quarters: [(quarter: String, evenings: Int, people: Int)])

/// The last network roll-up of this instance, when it was made, and the computation under way.
final class NetworkMemo: @unchecked Sendable {
    enum Decision { case kept(NetworkRollup), wait(Task<NetworkRollup, any Error>) }

    private let lock = NSLock()
    private var kept: (at: Date, rollup: NetworkRollup)?
    private var computing: Task<NetworkRollup, any Error>?

    func decide(now: Date, maxAge: TimeInterval, compute: @escaping @Sendable () async throws -> NetworkRollup) -> Decision {
        lock.withLock {
            let age = kept.map { abs(now.timeIntervalSince($0.at)) }
            if let kept, let age, age < maxAge { return .kept(kept.rollup) }
            let task = computing ?? start(compute, at: now)
            if let kept, let age, age < 2 * maxAge { return .kept(kept.rollup) }
            return .wait(task)
        }
    }

    /// Called under the lock.
    private func start(_ compute: @escaping @Sendable () async throws -> NetworkRollup, at now: Date) -> Task<NetworkRollup, any Error> {
        let task = Task {
            defer { lock.withLock { computing = nil } }
            let rollup = try await compute()
            lock.withLock { kept = (now, rollup) }
            return rollup
        }
        computing = task
        return task
    }
}
