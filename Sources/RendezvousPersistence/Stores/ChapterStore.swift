import Foundation
import RendezvousDomain
import SQLKit

extension ChapterStore {
    public enum ChapterError: Error, Equatable {
        case slugTaken
    }

    public func createChapter(_ chapter: Chapter) async throws -> Chapter {
        do {
            try await sql.raw("""
                INSERT INTO chapters (id, slug, name, city, country_code, time_zone, locale, description, offer_hours, status, created_at)
                VALUES (\(bind: chapter.id.uuid), \(bind: chapter.slug), \(bind: chapter.name), \(bind: chapter.city),
                        \(bind: chapter.countryCode), \(bind: chapter.timeZone), \(bind: chapter.locale.rawValue),
                        \(bind: chapter.description), \(bind: chapter.offerHours), 'active', \(bind: chapter.createdAt))
                """).run()
        } catch where Persistence.isUniqueViolation(error) {
            throw ChapterError.slugTaken
        }
        return chapter
    }

    public func chapter(slug: String) async throws -> Chapter? {
        try await sql.raw("SELECT \(unsafeRaw: ChapterRow.columns) FROM chapters c WHERE c.slug = \(bind: slug)")
            .row(ChapterRow.self)?.chapter
    }

    public func chapter(id: Chapter.ID) async throws -> Chapter? {
        try await sql.raw("SELECT \(unsafeRaw: ChapterRow.columns) FROM chapters c WHERE c.id = \(bind: id.uuid)")
            .row(ChapterRow.self)?.chapter
    }

    public func chapters() async throws -> [Chapter] {
        try await sql.raw("SELECT \(unsafeRaw: ChapterRow.columns) FROM chapters c ORDER BY c.country_code, c.city")
            .rows(ChapterRow.self).map(\.chapter)
    }

    public func chapterCount() async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS count FROM chapters").row(CountRow.self)?.count ?? 0
    }

    /// Every chapter with its next published event, for the network home: two queries, whatever the count.
    public func chapterSummaries(now: Date) async throws -> [ChapterSummary] {
        let chapters = try await self.chapters()
        let upcoming = try await sql.raw("""
            SELECT \(unsafeRaw: EventRow.columns) FROM events e
            WHERE e.status = 'published' AND e.ends_at > \(bind: now)
            ORDER BY e.starts_at
            """).rows(EventRow.self)
        var next: [UUID: EventRow] = [:]
        for row in upcoming where next[row.chapterId] == nil { next[row.chapterId] = row }
        let venues = try await venues(ids: Set(next.values.compactMap(\.venueId)))
        let occupancies = try await persistence.events.occupancies(of: next.values.map(\.event))
        return chapters.map { chapter in
            let summary = next[chapter.id.uuid].map { row in
                EventSummary(
                    event: row.event, venue: row.venueId.flatMap { venues[$0] },
                    occupancy: occupancies[.init(row.id)] ?? Occupancy(capacity: row.seatLimit, confirmed: 0, offered: 0, waitlisted: 0))
            }
            return ChapterSummary(chapter: chapter, nextEvent: summary)
        }
    }

    public func organizers(of chapter: Chapter.ID) async throws -> [User] {
        struct Row: Decodable { var id: UUID; var email: String; var name: String; var role: String }
        return try await sql.raw("""
            SELECT u.id, u.email, u.name, u.role FROM users u
            JOIN chapter_organizers co ON co.user_id = u.id
            WHERE co.chapter_id = \(bind: chapter.uuid) ORDER BY u.name
            """).rows(Row.self).map {
                User(id: .init($0.id), email: $0.email, name: $0.name, role: Role(rawValue: $0.role) ?? .organizer,
                     chapterIDs: [chapter])
            }
    }

    /// Venues this chapter has used, most used first.
    public func usualVenues(of chapter: Chapter.ID) async throws -> [Venue] {
        struct Row: Decodable { var id: UUID; var chapterId: UUID?; var name: String; var address: String; var city: String; var uses: Int }
        return try await sql.raw("""
            SELECT v.id, v.chapter_id, v.name, v.address, v.city, COUNT(e.id) AS uses FROM venues v
            JOIN events e ON e.venue_id = v.id
            WHERE e.chapter_id = \(bind: chapter.uuid) AND e.status <> 'draft'
            GROUP BY v.id, v.chapter_id, v.name, v.address, v.city
            ORDER BY uses DESC, v.name
            """).rows(Row.self).map {
                Venue(id: .init($0.id), chapterID: $0.chapterId.map { .init($0) }, name: $0.name, address: $0.address, city: $0.city)
            }
    }

    func venues(ids: Set<UUID>) async throws -> [UUID: Venue] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await sql.select().column(SQLRaw(VenueRow.columns)).from(SQLAlias(SQLIdentifier("venues"), as: SQLIdentifier("v")))
            .where(SQLColumn("id", table: "v"), .in, SQLBind.group(Array(ids)))
            .rows(VenueRow.self)
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0.venue) })
    }
}

extension ChapterStore {
    public struct ChapterSettings: Sendable, Equatable {
        public var description: String
        public var offerHours: Int
        public var reminderHours: Int
        /// From how many people waiting the organisers are told to open a second evening.
        public var waitlistThreshold: Int
        public init(description: String, offerHours: Int, reminderHours: Int, waitlistThreshold: Int = OverflowRules.defaultThreshold) {
            self.description = description
            self.offerHours = offerHours
            self.reminderHours = reminderHours
            self.waitlistThreshold = waitlistThreshold
        }
    }

    public func settings(of chapter: Chapter.ID) async throws -> ChapterSettings? {
        struct Row: Decodable { var description: String; var offerHours: Int; var reminderHours: Int; var waitlistThreshold: Int }
        return try await sql.raw("SELECT description, offer_hours, reminder_hours, waitlist_threshold FROM chapters WHERE id = \(bind: chapter.uuid)")
            .row(Row.self).map { ChapterSettings(description: $0.description, offerHours: $0.offerHours, reminderHours: $0.reminderHours,
                                                 waitlistThreshold: $0.waitlistThreshold) }
    }

    public func updateSettings(of chapter: Chapter.ID, _ settings: ChapterSettings) async throws {
        try await sql.raw("""
            UPDATE chapters SET description = \(bind: settings.description), offer_hours = \(bind: settings.offerHours),
                reminder_hours = \(bind: settings.reminderHours), waitlist_threshold = \(bind: settings.waitlistThreshold) WHERE id = \(bind: chapter.uuid)
            """).run()
    }
}
