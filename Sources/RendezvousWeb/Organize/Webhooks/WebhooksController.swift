import Foundation
import Hummingbird
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence
import RendezvousWebhooks

extension AppServices {
    /// Where webhooks may go (`WEBHOOKS_ALLOW_PRIVATE`): checked when an endpoint is saved.
    var webhookPolicy: WebhookURLPolicy { WebhookURLPolicy(allowPrivate: configuration.webhooksAllowPrivate) }
}

/// Webhooks for integrators, in the workspace: the chapter's endpoints, adding one (its signing
/// secret shown once), its deliveries, a test ping, redelivering, rotating the secret, turning it
/// off and on, deleting it. Every change is in the activity log.
struct WebhooksController: OrganizeController {
    let services: AppServices

    var routes: [OrganizeEndpoint] {
        [
            .get(.webhooks(slug: .any), list),
            .post(.webhooks(slug: .any), create),
            .get(.webhook(slug: .any, .any), detail),
            .post(.webhookRotate(slug: .any, .any), rotate),
            .post(.webhookEnabled(slug: .any, .any), setEnabled),
            .post(.webhookDelete(slug: .any, .any), delete),
            .post(.webhookPing(slug: .any, .any), ping),
            .post(.webhookRedeliver(slug: .any, .any, delivery: .any), redeliver),
        ]
    }

    static func typeLabel(_ type: WebhookEventType, _ language: Language) -> String {
        switch type {
        case .registrationCreated: Strings.text("webhooks.types.registrationCreated", language)
        case .registrationCancelled: Strings.text("webhooks.types.registrationCancelled", language)
        case .registrationConfirmed: Strings.text("webhooks.types.registrationConfirmed", language)
        case .registrationCheckedIn: Strings.text("webhooks.types.registrationCheckedIn", language)
        case .eventPublished: Strings.text("webhooks.types.eventPublished", language)
        case .eventChanged: Strings.text("webhooks.types.eventChanged", language)
        case .ping: Strings.text("webhooks.types.ping", language)
        }
    }

    static func typesSummary(_ endpoint: WebhookEndpoint, _ language: Language) -> String {
        endpoint.eventTypes.isEmpty ? Strings.text("webhooks.allTypes", language) : endpoint.eventTypes.map { typeLabel($0, language) }.joined(separator: ", ")
    }

    /// The URL's problem in the organiser's words, on the URL field.
    static func message(_ problem: WebhookURLPolicy.Problem, _ language: Language) -> String {
        switch problem {
        case .invalid: Strings.text("webhooks.error.invalid", language)
        case .notHTTPS: Strings.text("webhooks.error.https", language)
        case .unresolvable(let host): Strings.text("webhooks.error.unresolvable", language, ["host": host])
        case .privateAddress(let host, let address): Strings.text("webhooks.error.private", language, ["host": host, "address": address])
        }
    }

    func listPage(_ chapter: Chapter, context: AppRequestContext, url: String = "", types: Set<String> = [], includeEmail: Bool = false,
                  urlError: String? = nil, formError: String? = nil, notice: String? = nil, secret: WebhookSecretView? = nil) async throws -> WebhooksPage {
        let language = context.language
        let endpoints = try await persistence.webhooks.endpoints(of: chapter.id)
        return WebhooksPage(
            chrome: try chrome(t("webhooks.title", context), context, path: OrganizeRoute.webhooks(slug: chapter.slug).path),
            csrf: try session(context).csrfToken, name: chapter.name, dashboardURL: OrganizeRoute.dashboard(slug: chapter.slug).path,
            notice: notice, formError: formError ?? (urlError == nil ? nil : t("form.errors", context)), newSecret: secret,
            endpoints: endpoints.map { endpoint in
                .init(url: endpoint.url, detailURL: OrganizeRoute.webhook(slug: chapter.slug, endpoint.id).path, types: Self.typesSummary(endpoint, language),
                      state: t(endpoint.enabled ? "webhooks.active" : "webhooks.off", context), stateClass: endpoint.enabled ? "confirmed" : "cancelled",
                      reason: endpoint.disabledReason.isEmpty ? nil : t("webhooks.turnedOff", context, ["error": Strings.webhookFailure(endpoint.disabledReason, language)]))
            },
            addURL: OrganizeRoute.webhooks(slug: chapter.slug).path,
            url: FormField(name: "url", label: t("webhooks.url", context), value: url, type: "url", required: true, hint: t("webhooks.urlHint", context),
                           error: urlError, maxLength: WebhookURLPolicy.maxLength, autocomplete: "off"),
            types: WebhookEventType.subscribable.map { type in
                .init(id: "f-type-\(type.rawValue.replacingOccurrences(of: ".", with: "-"))", value: type.rawValue,
                      label: "\(Self.typeLabel(type, language)) (\(type.rawValue))", checked: types.contains(type.rawValue))
            },
            includeEmail: includeEmail, full: endpoints.count >= WebhookRules.maxEndpoints)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let done = request.uri.queryParameters.get("deleted") != nil ? t("webhooks.deleted", context) : nil
        return html(try await listPage(chapter, context: context, notice: done), context)
    }

    /// Adds an endpoint; the answer shows its secret, once (never again, nor in a redirect).
    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let form = try await self.form(request, context)
        let url = form.text("url").trimmingCharacters(in: .whitespacesAndNewlines)
        let chosen = Set(form.all.filter { $0.0 == "types" }.map(\.1))
        let types = WebhookEventType.subscribable.filter { chosen.contains($0.rawValue) }
        let includeEmail = form["includeEmail"] == "on"
        func refuse(_ urlError: String?, formError: String? = nil) async throws -> Response {
            html(try await listPage(chapter, context: context, url: url, types: chosen, includeEmail: includeEmail, urlError: urlError, formError: formError),
                 context, status: .unprocessableContent)
        }
        if url.isEmpty { return try await refuse(Strings.message(for: .required, context.language)) }
        if let problem = await services.webhookPolicy.problem(with: url) { return try await refuse(Self.message(problem, context.language)) }
        let endpoint: WebhookEndpoint
        let secret: String
        do {
            (endpoint, secret) = try await persistence.webhooks.createEndpoint(chapter: chapter.id, url: url, types: types, includeEmail: includeEmail, now: now())
        } catch WebhookStoreError.tooManyEndpoints {
            return try await refuse(nil, formError: t("webhooks.full", context))
        }
        try await log(context, chapter: chapter.id, "webhook.created", "\(endpoint.url) (\(endpoint.eventTypes.isEmpty ? "all" : endpoint.eventTypes.map(\.rawValue).joined(separator: ", "))\(includeEmail ? ", email" : ""))")
        return html(try await listPage(chapter, context: context, notice: t("webhooks.added", context),
                                       secret: WebhookSecretView(heading: t("webhooks.secretFor", context, ["url": endpoint.url]), secret: secret)), context)
    }

    /// The endpoint named by `:webhook`, of the chapter; 404 otherwise.
    func endpoint(_ chapter: Chapter, _ context: AppRequestContext) async throws -> WebhookEndpoint {
        guard let id = context.parameters.get("webhook").flatMap(WebhookEndpoint.ID.init(string:)),
              let endpoint = try await persistence.webhooks.endpoint(id, of: chapter.id) else { throw AppError.notFound }
        return endpoint
    }

    func detailPage(_ chapter: Chapter, _ endpoint: WebhookEndpoint, context: AppRequestContext, notice: String? = nil, secret: WebhookSecretView? = nil,
                    confirmDelete: Bool = false) async throws -> WebhookPage {
        let language = context.language
        let f = Presenter(language: language, chapter: chapter).formatter
        func when(_ date: Date) -> String { "\(f.shortDate(date)) \(f.time(date))" }
        let deliveries = try await persistence.webhooks.deliveries(of: endpoint.id, chapter: chapter.id)
        let classes: [WebhookDeliveryStatus: String] = [.delivered: "confirmed", .pending: "waitlisted", .failed: "cancelled"]
        var facts: [WebhookPage.Fact] = [
            .init(label: t("manage.status", context), value: t(endpoint.enabled ? "webhooks.active" : "webhooks.off", context)),
            .init(label: t("webhooks.typesLegend", context), value: endpoint.eventTypes.isEmpty ? t("webhooks.allTypes", context)
                    : endpoint.eventTypes.map { Self.typeLabel($0, language) }.joined(separator: ", ")),
            .init(label: t("webhooks.includeEmailFact", context), value: t(endpoint.includeEmail ? "webhooks.yes" : "webhooks.no", context)),
            .init(label: t("webhooks.created", context), value: when(endpoint.createdAt)),
        ]
        if let since = endpoint.failingSince { facts.append(.init(label: t("webhooks.failingSince", context), value: when(since))) }
        return WebhookPage(
            chrome: try chrome(t("webhooks.endpoint", context), context, path: OrganizeRoute.webhook(slug: chapter.slug, endpoint.id).path),
            csrf: try session(context).csrfToken, url: endpoint.url, listURL: OrganizeRoute.webhooks(slug: chapter.slug).path,
            selfURL: OrganizeRoute.webhook(slug: chapter.slug, endpoint.id).path, notice: notice,
            newSecret: secret, facts: facts, enabled: endpoint.enabled,
            reason: endpoint.disabledReason.isEmpty ? nil : t("webhooks.turnedOff", context, ["error": Strings.webhookFailure(endpoint.disabledReason, language)]),
            pingURL: OrganizeRoute.webhookPing(slug: chapter.slug, endpoint.id).path,
            enabledURL: OrganizeRoute.webhookEnabled(slug: chapter.slug, endpoint.id).path,
            rotateURL: OrganizeRoute.webhookRotate(slug: chapter.slug, endpoint.id).path,
            deleteURL: OrganizeRoute.webhookDelete(slug: chapter.slug, endpoint.id).path, confirmDelete: confirmDelete,
            deliveries: deliveries.map { delivery in
                // An answer's status and first words, or why there was none, in the organiser's words.
                let answer = delivery.responseStatus.map { Strings.webhookAnswer(status: $0, excerpt: delivery.lastError, language) }
                    ?? Strings.webhookFailure(delivery.lastError, language)
                return .init(when: when(delivery.createdAt), type: Self.typeLabel(delivery.type, language), code: delivery.type.rawValue,
                             status: t("webhooks.status.\(delivery.status.rawValue)", context), statusClass: classes[delivery.status] ?? "draft",
                             answer: answer.isEmpty ? "—" : answer, attempts: String(delivery.attempts),
                             next: delivery.nextAttemptAt.map(when) ?? "—",
                             redeliverURL: OrganizeRoute.webhookRedeliver(slug: chapter.slug, endpoint.id, delivery: delivery.id).path)
            })
    }

    /// Labels the template does not name literally: kept here so each key appears in the sources.
    static let statusKeys = ["webhooks.status.pending", "webhooks.status.delivered", "webhooks.status.failed"]

    @Sendable func detail(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let endpoint = try await endpoint(chapter, context)
        let query = request.uri.queryParameters
        let notice = query.get("pinged") != nil ? t("webhooks.pinged", context)
            : query.get("redelivered") != nil ? t("webhooks.redelivered", context)
            : query.get("enabled").map { $0 == "on" ? t("webhooks.enabledNotice", context) : t("webhooks.disabledNotice", context) }
        return html(try await detailPage(chapter, endpoint, context: context, notice: notice), context)
    }

    /// A new secret, shown once in the answer; the old one stops signing at once.
    @Sendable func rotate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let endpoint = try await endpoint(chapter, context)
        guard let secret = try await persistence.webhooks.rotateSecret(endpoint.id, of: chapter.id) else { throw AppError.notFound }
        try await log(context, chapter: chapter.id, "webhook.rotated", endpoint.url)
        return html(try await detailPage(chapter, endpoint, context: context, notice: t("webhooks.rotated", context),
                                         secret: WebhookSecretView(heading: t("webhooks.secretFor", context, ["url": endpoint.url]), secret: secret)), context)
    }

    @Sendable func setEnabled(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let endpoint = try await endpoint(chapter, context)
        let enabled = try await self.form(request, context)["enabled"] == "on"
        try await persistence.webhooks.setEnabled(endpoint.id, of: chapter.id, enabled)
        try await log(context, chapter: chapter.id, enabled ? "webhook.enabled" : "webhook.disabled", endpoint.url)
        return .redirect(to: OrganizeRoute.webhook(slug: chapter.slug, endpoint.id).path("enabled", enabled ? "on" : "off"), type: .normal)
    }

    /// A first post asks; a second with `confirm=yes` deletes the endpoint and its deliveries.
    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let endpoint = try await endpoint(chapter, context)
        guard try await self.form(request, context)["confirm"] == "yes" else {
            return html(try await detailPage(chapter, endpoint, context: context, confirmDelete: true), context)
        }
        try await persistence.webhooks.deleteEndpoint(endpoint.id, of: chapter.id)
        try await log(context, chapter: chapter.id, "webhook.deleted", endpoint.url)
        return .redirect(to: OrganizeRoute.webhooks(slug: chapter.slug).path("deleted", "1"), type: .normal)
    }

    /// Queues a `ping`: it goes like any delivery, and shows in the list within seconds.
    @Sendable func ping(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let endpoint = try await endpoint(chapter, context)
        guard try await persistence.webhooks.enqueuePing(endpoint.id, of: chapter.id, now: now()) != nil else { throw AppError.notFound }
        try await log(context, chapter: chapter.id, "webhook.pinged", endpoint.url)
        return .redirect(to: OrganizeRoute.webhook(slug: chapter.slug, endpoint.id).path("pinged", "1"), type: .normal)
    }

    /// Sends one delivery again, at once, with the same id and body.
    @Sendable func redeliver(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let endpoint = try await endpoint(chapter, context)
        guard let id = context.parameters.get("delivery").flatMap(WebhookDelivery.ID.init(string:)),
              let delivery = try await persistence.webhooks.redeliver(id, endpoint: endpoint.id, of: chapter.id, now: now()) else {
            throw AppError.notFound
        }
        try await log(context, chapter: chapter.id, "webhook.redelivered", "\(delivery.type.rawValue) → \(endpoint.url)")
        return .redirect(to: OrganizeRoute.webhook(slug: chapter.slug, endpoint.id).path("redelivered", "1"), type: .normal)
    }
}
