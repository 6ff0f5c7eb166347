import Foundation

/// What a message is about; the sender renders it when it delivers.
public enum OutboxKind: String, Sendable, CaseIterable {
    case confirmed, waitlisted, offer, offerExpired, cancelled, reminder, eventChanged, eventCancelled
    case broadcast, invitation, application, passwordReset, deliveryFailure
    /// "Send me my link again": the manage link, to the address on file only.
    case manageLink
    /// A chapter's audience: the follow confirmation link, a new meetup's announcement to the
    /// followers, an organiser's message to followers and past attendees.
    case followConfirm, announcement, audienceMessage
    /// "My Rendezvous": the one-time sign-in link, to the address that asked (no chapter).
    case attendeeSignIn
    /// A confidential incident report arrived: a notice to the chapter's organisers and the network
    /// admins, with a link to the workspace (never the report's words).
    case incidentReported
    /// A friendly "tell us if you can't come" note, sent by the organisers of an upcoming evening
    /// to confirmed people who did not come twice before.
    case attendanceCheck
    /// After the evening, to those who came: the morning after (people met, the speaker's links,
    /// feedback) and, two weeks later, a nudge about contacts not followed up.
    case followUp, followUpNudge
    /// An integrator's webhook endpoint failed for days and was turned off: to the chapter's organisers.
    case webhookDisabled

    /// Messages people may opt out of; the rest answer something they did or must know.
    public var isTransactional: Bool {
        ![.reminder, .broadcast, .announcement, .audienceMessage, .followUp, .followUpNudge].contains(self)
    }
}

public struct OutboxItem: Sendable, Equatable {
    public var id: UUID
    public var kind: OutboxKind
    public var registrationID: Registration.ID?
    public var eventID: Event.ID?
    public var chapterID: Chapter.ID?
    public var recipient: String
    public var payload: [String: String]
    public var attempts: Int
    public var createdAt: Date
    /// The sender's claim on it: its answers (sent, failed, retry) count only while the claim holds.
    public var claim: String
    public init(id: UUID, kind: OutboxKind, registrationID: Registration.ID? = nil, eventID: Event.ID? = nil, chapterID: Chapter.ID? = nil, recipient: String, payload: [String: String], attempts: Int, createdAt: Date, claim: String = "") {
        self.id = id
        self.kind = kind
        self.registrationID = registrationID
        self.eventID = eventID
        self.chapterID = chapterID
        self.recipient = recipient
        self.payload = payload
        self.attempts = attempts
        self.createdAt = createdAt
        self.claim = claim
    }
}

/// The relay refuses us (what kind of trouble, what it said) since a given time: shown to the
/// network admins and on the chapters' outbox pages until a message leaves again.
public struct MailAlert: Sendable, Equatable {
    public var kind: String
    public var detail: String
    public var since: Date
    public init(kind: String, detail: String, since: Date) {
        self.kind = kind
        self.detail = detail
        self.since = since
    }
}

public struct OutboxRecord: Sendable, Equatable {
    public var id: UUID
    public var kind: OutboxKind
    public var recipient: String
    public var subject: String
    public var status: OutboxStatus
    public var attempts: Int
    public var lastError: String
    public var createdAt: Date
    public var sentAt: Date?
    public init(id: UUID, kind: OutboxKind, recipient: String, subject: String, status: OutboxStatus, attempts: Int, lastError: String, createdAt: Date, sentAt: Date? = nil) {
        self.id = id
        self.kind = kind
        self.recipient = recipient
        self.subject = subject
        self.status = status
        self.attempts = attempts
        self.lastError = lastError
        self.createdAt = createdAt
        self.sentAt = sentAt
    }
}

/// Where a message of the outbox stands.
public enum OutboxStatus: String, Sendable, Codable, CaseIterable {
    /// Waiting to be sent, or to be tried again.
    case pending
    case sent
    /// Refused for good (a 5xx to RCPT TO or DATA), or out of attempts; organisers may retry it.
    case failed
    /// Nothing left to say (its registration is gone, or its person unsubscribed).
    case skipped
}
