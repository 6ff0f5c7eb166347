import Foundation
import HTTPTypes
import Hummingbird
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence
import RendezvousWebhooks

/// Webhooks for integrators over JSON (organisers of the chapter, bearer token): list, add (the
/// answer carries the signing secret, once), delete, send a test, read the latest deliveries.
/// Another chapter's endpoints answer 404. Each change is in the chapter's activity log.
extension APIController {
    struct WebhookBody: Decodable { var url: String?; var types: [String]?; var includeEmail: Bool? }

    struct WebhookJSON: Encodable {
        var id: String; var url: String; var types: [String]; var includeEmail: Bool; var enabled: Bool
        var disabledReason: String; var createdAt: String; var failingSince: String?
        /// Only in the answer that created the endpoint.
        var secret: String?
        init(_ endpoint: WebhookEndpoint, secret: String? = nil) {
            id = endpoint.id.description
            url = endpoint.url
            types = endpoint.eventTypes.map(\.rawValue)
            includeEmail = endpoint.includeEmail
            enabled = endpoint.enabled
            disabledReason = endpoint.disabledReason
            createdAt = ISO8601.format(endpoint.createdAt)
            failingSince = endpoint.failingSince.map { ISO8601.format($0) }
            self.secret = secret
        }
    }

    struct WebhookDeliveryJSON: Encodable {
        var id: String; var type: String; var status: String; var attempts: Int; var responseStatus: Int?; var lastError: String
        var createdAt: String; var lastAttemptAt: String?; var nextAttemptAt: String?; var deliveredAt: String?
        init(_ delivery: WebhookDelivery) {
            id = delivery.id.description
            type = delivery.type.rawValue
            status = delivery.status.rawValue
            attempts = delivery.attempts
            responseStatus = delivery.responseStatus
            lastError = delivery.lastError
            createdAt = ISO8601.format(delivery.createdAt)
            lastAttemptAt = delivery.lastAttemptAt.map { ISO8601.format($0) }
            nextAttemptAt = delivery.nextAttemptAt.map { ISO8601.format($0) }
            deliveredAt = delivery.deliveredAt.map { ISO8601.format($0) }
        }
    }

    struct WebhookListJSON: Encodable { var webhooks: [WebhookJSON] }
    struct WebhookDeliveriesJSON: Encodable { var deliveries: [WebhookDeliveryJSON] }
    struct WebhookTestJSON: Encodable { var delivery: String }

    func organizedWebhook(_ context: AppRequestContext) async throws -> (Chapter, WebhookEndpoint) {
        let chapter = try await organizedChapter(slug: context.parameters.get("slug") ?? "", context: context)
        guard let id = context.parameters.get("webhook").flatMap(WebhookEndpoint.ID.init(string:)),
              let endpoint = try await services.persistence.webhooks.endpoint(id, of: chapter.id) else { throw AppError.notFound }
        return (chapter, endpoint)
    }

    @Sendable func listWebhooks(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await organizedChapter(slug: context.parameters.get("slug") ?? "", context: context)
        return JSONBody.response(status: .ok, WebhookListJSON(webhooks: try await services.persistence.webhooks.endpoints(of: chapter.id).map { WebhookJSON($0) }))
    }

    /// 201 with the endpoint and its secret; 422 with the field at fault (`url`: not https, private
    /// address, does not resolve; `types`: an unknown type), or when the chapter has ten already.
    @Sendable func createWebhook(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await organizedChapter(slug: context.parameters.get("slug") ?? "", context: context)
        let user = try requireUser(context)
        let body = try await Self.decode(WebhookBody.self, from: request, context: context)
        let language = context.language
        func refuse(_ field: String, _ message: String) -> Response {
            JSONBody.response(status: .unprocessableContent, APIErrorBody(error: Strings.text("form.errors", language), fields: [field: message]))
        }
        let url = (body.url ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if url.isEmpty { return refuse("url", Strings.message(for: .required, language)) }
        if let problem = await services.webhookPolicy.problem(with: url) { return refuse("url", WebhooksController.message(problem, language)) }
        let names = body.types ?? []
        let types = names.compactMap { WebhookEventType(rawValue: $0) }.filter { $0 != .ping }
        guard types.count == names.count else { return refuse("types", Strings.message(for: .notAChoice, language)) }
        do {
            let (endpoint, secret) = try await services.persistence.webhooks.createEndpoint(
                chapter: chapter.id, url: url, types: types, includeEmail: body.includeEmail ?? false, now: services.clock.now())
            try await services.persistence.team.audit(chapter: chapter.id, by: user, action: "webhook.created",
                                                      subject: "\(endpoint.url) (\(WebhooksController.typesSummary(endpoint, .en)))", now: services.clock.now())
            return JSONBody.response(status: .created, WebhookJSON(endpoint, secret: secret))
        } catch WebhookStoreError.tooManyEndpoints {
            return refuse("url", Strings.text("webhooks.full", language))
        }
    }

    @Sendable func deleteWebhook(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (chapter, endpoint) = try await organizedWebhook(context)
        try await services.persistence.webhooks.deleteEndpoint(endpoint.id, of: chapter.id)
        try await services.persistence.team.audit(chapter: chapter.id, by: try requireUser(context), action: "webhook.deleted", subject: endpoint.url,
                                                  now: services.clock.now())
        return Response(status: .noContent, headers: [.cacheControl: "no-store"])
    }

    /// 202: a `ping` is queued; its delivery shows in the deliveries within seconds.
    @Sendable func testWebhook(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (chapter, endpoint) = try await organizedWebhook(context)
        guard let delivery = try await services.persistence.webhooks.enqueuePing(endpoint.id, of: chapter.id, now: services.clock.now()) else {
            throw AppError.notFound
        }
        try await services.persistence.team.audit(chapter: chapter.id, by: try requireUser(context), action: "webhook.pinged", subject: endpoint.url,
                                                  now: services.clock.now())
        return JSONBody.response(status: .accepted, WebhookTestJSON(delivery: delivery.description))
    }

    @Sendable func listWebhookDeliveries(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (chapter, endpoint) = try await organizedWebhook(context)
        return JSONBody.response(status: .ok, WebhookDeliveriesJSON(
            deliveries: try await services.persistence.webhooks.deliveries(of: endpoint.id, chapter: chapter.id).map(WebhookDeliveryJSON.init)))
    }
}
