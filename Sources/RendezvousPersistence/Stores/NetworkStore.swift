import Foundation
import RendezvousDomain
import SQLKit

extension NetworkStore {
    public func chaptersOverview() async throws -> [ChapterOverview] {
        let chapters = try await persistence.chapters.chapters()
        struct Organizer: Decodable { var chapterId: UUID; var name: String }
        let organizers = try await sql.raw("""
            SELECT co.chapter_id, u.name FROM chapter_organizers co JOIN users u ON u.id = co.user_id
            WHERE co.role = 'organizer' ORDER BY u.name
            """).rows(Organizer.self)
        struct Span: Decodable { var chapterId: UUID; var startsAt: Date; var endsAt: Date }
        let events = try await sql.raw("SELECT chapter_id, starts_at, ends_at FROM events WHERE status = 'published'").rows(Span.self)
        let now = Date()
        return chapters.map { chapter in
            let mine = events.filter { $0.chapterId == chapter.id.uuid }
            return ChapterOverview(
                chapter: chapter, organizers: organizers.filter { $0.chapterId == chapter.id.uuid }.map(\.name),
                lastEvent: mine.filter { $0.endsAt <= now }.map(\.startsAt).max(),
                nextEvent: mine.filter { $0.endsAt > now }.map(\.startsAt).min())
        }
    }

    public func submitApplication(_ application: ChapterApplication) async throws {
        try await sql.raw("""
            INSERT INTO chapter_applications (id, city, country_code, time_zone, locale, applicant_name, applicant_email, motivation, status, created_at)
            VALUES (\(bind: application.id), \(bind: application.city), \(bind: application.countryCode), \(bind: application.timeZone),
                    \(bind: application.locale.rawValue), \(bind: application.applicantName), \(bind: application.applicantEmail),
                    \(bind: application.motivation), 'pending', \(bind: application.createdAt))
            """).run()
    }

    private struct ApplicationRow: Decodable {
        var id: UUID; var city: String; var countryCode: String; var timeZone: String; var locale: String
        var applicantName: String; var applicantEmail: String; var motivation: String; var status: String; var createdAt: Date
        var application: ChapterApplication {
            ChapterApplication(id: id, city: city, countryCode: countryCode, timeZone: timeZone, locale: Language(code: locale) ?? .en,
                               applicantName: applicantName, applicantEmail: applicantEmail, motivation: motivation,
                               status: .init(rawValue: status) ?? .pending, createdAt: createdAt)
        }
    }

    public func applications(status: ChapterApplication.Status) async throws -> [ChapterApplication] {
        try await sql.raw("""
            SELECT id, city, country_code, time_zone, locale, applicant_name, applicant_email, motivation, status, created_at
            FROM chapter_applications WHERE status = \(bind: status.rawValue) ORDER BY created_at
            """).rows(ApplicationRow.self).map(\.application)
    }

    public func application(id: UUID) async throws -> ChapterApplication? {
        try await sql.raw("""
            SELECT id, city, country_code, time_zone, locale, applicant_name, applicant_email, motivation, status, created_at
            FROM chapter_applications WHERE id = \(bind: id)
            """).row(ApplicationRow.self)?.application
    }

    public func decideApplication(_ id: UUID, status: ChapterApplication.Status, by admin: String, chapter: Chapter.ID?, now: Date) async throws {
        try await sql.raw("""
            UPDATE chapter_applications SET status = \(bind: status.rawValue), decided_at = \(bind: now), decided_by = \(bind: admin),
                chapter_id = \(bind: chapter?.uuid) WHERE id = \(bind: id)
            """).run()
    }

    public func addDirectoryVenue(name: String, address: String, city: String, capacity: Int, accessibility: String, contact: String, now: Date) async throws {
        try await sql.raw("""
            INSERT INTO venues (id, chapter_id, name, address, city, created_at, capacity, accessibility, contact)
            VALUES (\(bind: UUID()), NULL, \(bind: name), \(bind: address), \(bind: city), \(bind: now), \(bind: capacity), \(bind: accessibility), \(bind: contact))
            """).run()
    }

    public func addDirectorySpeaker(name: String, jobTitle: String, company: String, bio: String, now: Date) async throws {
        try await sql.raw("""
            INSERT INTO speakers (id, chapter_id, name, job_title, company, bio, created_at)
            VALUES (\(bind: UUID()), NULL, \(bind: name), \(bind: jobTitle), \(bind: company), \(bind: bio), \(bind: now))
            """).run()
    }

    public struct VenueDetails: Sendable { public var venue: Venue; public var capacity: Int; public var accessibility: String; public var contact: String }

    public func sharedVenues() async throws -> [VenueDetails] {
        struct Row: Decodable { var id: UUID; var name: String; var address: String; var city: String; var capacity: Int; var accessibility: String; var contact: String }
        return try await sql.raw("SELECT id, name, address, city, capacity, accessibility, contact FROM venues WHERE chapter_id IS NULL ORDER BY name")
            .rows(Row.self).map { VenueDetails(venue: Venue(id: .init($0.id), chapterID: nil, name: $0.name, address: $0.address, city: $0.city),
                                                 capacity: $0.capacity, accessibility: $0.accessibility, contact: $0.contact) }
    }

    /// A venue as the network directory lists it: its chapter (nil for the shared directory), and
    /// how many upcoming and past meetups take place there.
    public struct DirectoryVenue: Sendable {
        public var details: VenueDetails
        public var chapterName: String?
        public var upcomingEvents: Int
        public var pastEvents: Int
    }

    /// Every venue of the network, the shared ones and each chapter's, by name.
    public func allVenues(now: Date) async throws -> [DirectoryVenue] {
        struct Row: Decodable {
            var id: UUID; var chapterId: UUID?; var chapterName: String?; var name: String; var address: String; var city: String
            var capacity: Int; var accessibility: String; var contact: String
        }
        struct Use: Decodable { var venueId: UUID; var endsAt: Date; var status: String }
        let rows = try await sql.raw("""
            SELECT v.id, v.chapter_id, c.name AS chapter_name, v.name, v.address, v.city, v.capacity, v.accessibility, v.contact
            FROM venues v LEFT JOIN chapters c ON c.id = v.chapter_id ORDER BY v.name, c.name
            """).rows(Row.self)
        let uses = try await sql.raw("SELECT venue_id, ends_at, status FROM events WHERE venue_id IS NOT NULL").rows(Use.self)
        return rows.map { row in
            let mine = uses.filter { $0.venueId == row.id }
            return DirectoryVenue(
                details: VenueDetails(venue: Venue(id: .init(row.id), chapterID: row.chapterId.map { .init($0) }, name: row.name, address: row.address, city: row.city),
                                      capacity: row.capacity, accessibility: row.accessibility, contact: row.contact),
                chapterName: row.chapterName,
                upcomingEvents: mine.filter { $0.endsAt > now && $0.status != "cancelled" }.count,
                pastEvents: mine.filter { $0.endsAt <= now }.count)
        }
    }

    public enum VenueChangeError: Error, Equatable {
        /// A meetup still to come takes place there (how many).
        case inUse(Int)
    }

    public func updateVenue(_ id: Venue.ID, name: String, address: String, city: String, capacity: Int, accessibility: String, contact: String) async throws -> Bool {
        let changed = try await sql.raw("""
            UPDATE venues SET name = \(bind: name), address = \(bind: address), city = \(bind: city), capacity = \(bind: capacity),
                accessibility = \(bind: accessibility), contact = \(bind: contact) WHERE id = \(bind: id.uuid) RETURNING id
            """).all()
        return !changed.isEmpty
    }

    /// Removes a venue no upcoming meetup uses (past meetups keep their date, and no longer name
    /// a place). Throws `inUse` otherwise; false when there is no such venue.
    public func removeVenue(_ id: Venue.ID, now: Date) async throws -> Bool {
        try await write { sql in
            let upcoming = try await sql.raw("""
                SELECT COUNT(*) AS count FROM events WHERE venue_id = \(bind: id.uuid) AND ends_at > \(bind: now) AND status <> 'cancelled'
                """).row(CountRow.self)?.count ?? 0
            guard upcoming == 0 else { throw VenueChangeError.inUse(upcoming) }
            try await sql.raw("UPDATE events SET venue_id = NULL WHERE venue_id = \(bind: id.uuid)").run()
            let removed = try await sql.raw("DELETE FROM venues WHERE id = \(bind: id.uuid) RETURNING id").all()
            return !removed.isEmpty
        }
    }
}
