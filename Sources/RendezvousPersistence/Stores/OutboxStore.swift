import Foundation
import RendezvousDomain
import SQLKit

/// A message to queue: what it is, whom and what it is about. Written in the same transaction as
/// the change that causes it.
struct PendingMessage: Sendable {
    var kind: OutboxKind
    var registration: UUID?
    var event: UUID?
    var chapter: UUID?
    /// Empty when the message goes to the registration's own address.
    var recipient: String
    var payload: [String: String]

    init(_ kind: OutboxKind, registration: UUID? = nil, event: UUID? = nil, chapter: UUID? = nil, recipient: String = "", payload: [String: String] = [:]) {
        self.kind = kind
        self.registration = registration
        self.event = event
        self.chapter = chapter
        self.recipient = recipient
        self.payload = payload
    }
}

extension OutboxStore {

    /// Claims up to `limit` due messages for this sender (`LeasedQueue`); a claim lapses after
    /// `lease` so a crashed sender's messages are picked up again (with the same Message-ID).
    public func claimDueMessages(now: Date, limit: Int = 20, lease: TimeInterval = 120) async throws -> [OutboxItem] {
        struct Row: LeasedQueueRow {
            var id: UUID; var kind: String; var registrationId: UUID?; var eventId: UUID?; var chapterId: UUID?
            var recipient: String; var payload: String; var attempts: Int; var createdAt: Date; var nextAttemptAt: Date
        }
        return try await LeasedQueue.outbox.claimDue(
            Row.self, columns: "id, kind, registration_id, event_id, chapter_id, recipient, payload, attempts, created_at, next_attempt_at",
            now: now, limit: limit, lease: lease, persistence: persistence
        ).compactMap { row, claim in
            guard let kind = OutboxKind(rawValue: row.kind) else { return nil }
            let payload = (try? JSONDecoder().decode([String: String].self, from: Data(row.payload.utf8))) ?? [:]
            return OutboxItem(id: row.id, kind: kind, registrationID: row.registrationId.map { .init($0) }, eventID: row.eventId.map { .init($0) },
                              chapterID: row.chapterId.map { .init($0) }, recipient: row.recipient, payload: payload,
                              attempts: row.attempts, createdAt: row.createdAt, claim: claim)
        }
    }

    /// The sender's answer for a message it claimed, as one conditional statement under its claim
    /// (`LeasedQueue.settle`).
    @discardableResult
    func settle(_ item: OutboxItem, _ changes: SQLQueryString, on sql: any SQLDatabase) async throws -> Bool {
        try await LeasedQueue.outbox.settle(id: item.id, claim: item.claim, changes, on: sql)
    }

    public func markSent(_ item: OutboxItem, subject: String, recipient: String, now: Date) async throws {
        try await settle(item, "status = 'sent', sent_at = \(bind: now), subject = \(bind: subject), recipient = \(bind: recipient)", on: sql)
    }

    /// A message with nothing to say any more (its registration is gone): dropped, with the reason kept.
    public func markSkipped(_ item: OutboxItem, reason: String) async throws {
        try await settle(item, "status = 'skipped', last_error = \(bind: reason)", on: sql)
    }

    public func markRetry(_ item: OutboxItem, error: String, attempts: Int, next: Date, subject: String, recipient: String) async throws {
        try await settle(item, """
            attempts = \(bind: attempts), next_attempt_at = \(bind: next), last_error = \(bind: error), \
            subject = \(bind: subject), recipient = \(bind: recipient)
            """, on: sql)
    }

    /// Gives up on a message and tells the chapter's organisers, with the server's answer.
    public func markFailed(_ item: OutboxItem, error: String, subject: String, recipient: String, now: Date) async throws {
        try await write { sql in
            // Reported once: only the sender whose claim still holds fails it and tells the organisers.
            let failed = try await settle(item, """
                status = 'failed', attempts = \(bind: item.attempts + 1), last_error = \(bind: error), \
                subject = \(bind: subject), recipient = \(bind: recipient)
                """, on: sql)
            guard failed, item.kind != .deliveryFailure, let chapter = item.chapterID else { return }
            struct Row: Decodable { var email: String }
            let organizers = try await sql.raw("""
                SELECT u.email FROM users u JOIN chapter_organizers co ON co.user_id = u.id
                WHERE co.chapter_id = \(bind: chapter.uuid) AND co.role = 'organizer'
                """).rows(Row.self)
            try await Persistence.enqueue(organizers.map {
                PendingMessage(.deliveryFailure, event: item.eventID?.uuid, chapter: chapter.uuid, recipient: $0.email,
                               payload: ["recipient": recipient, "subject": subject, "error": error])
            }, now: now, on: sql)
        }
    }

    public func outbox(of chapter: Chapter.ID, limit: Int = 100) async throws -> [OutboxRecord] {
        struct Row: Decodable {
            var id: UUID; var kind: String; var recipient: String; var subject: String; var status: OutboxStatus; var attempts: Int
            var lastError: String; var createdAt: Date; var sentAt: Date?
        }
        return try await sql.raw("""
            SELECT id, kind, recipient, subject, status, attempts, last_error, created_at, sent_at FROM outbox
            WHERE chapter_id = \(bind: chapter.uuid) ORDER BY created_at DESC LIMIT \(bind: limit)
            """).rows(Row.self).compactMap { row in
                OutboxKind(rawValue: row.kind).map {
                    OutboxRecord(id: row.id, kind: $0, recipient: row.recipient, subject: row.subject, status: row.status, attempts: row.attempts,
                                 lastError: row.lastError, createdAt: row.createdAt, sentAt: row.sentAt)
                }
            }
    }

    /// Puts a chapter's failed messages back in the queue, attempts reset, to be sent at once: one
    /// (`id`) or all of them. Another chapter's messages are never touched. Returns how many.
    public func retryFailedMessages(of chapter: Chapter.ID, id: UUID? = nil, now: Date) async throws -> Int {
        if let id {
            return try await sql.raw("""
                UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = \(bind: now), claimed_until = NULL
                WHERE id = \(bind: id) AND chapter_id = \(bind: chapter.uuid) AND status = 'failed' RETURNING id
                """).all().count
        }
        return try await sql.raw("""
            UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = \(bind: now), claimed_until = NULL
            WHERE chapter_id = \(bind: chapter.uuid) AND status = 'failed' RETURNING id
            """).all().count
    }

    /// Raises the mail alert; true when that is news (no alert was up, or the trouble changed),
    /// false when the same trouble is already reported (its detail is refreshed).
    public func raiseMailAlert(kind: String, detail: String, now: Date) async throws -> Bool {
        // One conditional insert: several senders at once still make one alert.
        let inserted = try await sql.raw("""
            INSERT INTO mail_alerts (id, kind, detail, since) VALUES ('relay', \(bind: kind), \(bind: detail), \(bind: now))
            ON CONFLICT (id) DO NOTHING RETURNING id
            """).all()
        if !inserted.isEmpty { return true }
        let changed = try await sql.raw("""
            UPDATE mail_alerts SET kind = \(bind: kind), detail = \(bind: detail), since = \(bind: now)
            WHERE id = 'relay' AND kind <> \(bind: kind) RETURNING id
            """).all()
        if !changed.isEmpty { return true }
        try await sql.raw("UPDATE mail_alerts SET detail = \(bind: detail) WHERE id = 'relay'").run()
        return false
    }

    /// Clears the mail alert; returns it if one was up.
    public func clearMailAlert() async throws -> MailAlert? {
        try await sql.raw("DELETE FROM mail_alerts WHERE id = 'relay' RETURNING kind, detail, since").rows(MailAlertRow.self).first?.alert
    }

    public func mailAlert() async throws -> MailAlert? {
        try await sql.raw("SELECT kind, detail, since FROM mail_alerts WHERE id = 'relay'").row(MailAlertRow.self)?.alert
    }

    struct MailAlertRow: Decodable {
        var kind: String; var detail: String; var since: Date
        var alert: MailAlert { MailAlert(kind: kind, detail: detail, since: since) }
    }

    /// One message of a chapter's outbox, or nil (another chapter's messages are not there).
    public func outboxRecord(_ id: UUID, of chapter: Chapter.ID) async throws -> OutboxRecord? {
        struct Row: Decodable {
            var id: UUID; var kind: String; var recipient: String; var subject: String; var status: OutboxStatus; var attempts: Int
            var lastError: String; var createdAt: Date; var sentAt: Date?
        }
        guard let row = try await sql.raw("""
            SELECT id, kind, recipient, subject, status, attempts, last_error, created_at, sent_at FROM outbox
            WHERE id = \(bind: id) AND chapter_id = \(bind: chapter.uuid)
            """).row(Row.self), let kind = OutboxKind(rawValue: row.kind) else { return nil }
        return OutboxRecord(id: row.id, kind: kind, recipient: row.recipient, subject: row.subject, status: row.status, attempts: row.attempts,
                            lastError: row.lastError, createdAt: row.createdAt, sentAt: row.sentAt)
    }

    /// Marks every waiting message as not to be sent (used after loading made-up demo data).
    public func skipPendingMessages(reason: String) async throws {
        try await sql.raw("UPDATE outbox SET status = 'skipped', last_error = \(bind: reason) WHERE status = 'pending'").run()
    }

    public func outboxCount(status: OutboxStatus) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS count FROM outbox WHERE status = \(bind: status.rawValue)").row(CountRow.self)?.count ?? 0
    }

    /// Reminders for events starting within their chapter's reminder window, once per event.
    @discardableResult
    public func enqueueReminders(now: Date) async throws -> Int {
        try await write { sql in
            struct Row: Decodable { var id: UUID; var chapterId: UUID; var startsAt: Date; var reminderHours: Int }
            let due = try await sql.raw("""
                SELECT e.id, e.chapter_id, e.starts_at, c.reminder_hours FROM events e JOIN chapters c ON c.id = e.chapter_id
                WHERE e.status = 'published' AND e.reminded_at IS NULL AND e.starts_at > \(bind: now)
                  AND e.starts_at <= \(bind: now.addingTimeInterval(14 * 86400))
                """).rows(Row.self).filter { $0.startsAt.timeIntervalSince(now) <= Double($0.reminderHours) * 3600 && $0.reminderHours > 0 }
            var count = 0
            for event in due {
                // Claim the event's reminders first, conditionally: another instance sweeping at the
                // same moment finds it claimed and queues nothing, so nobody is reminded twice.
                let claimed = try await sql.raw("""
                    UPDATE events SET reminded_at = \(bind: now) WHERE id = \(bind: event.id) AND reminded_at IS NULL RETURNING id
                    """).all()
                guard !claimed.isEmpty else { continue }
                struct Person: Decodable { var id: UUID }
                let people = try await sql.raw("""
                    SELECT id FROM registrations WHERE event_id = \(bind: event.id) AND status = 'confirmed' AND unsubscribed = \(bind: false) AND email <> ''
                    """).rows(Person.self)
                try await Persistence.enqueue(people.map { PendingMessage(.reminder, registration: $0.id, event: event.id, chapter: event.chapterId) }, now: now, on: sql)
                count += people.count
            }
            return count
        }
    }

    /// An organiser's message to an event's attendees, filtered by status.
    public func enqueueBroadcast(event: Event.ID, statuses: Set<String>, checkedInOnly: Bool, subject: String, body: String, from: String, now: Date) async throws -> Int {
        try await write { sql in
            struct Row: Decodable { var id: UUID; var status: String; var checkedInAt: Date? }
            let people = try await sql.raw("""
                SELECT id, status, checked_in_at FROM registrations WHERE event_id = \(bind: event.uuid) AND unsubscribed = \(bind: false) AND email <> ''
                """).rows(Row.self).filter { statuses.contains($0.status) && (!checkedInOnly || $0.checkedInAt != nil) }
            let chapter = try await Persistence.chapterOf(event: event.uuid, on: sql)
            try await Persistence.enqueue(people.map {
                PendingMessage(.broadcast, registration: $0.id, event: event.uuid, chapter: chapter, payload: ["subject": subject, "body": body, "from": from])
            }, now: now, on: sql)
            return people.count
        }
    }

    /// The link in a mail's unsubscribe footer: it can unsubscribe, and do nothing else.
    public func unsubscribeToken(of registration: Registration.ID) async throws -> String? {
        try await persistence.registrations.ensureToken(.unsubscribe, of: registration)
    }

    /// Whether an unsubscribe link is current.
    public func isUnsubscribeToken(_ token: String) async throws -> Bool {
        try await persistence.registrations.registrationRow(token: token, .unsubscribe) != nil
    }

    public func unsubscribe(token: String) async throws -> Bool {
        guard let registration = try await persistence.registrations.registration(token: token, .unsubscribe) else { return false }
        try await sql.raw("UPDATE registrations SET unsubscribed = \(bind: true) WHERE id = \(bind: registration.id.uuid)").run()
        return true
    }

    public func isUnsubscribed(_ registration: Registration.ID) async throws -> Bool {
        struct Row: Decodable { var unsubscribed: Bool }
        return try await sql.raw("SELECT unsubscribed FROM registrations WHERE id = \(bind: registration.uuid)").row(Row.self)?.unsubscribed ?? false
    }

    public func eventSequence(_ event: Event.ID) async throws -> Int {
        struct Row: Decodable { var sequence: Int }
        return try await sql.raw("SELECT sequence FROM events WHERE id = \(bind: event.uuid)").row(Row.self)?.sequence ?? 0
    }

    public func networkAdminEmails() async throws -> [String] {
        struct Row: Decodable { var email: String }
        return try await sql.raw("SELECT email FROM users WHERE role = 'network-admin'").rows(Row.self).map(\.email)
    }

    /// Queues a message outside any other change (invitations, applications, password resets).
    public func enqueueMessage(_ kind: OutboxKind, chapter: Chapter.ID?, recipient: String, payload: [String: String], now: Date) async throws {
        try await Persistence.enqueue(kind, chapter: chapter?.uuid, recipient: recipient, payload: payload, now: now, on: sql)
    }
}

extension Persistence {
    static let outboxColumns = ["id", "kind", "registration_id", "event_id", "chapter_id", "recipient", "payload", "status", "attempts",
                                "next_attempt_at", "last_error", "subject", "created_at"]

    static func payloadJSON(_ payload: [String: String]) -> String {
        (try? String(decoding: JSONEncoder().encode(payload), as: UTF8.self)) ?? "{}"
    }

    /// Writes messages in the caller's transaction: they exist if and only if the change commits.
    static func enqueue(_ items: [PendingMessage], now: Date, on sql: any SQLDatabase) async throws {
        guard !items.isEmpty else { return }
        for chunk in stride(from: 0, to: items.count, by: 200).map({ Array(items[$0..<min($0 + 200, items.count)]) }) {
            var builder = sql.insert(into: "outbox").columns(outboxColumns)
            for item in chunk {
                builder = builder.values([UUID(), item.kind.rawValue, item.registration, item.event, item.chapter, item.recipient,
                                          payloadJSON(item.payload), "pending", 0, now, "", "", now] as [any Encodable & Sendable])
            }
            try await builder.run()
        }
    }

    static func enqueue(_ kind: OutboxKind, registration: UUID? = nil, event: UUID? = nil, chapter: UUID? = nil, recipient: String = "",
                        payload: [String: String] = [:], now: Date, on sql: any SQLDatabase) async throws {
        try await enqueue([PendingMessage(kind, registration: registration, event: event, chapter: chapter, recipient: recipient, payload: payload)],
                          now: now, on: sql)
    }

    /// The chapter an event belongs to, for messages about it.
    static func chapterOf(event: UUID, on sql: any SQLDatabase) async throws -> UUID? {
        struct Row: Decodable { var chapterId: UUID }
        return try await sql.raw("SELECT chapter_id FROM events WHERE id = \(bind: event)").row(Row.self)?.chapterId
    }

    /// Tells every active registrant of an event that it changed (or was cancelled); the calendar
    /// sequence goes up so calendars replace their copy.
    static func announceEventChange(_ event: UUID, cancelled: Bool, now: Date, on sql: any SQLDatabase) async throws {
        try await sql.raw("UPDATE events SET sequence = sequence + 1 WHERE id = \(bind: event)").run()
        struct Row: Decodable { var id: UUID }
        let people = try await sql.raw("""
            SELECT id FROM registrations WHERE event_id = \(bind: event) AND status IN ('confirmed', 'waitlisted', 'offered') AND email <> ''
            """).rows(Row.self)
        let chapter = try await chapterOf(event: event, on: sql)
        try await enqueue(people.map { PendingMessage(cancelled ? .eventCancelled : .eventChanged, registration: $0.id, event: event, chapter: chapter) },
                          now: now, on: sql)
    }
}
