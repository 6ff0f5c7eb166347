import Foundation
import RendezvousDomain
import SQLKit

/// Insights (issue 15): a chapter's last evenings for its organisers, the network rolled up for
/// admins, and the public "network in numbers". Every chapter query reads the chapter's own
/// events through indexed columns (events by chapter, registrations, feedback and contacts by event).
extension NetworkStore {
    public static let insightEvenings = 8
    public static let topCompanies = 10

    /// The chapter's last past evenings (oldest first), who came, and what they thought.
    public func chapterInsights(of chapter: Chapter.ID, now: Date, evenings limit: Int = NetworkStore.insightEvenings) async throws -> ChapterInsights {
        let attendance = Array(try await persistence.door.attendance(of: chapter, now: now).prefix(limit).reversed())
        guard !attendance.isEmpty else { return ChapterInsights(evenings: [], jobFamilies: [], companies: [], scoreCounts: Array(repeating: 0, count: 11)) }
        let ids = attendance.map(\.eventID.uuid)
        // Newcomers: the first evening of the chapter each person (by normalised email) came to.
        struct Visit: Decodable { var activeEmail: String?; var first: Date }
        let firsts = try await sql.raw("""
            SELECT r.active_email, MIN(e.starts_at) AS first FROM registrations r JOIN events e ON e.id = r.event_id
            WHERE e.chapter_id = \(bind: chapter.uuid) AND e.status = 'published' AND e.starts_at <= \(bind: now) AND r.checked_in_at IS NOT NULL
              AND r.active_email IN (SELECT active_email FROM registrations WHERE event_id IN \(SQLBind.group(ids)) AND checked_in_at IS NOT NULL)
            GROUP BY r.active_email
            """).rows(Visit.self)
        let firstVisit = Dictionary(firsts.compactMap { row in row.activeEmail.map { ($0, row.first) } }, uniquingKeysWith: min)
        struct Person: Decodable { var eventId: UUID; var activeEmail: String?; var jobTitle: String; var company: String; var checkedInAt: Date? }
        let came = try await sql.raw("""
            SELECT event_id, active_email, job_title, company, checked_in_at FROM registrations
            WHERE event_id IN \(SQLBind.group(ids)) AND checked_in_at IS NOT NULL
            """).rows(Person.self)
        struct Registered: Decodable { var eventId: UUID; var createdAt: Date; var queueNumber: Int? }
        let registered = try await sql.raw("""
            SELECT event_id, created_at, queue_number FROM registrations WHERE event_id IN \(SQLBind.group(ids)) AND walk_in = \(bind: false)
            """).rows(Registered.self)
        let results = try await persistence.followUp.results(of: attendance.map(\.eventID))
        var scoreCounts = Array(repeating: 0, count: 11)
        for result in results.values { for (score, count) in result.scoreCounts.enumerated() where score < 11 { scoreCounts[score] += count } }

        let evenings = attendance.map { item in
            let mine = came.filter { $0.eventId == item.eventID.uuid }
            let newcomers = mine.filter { person in person.activeEmail.flatMap { firstVisit[$0] }.map { $0 >= item.startsAt } ?? true }.count
            let theirs = registered.filter { $0.eventId == item.eventID.uuid }
            let result = results[item.eventID]
            return EveningInsight(
                eventID: item.eventID, title: item.title, startsAt: item.startsAt, expected: item.expected, came: item.came, walkIns: item.walkIns, showed: item.showed,
                newcomers: newcomers, regulars: mine.count - newcomers, waitlisted: theirs.filter { $0.queueNumber != nil }.count,
                demand: DemandCurve.cumulative(theirs.map(\.createdAt), startsAt: item.startsAt),
                answers: result?.answers ?? 0, averageScore: result?.averageScore, contacts: result?.contacts ?? 0)
        }
        var families: [JobFamily: Int] = [:]
        var companies: [String: (name: String, count: Int)] = [:]
        for person in came {
            families[JobFamily.classify(person.jobTitle), default: 0] += 1
            let name = person.company.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !name.isEmpty else { continue }
            companies[name.lowercased(), default: (name, 0)].count += 1
        }
        return ChapterInsights(
            evenings: evenings,
            jobFamilies: families.map { (family: $0.key, count: $0.value) }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.family.rawValue < $1.family.rawValue },
            companies: Array(companies.values.sorted { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }.prefix(Self.topCompanies)).map { (name: $0.name, count: $0.count) },
            scoreCounts: scoreCounts)
    }

    /// Every chapter rolled up, and the network's evenings and people per quarter: grouped queries
    /// over the whole network.
    public func networkRollup(now: Date) async throws -> (chapters: [ChapterRollup], quarters: [(quarter: String, evenings: Int, people: Int)]) {
        let chapters = try await persistence.chapters.chapters()
        struct Evening: Decodable { var id: UUID; var chapterId: UUID; var startsAt: Date }
        let evenings = try await sql.raw("""
            SELECT id, chapter_id, starts_at FROM events WHERE status = 'published' AND starts_at <= \(bind: now) ORDER BY starts_at
            """).rows(Evening.self)
        // `came`: everyone checked in; `showed`: those of them who held a seat (walk-ins apart).
        struct Count: Decodable { var eventId: UUID; var expected: Int; var came: Int; var showed: Int }
        let counts = try await sql.raw("""
            SELECT r.event_id, SUM(CASE WHEN r.walk_in = \(bind: false) THEN 1 ELSE 0 END) AS expected,
                SUM(CASE WHEN r.checked_in_at IS NOT NULL THEN 1 ELSE 0 END) AS came,
                SUM(CASE WHEN r.checked_in_at IS NOT NULL AND r.walk_in = \(bind: false) THEN 1 ELSE 0 END) AS showed
            FROM registrations r JOIN events e ON e.id = r.event_id
            WHERE e.status = 'published' AND e.starts_at <= \(bind: now) AND r.status = 'confirmed' GROUP BY r.event_id
            """).rows(Count.self)
        let byEvent = Dictionary(uniqueKeysWithValues: counts.map { ($0.eventId, $0) })
        struct People: Decodable { var chapterId: UUID; var people: Int; var cameBack: Int }
        let people = try await sql.raw("""
            SELECT chapter_id, COUNT(*) AS people, SUM(CASE WHEN visits >= 2 THEN 1 ELSE 0 END) AS came_back FROM (
                SELECT e.chapter_id, r.active_email, COUNT(*) AS visits FROM registrations r JOIN events e ON e.id = r.event_id
                WHERE r.checked_in_at IS NOT NULL AND r.active_email IS NOT NULL GROUP BY e.chapter_id, r.active_email) visits
            GROUP BY chapter_id
            """).rows(People.self)
        struct PerChapter: Decodable { var chapterId: UUID; var count: Int; var total: Int }
        let contacts = try await sql.raw("""
            SELECT chapter_id, COUNT(*) AS count, 0 AS total FROM contacts WHERE status <> 'declined' GROUP BY chapter_id
            """).rows(PerChapter.self)
        let feedback = try await sql.raw("SELECT chapter_id, COUNT(*) AS count, SUM(CAST(score AS INTEGER)) AS total FROM feedback GROUP BY chapter_id").rows(PerChapter.self)
        let rotations = try await sql.raw("""
            SELECT e.chapter_id, COUNT(*) AS count, 0 AS total FROM event_rooms er JOIN events e ON e.id = er.event_id WHERE er.plan IS NOT NULL GROUP BY e.chapter_id
            """).rows(PerChapter.self)
        let quizzes = try await sql.raw("""
            SELECT e.chapter_id, COUNT(DISTINCT qs.event_id) AS count, 0 AS total FROM quiz_sessions qs JOIN events e ON e.id = qs.event_id GROUP BY e.chapter_id
            """).rows(PerChapter.self)
        func find(_ rows: [PerChapter], _ id: UUID) -> PerChapter? { rows.first { $0.chapterId == id } }
        let eveningsByChapter = Dictionary(grouping: evenings, by: \.chapterId)
        let rollups = chapters.map { chapter in
            let mine = eveningsByChapter[chapter.id.uuid] ?? []
            let who = people.first { $0.chapterId == chapter.id.uuid }
            return ChapterRollup(
                chapter: chapter, evenings: mine.count, lastEvening: mine.last?.startsAt, came: mine.map { byEvent[$0.id]?.came ?? 0 },
                expected: mine.map { byEvent[$0.id]?.expected ?? 0 }.reduce(0, +), showed: mine.map { byEvent[$0.id]?.showed ?? 0 }.reduce(0, +), people: who?.people ?? 0, returning: who?.cameBack ?? 0,
                contacts: find(contacts, chapter.id.uuid)?.count ?? 0, answers: find(feedback, chapter.id.uuid)?.count ?? 0,
                scoreSum: find(feedback, chapter.id.uuid)?.total ?? 0, rotations: find(rotations, chapter.id.uuid)?.count ?? 0,
                quizzes: find(quizzes, chapter.id.uuid)?.count ?? 0)
        }
        var quarters: [(quarter: String, evenings: Int, people: Int)] = []
        for evening in evenings {
            let label = Quarter.label(evening.startsAt)
            let came = byEvent[evening.id]?.came ?? 0
            if quarters.last?.quarter == label { quarters[quarters.count - 1].evenings += 1; quarters[quarters.count - 1].people += came }
            else { quarters.append((label, 1, came)) }
        }
        return (rollups, quarters)
    }

    /// The public figures: chapters, countries, evenings held, people met (contacts exchanged).
    public func networkNumbers(now: Date) async throws -> (chapters: Int, countries: Int, evenings: Int, contacts: Int) {
        struct Row: Decodable { var count: Int }
        let chapters = try await sql.raw("SELECT COUNT(*) AS count FROM chapters").row(Row.self)?.count ?? 0
        let countries = try await sql.raw("SELECT COUNT(DISTINCT country_code) AS count FROM chapters").row(Row.self)?.count ?? 0
        let evenings = try await sql.raw("""
            SELECT COUNT(*) AS count FROM events WHERE status = 'published' AND starts_at <= \(bind: now)
            """).row(Row.self)?.count ?? 0
        let contacts = try await sql.raw("SELECT COUNT(*) AS count FROM contacts WHERE status <> 'declined'").row(Row.self)?.count ?? 0
        return (chapters, countries, evenings, contacts)
    }
}
