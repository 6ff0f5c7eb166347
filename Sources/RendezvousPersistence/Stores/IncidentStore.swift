import Foundation
import RendezvousDomain
import SQLKit

/// Confidential incident reports and their case records.
public struct IncidentStore: Store { public let persistence: Persistence }

extension Persistence {
    public var incidents: IncidentStore { .init(persistence: self) }
}

public struct IncidentReport: Sendable, Equatable {
    public enum Status: String, Sendable { case open, handled }
    public var id: UUID
    public var chapterID: Chapter.ID
    public var chapterName: String
    public var chapterTimeZone: String
    public var eventID: Event.ID?
    public var eventTitle: String?
    public var description: String
    public var reporterName: String
    public var reporterContact: String
    public var status: Status
    public var handlingNote: String
    public var handledBy: String
    public var handledAt: Date?
    public var createdAt: Date
}

extension IncidentStore {
    private struct Row: Decodable {
        var id: UUID; var chapterId: UUID; var chapterName: String; var chapterTimeZone: String; var eventId: UUID?; var eventTitle: String?
        var description: String; var reporterName: String; var reporterContact: String; var status: String
        var handlingNote: String; var handledBy: String; var handledAt: Date?; var createdAt: Date
        var report: IncidentReport {
            IncidentReport(id: id, chapterID: .init(chapterId), chapterName: chapterName, chapterTimeZone: chapterTimeZone, eventID: eventId.map { .init($0) },
                           eventTitle: eventTitle, description: description, reporterName: reporterName, reporterContact: reporterContact,
                           status: .init(rawValue: status) ?? .open, handlingNote: handlingNote, handledBy: handledBy, handledAt: handledAt, createdAt: createdAt)
        }
    }

    private static let select = """
        SELECT i.id, i.chapter_id, c.name AS chapter_name, c.time_zone AS chapter_time_zone, i.event_id, e.title AS event_title, i.description,
            i.reporter_name, i.reporter_contact, i.status, i.handling_note, i.handled_by, i.handled_at, i.created_at
        FROM incident_reports i JOIN chapters c ON c.id = i.chapter_id LEFT JOIN events e ON e.id = i.event_id
        """

    /// Files a report about one meetup; the chapter's organisers (not door staff) and the network
    /// admins are told by mail, in the same transaction, that a report is waiting.
    /// `reporterRegistration` (filed from its manage link) or `reporterEmail` (filed signed in to
    /// My Rendezvous) tie the report to its reporter's "My data"; the contact text never does.
    public func report(event: Event.ID, description: String, reporterName: String, reporterContact: String,
                       reporterRegistration: UUID? = nil, reporterEmail: String? = nil, now: Date) async throws -> UUID {
        let id = UUID()
        try await write { sql in
            struct Target: Decodable { var chapterId: UUID; var title: String; var slug: String }
            guard let target = try await sql.raw("""
                SELECT e.chapter_id, e.title, c.slug FROM events e JOIN chapters c ON c.id = e.chapter_id
                WHERE e.id = \(bind: event.uuid) AND e.status <> 'draft'
                """).row(Target.self) else { throw RegistrationActionError.notFound }
            try await sql.raw("""
                INSERT INTO incident_reports (id, chapter_id, event_id, description, reporter_name, reporter_contact, status, handling_note, handled_by, created_at,
                                              reporter_registration_id, reporter_email_hash)
                VALUES (\(bind: id), \(bind: target.chapterId), \(bind: event.uuid), \(bind: description), \(bind: reporterName), \(bind: reporterContact),
                        'open', '', '', \(bind: now), \(bind: reporterRegistration), \(bind: reporterEmail.map { tokens.emailHash($0) }))
                """).run()
            struct Person: Decodable { var email: String; var admin: Bool }
            let people = try await sql.raw("""
                SELECT u.email, \(bind: false) AS admin FROM chapter_organizers co JOIN users u ON u.id = co.user_id
                WHERE co.chapter_id = \(bind: target.chapterId) AND co.role = 'organizer'
                UNION SELECT email, \(bind: true) AS admin FROM users WHERE role = 'network-admin'
                """).rows(Person.self)
            var seen = Set<String>()
            let messages = people.sorted { $0.admin && !$1.admin }.compactMap { person -> PendingMessage? in
                guard seen.insert(person.email).inserted else { return nil }
                let path = person.admin ? "/admin/incidents" : "/organize/\(target.slug)/incidents"
                return PendingMessage(.incidentReported, event: event.uuid, chapter: target.chapterId, recipient: person.email,
                                      payload: ["event": target.title, "path": path])
            }
            try await Persistence.enqueue(messages, now: now, on: sql)
        }
        return id
    }

    /// A chapter's reports (its organisers' list), or every chapter's (nil: the network admins'), newest first.
    public func reports(chapter: Chapter.ID?) async throws -> [IncidentReport] {
        if let chapter {
            return try await sql.raw("\(unsafeRaw: Self.select) WHERE i.chapter_id = \(bind: chapter.uuid) ORDER BY i.created_at DESC").rows(Row.self).map(\.report)
        }
        return try await sql.raw("\(unsafeRaw: Self.select) ORDER BY i.created_at DESC").rows(Row.self).map(\.report)
    }

    public func report(id: UUID) async throws -> IncidentReport? {
        try await sql.raw("\(unsafeRaw: Self.select) WHERE i.id = \(bind: id)").row(Row.self)?.report
    }

    /// Records how a report was handled (or reopens it); false when there is no such report.
    public func update(_ id: UUID, status: IncidentReport.Status, note: String, by: String, now: Date) async throws -> Bool {
        !(try await sql.raw("""
            UPDATE incident_reports SET status = \(bind: status.rawValue), handling_note = \(bind: note), handled_by = \(bind: by),
                handled_at = \(bind: status == .handled ? now : nil) WHERE id = \(bind: id) RETURNING id
            """).all().isEmpty)
    }
}
