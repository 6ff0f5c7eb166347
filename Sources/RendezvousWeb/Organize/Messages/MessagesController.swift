import Foundation
import Hummingbird
import RendezvousDomain
import RendezvousLocalization
import RendezvousMail
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

    var composer: MessageComposer {
        MessageComposer(persistence: persistence, baseURL: services.configuration.baseURL, from: .init(email: ""))
    }

    static let audiences = ["confirmed", "waitlisted", "both", "checkedin"]

    func messagePage(_ detail: EventDetail, context: AppRequestContext, subject: String = "", body: String = "", audience: String = "confirmed",
                     errors: [String: String] = [:], notice: String? = nil, preview: MessagePreview? = nil) throws -> MessageComposePage {
        let language = context.language
        func t(_ key: String) -> String { Strings.text(key, language) }
        let options: [(String, String)] = [("confirmed", t("org.toConfirmed")), ("waitlisted", t("org.toWaitlisted")),
                                           ("both", t("org.toConfirmed") + " + " + t("org.toWaitlisted")), ("checkedin", t("org.toCheckedIn"))]
        return MessageComposePage(
            chrome: try chrome(t("org.message"), context, path: OrganizeRoute.message(detail.event.id).path),
            backURL: OrganizeRoute.event(detail.event.id).path, backLabel: detail.event.title,
            heading: t("org.message") + " · " + detail.event.title, intro: t("org.messageIntro"), stats: [], notice: notice,
            error: errors.isEmpty ? nil : t("form.errors"), action: OrganizeRoute.message(detail.event.id).path, csrf: try session(context).csrfToken,
            fields: [FormField(name: "subject", label: t("org.messageSubject"), value: subject, required: true, error: errors["subject"], maxLength: 150, autocomplete: "off")],
            textareas: [TextAreaField(id: "f-body", name: "body", label: t("org.messageBody"), value: body, hint: t("message.bodyHint"), error: errors["body"], maxLength: 5000)],
            selects: [SelectField(id: "f-audience", name: "audience", label: t("org.messageTo"),
                                  options: options.map { .init(value: $0.0, label: $0.1, selected: $0.0 == audience) })],
            scheduleFields: [], scheduleLegend: nil,
            buttons: [.init(name: "step", value: "preview", label: t("message.previewButton"), primary: false),
                      .init(name: "step", value: "test", label: t("message.testButton"), primary: false),
                      .init(name: "step", value: "send", label: t("org.message"), primary: true)],
            preview: preview, rowsHeading: nil, rows: [], hasRows: false, cancelLabel: "")
    }

    @Sendable func messageForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        html(try messagePage(try await event(context), context: context), context)
    }

    /// The first name an organiser's greeting uses ("Bonjour Karim,"): the first word of their name.
    static func firstName(_ name: String) -> String {
        name.split(separator: " ").first.map(String.init) ?? name
    }

    /// Preview (the message as the first recipient reads it), a test to oneself, or sending.
    @Sendable func sendMessage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let form = try await self.form(request, context)
        var errors = ValidationErrors()
        let subject = TextRules.clean(form["subject"], field: "subject", required: true, maxLength: 150, into: &errors)
        let body = TextRules.clean(form["body"], field: "body", required: true, maxLength: 5000, multiline: true, into: &errors)
        let audience = Self.audiences.contains(form.text("audience")) ? form.text("audience") : "confirmed"
        guard errors.isEmpty else {
            let messages = Dictionary(errors.problems.map { ($0.field, Strings.message(for: $0.problem, context.language)) }, uniquingKeysWith: { a, _ in a })
            return html(try messagePage(detail, context: context, subject: form.text("subject"), body: form.text("body"), audience: audience, errors: messages),
                        context, status: .unprocessableContent)
        }
        let statuses: Set<String> = audience == "waitlisted" ? ["waitlisted", "offered"] : audience == "both" ? ["confirmed", "waitlisted", "offered"] : ["confirmed"]
        let user = try session(context).user
        switch form.text("step") {
        case "preview":
            // As the first recipient reads it, in their language; the organiser when nobody would get it.
            let people = try await persistence.registrations.attendees(of: detail.event.id)
                .filter { statuses.contains($0.registration.status.rawValue) && !$0.registration.profile.email.isEmpty && (audience != "checkedin" || $0.checkedInAt != nil) }
            let sample = people.first?.registration
            var language = detail.chapter.locale
            if let sample, let chosen = try await persistence.registrations.language(of: sample.id) { language = chosen }
            let letter = try await composer.eventLetter(detail, language: language, firstName: sample?.profile.firstName ?? Self.firstName(user.name),
                                                        lastName: sample?.profile.lastName ?? "", email: sample?.profile.email ?? user.email,
                                                        subject: subject, body: body, author: user.name, manageURL: nil, unsubscribeURL: nil, test: false)
            let preview = MessagePreview(letter, language: context.language,
                                         note: Strings.plural("message.previewNote", count: people.count, context.language))
            return html(try messagePage(detail, context: context, subject: subject, body: body, audience: audience, preview: preview), context)
        case "test":
            try await persistence.audience.enqueueTest(.broadcast, chapter: detail.chapter.id, event: detail.event.id, recipient: user.email, payload: [
                "subject": subject, "body": body, "from": user.name, "name": Self.firstName(user.name), "language": detail.chapter.locale.rawValue,
            ], now: now())
            return html(try messagePage(detail, context: context, subject: subject, body: body, audience: audience,
                                        notice: t("message.testSent", context, ["email": user.email])), context)
        default:
            let count = try await persistence.outbox.enqueueBroadcast(event: detail.event.id, statuses: statuses, checkedInOnly: audience == "checkedin",
                                                                      subject: subject, body: body, from: user.name, now: now())
            try await log(context, chapter: detail.chapter.id, "message.sent", "\(detail.event.title): \(subject) (\(count))")
            return html(try messagePage(detail, context: context, notice: Strings.plural("org.messageQueued", count: count, context.language)), context)
        }
    }
}
