import Foundation

/// What a webhook tells an integrator. The raw values are the `type` of the JSON body.
public enum WebhookEventType: String, Sendable, CaseIterable, Codable {
    /// Someone registered (confirmed or waitlisted: see `status`).
    case registrationCreated = "registration.created"
    /// A registration was cancelled (by the person, an organiser, a declined or expired offer).
    case registrationCancelled = "registration.cancelled"
    /// Someone got a seat after waiting (accepted offer, promotion, a second evening), or an
    /// undone cancellation gave the seat back.
    case registrationConfirmed = "registration.confirmed"
    /// Someone was admitted at the door.
    case registrationCheckedIn = "registration.checked_in"
    case eventPublished = "event.published"
    /// Date, place, capacity or text changed, or the event was unpublished or cancelled (`status`).
    case eventChanged = "event.changed"
    /// The organisers' "send a test": nothing happened.
    case ping

    /// The types an endpoint can subscribe to (a ping goes to the endpoint it tests, always).
    public static let subscribable: [WebhookEventType] = allCases.filter { $0 != .ping }
}

/// An integrator's endpoint, as the workspace and the API show it (never its secret).
public struct WebhookEndpoint: Sendable, Equatable {
    public typealias ID = Identifier<WebhookEndpoint>
    public var id: ID
    public var chapterID: Chapter.ID
    public var url: String
    /// Empty: every type.
    public var eventTypes: [WebhookEventType]
    /// Attendees' email addresses go in the bodies only when the organisers ticked it.
    public var includeEmail: Bool
    public var enabled: Bool
    /// Why the server turned it off (failing for days), or empty.
    public var disabledReason: String
    public var createdAt: Date
    /// Since when every attempt failed, or nil while it answers.
    public var failingSince: Date?

    public init(id: ID, chapterID: Chapter.ID, url: String, eventTypes: [WebhookEventType], includeEmail: Bool, enabled: Bool,
                disabledReason: String, createdAt: Date, failingSince: Date?) {
        self.id = id
        self.chapterID = chapterID
        self.url = url
        self.eventTypes = eventTypes
        self.includeEmail = includeEmail
        self.enabled = enabled
        self.disabledReason = disabledReason
        self.createdAt = createdAt
        self.failingSince = failingSince
    }
}

public enum WebhookDeliveryStatus: String, Sendable, Codable, CaseIterable {
    case pending, delivered, failed
}

/// One delivery of one event to one endpoint, with its last answer.
public struct WebhookDelivery: Sendable, Equatable {
    public typealias ID = Identifier<WebhookDelivery>
    public var id: ID
    public var endpointID: WebhookEndpoint.ID
    public var type: WebhookEventType
    public var status: WebhookDeliveryStatus
    public var attempts: Int
    /// The receiver's HTTP status of the last attempt, or nil (no answer).
    public var responseStatus: Int?
    /// The last error (connection, timeout) or the first bytes of the receiver's answer.
    public var lastError: String
    public var createdAt: Date
    public var lastAttemptAt: Date?
    /// When the next attempt is due (pending only).
    public var nextAttemptAt: Date?
    public var deliveredAt: Date?

    public init(id: ID, endpointID: WebhookEndpoint.ID, type: WebhookEventType, status: WebhookDeliveryStatus, attempts: Int, responseStatus: Int?,
                lastError: String, createdAt: Date, lastAttemptAt: Date?, nextAttemptAt: Date?, deliveredAt: Date?) {
        self.id = id
        self.endpointID = endpointID
        self.type = type
        self.status = status
        self.attempts = attempts
        self.responseStatus = responseStatus
        self.lastError = lastError
        self.createdAt = createdAt
        self.lastAttemptAt = lastAttemptAt
        self.nextAttemptAt = nextAttemptAt
        self.deliveredAt = deliveredAt
    }
}

/// When a delivery is tried again, and when an endpoint is given up. Pure rules, tested alone.
public enum WebhookRules {
    /// Pauses before each retry (1 min, 5 min, 30 min, 2 h, 12 h); after the last, the delivery fails.
    public static let backoff: [TimeInterval] = [60, 300, 1800, 7200, 43200]
    /// One attempt's limit, connection included.
    public static let timeout: TimeInterval = 10
    /// An endpoint whose every attempt failed for this long is turned off, and its organisers told.
    public static let disableAfter: TimeInterval = 3 * 86400
    /// Delivered and failed deliveries (their bodies hold names) are deleted after this.
    public static let keepDeliveries: TimeInterval = 30 * 86400
    /// How much of a receiver's answer is kept to show the organisers.
    public static let excerptLength = 200
    /// The most endpoints a chapter may have.
    public static let maxEndpoints = 10

    /// Whether an answer is worth another attempt: server errors, 408 and 429; never other 4xx.
    public static func shouldRetry(status: Int) -> Bool {
        status >= 500 || status == 408 || status == 429
    }

    public static func isSuccess(status: Int) -> Bool { (200..<300).contains(status) }

    /// The pause after `attempts` failed attempts, or nil when it is time to give up.
    public static func retryDelay(afterAttempts attempts: Int) -> TimeInterval? {
        attempts >= 1 && attempts <= backoff.count ? backoff[attempts - 1] : nil
    }
}
