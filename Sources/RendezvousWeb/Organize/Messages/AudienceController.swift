import Foundation
import Hummingbird
import RendezvousDomain
import RendezvousLocalization
import RendezvousMail
import RendezvousPersistence

/// The chapter's audience: how many follow it, and messages to the followers and/or past
/// attendees, previewed, tested on oneself, sent now or scheduled (then edited or cancelled
/// until they go; the outbox sender sends them when due).
struct AudienceController: OrganizeController {
    let services: AppServices

    var routes: [OrganizeEndpoint] {
        [
            .get(.audience(slug: .any), audience),
            .post(.audience(slug: .any), compose),
            .get(.audienceMessage(slug: .any, message: .any), editForm),
            .post(.audienceMessage(slug: .any, message: .any), saveScheduled),
            .post(.cancelAudienceMessage(slug: .any, message: .any), cancelScheduled),
        ]
    }

    var composer: MessageComposer {
        MessageComposer(persistence: persistence, baseURL: services.configuration.baseURL, from: .init(email: ""))
    }

    /// What the form holds, raw, to show it again.
    struct Draft {
        var subject = ""
        var body = ""
        var audience = AudienceChoice.followers
        var date = ""
        var time = ""
    }

    func page(_ chapter: Chapter, context: AppRequestContext, draft: Draft = Draft(), editing: ScheduledMessage? = nil, errors: [String: String] = [:],
              notice: String? = nil, preview: MessagePreview? = nil) async throws -> MessageComposePage {
        let language = context.language
        func t(_ key: String, _ arguments: [String: String] = [:]) -> String { Strings.text(key, language, arguments) }
        let f = DisplayFormatter(language: language, timeZone: chapter.zone, region: chapter.countryCode)
        let now = now()
        let followers = try await persistence.audience.followerCount(of: chapter.id)
        var sizes: [AudienceChoice: Int] = [:]
        for choice in AudienceChoice.allCases { sizes[choice] = try await persistence.audience.audienceSize(of: chapter.id, choice, now: now) }
        let labels: [AudienceChoice: String] = [.followers: t("audience.toFollowers"), .attendees: t("audience.toAttendees"), .both: t("audience.toBoth")]
        let path = editing.map { OrganizeRoute.audienceMessage(slug: chapter.slug, message: $0.id).path } ?? OrganizeRoute.audience(slug: chapter.slug).path
        var buttons: [MessageComposePage.Button] = [.init(name: "step", value: "preview", label: t("message.previewButton"), primary: false),
                                                    .init(name: "step", value: "test", label: t("message.testButton"), primary: false)]
        if editing == nil {
            buttons += [.init(name: "step", value: "schedule", label: t("audience.schedule"), primary: false),
                        .init(name: "step", value: "send", label: t("audience.sendNow"), primary: true)]
        } else {
            buttons.append(.init(name: "step", value: "save", label: t("audience.saveScheduled"), primary: true))
        }
        let messages = editing == nil ? try await persistence.audience.audienceMessages(of: chapter.id) : []
        let statusLabels: [ScheduledMessage.Status: String] = [.scheduled: t("audience.statusScheduled"), .sent: t("audience.statusSent"), .cancelled: t("audience.statusCancelled")]
        let classes: [ScheduledMessage.Status: String] = [.scheduled: "waitlisted", .sent: "confirmed", .cancelled: "cancelled"]
        return MessageComposePage(
            chrome: try chrome(t("audience.title"), context, path: path),
            backURL: editing == nil ? OrganizeRoute.dashboard(slug: chapter.slug).path : OrganizeRoute.audience(slug: chapter.slug).path,
            backLabel: editing == nil ? chapter.name : t("audience.title"),
            heading: (editing == nil ? t("audience.title") : t("audience.editTitle")) + " · " + chapter.name, intro: t("audience.intro"),
            stats: [Strings.plural("audience.followerCount", count: followers, language)]
                + AudienceChoice.allCases.map { "\(labels[$0] ?? "")\(language == .fr ? "\u{202F}:" : ":") \(Strings.plural("audience.addresses", count: sizes[$0] ?? 0, language))" },
            notice: notice, error: errors.isEmpty ? nil : t("form.errors"), action: path, csrf: try session(context).csrfToken,
            fields: [FormField(name: "subject", label: t("org.messageSubject"), value: draft.subject, required: true, error: errors["subject"], maxLength: 150, autocomplete: "off")],
            textareas: [TextAreaField(id: "f-body", name: "body", label: t("org.messageBody"), value: draft.body, hint: t("audience.bodyHint"), error: errors["body"], maxLength: 5000)],
            selects: [SelectField(id: "f-audience", name: "audience", label: t("org.messageTo"), options: AudienceChoice.allCases.map {
                .init(value: $0.rawValue, label: "\(labels[$0] ?? "") (\(f.number(sizes[$0] ?? 0)))", selected: $0 == draft.audience)
            })],
            scheduleFields: [
                FormField(name: "sendDate", label: t("audience.sendDate"), value: draft.date, type: "date", required: editing != nil, error: errors["sendDate"], maxLength: 10, autocomplete: "off"),
                FormField(name: "sendTime", label: t("audience.sendTime", ["zone": chapter.zone.identifier]), value: draft.time, type: "time", required: editing != nil,
                          error: errors["sendTime"], maxLength: 5, autocomplete: "off"),
            ],
            scheduleLegend: editing == nil ? t("audience.later") : t("audience.when"),
            buttons: buttons, preview: preview, rowsHeading: t("audience.messages"),
            rows: messages.map { message in
                .init(subject: message.subject, audience: labels[message.audience] ?? "",
                      when: "\(f.shortDate(message.status == .sent ? message.sentAt ?? message.sendAt : message.sendAt)) \(f.time(message.status == .sent ? message.sentAt ?? message.sendAt : message.sendAt))",
                      status: (statusLabels[message.status] ?? "") + (message.status == .sent ? " (\(f.number(message.recipients)))" : ""),
                      statusClass: classes[message.status] ?? "draft",
                      editURL: message.status == .scheduled ? OrganizeRoute.audienceMessage(slug: chapter.slug, message: message.id).path : nil,
                      cancelURL: message.status == .scheduled ? OrganizeRoute.cancelAudienceMessage(slug: chapter.slug, message: message.id).path : nil)
            }, hasRows: !messages.isEmpty, cancelLabel: t("audience.cancelScheduled"))
    }

    @Sendable func audience(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let done = request.uri.queryParameters.get("done").map { String($0) }
        let notices = ["cancelled": "audience.cancelledNotice", "saved": "audience.savedNotice", "late": "audience.lateNotice"]
        return html(try await page(chapter, context: context, notice: done.flatMap { notices[$0] }.map { t($0, context) }), context)
    }

    /// The date and time "send later" names, in the chapter's time zone; errors on the right field.
    func sendAt(_ draft: Draft, chapter: Chapter, required: Bool, errors: inout ValidationErrors) -> Date? {
        if draft.date.isEmpty && draft.time.isEmpty {
            if required { errors.add("sendDate", .required) }
            return nil
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = chapter.zone
        let day = draft.date.split(separator: "-").compactMap { Int($0) }
        let clock = draft.time.split(separator: ":").compactMap { Int($0) }
        guard day.count == 3, (1...12).contains(day[1]), (1...31).contains(day[2]), (2000...2200).contains(day[0]) else {
            errors.add("sendDate", draft.date.isEmpty ? .required : .invalidDate)
            return nil
        }
        guard clock.count == 2, (0...23).contains(clock[0]), (0...59).contains(clock[1]) else {
            errors.add("sendTime", draft.time.isEmpty ? .required : .invalidDate)
            return nil
        }
        guard let date = calendar.date(from: DateComponents(year: day[0], month: day[1], day: day[2], hour: clock[0], minute: clock[1])),
              calendar.component(.day, from: date) == day[2] else {
            errors.add("sendDate", .invalidDate)
            return nil
        }
        if date <= now() {
            errors.add("sendTime", .inThePast)
            return nil
        }
        return date
    }

    func draft(_ form: FormFields) -> Draft {
        Draft(subject: form.text("subject"), body: form.text("body"), audience: AudienceChoice(rawValue: form.text("audience")) ?? .followers,
              date: form.text("sendDate").trimmingCharacters(in: .whitespaces), time: form.text("sendTime").trimmingCharacters(in: .whitespaces))
    }

    func messages(_ errors: ValidationErrors, _ context: AppRequestContext) -> [String: String] {
        Dictionary(errors.problems.map { ($0.field, Strings.message(for: $0.problem, context.language)) }, uniquingKeysWith: { a, _ in a })
    }

    /// Preview and test are the same for a new message and a scheduled one being edited.
    func previewOrTest(_ step: String, chapter: Chapter, draft: Draft, subject: String, body: String, editing: ScheduledMessage?,
                       context: AppRequestContext) async throws -> Response? {
        let user = try session(context).user
        switch step {
        case "preview":
            let size = try await persistence.audience.audienceSize(of: chapter.id, draft.audience, now: now())
            var letter = try await composer.audienceLetter(chapter, language: chapter.locale, email: user.email, subject: subject, body: body,
                                                           author: user.name, unsubscribeURL: nil, test: false)
            // Addressed to the audience chosen, not to one person.
            let labels: [AudienceChoice: String] = [.followers: "audience.toFollowers", .attendees: "audience.toAttendees", .both: "audience.toBoth"]
            letter.toEmail = "\(t(labels[draft.audience] ?? "audience.toFollowers", context)) (\(Strings.plural("audience.addresses", count: size, context.language)))"
            let preview = MessagePreview(letter, language: context.language, note: Strings.plural("message.previewNote", count: size, context.language))
            return html(try await page(chapter, context: context, draft: draft, editing: editing, preview: preview), context)
        case "test":
            try await persistence.audience.enqueueTest(.audienceMessage, chapter: chapter.id, event: nil, recipient: user.email,
                                                       payload: ["subject": subject, "body": body, "from": user.name, "language": chapter.locale.rawValue], now: now())
            return html(try await page(chapter, context: context, draft: draft, editing: editing,
                                       notice: t("message.testSent", context, ["email": user.email])), context)
        default:
            return nil
        }
    }

    @Sendable func compose(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let form = try await self.form(request, context)
        let draft = draft(form)
        let step = form.text("step")
        var errors = ValidationErrors()
        let subject = TextRules.clean(form["subject"], field: "subject", required: true, maxLength: 150, into: &errors)
        let body = TextRules.clean(form["body"], field: "body", required: true, maxLength: 5000, multiline: true, into: &errors)
        let when = step == "schedule" ? sendAt(draft, chapter: chapter, required: true, errors: &errors) : nil
        guard errors.isEmpty else {
            return html(try await page(chapter, context: context, draft: draft, errors: messages(errors, context)), context, status: .unprocessableContent)
        }
        if let response = try await previewOrTest(step, chapter: chapter, draft: draft, subject: subject, body: body, editing: nil, context: context) {
            return response
        }
        let user = try session(context).user
        if step == "schedule", let when {
            _ = try await persistence.audience.scheduleMessage(chapter: chapter.id, choice: draft.audience, subject: subject, body: body,
                                                               author: user.name, sendAt: when, now: now())
            try await log(context, chapter: chapter.id, "audience.scheduled", "\(subject) (\(ISO8601.format(when, in: chapter.zone)))")
            let f = DisplayFormatter(language: context.language, timeZone: chapter.zone, region: chapter.countryCode)
            return html(try await page(chapter, context: context, notice: t("audience.scheduledNotice", context, ["when": f.dateTime(when)])), context)
        }
        let count = try await persistence.audience.sendAudienceMessage(chapter: chapter.id, choice: draft.audience, subject: subject, body: body,
                                                                       author: user.name, now: now())
        try await log(context, chapter: chapter.id, "audience.sent", "\(subject) (\(count))")
        return html(try await page(chapter, context: context, notice: Strings.plural("org.messageQueued", count: count, context.language)), context)
    }

    func scheduled(_ chapter: Chapter, _ context: AppRequestContext) async throws -> ScheduledMessage {
        guard let id = context.parameters.get("message").flatMap(UUID.init(uuidString:)),
              let message = try await persistence.audience.scheduledMessage(id, chapter: chapter.id) else { throw AppError.notFound }
        return message
    }

    @Sendable func editForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let message = try await scheduled(chapter, context)
        guard message.status == .scheduled else {
            return .redirect(to: OrganizeRoute.audience(slug: chapter.slug).path, type: .normal)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = chapter.zone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: message.sendAt)
        let draft = Draft(subject: message.subject, body: message.body, audience: message.audience,
                          date: String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0),
                          time: String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0))
        return html(try await page(chapter, context: context, draft: draft, editing: message), context)
    }

    @Sendable func saveScheduled(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let message = try await scheduled(chapter, context)
        let form = try await self.form(request, context)
        let draft = draft(form)
        let step = form.text("step")
        var errors = ValidationErrors()
        let subject = TextRules.clean(form["subject"], field: "subject", required: true, maxLength: 150, into: &errors)
        let body = TextRules.clean(form["body"], field: "body", required: true, maxLength: 5000, multiline: true, into: &errors)
        let when = step == "save" ? sendAt(draft, chapter: chapter, required: true, errors: &errors) : nil
        guard errors.isEmpty else {
            return html(try await page(chapter, context: context, draft: draft, editing: message, errors: messages(errors, context)), context, status: .unprocessableContent)
        }
        if let response = try await previewOrTest(step, chapter: chapter, draft: draft, subject: subject, body: body, editing: message, context: context) {
            return response
        }
        guard let when else { throw AppError.notFound }
        // Too late when it already went: the list says so.
        let saved = try await persistence.audience.updateScheduledMessage(message.id, chapter: chapter.id, choice: draft.audience, subject: subject, body: body, sendAt: when)
        if saved { try await log(context, chapter: chapter.id, "audience.rescheduled", "\(subject) (\(ISO8601.format(when, in: chapter.zone)))") }
        return .redirect(to: OrganizeRoute.audience(slug: chapter.slug).path("done", saved ? "saved" : "late"), type: .normal)
    }

    @Sendable func cancelScheduled(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let message = try await scheduled(chapter, context)
        let cancelled = try await persistence.audience.cancelScheduledMessage(message.id, chapter: chapter.id)
        if cancelled { try await log(context, chapter: chapter.id, "audience.cancelled", message.subject) }
        return .redirect(to: OrganizeRoute.audience(slug: chapter.slug).path("done", cancelled ? "cancelled" : "late"), type: .normal)
    }
}
