import Foundation
import Hummingbird
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// Messages to an event's attendees, and the chapter's outbox with its retries.
struct MessagesController: OrganizeController {
    let services: AppServices

    var routes: [OrganizeEndpoint] {
        [
            .get(.message(.any), messageForm),
            .post(.message(.any), sendMessage),
            .get(.outbox(slug: .any), outbox),
            .post(.retryAll(slug: .any), retryAllMessages),
            .post(.retryMessage(slug: .any, message: .any), retryMessage),
        ]
    }

    @Sendable func outbox(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let f = Presenter(language: context.language, chapter: chapter).formatter
        let records = try await persistence.outbox.outbox(of: chapter.id)
        let classes: [OutboxStatus: String] = [.sent: "confirmed", .pending: "waitlisted", .failed: "cancelled", .skipped: "draft"]
        let retried = request.uri.queryParameters.get("retried").flatMap { Int(String($0)) }
        let page = OutboxPage(
            chrome: try chrome(t("org.outbox", context), context, path: OrganizeRoute.outbox(slug: chapter.slug).path), name: chapter.name,
            dashboardURL: OrganizeRoute.dashboard(slug: chapter.slug).path,
            filesNote: services.configuration.mailUsesFiles ? t("org.outboxFiles", context, ["dir": services.configuration.outboxDirectory]) : nil,
            mailAlert: MailAlertView(try await persistence.outbox.mailAlert(), language: context.language, formatter: f),
            notice: retried.map { t("outbox.retried", context, ["count": String($0)]) },
            csrf: try session(context).csrfToken,
            retryAllURL: records.contains { $0.status == .failed } ? OrganizeRoute.retryAll(slug: chapter.slug).path : nil,
            rows: records.map { record in
                .init(when: "\(f.shortDate(record.createdAt)) \(f.time(record.createdAt))", recipient: record.recipient,
                      subject: record.subject.isEmpty ? record.kind.rawValue : record.subject,
                      status: Strings.outboxStatus(record.status, context.language) + (record.attempts > 0 && record.status == .pending ? " (\(record.attempts))" : ""),
                      statusClass: classes[record.status] ?? "draft", error: record.lastError.isEmpty ? nil : record.lastError,
                      retryURL: record.status == .failed ? OrganizeRoute.retryMessage(slug: chapter.slug, message: record.id).path : nil)
            })
        return html(page, context)
    }

    /// Puts one failed message of the chapter back in the queue, attempts reset.
    @Sendable func retryMessage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        guard let id = context.parameters.get("message").flatMap(UUID.init(uuidString:)),
              let record = try await persistence.outbox.outboxRecord(id, of: chapter.id) else { throw AppError.notFound }
        let count = try await persistence.outbox.retryFailedMessages(of: chapter.id, id: id, now: now())
        if count > 0 { try await log(context, chapter: chapter.id, "outbox.retried", "\(record.subject.isEmpty ? record.kind.rawValue : record.subject) → \(record.recipient)") }
        return .redirect(to: OrganizeRoute.outbox(slug: chapter.slug).path("retried", String(count)), type: .normal)
    }

    /// Puts every failed message of the chapter back in the queue.
    @Sendable func retryAllMessages(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let count = try await persistence.outbox.retryFailedMessages(of: chapter.id, now: now())
        if count > 0 { try await log(context, chapter: chapter.id, "outbox.retried", String(count)) }
        return .redirect(to: OrganizeRoute.outbox(slug: chapter.slug).path("retried", String(count)), type: .normal)
    }

    func messagePage(_ detail: EventDetail, context: AppRequestContext, subject: String = "", body: String = "", errors: [String: String] = [:], notice: String? = nil) throws -> SimpleFormPage {
        .eventMessage(detail.event, chrome: try chrome(t("org.message", context), context, path: OrganizeRoute.message(detail.event.id).path),
                      language: context.language, csrf: try session(context).csrfToken, subject: subject, body: body, errors: errors, notice: notice)
    }

    @Sendable func messageForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        html(try messagePage(try await event(context), context: context), context)
    }

    @Sendable func sendMessage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let form = try await self.form(request, context)
        var errors = ValidationErrors()
        let subject = TextRules.clean(form["subject"], field: "subject", required: true, maxLength: 150, into: &errors)
        let body = TextRules.clean(form["body"], field: "body", required: true, maxLength: 5000, multiline: true, into: &errors)
        guard errors.isEmpty else {
            let messages = Dictionary(errors.problems.map { ($0.field, Strings.message(for: $0.problem, context.language)) }, uniquingKeysWith: { a, _ in a })
            return html(try messagePage(detail, context: context, subject: form.text("subject"), body: form.text("body"), errors: messages), context, status: .unprocessableContent)
        }
        let audience = form.text("audience")
        let statuses: Set<String> = audience == "waitlisted" ? ["waitlisted", "offered"] : audience == "both" ? ["confirmed", "waitlisted", "offered"] : ["confirmed"]
        let count = try await persistence.outbox.enqueueBroadcast(event: detail.event.id, statuses: statuses, checkedInOnly: audience == "checkedin",
                                                           subject: subject, body: body, from: try session(context).user.name, now: now())
        try await log(context, chapter: detail.chapter.id, "message.sent", "\(detail.event.title): \(subject) (\(count))")
        return html(try messagePage(detail, context: context, notice: Strings.plural("org.messageQueued", count: count, context.language)), context)
    }
}
