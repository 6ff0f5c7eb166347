import Foundation
import RendezvousDomain
import SQLKit

/// Webhooks for integrators: a chapter's endpoints, and their deliveries queued in the same
/// transaction as the change they tell (`Persistence.emitRegistrationWebhooks`,
/// `emitEventWebhook`), claimed by the sender like the outbox.
public struct WebhookStore: Store { public let persistence: Persistence }

extension Persistence {
    public var webhooks: WebhookStore { .init(persistence: self) }
}

/// A delivery the sender claimed: what to send, where, and the key to sign it with.
public struct WebhookClaim: Sendable, Equatable {
    public var id: WebhookDelivery.ID
    public var endpointID: WebhookEndpoint.ID
    public var chapterID: Chapter.ID
    public var type: WebhookEventType
    public var url: String
    public var secret: String
    public var body: String
    public var attempts: Int
    /// The sender's claim: its answers count only while it holds.
    public var claim: String
}

public enum WebhookStoreError: Error, Equatable {
    /// The chapter has `WebhookRules.maxEndpoints` already.
    case tooManyEndpoints
}

extension WebhookStore {
    struct EndpointRow: Decodable {
        var id: UUID; var chapterId: UUID; var url: String; var eventTypes: String; var includeEmail: Bool; var enabled: Bool
        var disabledReason: String; var createdAt: Date; var failingSince: Date?
        static let columns = "id, chapter_id, url, event_types, include_email, enabled, disabled_reason, created_at, failing_since"
        var endpoint: WebhookEndpoint {
            WebhookEndpoint(id: .init(id), chapterID: .init(chapterId), url: url, eventTypes: WebhookStore.types(eventTypes), includeEmail: includeEmail,
                            enabled: enabled, disabledReason: disabledReason, createdAt: createdAt, failingSince: failingSince)
        }
    }

    static func types(_ stored: String) -> [WebhookEventType] {
        stored.split(separator: ",").compactMap { WebhookEventType(rawValue: String($0)) }
    }

    /// A new signing secret from the system CSPRNG: `whsec_` and 256 bits, URL-safe base64.
    static func newSecret() -> String { "whsec_" + Secret.token() }

    public func endpoints(of chapter: Chapter.ID) async throws -> [WebhookEndpoint] {
        try await sql.raw("""
            SELECT \(unsafeRaw: EndpointRow.columns) FROM webhook_endpoints WHERE chapter_id = \(bind: chapter.uuid) ORDER BY created_at
            """).rows(EndpointRow.self).map(\.endpoint)
    }

    /// One of the chapter's endpoints; nil for another chapter's.
    public func endpoint(_ id: WebhookEndpoint.ID, of chapter: Chapter.ID) async throws -> WebhookEndpoint? {
        try await sql.raw("""
            SELECT \(unsafeRaw: EndpointRow.columns) FROM webhook_endpoints WHERE id = \(bind: id.uuid) AND chapter_id = \(bind: chapter.uuid)
            """).row(EndpointRow.self)?.endpoint
    }

    /// Adds an endpoint (the URL was checked by the caller); returns it with its secret, shown once.
    public func createEndpoint(chapter: Chapter.ID, url: String, types: [WebhookEventType], includeEmail: Bool, now: Date) async throws -> (WebhookEndpoint, String) {
        let secret = Self.newSecret()
        let id = WebhookEndpoint.ID()
        let stored = types.filter { $0 != .ping }.map(\.rawValue).joined(separator: ",")
        try await write { sql in
            let count = try await sql.raw("SELECT COUNT(*) AS count FROM webhook_endpoints WHERE chapter_id = \(bind: chapter.uuid)").row(CountRow.self)?.count ?? 0
            guard count < WebhookRules.maxEndpoints else { throw WebhookStoreError.tooManyEndpoints }
            try await sql.insert(into: "webhook_endpoints")
                .columns("id", "chapter_id", "url", "event_types", "include_email", "secret", "enabled", "disabled_reason", "failing_since", "created_at")
                .values(id.uuid, chapter.uuid, url, stored, includeEmail, secret, true, "", Date?.none, now)
                .run()
        }
        let endpoint = WebhookEndpoint(id: id, chapterID: chapter, url: url, eventTypes: Self.types(stored), includeEmail: includeEmail, enabled: true,
                                       disabledReason: "", createdAt: now, failingSince: nil)
        return (endpoint, secret)
    }

    /// A new secret for one of the chapter's endpoints (the old one stops at once); nil for another chapter's.
    public func rotateSecret(_ id: WebhookEndpoint.ID, of chapter: Chapter.ID) async throws -> String? {
        let secret = Self.newSecret()
        let rows = try await sql.raw("""
            UPDATE webhook_endpoints SET secret = \(bind: secret) WHERE id = \(bind: id.uuid) AND chapter_id = \(bind: chapter.uuid) RETURNING id
            """).all()
        return rows.isEmpty ? nil : secret
    }

    /// Turns an endpoint on (its failures forgotten, waiting deliveries go) or off (they wait).
    @discardableResult
    public func setEnabled(_ id: WebhookEndpoint.ID, of chapter: Chapter.ID, _ enabled: Bool) async throws -> Bool {
        try await !sql.raw("""
            UPDATE webhook_endpoints SET enabled = \(bind: enabled), disabled_reason = '', failing_since = NULL
            WHERE id = \(bind: id.uuid) AND chapter_id = \(bind: chapter.uuid) RETURNING id
            """).all().isEmpty
    }

    /// Deletes an endpoint and its deliveries.
    @discardableResult
    public func deleteEndpoint(_ id: WebhookEndpoint.ID, of chapter: Chapter.ID) async throws -> Bool {
        try await write { sql in
            try await sql.raw("DELETE FROM webhook_deliveries WHERE endpoint_id = \(bind: id.uuid) AND chapter_id = \(bind: chapter.uuid)").run()
            return try await !sql.raw("DELETE FROM webhook_endpoints WHERE id = \(bind: id.uuid) AND chapter_id = \(bind: chapter.uuid) RETURNING id").all().isEmpty
        }
    }

    struct DeliveryRow: Decodable {
        var id: UUID; var endpointId: UUID; var type: String; var status: String; var attempts: Int; var responseStatus: Int?
        var lastError: String; var createdAt: Date; var lastAttemptAt: Date?; var nextAttemptAt: Date; var deliveredAt: Date?
        static let columns = "id, endpoint_id, type, status, attempts, response_status, last_error, created_at, last_attempt_at, next_attempt_at, delivered_at"
        var delivery: WebhookDelivery? {
            guard let type = WebhookEventType(rawValue: type), let status = WebhookDeliveryStatus(rawValue: status) else { return nil }
            return WebhookDelivery(id: .init(id), endpointID: .init(endpointId), type: type, status: status, attempts: attempts, responseStatus: responseStatus,
                                   lastError: lastError, createdAt: createdAt, lastAttemptAt: lastAttemptAt,
                                   nextAttemptAt: status == .pending ? nextAttemptAt : nil, deliveredAt: deliveredAt)
        }
    }

    /// An endpoint's latest deliveries, newest first.
    public func deliveries(of endpoint: WebhookEndpoint.ID, chapter: Chapter.ID, limit: Int = 50) async throws -> [WebhookDelivery] {
        try await sql.raw("""
            SELECT \(unsafeRaw: DeliveryRow.columns) FROM webhook_deliveries
            WHERE endpoint_id = \(bind: endpoint.uuid) AND chapter_id = \(bind: chapter.uuid) ORDER BY created_at DESC LIMIT \(bind: limit)
            """).rows(DeliveryRow.self).compactMap(\.delivery)
    }

    /// Sends a delivery of the chapter's again, at once, with the same id and body; nil for another chapter's.
    public func redeliver(_ id: WebhookDelivery.ID, endpoint: WebhookEndpoint.ID, of chapter: Chapter.ID, now: Date) async throws -> WebhookDelivery? {
        try await sql.raw("""
            UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = \(bind: now), claimed_until = NULL, claim = ''
            WHERE id = \(bind: id.uuid) AND endpoint_id = \(bind: endpoint.uuid) AND chapter_id = \(bind: chapter.uuid) RETURNING \(unsafeRaw: DeliveryRow.columns)
            """).row(DeliveryRow.self)?.delivery
    }

    /// Queues a `ping` to one of the chapter's endpoints; nil for another chapter's.
    public func enqueuePing(_ id: WebhookEndpoint.ID, of chapter: Chapter.ID, now: Date) async throws -> WebhookDelivery.ID? {
        try await write { sql in
            struct Row: Decodable { var slug: String }
            guard let slug = try await sql.raw("""
                SELECT c.slug FROM webhook_endpoints w JOIN chapters c ON c.id = w.chapter_id WHERE w.id = \(bind: id.uuid) AND w.chapter_id = \(bind: chapter.uuid)
                """).row(Row.self)?.slug else { return nil }
            struct Ping: Encodable { var endpointId: String; var message: String }
            let delivery = WebhookDelivery.ID()
            try await Persistence.insertDeliveries([(delivery.uuid, id.uuid, Persistence.webhookBody(
                id: delivery.uuid, type: .ping, chapter: slug, now: now, data: Ping(endpointId: id.uuid.uuidString.lowercased(), message: "Rendezvous webhook test")))],
                chapter: chapter.uuid, type: .ping, now: now, on: sql)
            return delivery
        }
    }

    // MARK: The sender

    /// Claims up to `limit` due deliveries of enabled endpoints (`LeasedQueue`); a claim lapses
    /// after `lease` so a crashed sender's deliveries are taken again (same id, same body).
    public func claimDue(now: Date, limit: Int = 20, lease: TimeInterval = 60) async throws -> [WebhookClaim] {
        struct Row: LeasedQueueRow { var id: UUID; var endpointId: UUID; var chapterId: UUID; var type: String; var body: String; var attempts: Int; var nextAttemptAt: Date }
        let claimed = try await LeasedQueue.webhookDeliveries.claimDue(
            Row.self, columns: "id, endpoint_id, chapter_id, type, body, attempts, next_attempt_at",
            filter: "endpoint_id IN (SELECT w.id FROM webhook_endpoints w WHERE w.enabled = \(bind: true))",
            now: now, limit: limit, lease: lease, persistence: persistence)
        guard !claimed.isEmpty else { return [] }
        struct Target: Decodable { var id: UUID; var url: String; var secret: String }
        let endpointIDs = Array(Set(claimed.map(\.row.endpointId)))
        let targets = Dictionary(try await sql.raw("SELECT id, url, secret FROM webhook_endpoints WHERE id IN \(SQLBind.group(endpointIDs))")
            .rows(Target.self).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return claimed.compactMap { row, claim in
            guard let target = targets[row.endpointId], let type = WebhookEventType(rawValue: row.type) else { return nil }
            return WebhookClaim(id: .init(row.id), endpointID: .init(row.endpointId), chapterID: .init(row.chapterId), type: type, url: target.url,
                                secret: target.secret, body: row.body, attempts: row.attempts, claim: claim)
        }
    }

    /// The sender's answer for a delivery it claimed: counts only while its claim holds.
    func settle(_ claim: WebhookClaim, _ changes: SQLQueryString, on sql: any SQLDatabase) async throws -> Bool {
        try await LeasedQueue.webhookDeliveries.settle(id: claim.id.uuid, claim: claim.claim, changes, on: sql)
    }

    /// The receiver said 2xx: delivered; the endpoint works (its failures are forgotten).
    public func markDelivered(_ claim: WebhookClaim, status: Int, excerpt: String, now: Date) async throws {
        try await write { sql in
            guard try await self.settle(claim, """
                status = 'delivered', attempts = \(bind: claim.attempts + 1), response_status = \(bind: status), last_error = \(bind: excerpt), \
                last_attempt_at = \(bind: now), delivered_at = \(bind: now)
                """, on: sql) else { return }
            // Written only when it was failing: a healthy endpoint's row is not rewritten (nor locked) per delivery.
            try await sql.raw("UPDATE webhook_endpoints SET failing_since = NULL WHERE id = \(bind: claim.endpointID.uuid) AND failing_since IS NOT NULL").run()
        }
    }

    /// An attempt failed. With `retryAt` the delivery waits for it; without, it has failed for good.
    /// Either way the endpoint counts as failing; one failing for `WebhookRules.disableAfter` is
    /// turned off and its chapter's organisers are mailed. Returns true when this turned it off.
    @discardableResult
    public func markAttemptFailed(_ claim: WebhookClaim, status: Int?, error: String, retryAt: Date?, now: Date) async throws -> Bool {
        try await write { sql in
            let changes: SQLQueryString = retryAt.map { next in """
                attempts = \(bind: claim.attempts + 1), next_attempt_at = \(bind: next), response_status = \(bind: status), \
                last_error = \(bind: error), last_attempt_at = \(bind: now)
                """ } ?? """
                status = 'failed', attempts = \(bind: claim.attempts + 1), response_status = \(bind: status), \
                last_error = \(bind: error), last_attempt_at = \(bind: now)
                """
            guard try await self.settle(claim, changes, on: sql) else { return false }
            try await sql.raw("""
                UPDATE webhook_endpoints SET failing_since = \(bind: now) WHERE id = \(bind: claim.endpointID.uuid) AND failing_since IS NULL
                """).run()
            // Turned off once, by one conditional update, whatever the senders.
            struct Row: Decodable { var url: String; var chapterId: UUID }
            guard let disabled = try await sql.raw("""
                UPDATE webhook_endpoints SET enabled = \(bind: false), disabled_reason = \(bind: error)
                WHERE id = \(bind: claim.endpointID.uuid) AND enabled = \(bind: true) AND failing_since <= \(bind: now.addingTimeInterval(-WebhookRules.disableAfter))
                RETURNING url, chapter_id
                """).row(Row.self) else { return false }
            struct Organizer: Decodable { var email: String }
            let organizers = try await sql.raw("""
                SELECT u.email FROM users u JOIN chapter_organizers co ON co.user_id = u.id
                WHERE co.chapter_id = \(bind: disabled.chapterId) AND co.role = 'organizer'
                """).rows(Organizer.self)
            try await Persistence.enqueue(organizers.map {
                PendingMessage(.webhookDisabled, chapter: disabled.chapterId, recipient: $0.email,
                               payload: ["url": disabled.url, "error": error, "endpoint": claim.endpointID.uuid.uuidString.lowercased()])
            }, now: now, on: sql)
            return true
        }
    }

    /// Deletes delivered and failed deliveries older than `WebhookRules.keepDeliveries` (their
    /// bodies hold attendees' names). Returns how many.
    @discardableResult
    public func prune(now: Date) async throws -> Int {
        try await sql.raw("""
            DELETE FROM webhook_deliveries WHERE status <> 'pending' AND created_at < \(bind: now.addingTimeInterval(-WebhookRules.keepDeliveries)) RETURNING id
            """).all().count
    }

    /// For /metrics: deliveries waiting (of enabled endpoints), failed in the last day, the oldest
    /// waiting one's age, endpoints turned off.
    public struct Gauges: Sendable, Equatable {
        public var pending: Int
        public var failedLastDay: Int
        public var oldestPendingAge: TimeInterval
        public var disabledEndpoints: Int
    }

    public func gauges(now: Date) async throws -> Gauges {
        struct Oldest: Decodable { var createdAt: Date? }
        let pending = try await sql.raw("""
            SELECT COUNT(*) AS count FROM webhook_deliveries WHERE status = 'pending'
            AND endpoint_id IN (SELECT id FROM webhook_endpoints WHERE enabled = \(bind: true))
            """).row(CountRow.self)?.count ?? 0
        let failed = try await sql.raw("""
            SELECT COUNT(*) AS count FROM webhook_deliveries WHERE status = 'failed' AND last_attempt_at >= \(bind: now.addingTimeInterval(-86400))
            """).row(CountRow.self)?.count ?? 0
        let oldest = try await sql.raw("""
            SELECT MIN(created_at) AS created_at FROM webhook_deliveries WHERE status = 'pending'
            AND endpoint_id IN (SELECT id FROM webhook_endpoints WHERE enabled = \(bind: true))
            """).row(Oldest.self)?.createdAt
        let disabled = try await sql.raw("SELECT COUNT(*) AS count FROM webhook_endpoints WHERE enabled = \(bind: false)").row(CountRow.self)?.count ?? 0
        return Gauges(pending: pending, failedLastDay: failed, oldestPendingAge: oldest.map { max(0, now.timeIntervalSince($0)) } ?? 0, disabledEndpoints: disabled)
    }
}

// MARK: Queuing, in the caller's transaction

extension Persistence {
    struct WebhookTarget: Decodable { var id: UUID; var chapterId: UUID; var slug: String; var eventTypes: String; var includeEmail: Bool }

    /// The enabled endpoints of the event's chapter that want `type`.
    static func webhookTargets(_ type: WebhookEventType, event: UUID, on sql: any SQLDatabase) async throws -> [WebhookTarget] {
        try await sql.raw("""
            SELECT w.id, w.chapter_id, c.slug, w.event_types, w.include_email FROM webhook_endpoints w
            JOIN events e ON e.chapter_id = w.chapter_id JOIN chapters c ON c.id = w.chapter_id
            WHERE e.id = \(bind: event) AND w.enabled = \(bind: true)
            """).rows(WebhookTarget.self).filter { target in
                let types = WebhookStore.types(target.eventTypes)
                return types.isEmpty || types.contains(type)
            }
    }

    static let webhookEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    struct WebhookEnvelope<Payload: Encodable>: Encodable {
        var id: String; var type: String; var createdAt: String; var chapter: String; var data: Payload
    }

    /// The JSON body: `{id, type, created_at, chapter, data}`, keys sorted, fixed once.
    static func webhookBody<Payload: Encodable>(id: UUID, type: WebhookEventType, chapter: String, now: Date, data: Payload) throws -> String {
        String(decoding: try webhookEncoder.encode(WebhookEnvelope(id: id.uuidString.lowercased(), type: type.rawValue, createdAt: ISO8601.format(now),
                                                                    chapter: chapter, data: data)), as: UTF8.self)
    }

    static func insertDeliveries(_ rows: [(id: UUID, endpoint: UUID, body: String)], chapter: UUID, type: WebhookEventType, now: Date, on sql: any SQLDatabase) async throws {
        guard !rows.isEmpty else { return }
        var builder = sql.insert(into: "webhook_deliveries").columns(
            "id", "endpoint_id", "chapter_id", "type", "body", "status", "attempts", "next_attempt_at", "claimed_until", "claim",
            "response_status", "last_error", "last_attempt_at", "delivered_at", "created_at")
        for row in rows {
            builder = builder.values([row.id, row.endpoint, chapter, type.rawValue, row.body, "pending", 0, now, Date?.none, "", Int?.none, "",
                                      Date?.none, Date?.none, now] as [any Encodable & Sendable])
        }
        try await builder.run()
    }

    /// What a registration webhook says: no more than an integrator needs. The email only when the
    /// endpoint's organisers ticked "include email addresses" (see docs/security.md).
    struct RegistrationWebhookData: Encodable {
        var registrationId: String; var eventId: String; var status: String; var firstName: String; var lastName: String
        var email: String?; var checkedInAt: String?
    }

    /// Queues `type` for each registration to every endpoint of its chapter that wants it, in the
    /// caller's transaction: they exist if and only if the change commits.
    static func emitRegistrationWebhooks(_ type: WebhookEventType, registrations: [UUID], event: UUID, now: Date, on sql: any SQLDatabase) async throws {
        guard !registrations.isEmpty else { return }
        let targets = try await webhookTargets(type, event: event, on: sql)
        guard let first = targets.first else { return }
        struct Row: Decodable { var id: UUID; var eventId: UUID; var status: String; var firstName: String; var lastName: String; var email: String; var checkedInAt: Date? }
        let people = try await sql.raw("""
            SELECT id, event_id, status, first_name, last_name, email, checked_in_at FROM registrations WHERE id IN \(SQLBind.group(registrations))
            """).rows(Row.self)
        var rows: [(id: UUID, endpoint: UUID, body: String)] = []
        for person in people {
            for target in targets {
                let id = UUID()
                let data = RegistrationWebhookData(
                    registrationId: person.id.uuidString.lowercased(), eventId: person.eventId.uuidString.lowercased(), status: person.status,
                    firstName: person.firstName, lastName: person.lastName, email: target.includeEmail && !person.email.isEmpty ? person.email : nil,
                    checkedInAt: person.checkedInAt.map { ISO8601.format($0) })
                rows.append((id, target.id, try webhookBody(id: id, type: type, chapter: target.slug, now: now, data: data)))
            }
        }
        try await insertDeliveries(rows, chapter: first.chapterId, type: type, now: now, on: sql)
    }

    struct EventWebhookData: Encodable {
        var eventId: String; var title: String; var status: String; var startsAt: String; var endsAt: String; var capacity: Int; var seatsTaken: Int
    }

    /// Queues `type` about an event to every endpoint of its chapter that wants it, in the caller's transaction.
    static func emitEventWebhook(_ type: WebhookEventType, event: UUID, now: Date, on sql: any SQLDatabase) async throws {
        let targets = try await webhookTargets(type, event: event, on: sql)
        guard let first = targets.first else { return }
        struct Row: Decodable { var id: UUID; var title: String; var status: String; var startsAt: Date; var endsAt: Date; var capacity: Int; var seatsTaken: Int }
        guard let row = try await sql.raw("SELECT id, title, status, starts_at, ends_at, capacity, seats_taken FROM events WHERE id = \(bind: event)")
            .row(Row.self) else { return }
        let data = EventWebhookData(eventId: row.id.uuidString.lowercased(), title: row.title, status: row.status, startsAt: ISO8601.format(row.startsAt),
                                    endsAt: ISO8601.format(row.endsAt), capacity: row.capacity, seatsTaken: row.seatsTaken)
        let rows = try targets.map { target in
            let id = UUID()
            return (id: id, endpoint: target.id, body: try webhookBody(id: id, type: type, chapter: target.slug, now: now, data: data))
        }
        try await insertDeliveries(rows, chapter: first.chapterId, type: type, now: now, on: sql)
    }
}

extension Persistence {
    /// What integrators are told of an event's change: published when it goes public, changed for
    /// any change of a public (or formerly public) event, nothing about drafts.
    static func eventWebhookType(from before: EventStatus, to after: EventStatus, changed: Bool) -> WebhookEventType? {
        guard changed else { return nil }
        if after == .published, before != .published { return .eventPublished }
        if before == .draft, after == .draft { return nil }
        return .eventChanged
    }

    static func eventWebhookType(before: Event, after: Event) -> WebhookEventType? {
        eventWebhookType(from: before.status, to: after.status, changed: before.title != after.title || before.description != after.description
                         || before.capacity != after.capacity || before.status != after.status || before.overbookSeats != after.overbookSeats)
    }
}
