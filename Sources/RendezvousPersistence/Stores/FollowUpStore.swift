import Foundation
import RendezvousDomain
import SQLKit

/// After the evening (see `FollowUpRules`): the D+1 and D+14 runs, the speaker's links, the
/// two-question feedback, "followed up" marks on contacts, and the evening's result for organisers.
public struct FollowUpStore: Store { public let persistence: Persistence }

extension Persistence {
    public var followUp: FollowUpStore { .init(persistence: self) }
}

public enum FeedbackError: Error, Equatable {
    /// Only people who came answer "how was it?".
    case notAttended
    case notFound
}

/// What the morning-after and nudge mails say to one person, read when the mail is sent.
public struct FollowUpContent: Sendable, Equatable {
    /// Linked both ways: name, job, company and what each chose to share.
    public var met: [MetContact]
    /// They said "we met": the recipient may accept from /me.
    public var wantToMeet: [MetContact]
    /// The recipient said "we met"; the other has not answered yet (named, without what they share).
    public var waiting: [MetContact]
    public var resources: [EventResource]
    public var feedbackToken: String
}

extension FollowUpStore {
    // MARK: The runs

    /// Queues `kind` for every evening whose time has come (9:00 local, D+1 or D+14), once per
    /// evening: the evening is claimed with one conditional update, so several instances sweeping
    /// at once queue it once. Returns how many mails were queued.
    @discardableResult
    public func run(_ kind: FollowUpKind, now: Date) async throws -> Int {
        struct Row: Decodable { var id: UUID; var chapterId: UUID; var startsAt: Date; var timeZone: String }
        let column = kind == .morningAfter ? "followed_up_at" : "nudged_at"
        let window = FollowUpSchedule.candidateStarts(kind, now: now)
        let candidates = try await sql.raw("""
            SELECT e.id, e.chapter_id, e.starts_at, c.time_zone FROM events e JOIN chapters c ON c.id = e.chapter_id
            WHERE e.status = 'published' AND e.\(unsafeRaw: column) IS NULL
              AND e.starts_at >= \(bind: window.lowerBound) AND e.starts_at <= \(bind: window.upperBound)
            """).rows(Row.self).filter {
            FollowUpSchedule.isDue(kind, startsAt: $0.startsAt, timeZone: TimeZone(identifier: $0.timeZone) ?? .gmt, now: now)
        }
        var queued = 0
        for event in candidates {
            let tokens = tokens
            queued += try await write { sql in try await Self.queue(kind, event: event.id, chapter: event.chapterId, tokens: tokens, now: now, on: sql) ?? 0 }
        }
        return queued
    }

    /// The organisers' "send the morning-after mail now" (the evening has started, and its mail has
    /// not gone): the same claim as the 9:00 run, so it goes once either way. Nil when it had gone.
    public func sendMorningAfterNow(event: Event.ID, chapter: Chapter.ID, now: Date) async throws -> Int? {
        let tokens = tokens
        return try await write { sql in
            struct Row: Decodable { var startsAt: Date; var status: String }
            guard let row = try await sql.raw("""
                SELECT starts_at, status FROM events WHERE id = \(bind: event.uuid) AND chapter_id = \(bind: chapter.uuid)
                """).row(Row.self), row.startsAt <= now, row.status == EventStatus.published.rawValue else { return nil }
            return try await Self.queue(.morningAfter, event: event.uuid, chapter: chapter.uuid, tokens: tokens, now: now, on: sql)
        }
    }

    /// Claims the evening's `kind` run and queues its mails; nil when another run had claimed it.
    static func queue(_ kind: FollowUpKind, event: UUID, chapter: UUID, tokens: TokenVault, now: Date, on sql: any SQLDatabase) async throws -> Int? {
        let column = kind == .morningAfter ? "followed_up_at" : "nudged_at"
        let claimed = try await sql.raw("""
            UPDATE events SET \(unsafeRaw: column) = \(bind: now) WHERE id = \(bind: event) AND \(unsafeRaw: column) IS NULL RETURNING id
            """).all()
        guard !claimed.isEmpty else { return nil }
        struct Person: Decodable { var id: UUID; var email: String; var unsubscribed: Bool; var checkedInAt: Date?; var consentNews: Bool; var language: String }
        let people = try await sql.raw("""
            SELECT id, email, unsubscribed, checked_in_at, consent_news, language FROM registrations
            WHERE event_id = \(bind: event) AND checked_in_at IS NOT NULL
            """).rows(Person.self)
        let open = kind == .nudge ? try await openContacts(event: event, on: sql) : [:]
        let recipients = people.filter {
            FollowUpRules.shouldSend(kind, to: FollowUpRecipient(checkedIn: $0.checkedInAt != nil, hasEmail: !$0.email.isEmpty,
                                                               unsubscribed: $0.unsubscribed, openContacts: open[$0.id] ?? 0))
        }
        try await Persistence.enqueue(recipients.map {
            PendingMessage(kind == .morningAfter ? .followUp : .followUpNudge, registration: $0.id, event: event, chapter: chapter)
        }, now: now, on: sql)
        if kind == .morningAfter {
            // Those who asked, when they registered, to hear of the chapter's next meetups now
            // follow it: they came, so the address is theirs. A blocked address never does.
            let asked = people.filter { $0.consentNews && !$0.email.isEmpty }
            let blocked = try await PrivacyStore.blocked(asked.map { EmailAddress.normalize($0.email) }, tokens: tokens, on: sql)
            for person in asked where !blocked.contains(EmailAddress.normalize(person.email)) {
                try await follow(chapter: chapter, email: EmailAddress.normalize(person.email), language: person.language, now: now, on: sql)
            }
        }
        return recipients.count
    }

    /// Makes a past attendee a follower of the chapter, in one statement: a new address follows,
    /// one waiting for its confirmation (or listed as an attendee) follows now, and a follower or
    /// someone who unsubscribed is left as they are (their choice stands).
    static func follow(chapter: UUID, email: String, language: String, now: Date, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO chapter_audience (id, chapter_id, email, language, status, salt, created_at, confirmed_at)
            VALUES (\(bind: UUID()), \(bind: chapter), \(bind: email), \(bind: language.isEmpty ? "en" : language), 'following',
                    \(bind: Secret.token()), \(bind: now), \(bind: now))
            ON CONFLICT (chapter_id, email) DO UPDATE SET status = 'following', confirmed_at = excluded.confirmed_at
            WHERE chapter_audience.status IN ('pending', 'attendee')
            """).run()
    }

    /// Per registration of the evening: accepted contacts it has not marked "followed up", plus
    /// links others started that it has not answered.
    static func openContacts(event: UUID, on sql: any SQLDatabase) async throws -> [UUID: Int] {
        struct Link: Decodable {
            var initiatorRegistrationId: UUID; var recipientRegistrationId: UUID; var status: String
            var initiatorFollowedAt: Date?; var recipientFollowedAt: Date?
        }
        let links = try await sql.raw("""
            SELECT initiator_registration_id, recipient_registration_id, status, initiator_followed_at, recipient_followed_at
            FROM contacts WHERE event_id = \(bind: event)
            """).rows(Link.self)
        var open: [UUID: Int] = [:]
        for link in links {
            switch link.status {
            case ContactStatus.accepted.rawValue:
                if link.initiatorFollowedAt == nil { open[link.initiatorRegistrationId, default: 0] += 1 }
                if link.recipientFollowedAt == nil { open[link.recipientRegistrationId, default: 0] += 1 }
            case ContactStatus.pending.rawValue:
                open[link.recipientRegistrationId, default: 0] += 1
            default: break
            }
        }
        return open
    }

    /// What one person's follow-up mail says, from the data as it is when the mail leaves.
    public func content(for registration: Registration) async throws -> FollowUpContent {
        // One registration's links are all of its own evening.
        let people = try await persistence.contacts.people(mine: [registration.id])
        let resources = (try? EventResource.parse(try await resourcesText(of: registration.eventID)).get()) ?? []
        let token = try await persistence.registrations.ensureToken(.feedback, of: registration.id) ?? ""
        return FollowUpContent(met: people.filter { $0.state == .connected }, wantToMeet: people.filter { $0.state == .theySaidYouMet },
                               waiting: people.filter { $0.state == .waiting }, resources: resources,
                               feedbackToken: token)
    }

    // MARK: The speaker's links

    public func resourcesText(of event: Event.ID) async throws -> String {
        struct Row: Decodable { var resources: String }
        return try await sql.raw("SELECT resources FROM events WHERE id = \(bind: event.uuid)").row(Row.self)?.resources ?? ""
    }

    /// Saves the links (already checked with `EventResource.parse`) of one of the chapter's events.
    public func setResources(_ text: String, of event: Event.ID, chapter: Chapter.ID) async throws -> Bool {
        try await write { sql in
            !(try await sql.raw("""
                UPDATE events SET resources = \(bind: text) WHERE id = \(bind: event.uuid) AND chapter_id = \(bind: chapter.uuid) RETURNING id
                """).all()).isEmpty
        }
    }

    /// When the evening's follow-up mails were queued (nil: not yet).
    public func runs(of event: Event.ID) async throws -> (morningAfter: Date?, nudge: Date?) {
        struct Row: Decodable { var followedUpAt: Date?; var nudgedAt: Date? }
        let row = try await sql.raw("SELECT followed_up_at, nudged_at FROM events WHERE id = \(bind: event.uuid)").row(Row.self)
        return (row?.followedUpAt, row?.nudgedAt)
    }

    // MARK: Feedback

    /// The registration a feedback link names, or nil.
    public func registration(feedbackToken token: String) async throws -> Registration? {
        try await persistence.registrations.registration(token: token, .feedback)
    }

    /// Whether the registration's holder came (checked in at the door).
    public func attended(_ registration: Registration.ID) async throws -> Bool {
        struct Row: Decodable { var checkedInAt: Date? }
        return try await sql.raw("SELECT checked_in_at FROM registrations WHERE id = \(bind: registration.uuid)").row(Row.self)?.checkedInAt != nil
    }

    public func feedback(of registration: Registration.ID) async throws -> FeedbackInput? {
        struct Row: Decodable { var score: Int; var comment: String }
        return try await sql.raw("SELECT score, comment FROM feedback WHERE registration_id = \(bind: registration.uuid)").row(Row.self)
            .map { FeedbackInput(score: $0.score, comment: $0.comment) }
    }

    /// Records (or replaces) one person's answer; only someone who came may answer.
    /// One statement: the answer is written only for a registration the door admitted, and a
    /// second answer (another tab, a double click) replaces the first instead of colliding.
    public func saveFeedback(_ input: FeedbackInput, registration: Registration.ID, now: Date) async throws {
        let saved = try await write { sql in
            let rows = try await sql.raw("""
            INSERT INTO feedback (id, event_id, chapter_id, registration_id, score, comment, created_at, updated_at)
            SELECT \(bind: UUID()), r.event_id, e.chapter_id, r.id, \(bind: input.score), \(bind: input.comment), \(bind: now), \(bind: now)
            FROM registrations r JOIN events e ON e.id = r.event_id
            WHERE r.id = \(bind: registration.uuid) AND r.checked_in_at IS NOT NULL
            ON CONFLICT (registration_id) DO UPDATE SET score = excluded.score, comment = excluded.comment, updated_at = excluded.updated_at
            RETURNING event_id
            """).all()
            struct Saved: Decodable { var eventId: UUID }
            guard let event = try rows.first?.decode(model: Saved.self, keyDecodingStrategy: SnakeCaseColumns.strategy).eventId else { return false }
            try await EveningStatsStore.invalidate(event: event, on: sql)
            return true
        }
        guard !saved else { return }
        // Nothing written: no such registration, or the door never admitted it.
        throw try await registrationExists(registration) ? FeedbackError.notAttended : FeedbackError.notFound
    }

    func registrationExists(_ registration: Registration.ID) async throws -> Bool {
        try await sql.raw("SELECT COUNT(*) AS count FROM registrations WHERE id = \(bind: registration.uuid)").row(CountRow.self)?.count ?? 0 > 0
    }

    // MARK: "Followed up"

    /// Marks (or unmarks) a contact as followed up by the viewer's side.
    public func setFollowedUp(_ link: UUID, mine: [Registration.ID], done: Bool, now: Date) async throws {
        let ids = mine.map(\.uuid)
        guard !ids.isEmpty else { throw ContactError.notFound }
        try await write { sql in
            let value: Date? = done ? now : nil
            let a = try await sql.raw("""
                UPDATE contacts SET initiator_followed_at = \(bind: value) WHERE id = \(bind: link) AND initiator_registration_id IN \(SQLBind.group(ids)) RETURNING id
                """).all()
            let b = try await sql.raw("""
                UPDATE contacts SET recipient_followed_at = \(bind: value) WHERE id = \(bind: link) AND recipient_registration_id IN \(SQLBind.group(ids)) RETURNING id
                """).all()
            if a.isEmpty && b.isEmpty { throw ContactError.notFound }
        }
    }

    // MARK: The evening's result

    /// Feedback, contacts and "met at least three" for one of the chapter's events.
    public func result(of event: Event.ID) async throws -> EveningResult {
        try await results(of: [event])[event] ?? EveningResult(checkedIn: 0, scoreCounts: [], comments: [], contacts: 0, acceptedContacts: 0, metAtLeastThree: 0)
    }

    /// The same for several events at once (the chapter's history): four queries, whatever the count.
    public func results(of events: [Event.ID]) async throws -> [Event.ID: EveningResult] {
        guard !events.isEmpty else { return [:] }
        let ids = events.map(\.uuid)
        struct Came: Decodable { var eventId: UUID; var count: Int }
        struct Score: Decodable { var eventId: UUID; var score: Int; var count: Int }
        struct Comment: Decodable { var eventId: UUID; var comment: String }
        struct Link: Decodable { var eventId: UUID; var initiatorRegistrationId: UUID; var recipientRegistrationId: UUID; var status: String }
        let came = try await sql.raw("""
            SELECT event_id, COUNT(*) AS count FROM registrations WHERE event_id IN \(SQLBind.group(ids)) AND checked_in_at IS NOT NULL GROUP BY event_id
            """).rows(Came.self)
        let scores = try await sql.raw("""
            SELECT event_id, score, COUNT(*) AS count FROM feedback WHERE event_id IN \(SQLBind.group(ids)) GROUP BY event_id, score
            """).rows(Score.self)
        let comments = try await sql.raw("""
            SELECT event_id, comment FROM feedback WHERE event_id IN \(SQLBind.group(ids)) AND comment <> '' ORDER BY updated_at DESC
            """).rows(Comment.self)
        let links = try await sql.raw("""
            SELECT event_id, initiator_registration_id, recipient_registration_id, status FROM contacts
            WHERE event_id IN \(SQLBind.group(ids)) AND status <> 'declined'
            """).rows(Link.self)
        var result: [Event.ID: EveningResult] = [:]
        for id in ids {
            var counts = Array(repeating: 0, count: 11)
            for row in scores where row.eventId == id && (0...10).contains(row.score) { counts[row.score] += row.count }
            let theirs = links.filter { $0.eventId == id }
            let met = EveningResult.peopleMet(links: theirs.map { ($0.initiatorRegistrationId.uuidString, $0.recipientRegistrationId.uuidString) })
            result[.init(id)] = EveningResult(
                checkedIn: came.first { $0.eventId == id }?.count ?? 0, scoreCounts: counts,
                comments: comments.filter { $0.eventId == id }.map(\.comment), contacts: theirs.count,
                acceptedContacts: theirs.filter { $0.status == ContactStatus.accepted.rawValue }.count,
                metAtLeastThree: met.values.filter { $0 >= EveningResult.metThreshold }.count)
        }
        return result
    }
}
