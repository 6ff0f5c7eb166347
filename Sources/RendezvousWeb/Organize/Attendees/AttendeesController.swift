import Foundation
import Hummingbird
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// The event's page with its attendees, and what an organiser does to one of them: add,
/// cancel, promote from the waitlist, annotate.
struct AttendeesController: OrganizeController {
    let services: AppServices

    var routes: [OrganizeEndpoint] {
        [
            .get(.event(.any), show),
            .post(.addAttendee(.any), addAttendee),
            .post(.cancelAttendee(.any, registration: .any), cancelAttendee),
            .post(.promoteAttendee(.any, registration: .any), promoteAttendee),
            .post(.noteAttendee(.any, registration: .any), noteAttendee),
        ]
    }

    /// The attendee table shows names and emails: each view (a page, not a row) is in the activity log.
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let response = try await eventPage(detail, request: request, context: context, error: nil, status: .ok)
        try await log(context, chapter: detail.chapter.id, "attendees.viewed", detail.event.title)
        return response
    }

    @Sendable func addAttendee(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let form = try await self.form(request, context)
        let input = RegistrationInput(firstName: form["firstName"], lastName: form["lastName"], email: form["email"], jobTitle: form["jobTitle"], company: form["company"])
        switch input.validated(strict: false) {
        case .failure(let errors):
            return try await eventPage(detail, request: request, context: context, error: t("form.errors", context), status: .unprocessableContent, addInput: input, addErrors: errors)
        case .success(let profile):
            do {
                _ = try await persistence.registrations.registerByOrganizer(profile, for: detail.event.id, source: .organizer, now: now())
            } catch RegistrationActionError.duplicateEmail {
                return try await eventPage(detail, request: request, context: context, error: t("error.duplicate", context), status: .conflict,
                                           addInput: input, addErrors: ValidationErrors([("email", .alreadyTaken)]))
            } catch RegistrationActionError.eventNotOpen {
                return try await eventPage(detail, request: request, context: context, error: t("error.eventClosed", context), status: .unprocessableContent, addInput: input)
            }
            try await log(context, chapter: detail.chapter.id, "attendee.added", "\(profile.firstName) \(profile.lastName) · \(detail.event.title)")
            services.eventChanged(detail.event.id, chapterSlug: detail.chapter.slug)
            return .redirect(to: OrganizeRoute.event(detail.event.id).path("done", "added"), type: .normal)
        }
    }

    /// Cancel or promote one attendee: the change, its audit line, fresh pages, back to the list.
    func attendeeAction(
        _ context: AppRequestContext, audit: String, done: String, refusal: RegistrationActionError,
        _ change: (Registration.ID, Event.ID) async throws -> Registration
    ) async throws -> Response {
        let detail = try await event(context)
        do {
            let registration = try await change(try registrationID(context), detail.event.id)
            try await log(context, chapter: detail.chapter.id, audit, "\(registration.profile.firstName) \(registration.profile.lastName) · \(detail.event.title)")
        } catch let error as RegistrationActionError where error == refusal {
            return .redirect(to: OrganizeRoute.event(detail.event.id).path, type: .normal)
        }
        services.eventChanged(detail.event.id, chapterSlug: detail.chapter.slug)
        return .redirect(to: OrganizeRoute.event(detail.event.id).path("done", done), type: .normal)
    }

    /// Cancelling someone's registration asks first (a page, so it works without JavaScript).
    @Sendable func cancelAttendee(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard try await self.form(request, context)["confirm"] == "yes" else {
            let detail = try await event(context)
            guard let session = context.session, let registration = try await persistence.registrations.registration(id: try registrationID(context)),
                  registration.eventID == detail.event.id, registration.status.isActive else {
                return .redirect(to: OrganizeRoute.event(detail.event.id).path, type: .normal)
            }
            let name = "\(registration.profile.firstName) \(registration.profile.lastName)"
            let page = ConfirmStepPage(
                chrome: try chrome(t("org.confirmCancelAttendeeTitle", context, ["name": name]), context, path: OrganizeRoute.event(detail.event.id).path),
                heading: t("org.confirmCancelAttendeeTitle", context, ["name": name]),
                lines: [t("org.confirmCancelAttendeeText", context)],
                facts: [name, registration.profile.email, detail.event.title],
                action: OrganizeRoute.cancelAttendee(detail.event.id, registration: registration.id).path, csrf: session.csrfToken,
                confirmLabel: t("org.cancelRegistration", context),
                backURL: OrganizeRoute.event(detail.event.id).path, backLabel: t("org.keepAttendee", context))
            return html(page, context)
        }
        return try await attendeeAction(context, audit: "attendee.cancelled", done: "attendeeCancelled", refusal: .notCancellable) { id, event in
            try await persistence.registrations.cancelByOrganizer(id, in: event, now: now())
        }
    }

    @Sendable func promoteAttendee(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await attendeeAction(context, audit: "attendee.promoted", done: "promoted", refusal: .noOpenOffer) { id, event in
            try await persistence.registrations.promote(id, in: event, now: now())
        }
    }

    @Sendable func noteAttendee(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let form = try await self.form(request, context)
        var errors = ValidationErrors()
        let note = TextRules.clean(form["note"], field: "note", required: false, maxLength: 500, into: &errors)
        guard errors.isEmpty else {
            return try await eventPage(detail, request: request, context: context, error: errors.problems.first.map { Strings.message(for: $0.problem, context.language) }, status: .unprocessableContent)
        }
        try await persistence.registrations.setNote(try registrationID(context), in: detail.event.id, note: note)
        return .redirect(to: OrganizeRoute.event(detail.event.id).path("done", "note"), type: .normal)
    }
}

extension OrganizeController {
    /// The event's page, also shown again with an error by the forms on it (capacity, copy,
    /// add an attendee, note).
    func eventPage(_ detail: EventDetail, request: Request, context: AppRequestContext, error: String?, status: HTTPResponse.Status,
                   addInput: RegistrationInput = RegistrationInput(), addErrors: ValidationErrors = ValidationErrors(),
                   overbookingForm: DemandPanel.Submitted? = nil) async throws -> Response {
        let session = try session(context)
        let presenter = Presenter(language: context.language, chapter: detail.chapter)
        let f = presenter.formatter
        let id = detail.event.id
        // Read as a form sends it: "eloise+dupre" is two words (the router leaves "+" as it is).
        let parameters = FormFields(request.uri.query ?? "")
        let query = parameters.text("q").trimmingCharacters(in: .whitespacesAndNewlines)
        let filter = parameters.text("status")
        let sort = AttendeeSort(parameters.text("sort"), descending: parameters.text("dir") == "desc")
        let all = try await persistence.registrations.attendees(of: id)
        // Every word must match (accents, case and width aside), in the name, email, company or job title.
        let terms = SearchText.folded(query).split(whereSeparator: { $0.isWhitespace || $0 == "," }).map { String($0) }
        let matching = all.filter { record in
            let p = record.registration.profile
            let haystack = SearchText.folded([p.firstName, p.lastName, p.email, p.company, p.jobTitle].joined(separator: " "))
            let matchesFilter: Bool
            switch filter {
            case "": matchesFilter = true
            case "came": matchesFilter = record.checkedInAt != nil
            case "noshow": matchesFilter = record.registration.status == .confirmed && record.checkedInAt == nil
            default: matchesFilter = record.registration.status.rawValue == filter
            }
            return terms.allSatisfy { haystack.contains($0) } && matchesFilter
        }
        let shownAll = sort.sorted(matching, language: context.language)
        let pageNumber = Pager.page(parameters["page"], total: shownAll.count)
        let shown = Array(Pager.slice(shownAll, page: pageNumber))
        let listPath = OrganizeRoute.event(id).path
        let kept = [("q", query), ("status", filter)]
        let notices = ["created": "org.created", "saved": "manage.saved", "published": "org.published", "draft": "org.unpublished",
                       "cancelled": "org.cancelled", "cancelledFinal": "org.cancelledNothingChanged", "capacity": "org.capacityChanged", "added": "org.added", "note": "manage.saved",
                       "promoted": "org.promoted", "attendeeCancelled": "org.attendeeCancelled",
                       "overflow": "demand.overflowOpened", "overflowExists": "demand.overflowExists", "overbooking": "manage.saved", "attendanceCheck": "demand.attendanceCheckSent"]
        var actions: [OrganizerEventPage.Action] = []
        switch detail.event.status {
        case .draft: actions.append(.init(url: OrganizeRoute.publish(id).path, label: t("org.publish", context), style: "primary"))
        case .published: actions.append(.init(url: OrganizeRoute.unpublish(id).path, label: t("org.unpublish", context), style: ""))
        case .cancelled: break
        }
        if detail.event.status != .cancelled {
            actions.append(.init(url: OrganizeRoute.cancelEvent(id).path, label: t("org.cancelEvent", context), style: "danger"))
        }
        func addError(_ field: String) -> String? { addErrors[field].map { Strings.message(for: $0, context.language) } }
        let questions = try await persistence.questions.questions(forEvent: id)
        let answers = questions.isEmpty ? [:] : try await persistence.questions.answers(ofEvent: id)
        func answerLines(_ registration: Registration.ID) -> [String] {
            guard let given = answers[registration] else { return [] }
            return questions.compactMap { question in
                given[question.id].map {
                    let answer = question.kind == .yesNo ? t($0 == "yes" ? "form.yes" : "form.no", context) : $0
                    return t("questions.answerLine", context, ["question": question.label, "answer": answer])
                }
            }
        }
        var page = OrganizerEventPage(
            chrome: try chrome(detail.event.title, context, path: OrganizeRoute.event(id).path, wide: true), csrf: session.csrfToken,
            title: detail.event.title, chapterName: detail.chapter.name, dashboardURL: OrganizeRoute.dashboard(slug: detail.chapter.slug).path,
            publicURL: PublicRoute.event(id).path, editURL: OrganizeRoute.editEvent(id).path, exportURL: OrganizeRoute.exportCSV(id).path,
            importURL: OrganizeRoute.importCSV(id).path, badgesURL: OrganizeRoute.badges(id).path, doorURL: DoorRoute.page(id).path, messageURL: OrganizeRoute.message(id).path,
            date: "\(f.longDate(detail.event.startsAt)) · \(f.time(detail.event.startsAt))",
            statusLabel: eventStatusLabel(detail.event.status, context), status: detail.event.status.rawValue,
            availability: "\(f.number(detail.occupancy.confirmed)) / \(f.number(detail.occupancy.capacity)) · " + presenter.availability(detail.occupancy, organiser: true),
            notice: request.uri.queryParameters.get("done").flatMap { notices[String($0)] }.map { t($0, context) },
            error: error, actions: actions, capacityURL: OrganizeRoute.capacity(id).path, capacity: detail.event.capacity,
            duplicateURL: OrganizeRoute.duplicate(id).path,
            duplicateDate: EventForm.localDay(detail.event.startsAt.addingTimeInterval(91 * 86400), detail.chapter.zone),
            query: query, sort: sort.field == .name ? nil : sort.field.rawValue, direction: sort.descending ? "desc" : nil,
            columns: sort.columns(path: listPath, keeping: kept, language: context.language),
            pager: Pager(total: shownAll.count, page: pageNumber, path: listPath, keeping: kept + sort.query, language: context.language),
            filters: [OrganizerEventPage.Filter(value: "", label: t("org.allStatuses", context), selected: filter.isEmpty)]
                + RegistrationStatus.allCases.map { .init(value: $0.rawValue, label: statusLabel($0, context), selected: filter == $0.rawValue) }
                + [.init(value: "came", label: t("org.came", context), selected: filter == "came"),
                   .init(value: "noshow", label: t("org.noShow", context), selected: filter == "noshow")],
            attendees: shown.map { record in
                let r = record.registration
                return .init(
                    id: r.id.description, name: "\(r.profile.firstName) \(r.profile.lastName)", email: r.profile.email,
                    role: presenter.role(jobTitle: r.profile.jobTitle, company: r.profile.company), status: r.status.rawValue,
                    statusLabel: statusLabel(r.status, context), position: record.waitlistPosition, note: record.note,
                    source: Strings.source(record.source, context.language),
                    registered: "\(f.shortDate(r.createdAt)) \(f.time(r.createdAt))",
                    arrived: record.checkedInAt.map { t("org.checkedIn", context, ["time": f.time($0)]) }, canCancel: r.status.isActive,
                    canPromote: r.status == .waitlisted || r.status == .offered,
                    cancelURL: OrganizeRoute.cancelAttendee(id, registration: r.id).path,
                    promoteURL: OrganizeRoute.promoteAttendee(id, registration: r.id).path,
                    noteURL: OrganizeRoute.noteAttendee(id, registration: r.id).path, answers: answerLines(r.id))
            },
            shownCount: Strings.plural("org.shown", count: shownAll.count, context.language, ["total": String(all.count)]),
            addURL: OrganizeRoute.addAttendee(id).path,
            addFields: [
                FormField(name: "firstName", label: t("form.firstName", context), value: addInput.firstName ?? "", required: true, error: addError("firstName"), maxLength: RegistrationInput.Limits.name, autocomplete: "off"),
                FormField(name: "lastName", label: t("form.lastName", context), value: addInput.lastName ?? "", required: false, error: addError("lastName"), maxLength: RegistrationInput.Limits.name, autocomplete: "off"),
                FormField(name: "email", label: t("form.email", context), value: addInput.email ?? "", type: "email", required: true, error: addError("email"), maxLength: EmailAddress.maxLength, autocomplete: "off"),
                FormField(name: "jobTitle", label: t("form.jobTitle", context), value: addInput.jobTitle ?? "", required: false, error: addError("jobTitle"), maxLength: RegistrationInput.Limits.jobTitle, autocomplete: "off"),
                FormField(name: "company", label: t("form.company", context), value: addInput.company ?? "", required: false, error: addError("company"), maxLength: RegistrationInput.Limits.company, autocomplete: "off"),
            ], roomURL: OrganizeRoute.room(id).path, bingoURL: OrganizeRoute.bingo(id).path,
            quizURL: OrganizeRoute.quizzes(slug: detail.chapter.slug).path)
        page.questionsURL = OrganizeRoute.questions(id).path
        // Cancelled is final: no publishing or capacity form, said instead.
        if detail.event.status == .cancelled { page.cancelledNote = t("org.cancelledFinal", context) }
        page.followUpURL = OrganizeRoute.followUp(id).path
        if detail.event.startsAt <= now() {
            let f = DisplayFormatter(language: context.language, timeZone: detail.chapter.zone, region: detail.chapter.countryCode)
            page.resultLines = FollowUpPage.summary(try await persistence.followUp.result(of: id), language: context.language, formatter: f)
            page.hasResult = true
        }
        page.demand = try await demandPanel(detail, csrf: session.csrfToken, context: context)
        // A refused room limit: what was typed stays, with the reason on the field itself.
        if let overbookingForm { page.demand?.show(overbookingForm) }
        return html(page, context, status: status)
    }
}
