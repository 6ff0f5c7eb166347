import Foundation
import RendezvousDomain
import SQLKit

/// A chapter's audience: the people who follow it (an address confirmed by a link, no account),
/// the chapter's past attendees, and who of them unsubscribed from its news. Plus the chapter's
/// Reply-To address, new meetups' announcements (once per event) and organisers' messages to the
/// audience, sent at once or at a time they chose, through the outbox like every other message.
public struct AudienceStore: Store { public let persistence: Persistence }

extension Persistence {
    public var audience: AudienceStore { .init(persistence: self) }
}

/// One address of a chapter's audience, as a link (follow confirmation, unsubscribe) names it.
public struct AudienceMember: Sendable, Equatable {
    public enum Status: String, Sendable { case pending, following, attendee, unsubscribed }
    public var id: UUID
    public var chapterID: Chapter.ID
    public var email: String
    public var language: Language?
    public var status: Status
    public init(id: UUID, chapterID: Chapter.ID, email: String, language: Language?, status: Status) {
        self.id = id
        self.chapterID = chapterID
        self.email = email
        self.language = language
        self.status = status
    }
}

/// Who an organiser's message to the chapter's audience goes to.
public enum AudienceChoice: String, Sendable, CaseIterable {
    case followers, attendees, both
}

/// An organiser's message to the chapter's audience, due at `sendAt` (or sent, or cancelled).
public struct ScheduledMessage: Sendable, Equatable {
    public enum Status: String, Sendable { case scheduled, sent, cancelled }
    public var id: UUID
    public var chapterID: Chapter.ID
    public var subject: String
    public var body: String
    public var audience: AudienceChoice
    public var sendAt: Date
    public var status: Status
    public var author: String
    public var recipients: Int
    public var createdAt: Date
    public var sentAt: Date?
}

extension AudienceStore {
    struct MemberRow: Decodable {
        var id: UUID; var chapterId: UUID; var email: String; var language: String; var status: String; var salt: String
        var member: AudienceMember {
            AudienceMember(id: id, chapterID: .init(chapterId), email: email, language: Language(rawValue: language),
                           status: AudienceMember.Status(rawValue: status) ?? .unsubscribed)
        }
    }

    static let memberColumns: SQLQueryString = "id, chapter_id, email, language, status, salt"

    // MARK: Reply-To

    /// The address the chapter set for replies ("" when none).
    public func replyTo(of chapter: Chapter.ID) async throws -> String {
        struct Row: Decodable { var replyTo: String }
        return try await sql.raw("SELECT reply_to FROM chapters WHERE id = \(bind: chapter.uuid)").row(Row.self)?.replyTo ?? ""
    }

    public func setReplyTo(of chapter: Chapter.ID, _ address: String) async throws {
        try await sql.raw("UPDATE chapters SET reply_to = \(bind: address) WHERE id = \(bind: chapter.uuid)").run()
    }

    /// Where replies to the chapter's mail go: its Reply-To address, or else its organisers.
    public func replyAddresses(of chapter: Chapter.ID) async throws -> [String] {
        let configured = try await replyTo(of: chapter)
        if !configured.isEmpty { return [configured] }
        struct Row: Decodable { var email: String }
        return try await sql.raw("""
            SELECT u.email FROM users u JOIN chapter_organizers co ON co.user_id = u.id
            WHERE co.chapter_id = \(bind: chapter.uuid) AND co.role = 'organizer' ORDER BY u.email
            """).rows(Row.self).map(\.email)
    }

    // MARK: Following

    /// Asks to follow a chapter: queues the confirmation link, unless the address already follows
    /// (the caller answers the same either way: whether an address follows is never said).
    public func requestFollow(chapter: Chapter.ID, email: String, language: Language, now: Date) async throws {
        let email = EmailAddress.normalize(email)
        try await write { sql in
            // One confirmation an hour per address and chapter, whatever the parallel requests.
            try await persistence.lock("follow:\(chapter.uuid):" + email, on: sql)
            // A blocked person is told the same as anyone, and nothing is stored or sent.
            guard try await !PrivacyStore.isBlocked(email, tokens: tokens, on: sql) else { return }
            try await sql.raw("""
                INSERT INTO chapter_audience (id, chapter_id, email, language, status, salt, created_at)
                VALUES (\(bind: UUID()), \(bind: chapter.uuid), \(bind: email), \(bind: language.rawValue), 'pending', \(bind: Secret.token()), \(bind: now))
                ON CONFLICT (chapter_id, email) DO NOTHING
                """).run()
            guard let row = try await sql.raw("""
                SELECT \(Self.memberColumns) FROM chapter_audience WHERE chapter_id = \(bind: chapter.uuid) AND email = \(bind: email)
                """).row(MemberRow.self), row.status != AudienceMember.Status.following.rawValue else { return }
            // One confirmation an hour per address and chapter: asking again from many places
            // cannot fill someone's inbox.
            let recent = try await sql.raw("""
                SELECT COUNT(*) AS count FROM outbox WHERE kind = 'followConfirm' AND chapter_id = \(bind: chapter.uuid)
                  AND recipient = \(bind: email) AND created_at > \(bind: now.addingTimeInterval(-Self.confirmationInterval))
                """).row(CountRow.self)?.count ?? 0
            guard recent == 0 else { return }
            try await Persistence.enqueue(.followConfirm, chapter: chapter.uuid, recipient: email,
                                          payload: ["member": row.id.uuidString, "language": language.rawValue], now: now, on: sql)
        }
    }

    /// How long before the same address may be sent another follow confirmation.
    public static let confirmationInterval: TimeInterval = 3600

    /// The link in the follow confirmation (it only confirms).
    public func followToken(of member: UUID) async throws -> String? {
        try await salt(of: member).map { tokens.token(.follow, id: member, salt: $0) }
    }

    /// The link in every audience mail's footer and List-Unsubscribe header (it only unsubscribes).
    public func unsubscribeToken(of member: UUID) async throws -> String? {
        try await salt(of: member).map { tokens.token(.audienceUnsubscribe, id: member, salt: $0) }
    }

    func salt(of member: UUID) async throws -> String? {
        struct Row: Decodable { var salt: String }
        return try await sql.raw("SELECT salt FROM chapter_audience WHERE id = \(bind: member)").row(Row.self)?.salt
    }

    public func member(id: UUID) async throws -> AudienceMember? {
        try await sql.raw("SELECT \(Self.memberColumns) FROM chapter_audience WHERE id = \(bind: id)").row(MemberRow.self)?.member
    }

    /// The audience address a link names, if the link is current for that purpose.
    public func member(token: String, _ purpose: TokenVault.Purpose) async throws -> AudienceMember? {
        guard token.count <= 100, let id = TokenVault.registrationID(in: token),
              let row = try await sql.raw("SELECT \(Self.memberColumns) FROM chapter_audience WHERE id = \(bind: id)").row(MemberRow.self),
              tokens.verify(token, purpose, id: id, salt: row.salt) else { return nil }
        return row.member
    }

    /// Confirms following (the link in the confirmation mail); following again after unsubscribing too.
    public func confirmFollow(token: String, now: Date) async throws -> AudienceMember? {
        guard let member = try await member(token: token, .follow) else { return nil }
        try await sql.raw("""
            UPDATE chapter_audience SET status = 'following', confirmed_at = \(bind: now), unsubscribed_at = NULL
            WHERE id = \(bind: member.id) AND status <> 'following'
            """).run()
        return try await self.member(id: member.id)
    }

    /// Unsubscribes an address from the chapter's news (announcements and audience messages);
    /// recorded with its time. Idempotent.
    public func unsubscribe(token: String, now: Date) async throws -> AudienceMember? {
        guard let member = try await member(token: token, .audienceUnsubscribe) else { return nil }
        try await sql.raw("""
            UPDATE chapter_audience SET status = 'unsubscribed', unsubscribed_at = \(bind: now)
            WHERE id = \(bind: member.id) AND status <> 'unsubscribed'
            """).run()
        return try await self.member(id: member.id)
    }

    public func followerCount(of chapter: Chapter.ID) async throws -> Int {
        try await sql.raw("""
            SELECT COUNT(*) AS count FROM chapter_audience WHERE chapter_id = \(bind: chapter.uuid) AND status = 'following'
            """).row(CountRow.self)?.count ?? 0
    }

    // MARK: Announcements

    /// Announces each newly published meetup to its chapter's followers, once per event: the event
    /// is claimed by a conditional update, so two instances sweeping at once queue it once.
    @discardableResult
    public func enqueueAnnouncements(now: Date) async throws -> Int {
        try await write { sql in
            struct Row: Decodable { var id: UUID; var chapterId: UUID }
            let due = try await sql.raw("""
                SELECT id, chapter_id FROM events WHERE status = 'published' AND announced_at IS NULL AND starts_at > \(bind: now)
                """).rows(Row.self)
            var count = 0
            for event in due {
                let claimed = try await sql.raw("""
                    UPDATE events SET announced_at = \(bind: now) WHERE id = \(bind: event.id) AND announced_at IS NULL RETURNING id
                    """).all()
                guard !claimed.isEmpty else { continue }
                struct Follower: Decodable { var id: UUID; var email: String }
                let followers = try await sql.raw("""
                    SELECT id, email FROM chapter_audience WHERE chapter_id = \(bind: event.chapterId) AND status = 'following'
                    """).rows(Follower.self)
                try await Persistence.enqueue(followers.map {
                    PendingMessage(.announcement, event: event.id, chapter: event.chapterId, recipient: $0.email, payload: ["member": $0.id.uuidString])
                }, now: now, on: sql)
                count += followers.count
            }
            return count
        }
    }

    // MARK: Messages to the audience

    /// How many distinct addresses a message to this audience would reach now.
    public func audienceSize(of chapter: Chapter.ID, _ choice: AudienceChoice, now: Date) async throws -> Int {
        try await recipients(of: chapter, choice, now: now, on: sql).count
    }

    /// The audience's addresses, deduplicated (lower-cased), without anyone who unsubscribed from
    /// the chapter's news or from a registration's messages.
    func recipients(of chapter: Chapter.ID, _ choice: AudienceChoice, now: Date, on sql: any SQLDatabase) async throws -> [(email: String, language: String)] {
        struct Row: Decodable { var email: String; var language: String; var status: String }
        let members = try await sql.raw("""
            SELECT email, language, status FROM chapter_audience WHERE chapter_id = \(bind: chapter.uuid)
            """).rows(Row.self)
        let unsubscribed = Set(members.filter { $0.status == "unsubscribed" }.map { $0.email.lowercased() })
        var result: [String: String] = [:]
        if choice != .attendees {
            for member in members where member.status == "following" { result[member.email.lowercased()] = member.language }
        }
        if choice != .followers {
            // Past attendees: confirmed on a meetup of the chapter that has begun; anyone who
            // unsubscribed from any of their registrations' messages is left out.
            struct Attendee: Decodable { var email: String; var language: String; var unsubscribed: Bool }
            let attendees = try await sql.raw("""
                SELECT r.email, r.language, r.unsubscribed FROM registrations r JOIN events e ON e.id = r.event_id
                WHERE e.chapter_id = \(bind: chapter.uuid) AND e.starts_at <= \(bind: now) AND r.status = 'confirmed' AND r.email <> ''
                """).rows(Attendee.self)
            let optedOut = Set(attendees.filter(\.unsubscribed).map { $0.email.lowercased() })
            for attendee in attendees where !optedOut.contains(attendee.email.lowercased()) && result[attendee.email.lowercased()] == nil {
                result[attendee.email.lowercased()] = attendee.language
            }
        }
        return result.filter { !unsubscribed.contains($0.key) }.map { (email: $0.key, language: $0.value) }.sorted { $0.email < $1.email }
    }

    /// Queues an organiser's message to the audience for each address (each with its own
    /// unsubscribe link); returns how many. Runs in the caller's transaction.
    func enqueueAudienceMessage(chapter: Chapter.ID, choice: AudienceChoice, subject: String, body: String, author: String, now: Date,
                                on sql: any SQLDatabase) async throws -> Int {
        let people = try await recipients(of: chapter, choice, now: now, on: sql)
        // Past attendees who do not follow get a row too: it carries their unsubscribe link.
        // Written in batches, then read back at once: a large audience costs a few statements.
        for chunk in stride(from: 0, to: people.count, by: 200).map({ Array(people[$0..<min($0 + 200, people.count)]) }) {
            var insert = sql.insert(into: "chapter_audience").columns("id", "chapter_id", "email", "language", "status", "salt", "created_at")
            for person in chunk {
                insert = insert.values([UUID(), chapter.uuid, person.email, person.language, "attendee", Secret.token(), now] as [any Encodable & Sendable])
            }
            try await insert.ignoringConflicts(with: ["chapter_id", "email"]).run()
        }
        struct Row: Decodable { var id: UUID; var email: String }
        let members = Dictionary(try await sql.raw("""
            SELECT id, email FROM chapter_audience WHERE chapter_id = \(bind: chapter.uuid)
            """).rows(Row.self).map { ($0.email.lowercased(), $0.id) }, uniquingKeysWith: { first, _ in first })
        let messages = people.compactMap { person in
            members[person.email].map {
                PendingMessage(.audienceMessage, chapter: chapter.uuid, recipient: person.email,
                               payload: ["member": $0.uuidString, "subject": subject, "body": body, "from": author])
            }
        }
        try await Persistence.enqueue(messages, now: now, on: sql)
        return messages.count
    }

    /// Sends an organiser's message to the audience now; returns how many it goes to.
    public func sendAudienceMessage(_ id: UUID = UUID(), chapter: Chapter.ID, choice: AudienceChoice, subject: String, body: String, author: String,
                                    now: Date) async throws -> Int {
        try await write { sql in
            let count = try await enqueueAudienceMessage(chapter: chapter, choice: choice, subject: subject, body: body, author: author, now: now, on: sql)
            try await sql.raw("""
                INSERT INTO scheduled_messages (id, chapter_id, subject, body, audience, send_at, status, author, recipients, created_at, sent_at)
                VALUES (\(bind: id), \(bind: chapter.uuid), \(bind: subject), \(bind: body), \(bind: choice.rawValue), \(bind: now), 'sent',
                        \(bind: author), \(bind: count), \(bind: now), \(bind: now))
                """).run()
            return count
        }
    }

    /// Schedules a message to the audience for `sendAt`.
    public func scheduleMessage(chapter: Chapter.ID, choice: AudienceChoice, subject: String, body: String, author: String, sendAt: Date, now: Date) async throws -> UUID {
        let id = UUID()
        try await sql.raw("""
            INSERT INTO scheduled_messages (id, chapter_id, subject, body, audience, send_at, status, author, recipients, created_at)
            VALUES (\(bind: id), \(bind: chapter.uuid), \(bind: subject), \(bind: body), \(bind: choice.rawValue), \(bind: sendAt), 'scheduled',
                    \(bind: author), 0, \(bind: now))
            """).run()
        return id
    }

    /// Changes a scheduled message that has not gone yet; false when it went, was cancelled, or is another chapter's.
    public func updateScheduledMessage(_ id: UUID, chapter: Chapter.ID, choice: AudienceChoice, subject: String, body: String, sendAt: Date) async throws -> Bool {
        try await !sql.raw("""
            UPDATE scheduled_messages SET subject = \(bind: subject), body = \(bind: body), audience = \(bind: choice.rawValue), send_at = \(bind: sendAt)
            WHERE id = \(bind: id) AND chapter_id = \(bind: chapter.uuid) AND status = 'scheduled' RETURNING id
            """).all().isEmpty
    }

    /// Cancels a scheduled message that has not gone yet.
    public func cancelScheduledMessage(_ id: UUID, chapter: Chapter.ID) async throws -> Bool {
        try await !sql.raw("""
            UPDATE scheduled_messages SET status = 'cancelled' WHERE id = \(bind: id) AND chapter_id = \(bind: chapter.uuid) AND status = 'scheduled' RETURNING id
            """).all().isEmpty
    }

    struct ScheduledRow: Decodable {
        var id: UUID; var chapterId: UUID; var subject: String; var body: String; var audience: String; var sendAt: Date; var status: String
        var author: String; var recipients: Int; var createdAt: Date; var sentAt: Date?
        var message: ScheduledMessage {
            ScheduledMessage(id: id, chapterID: .init(chapterId), subject: subject, body: body, audience: AudienceChoice(rawValue: audience) ?? .followers,
                             sendAt: sendAt, status: ScheduledMessage.Status(rawValue: status) ?? .cancelled, author: author, recipients: recipients,
                             createdAt: createdAt, sentAt: sentAt)
        }
    }

    static let scheduledColumns: SQLQueryString = "id, chapter_id, subject, body, audience, send_at, status, author, recipients, created_at, sent_at"

    public func scheduledMessage(_ id: UUID, chapter: Chapter.ID) async throws -> ScheduledMessage? {
        try await sql.raw("""
            SELECT \(Self.scheduledColumns) FROM scheduled_messages WHERE id = \(bind: id) AND chapter_id = \(bind: chapter.uuid)
            """).row(ScheduledRow.self)?.message
    }

    /// The chapter's audience messages, the scheduled ones first (soonest first), then the latest sent or cancelled.
    public func audienceMessages(of chapter: Chapter.ID, limit: Int = 50) async throws -> [ScheduledMessage] {
        let rows = try await sql.raw("""
            SELECT \(Self.scheduledColumns) FROM scheduled_messages WHERE chapter_id = \(bind: chapter.uuid) ORDER BY send_at DESC LIMIT \(bind: limit)
            """).rows(ScheduledRow.self).map(\.message)
        return rows.filter { $0.status == .scheduled }.sorted { $0.sendAt < $1.sendAt } + rows.filter { $0.status != .scheduled }
    }

    /// Sends the scheduled messages that are due, each exactly once: claimed by a conditional
    /// update in the same transaction as its outbox rows, so two instances never both send it.
    @discardableResult
    public func sendDueScheduledMessages(now: Date) async throws -> Int {
        struct Due: Decodable { var id: UUID }
        let due = try await sql.raw("""
            SELECT id FROM scheduled_messages WHERE status = 'scheduled' AND send_at <= \(bind: now) ORDER BY send_at
            """).rows(Due.self)
        var sent = 0
        for candidate in due {
            let won = try await write { sql -> Bool in
                guard let row = try await sql.raw("""
                    UPDATE scheduled_messages SET status = 'sent', sent_at = \(bind: now)
                    WHERE id = \(bind: candidate.id) AND status = 'scheduled' RETURNING \(Self.scheduledColumns)
                    """).row(ScheduledRow.self) else { return false }
                let message = row.message
                let count = try await enqueueAudienceMessage(chapter: message.chapterID, choice: message.audience, subject: message.subject,
                                                             body: message.body, author: message.author, now: now, on: sql)
                try await sql.raw("UPDATE scheduled_messages SET recipients = \(bind: count) WHERE id = \(bind: message.id)").run()
                return true
            }
            if won { sent += 1 }
        }
        return sent
    }

    /// A test of an organiser's message, to the organiser alone (`test` in its payload).
    public func enqueueTest(_ kind: OutboxKind, chapter: Chapter.ID, event: Event.ID?, recipient: String, payload: [String: String], now: Date) async throws {
        var payload = payload
        payload["test"] = "1"
        try await Persistence.enqueue(kind, event: event?.uuid, chapter: chapter.uuid, recipient: recipient, payload: payload, now: now, on: sql)
    }
}
