import Foundation
import Hummingbird
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// Registration questions: organisers add their own questions to a meetup's form (or to every
/// meetup of the chapter), order and remove them, and see the answers at a glance. Answers go
/// to the attendee table and the CSV, never to a public page.
struct QuestionsController: OrganizeController {
    let services: AppServices

    var routes: [OrganizeEndpoint] {
        [
            .get(.questions(.any), show),
            .post(.questions(.any), add),
            .post(.removeQuestion(.any, question: .any), remove),
            .post(.moveQuestion(.any, question: .any), move),
        ]
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let done = request.uri.queryParameters.get("done").map { String($0) }
        let notices = ["added": "questions.added", "removed": "questions.removed"]
        return try await page(detail, context: context, notice: done.flatMap { notices[$0] }.map { t($0, context) },
                              input: RegistrationQuestion.Input(kind: "text", scope: "event"), errors: ValidationErrors(), status: .ok)
    }

    func page(_ detail: EventDetail, context: AppRequestContext, notice: String?, input: RegistrationQuestion.Input,
              errors: ValidationErrors, status: HTTPResponse.Status) async throws -> Response {
        let id = detail.event.id
        let questions = try await persistence.questions.questions(forEvent: id)
        // Counts for planning (food, parking): the people still coming or waiting, not those who cancelled.
        let answers = try await persistence.questions.answers(ofEvent: id, activeOnly: true)
        let language = context.language
        func error(_ field: String) -> String? { errors[field].map { Strings.message(for: $0, language) } }
        func item(_ question: RegistrationQuestion, siblings: [RegistrationQuestion]) -> QuestionsPage.Item {
            let given = answers.values.compactMap { $0[question.id] }
            var answered = Strings.plural("questions.answered", count: given.count, language)
            if question.kind != .text, !given.isEmpty {
                let options = question.kind == .yesNo ? ["yes", "no"] : question.choices
                answered += " · " + options.map { option in
                    t("questions.optionCount", context, ["option": question.kind == .yesNo ? t(option == "yes" ? "form.yes" : "form.no", context) : option,
                                                         "count": String(given.filter { $0 == option }.count)])
                }.joined(separator: " · ")
            }
            let index = siblings.firstIndex(of: question) ?? 0
            let details = [kindLabel(question.kind, context),
                           t(question.required ? "questions.isRequired" : "questions.isOptional", context),
                           t(question.eventID == nil ? "questions.everyMeetup" : "questions.thisMeetup", context)].joined(separator: " · ")
            return .init(label: question.label, details: details,
                         options: question.kind == .choice ? question.choices.joined(separator: " · ") : nil, answered: answered,
                         upURL: index > 0 ? OrganizeRoute.moveQuestion(id, question: question.id).path : nil,
                         downURL: index < siblings.count - 1 ? OrganizeRoute.moveQuestion(id, question: question.id).path : nil,
                         removeURL: OrganizeRoute.removeQuestion(id, question: question.id).path)
        }
        let chapterWide = questions.filter { $0.eventID == nil }
        let own = questions.filter { $0.eventID != nil }
        let page = QuestionsPage(
            chrome: try chrome(t("questions.title", context), context, path: OrganizeRoute.questions(id).path),
            csrf: try session(context).csrfToken, title: detail.event.title, eventURL: OrganizeRoute.event(id).path,
            notice: notice, error: errors.isEmpty ? nil : t("form.errors", context),
            chapterQuestions: chapterWide.map { item($0, siblings: chapterWide) }, eventQuestions: own.map { item($0, siblings: own) },
            addURL: OrganizeRoute.questions(id).path,
            label: FormField(name: "label", label: t("questions.label", context), value: input.label ?? "", required: true,
                             hint: t("questions.labelHint", context), error: error("label"), maxLength: RegistrationQuestion.labelLimit, autocomplete: "off"),
            kinds: RegistrationQuestion.Kind.allCases.map { .init(value: $0.rawValue, label: kindLabel($0, context), selected: input.kind == $0.rawValue) },
            choices: TextAreaField(id: "f-choices", name: "choices", label: t("questions.choices", context), value: input.choices ?? "",
                                   hint: t("questions.choicesHint", context), error: error("choices"), maxLength: 2_500),
            required: input.required, scopeEvent: input.scope != "chapter", scopeError: error("scope"),
            full: questions.count >= RegistrationQuestion.perEventLimit)
        return html(page, context, status: status)
    }

    func kindLabel(_ kind: RegistrationQuestion.Kind, _ context: AppRequestContext) -> String {
        switch kind {
        case .text: t("questions.kindText", context)
        case .choice: t("questions.kindChoice", context)
        case .yesNo: t("questions.kindYesNo", context)
        }
    }

    @Sendable func add(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let form = try await self.form(request, context)
        let input = RegistrationQuestion.Input(label: form["label"], kind: form["kind"], choices: form["choices"], required: form["required"] != nil, scope: form["scope"])
        guard try await persistence.questions.questions(forEvent: detail.event.id).count < RegistrationQuestion.perEventLimit else {
            return .redirect(to: OrganizeRoute.questions(detail.event.id).path, type: .normal)
        }
        switch input.validated() {
        case .failure(let errors):
            return try await page(detail, context: context, notice: nil, input: input, errors: errors, status: .unprocessableContent)
        case .success(let valid):
            let question = try await persistence.questions.add(valid, chapter: detail.chapter.id, event: detail.event.id, now: now())
            try await log(context, chapter: detail.chapter.id, "question.added", "\(detail.event.title): \(question.label)")
            services.eventChanged(detail.event.id, chapterSlug: detail.chapter.slug)
            return .redirect(to: OrganizeRoute.questions(detail.event.id).path("done", "added"), type: .normal)
        }
    }

    /// The question, if it is asked at this meetup (its own, or its chapter's).
    func question(_ detail: EventDetail, _ context: AppRequestContext) async throws -> RegistrationQuestion {
        guard let id = context.parameters.get("question").flatMap(RegistrationQuestion.ID.init(string:)),
              let question = try await persistence.questions.question(id), question.chapterID == detail.chapter.id,
              question.eventID == nil || question.eventID == detail.event.id else { throw AppError.notFound }
        return question
    }

    @Sendable func remove(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let question = try await question(detail, context)
        guard try await self.form(request, context)["confirm"] == "yes" else {
            let answered = try await persistence.questions.answers(ofEvent: detail.event.id, activeOnly: true).values.filter { $0[question.id] != nil }.count
            let page = ConfirmStepPage(
                chrome: try chrome(t("questions.confirmRemove", context), context, path: OrganizeRoute.questions(detail.event.id).path),
                heading: t("questions.confirmRemove", context),
                lines: [t(question.eventID == nil ? "questions.confirmRemoveChapter" : "questions.confirmRemoveEvent", context)],
                facts: [question.label, Strings.plural("questions.answered", count: answered, context.language)],
                action: OrganizeRoute.removeQuestion(detail.event.id, question: question.id).path, csrf: try session(context).csrfToken,
                confirmLabel: t("questions.remove", context),
                backURL: OrganizeRoute.questions(detail.event.id).path, backLabel: t("questions.keep", context))
            return html(page, context)
        }
        try await persistence.questions.remove(question.id, chapter: detail.chapter.id)
        try await log(context, chapter: detail.chapter.id, "question.removed", "\(detail.event.title): \(question.label)")
        services.eventChanged(detail.event.id, chapterSlug: detail.chapter.slug)
        return .redirect(to: OrganizeRoute.questions(detail.event.id).path("done", "removed"), type: .normal)
    }

    @Sendable func move(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let question = try await question(detail, context)
        let direction = try await self.form(request, context)["direction"]
        guard direction == "up" || direction == "down" else { throw AppError.badRequest(detail: nil) }
        try await persistence.questions.move(question.id, chapter: detail.chapter.id, by: direction == "up" ? -1 : 1)
        services.eventChanged(detail.event.id, chapterSlug: detail.chapter.slug)
        return .redirect(to: OrganizeRoute.questions(detail.event.id).path, type: .normal)
    }
}
