import Foundation
import Hummingbird
import NIOCore
import NIOPosix
import RendezvousBadges
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// The organiser workspace under /organize. Every handler resolves its chapter first and checks
/// `User.mayOrganize`: a chapter the user does not organise, or any of its events and attendees,
/// answers 404 exactly like something that does not exist.
struct OrganizerController: WorkspaceController {
    let services: AppServices
    typealias Handler = @Sendable (Request, AppRequestContext) async throws -> Response

    /// Every organiser route, registered from this table; the isolation test walks all of them.
    var routes: [(method: HTTPRequest.Method, path: String, handler: Handler)] {
        [
            (.get, "/organize", index),
            (.get, "/organize/:slug", dashboard),
            (.get, "/organize/:slug/events/new", newEvent),
            (.post, "/organize/:slug/events", createEvent),
            (.get, "/organize/:slug/series/new", newSeries),
            (.post, "/organize/:slug/series", createSeries),
            (.get, "/organize/:slug/team", team),
            (.post, "/organize/:slug/team/invite", invite),
            (.post, "/organize/:slug/team/:user/remove", removeMember),
            (.get, "/organize/:slug/audit", audit),
            (.get, "/organize/events/:id", event),
            (.get, "/organize/events/:id/edit", editEvent),
            (.post, "/organize/events/:id/edit", updateEvent),
            (.post, "/organize/events/:id/publish", publish),
            (.post, "/organize/events/:id/unpublish", unpublish),
            (.post, "/organize/events/:id/cancel", cancelEvent),
            (.post, "/organize/events/:id/capacity", changeCapacity),
            (.post, "/organize/events/:id/duplicate", duplicate),
            (.post, "/organize/events/:id/attendees", addAttendee),
            (.post, "/organize/events/:id/attendees/:registration/cancel", cancelAttendee),
            (.post, "/organize/events/:id/attendees/:registration/promote", promoteAttendee),
            (.post, "/organize/events/:id/attendees/:registration/note", noteAttendee),
            (.get, "/organize/events/:id/attendees.csv", exportCSV),
            (.get, "/organize/events/:id/import", importForm),
            (.post, "/organize/events/:id/import", importCSV),
            (.get, "/organize/:slug/outbox", outbox),
            (.post, "/organize/:slug/outbox/retry", retryAllMessages),
            (.post, "/organize/:slug/outbox/:message/retry", retryMessage),
            (.get, "/organize/:slug/settings", settings),
            (.post, "/organize/:slug/settings", saveSettings),
            (.get, "/organize/events/:id/message", messageForm),
            (.post, "/organize/events/:id/message", sendMessage),
            (.get, "/organize/events/:id/badges", badgesForm),
            (.get, "/organize/events/:id/badges.pdf", badgesPDF),
        ]
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        for route in routes { group.on(RouterPath(route.path), method: route.method, use: route.handler) }
    }

    // MARK: Helpers

    var persistence: Persistence { services.persistence }
    func now() -> Date { services.clock.now() }
    func t(_ key: String, _ context: AppRequestContext, _ arguments: [String: String] = [:]) -> String { Strings.text(key, context.language, arguments) }


    func chapter(_ context: AppRequestContext) async throws -> Chapter {
        let user = try session(context).user
        guard let slug = context.parameters.get("slug"), ChapterInput.isValidSlug(slug),
              let chapter = try await persistence.chapters.chapter(slug: slug), user.mayOrganize(chapter.id) else { throw AppError.notFound }
        return chapter
    }

    func event(_ context: AppRequestContext) async throws -> EventDetail {
        let user = try session(context).user
        guard let id = context.parameters.get("id").flatMap(Event.ID.init(string:)),
              let detail = try await persistence.events.eventDetail(id: id), user.mayOrganize(detail.chapter.id) else { throw AppError.notFound }
        return detail
    }

    func registrationID(_ context: AppRequestContext) throws -> Registration.ID {
        guard let id = context.parameters.get("registration").flatMap(Registration.ID.init(string:)) else { throw AppError.notFound }
        return id
    }

    func form(_ request: Request, _ context: AppRequestContext) async throws -> FormFields {
        FormFields(String(buffer: try await request.body.collect(upTo: 2 * 1024 * 1024)))
    }


    func log(_ context: AppRequestContext, chapter: Chapter.ID, _ action: String, _ subject: String) async throws {
        try await persistence.team.audit(chapter: chapter, by: try session(context).user, action: action, subject: subject, now: now())
    }

    func statusLabel(_ status: RegistrationStatus, _ context: AppRequestContext) -> String { Strings.status(status, context.language) }
    func eventStatusLabel(_ status: EventStatus, _ context: AppRequestContext) -> String { Strings.eventStatus(status, context.language) }

    // MARK: Index and dashboard

    @Sendable func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try session(context).user
        // The chapters this person is part of (network admins reach the others from /admin).
        let chapters = try await persistence.chapters.chapters().filter { user.memberships[$0.id] != nil }
        if chapters.count == 1, !user.isNetworkAdmin { return .redirect(to: "/organize/\(chapters[0].slug)", type: .normal) }
        let page = OrganizeIndexPage(
            chrome: try chrome(t("org.myChapters", context), context, path: "/organize"),
            chapters: chapters.map { .init(name: $0.name, city: $0.city, url: "/organize/\($0.slug)",
                                           role: t(user.memberships[$0.id] == .door ? "team.door" : "team.organizer", context)) })
        return html(page, "organize-index", context)
    }

    func eventRow(_ summary: EventSummary, chapter: Chapter, context: AppRequestContext) -> DashboardPage.EventRow {
        let f = Presenter(language: context.language, chapter: chapter).formatter
        let o = summary.occupancy
        return .init(
            title: summary.event.title, url: "/organize/events/\(summary.event.id)",
            date: "\(f.shortDate(summary.event.startsAt)) \(f.time(summary.event.startsAt))",
            status: summary.event.status.rawValue, statusLabel: eventStatusLabel(summary.event.status, context),
            fill: "\(o.confirmed) / \(o.capacity)", fillPercent: o.capacity > 0 ? min(100, o.confirmed * 100 / o.capacity) : 0,
            waitlist: o.waitlisted)
    }

    @Sendable func dashboard(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let now = now()
        let events = try await persistence.events.allEvents(of: chapter.id, now: now)
        let recent = try await persistence.registrations.recentRegistrations(of: chapter.id, limit: 10)
        let attendance = try await persistence.door.attendance(of: chapter.id, now: now)
        let rates = attendance.compactMap(\.noShowRate)
        let percent = { (rate: Double) in "\(Int((rate * 100).rounded())) %" }
        let f = Presenter(language: context.language, chapter: chapter).formatter
        let base = "/organize/\(chapter.slug)"
        let page = DashboardPage(
            chrome: try chrome(chapter.name, context, path: base), name: chapter.name,
            links: [
                .init(label: t("org.newEvent", context), url: "\(base)/events/new"),
                .init(label: t("series.title", context), url: "\(base)/series/new"),
                .init(label: t("team.title", context), url: "\(base)/team"),
                .init(label: t("audit.title", context), url: "\(base)/audit"),
                .init(label: t("org.outbox", context), url: "\(base)/outbox"),
                .init(label: t("org.settings", context), url: "\(base)/settings"),
                .init(label: t("org.publicPage", context), url: SiteRoute.chapter(slug: chapter.slug).path),
            ],
            upcoming: events.filter { $0.event.endsAt > now }.map { eventRow($0, chapter: chapter, context: context) },
            past: attendance.map { item in
                .init(title: item.title, url: "/organize/events/\(item.eventID)", date: f.shortDate(item.startsAt), expected: item.expected,
                      came: item.noShowRate == nil ? "—" : "\(item.came)" + (item.walkIns > 0 ? " (+\(item.walkIns))" : ""),
                      noShow: item.noShowRate.map(percent) ?? "—")
            },
            noShowAverage: rates.isEmpty ? nil : t("org.noShowAverage", context, ["rate": percent(rates.reduce(0, +) / Double(rates.count))]),
            recent: recent.map { item in
                .init(name: "\(item.registration.profile.firstName) \(item.registration.profile.lastName)", event: item.eventTitle,
                      status: item.registration.status.rawValue, statusLabel: statusLabel(item.registration.status, context),
                      when: "\(f.shortDate(item.registration.createdAt)) \(f.time(item.registration.createdAt))")
            })
        return html(page, "dashboard", context)
    }

    // MARK: Creating and editing events

    func venueOptions(_ chapter: Chapter, selected: String, context: AppRequestContext) async throws -> [SelectField.Option] {
        let venues = try await persistence.events.directoryVenues(for: chapter.id)
        return [SelectField.Option(value: "", label: t("org.noVenue", context), selected: selected.isEmpty)]
            + venues.map { .init(value: $0.id.description, label: [$0.name, $0.address].filter { !$0.isEmpty }.joined(separator: ", "), selected: $0.id.description == selected) }
    }

    func eventFormPage(_ form: EventForm, chapter: Chapter, heading: String, action: String, back: String, errors: ValidationErrors, context: AppRequestContext) async throws -> EventFormPage {
        func error(_ fields: String...) -> String? {
            fields.lazy.compactMap { errors[$0] }.first.map { Strings.message(for: $0, context.language) }
        }
        return EventFormPage(
            chrome: try chrome(heading, context, path: action), heading: heading, action: action, csrf: try session(context).csrfToken,
            error: errors.isEmpty ? nil : t("form.errors", context),
            fields: [
                FormField(name: "title", label: t("org.title", context), value: form.title, required: true, error: error("title"), maxLength: 140, autocomplete: "off"),
                FormField(name: "date", label: t("org.date", context), value: form.date, type: "date", required: true, hint: t("event.timeZone", context, ["zone": chapter.timeZone]), error: error("date", "startsAt"), maxLength: 10, autocomplete: "off"),
                FormField(name: "startTime", label: t("org.startTime", context), value: form.startTime, type: "time", required: true, error: error("startTime"), maxLength: 5, autocomplete: "off"),
                FormField(name: "endTime", label: t("org.endTime", context), value: form.endTime, type: "time", required: true, error: error("endTime", "endsAt"), maxLength: 5, autocomplete: "off"),
                FormField(name: "capacity", label: t("org.capacity", context), value: form.capacity, type: "number", required: true, hint: t("org.capacityHint", context), error: error("capacity"), maxLength: 6, autocomplete: "off"),
            ],
            description: form.description, descriptionError: error("description"),
            venues: try await venueOptions(chapter, selected: form.venueID, context: context),
            venueName: form.venueID.isEmpty ? form.venueName : "", venueAddress: form.venueID.isEmpty ? form.venueAddress : "",
            speakers: form.speakers.enumerated().map { .init(index: $0.offset + 1, name: $0.element.name, jobTitle: $0.element.jobTitle) },
            directorySpeakers: try await persistence.events.directorySpeakers(for: chapter.id).map(\.name),
            agenda: form.agenda, agendaError: error("agenda"),
            statusOptions: [
                .init(value: "draft", label: t("eventStatus.draft", context), selected: form.status != "published"),
                .init(value: "published", label: t("eventStatus.published", context), selected: form.status == "published"),
            ],
            backURL: back)
    }

    @Sendable func newEvent(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        var form = EventForm()
        form.date = EventForm.localDay(now().addingTimeInterval(30 * 86400), chapter.zone)
        let page = try await eventFormPage(form, chapter: chapter, heading: t("org.newEvent", context), action: "/organize/\(chapter.slug)/events",
                                           back: "/organize/\(chapter.slug)", errors: ValidationErrors(), context: context)
        return html(page, "event-form", context)
    }

    func validate(_ form: EventForm, chapter: Chapter) async throws -> Result<EventInput.Valid, ValidationErrors> {
        var form = form
        // A speaker picked from the directory brings their job title along.
        let directory = try await persistence.events.directorySpeakers(for: chapter.id)
        for index in form.speakers.indices where form.speakers[index].jobTitle.trimmingCharacters(in: .whitespaces).isEmpty {
            if let known = directory.first(where: { $0.name == form.speakers[index].name.trimmingCharacters(in: .whitespaces) }) {
                form.speakers[index].jobTitle = known.jobTitle
            }
        }
        let (input, formErrors) = form.input(zone: chapter.zone, directory: try await persistence.events.directoryVenues(for: chapter.id))
        switch input.validated() {
        case .success(let valid) where formErrors.isEmpty: return .success(valid)
        case .success: return .failure(formErrors)
        case .failure(var errors):
            for problem in formErrors.problems where errors[problem.field] == nil { errors.add(problem.field, problem.problem) }
            return .failure(errors)
        }
    }

    @Sendable func createEvent(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let form = EventForm(try await self.form(request, context))
        switch try await validate(form, chapter: chapter) {
        case .failure(let errors):
            let page = try await eventFormPage(form, chapter: chapter, heading: t("org.newEvent", context), action: "/organize/\(chapter.slug)/events",
                                               back: "/organize/\(chapter.slug)", errors: errors, context: context)
            return html(page, "event-form", context, status: .unprocessableContent)
        case .success(let valid):
            let event = try await persistence.events.createEvent(valid, in: chapter.id, now: now())
            try await log(context, chapter: chapter.id, "event.created", event.title)
            services.eventChanged(event.id, chapterSlug: chapter.slug)
            return .redirect(to: "/organize/events/\(event.id)?done=created", type: .normal)
        }
    }

    @Sendable func editEvent(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let page = try await eventFormPage(EventForm(detail), chapter: detail.chapter, heading: t("org.edit", context) + " · " + detail.event.title,
                                           action: "/organize/events/\(detail.event.id)/edit", back: "/organize/events/\(detail.event.id)",
                                           errors: ValidationErrors(), context: context)
        return html(page, "event-form", context)
    }

    @Sendable func updateEvent(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let form = EventForm(try await self.form(request, context))
        func reshow(_ errors: ValidationErrors) async throws -> Response {
            let page = try await eventFormPage(form, chapter: detail.chapter, heading: t("org.edit", context) + " · " + detail.event.title,
                                               action: "/organize/events/\(detail.event.id)/edit", back: "/organize/events/\(detail.event.id)",
                                               errors: errors, context: context)
            return html(page, "event-form", context, status: .unprocessableContent)
        }
        switch try await validate(form, chapter: detail.chapter) {
        case .failure(let errors): return try await reshow(errors)
        case .success(var valid):
            if detail.event.status == .cancelled { valid.status = .cancelled }
            do {
                _ = try await persistence.events.editEvent(detail.event.id, valid, now: now())
            } catch RegistrationActionError.capacityBelowConfirmed(let held) {
                return try await reshow(ValidationErrors([("capacity", .outOfRange(min: held, max: EventInput.maxCapacity))]))
            }
            try await log(context, chapter: detail.chapter.id, "event.edited", valid.title)
            services.eventChanged(detail.event.id, chapterSlug: detail.chapter.slug)
            return .redirect(to: "/organize/events/\(detail.event.id)?done=saved", type: .normal)
        }
    }

    func setStatus(_ status: EventStatus, action: String, _ context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        _ = try await persistence.events.updateEvent(detail.event.id, title: nil, description: nil, capacity: nil, status: status, now: now())
        try await log(context, chapter: detail.chapter.id, action, detail.event.title)
        services.eventChanged(detail.event.id, chapterSlug: detail.chapter.slug)
        return .redirect(to: "/organize/events/\(detail.event.id)?done=\(status.rawValue)", type: .normal)
    }

    @Sendable func publish(_ request: Request, context: AppRequestContext) async throws -> Response { try await setStatus(.published, action: "event.published", context) }
    @Sendable func unpublish(_ request: Request, context: AppRequestContext) async throws -> Response { try await setStatus(.draft, action: "event.unpublished", context) }
    @Sendable func cancelEvent(_ request: Request, context: AppRequestContext) async throws -> Response { try await setStatus(.cancelled, action: "event.cancelled", context) }

    @Sendable func changeCapacity(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let form = try await self.form(request, context)
        guard let capacity = Int(form.text("capacity").trimmingCharacters(in: .whitespaces)), capacity >= 1, capacity <= EventInput.maxCapacity else {
            return try await eventPage(detail, request: request, context: context, error: Strings.message(for: .outOfRange(min: 1, max: EventInput.maxCapacity), context.language), status: .unprocessableContent)
        }
        do {
            _ = try await persistence.events.updateEvent(detail.event.id, title: nil, description: nil, capacity: capacity, status: nil, now: now())
        } catch RegistrationActionError.capacityBelowConfirmed(let held) {
            return try await eventPage(detail, request: request, context: context,
                                       error: Strings.plural("org.capacityTooLow", count: held, context.language), status: .unprocessableContent)
        }
        try await log(context, chapter: detail.chapter.id, "event.capacity", "\(detail.event.title): \(detail.event.capacity) → \(capacity)")
        services.eventChanged(detail.event.id, chapterSlug: detail.chapter.slug)
        return .redirect(to: "/organize/events/\(detail.event.id)?done=capacity", type: .normal)
    }

    @Sendable func duplicate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let form = try await self.form(request, context)
        let time = EventForm.localTime(detail.event.startsAt, detail.chapter.zone)
        guard let start = EventForm.instant(day: form.text("date"), time: time, zone: detail.chapter.zone) else {
            return try await eventPage(detail, request: request, context: context, error: Strings.message(for: .invalidDate, context.language), status: .unprocessableContent)
        }
        let copy = try await persistence.events.duplicateEvent(detail.event.id, startsAt: start, now: now())
        try await log(context, chapter: detail.chapter.id, "event.duplicated", copy.title)
        return .redirect(to: "/organize/events/\(copy.id)/edit", type: .normal)
    }

    // MARK: The event's attendees

    @Sendable func event(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await eventPage(try await event(context), request: request, context: context, error: nil, status: .ok)
    }

    static func folded(_ text: String) -> String {
        text.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil).lowercased()
    }

    func eventPage(_ detail: EventDetail, request: Request, context: AppRequestContext, error: String?, status: HTTPResponse.Status,
                   addInput: RegistrationInput = RegistrationInput(), addErrors: ValidationErrors = ValidationErrors()) async throws -> Response {
        let session = try session(context)
        let presenter = Presenter(language: context.language, chapter: detail.chapter)
        let f = presenter.formatter
        let id = detail.event.id
        let query = request.uri.queryParameters.get("q").map { String($0) } ?? ""
        let filter = request.uri.queryParameters.get("status").map { String($0) } ?? ""
        let all = try await persistence.registrations.attendees(of: id)
        let terms = Self.folded(query).split(separator: " ").map { String($0) }
        let shown = all.filter { record in
            let p = record.registration.profile
            let haystack = Self.folded([p.firstName, p.lastName, p.email, p.company, p.jobTitle].joined(separator: " "))
            let matchesFilter: Bool
            switch filter {
            case "": matchesFilter = true
            case "came": matchesFilter = record.checkedInAt != nil
            case "noshow": matchesFilter = record.registration.status == .confirmed && record.checkedInAt == nil
            default: matchesFilter = record.registration.status.rawValue == filter
            }
            return terms.allSatisfy { haystack.contains($0) } && matchesFilter
        }
        let notices = ["created": "org.created", "saved": "manage.saved", "published": "org.published", "draft": "org.unpublished",
                       "cancelled": "org.cancelled", "capacity": "org.capacityChanged", "added": "org.added", "note": "manage.saved",
                       "promoted": "org.promoted", "attendeeCancelled": "org.attendeeCancelled"]
        var actions: [OrganizerEventPage.Action] = []
        switch detail.event.status {
        case .draft: actions.append(.init(url: "/organize/events/\(id)/publish", label: t("org.publish", context), style: "primary"))
        case .published: actions.append(.init(url: "/organize/events/\(id)/unpublish", label: t("org.unpublish", context), style: ""))
        case .cancelled: break
        }
        if detail.event.status != .cancelled {
            actions.append(.init(url: "/organize/events/\(id)/cancel", label: t("org.cancelEvent", context), style: "danger"))
        }
        func addError(_ field: String) -> String? { addErrors[field].map { Strings.message(for: $0, context.language) } }
        let page = OrganizerEventPage(
            chrome: try chrome(detail.event.title, context, path: "/organize/events/\(id)"), csrf: session.csrfToken,
            title: detail.event.title, chapterName: detail.chapter.name, dashboardURL: "/organize/\(detail.chapter.slug)",
            publicURL: SiteRoute.event(id).path, editURL: "/organize/events/\(id)/edit", exportURL: "/organize/events/\(id)/attendees.csv",
            importURL: "/organize/events/\(id)/import", badgesURL: "/organize/events/\(id)/badges", doorURL: "/door/\(id)", messageURL: "/organize/events/\(id)/message",
            date: "\(f.longDate(detail.event.startsAt)) · \(f.time(detail.event.startsAt))",
            statusLabel: eventStatusLabel(detail.event.status, context), status: detail.event.status.rawValue,
            availability: "\(detail.occupancy.confirmed) / \(detail.occupancy.capacity) · " + presenter.availability(detail.occupancy),
            notice: request.uri.queryParameters.get("done").flatMap { notices[String($0)] }.map { t($0, context) },
            error: error, actions: actions, capacityURL: "/organize/events/\(id)/capacity", capacity: detail.event.capacity,
            duplicateURL: "/organize/events/\(id)/duplicate",
            duplicateDate: EventForm.localDay(detail.event.startsAt.addingTimeInterval(91 * 86400), detail.chapter.zone),
            query: query,
            filters: [OrganizerEventPage.Filter(value: "", label: t("org.allStatuses", context), selected: filter.isEmpty)]
                + RegistrationStatus.allCases.map { .init(value: $0.rawValue, label: statusLabel($0, context), selected: filter == $0.rawValue) }
                + [.init(value: "came", label: t("org.came", context), selected: filter == "came"),
                   .init(value: "noshow", label: t("org.noShow", context), selected: filter == "noshow")],
            attendees: shown.map { record in
                let r = record.registration
                let base = "/organize/events/\(id)/attendees/\(r.id)"
                return .init(
                    id: r.id.description, name: "\(r.profile.firstName) \(r.profile.lastName)", email: r.profile.email,
                    role: presenter.role(jobTitle: r.profile.jobTitle, company: r.profile.company), status: r.status.rawValue,
                    statusLabel: statusLabel(r.status, context), position: record.waitlistPosition, note: record.note,
                    source: Strings.source(record.source, context.language),
                    arrived: record.checkedInAt.map { t("org.checkedIn", context, ["time": f.time($0)]) }, canCancel: r.status.isActive,
                    canPromote: r.status == .waitlisted || r.status == .offered,
                    cancelURL: "\(base)/cancel", promoteURL: "\(base)/promote", noteURL: "\(base)/note")
            },
            shownCount: Strings.plural("org.shown", count: shown.count, context.language, ["total": String(all.count)]),
            addURL: "/organize/events/\(id)/attendees",
            addFields: [
                FormField(name: "firstName", label: t("form.firstName", context), value: addInput.firstName ?? "", required: true, error: addError("firstName"), maxLength: 80, autocomplete: "off"),
                FormField(name: "lastName", label: t("form.lastName", context), value: addInput.lastName ?? "", required: false, error: addError("lastName"), maxLength: 80, autocomplete: "off"),
                FormField(name: "email", label: t("form.email", context), value: addInput.email ?? "", type: "email", required: true, error: addError("email"), maxLength: 254, autocomplete: "off"),
                FormField(name: "jobTitle", label: t("form.jobTitle", context), value: addInput.jobTitle ?? "", required: false, error: addError("jobTitle"), maxLength: 100, autocomplete: "off"),
                FormField(name: "company", label: t("form.company", context), value: addInput.company ?? "", required: false, error: addError("company"), maxLength: 100, autocomplete: "off"),
            ])
        return html(page, "organize-event", context, status: status)
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
                _ = try await persistence.registrations.registerByOrganizer(profile, for: detail.event.id, source: "organizer", now: now())
            } catch RegistrationActionError.duplicateEmail {
                return try await eventPage(detail, request: request, context: context, error: t("error.duplicate", context), status: .conflict,
                                           addInput: input, addErrors: ValidationErrors([("email", .alreadyTaken)]))
            } catch RegistrationActionError.eventNotOpen {
                return try await eventPage(detail, request: request, context: context, error: t("error.eventClosed", context), status: .unprocessableContent, addInput: input)
            }
            try await log(context, chapter: detail.chapter.id, "attendee.added", "\(profile.firstName) \(profile.lastName) · \(detail.event.title)")
            services.eventChanged(detail.event.id, chapterSlug: detail.chapter.slug)
            return .redirect(to: "/organize/events/\(detail.event.id)?done=added", type: .normal)
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
            return .redirect(to: "/organize/events/\(detail.event.id)", type: .normal)
        }
        services.eventChanged(detail.event.id, chapterSlug: detail.chapter.slug)
        return .redirect(to: "/organize/events/\(detail.event.id)?done=\(done)", type: .normal)
    }

    @Sendable func cancelAttendee(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await attendeeAction(context, audit: "attendee.cancelled", done: "attendeeCancelled", refusal: .notCancellable) { id, event in
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
        return .redirect(to: "/organize/events/\(detail.event.id)?done=note", type: .normal)
    }

    // MARK: CSV

    @Sendable func exportCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let f = DisplayFormatter(language: context.language, timeZone: detail.chapter.zone, region: detail.chapter.countryCode)
        let records = try await persistence.registrations.attendees(of: detail.event.id)
        var rows = [[t("form.firstName", context), t("form.lastName", context), t("form.email", context), t("form.jobTitle", context),
                     t("form.company", context), t("form.linkedin", context), t("form.askMeAbout", context), t("manage.status", context),
                     t("org.position", context), t("org.registeredAt", context), t("org.source", context), t("org.note", context)]]
        for record in records {
            let r = record.registration, p = r.profile
            rows.append([p.firstName, p.lastName, p.email, p.jobTitle, p.company, p.linkedinURL, p.askMeAbout,
                         statusLabel(r.status, context), record.waitlistPosition.map { String($0) } ?? "",
                         "\(EventForm.localDay(r.createdAt, detail.chapter.zone)) \(f.time(r.createdAt))", Strings.source(record.source, context.language), record.note])
        }
        try await log(context, chapter: detail.chapter.id, "attendees.exported", detail.event.title)
        let name = detail.event.title.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) ? Character($0) : "-" }
        let filename = String(String(name).prefix(60)) + ".csv"
        return Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(filename)\"", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: CSV.write(rows))))
    }

    func importPage(_ detail: EventDetail, context: AppRequestContext, csv: String = "", imported: Int? = nil,
                    rejected: [ImportPage.Rejected] = [], error: String? = nil) throws -> ImportPage {
        ImportPage(chrome: try chrome(t("org.importCSV", context), context, path: "/organize/events/\(detail.event.id)/import"),
                   csrf: try session(context).csrfToken, title: detail.event.title, eventURL: "/organize/events/\(detail.event.id)",
                   action: "/organize/events/\(detail.event.id)/import", csv: csv, imported: imported, rejected: rejected, error: error)
    }

    @Sendable func importForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        html(try importPage(try await event(context), context: context), "import", context)
    }

    @Sendable func importCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let text = try await self.form(request, context).text("csv")
        let rows: [[String]]
        do {
            rows = try CSV.parse(text, maxRows: 5000)
        } catch CSV.ParseError.unterminatedQuote(let line) {
            return html(try importPage(detail, context: context, csv: text, error: t("import.unterminated", context, ["line": String(line)])), "import", context, status: .unprocessableContent)
        } catch {
            return html(try importPage(detail, context: context, csv: text, error: t("import.tooLarge", context)), "import", context, status: .unprocessableContent)
        }
        let read = AttendeeImport.read(rows)
        guard read.missingColumns.isEmpty else {
            let names = read.missingColumns.map { Strings.importColumn($0.rawValue, context.language) }.joined(separator: ", ")
            return html(try importPage(detail, context: context, csv: text, error: t("import.missingColumns", context, ["columns": names])), "import", context, status: .unprocessableContent)
        }
        var rejected = read.rejected.map { ImportPage.Rejected(line: $0.line, reason: t("import.notAttending", context) + " (\($0.reason))") }
        var imported = 0
        for row in read.rows {
            switch row.input.validated(strict: false) {
            case .failure(let errors):
                let reasons = errors.problems.map { "\(Strings.importColumn($0.field, context.language)): \(Strings.message(for: $0.problem, context.language))" }
                rejected.append(.init(line: row.line, reason: reasons.joined(separator: "; ")))
            case .success(let profile):
                do {
                    _ = try await persistence.registrations.registerByOrganizer(profile, for: detail.event.id, source: "import", now: now())
                    imported += 1
                } catch RegistrationActionError.duplicateEmail {
                    rejected.append(.init(line: row.line, reason: t("import.duplicate", context, ["email": profile.email])))
                } catch RegistrationActionError.eventNotOpen {
                    rejected.append(.init(line: row.line, reason: t("error.eventClosed", context)))
                }
            }
        }
        rejected.sort { $0.line < $1.line }
        try await log(context, chapter: detail.chapter.id, "attendees.imported", "\(detail.event.title): \(imported) / \(rows.count - 1)")
        services.eventChanged(detail.event.id, chapterSlug: detail.chapter.slug)
        return html(try importPage(detail, context: context, imported: imported, rejected: rejected), "import", context)
    }

    // MARK: Series

    func seriesPage(_ chapter: Chapter, form: FormFields?, errors: [String: String], context: AppRequestContext) async throws -> SeriesPage {
        func value(_ key: String, _ fallback: String) -> String { form?[key] ?? fallback }
        let pattern = value("pattern", "monthly3")
        let weekdayNames = DateFormatter()
        weekdayNames.locale = context.language.locale(region: chapter.countryCode)
        let names: [String] = weekdayNames.standaloneWeekdaySymbols
        return SeriesPage(
            chrome: try chrome(t("series.title", context), context, path: "/organize/\(chapter.slug)/series/new"),
            csrf: try session(context).csrfToken, name: chapter.name, action: "/organize/\(chapter.slug)/series", dashboardURL: "/organize/\(chapter.slug)",
            error: errors.isEmpty ? nil : t("form.errors", context),
            fields: [
                FormField(name: "title", label: t("org.title", context), value: value("title", chapter.name), required: true, error: errors["title"], maxLength: 140, autocomplete: "off"),
                FormField(name: "from", label: t("series.from", context), value: value("from", EventForm.localDay(now(), chapter.zone)), type: "date", required: true, error: errors["from"], maxLength: 10, autocomplete: "off"),
                FormField(name: "startTime", label: t("org.startTime", context), value: value("startTime", "18:30"), type: "time", required: true, hint: t("event.timeZone", context, ["zone": chapter.timeZone]), error: errors["startTime"], maxLength: 5, autocomplete: "off"),
                FormField(name: "hours", label: t("series.hours", context), value: value("hours", "3"), type: "number", required: true, error: errors["hours"], maxLength: 2, autocomplete: "off"),
                FormField(name: "capacity", label: t("org.capacity", context), value: value("capacity", "70"), type: "number", required: true, error: errors["capacity"], maxLength: 6, autocomplete: "off"),
                FormField(name: "count", label: t("series.count", context), value: value("count", "4"), type: "number", required: true, hint: t("series.countHint", context), error: errors["count"], maxLength: 2, autocomplete: "off"),
            ],
            patterns: [("monthly3", "series.every3Months"), ("monthly1", "series.everyMonth"), ("weekly", "series.everyWeek"), ("custom", "series.custom")].map {
                .init(value: $0.0, label: t($0.1, context), selected: pattern == $0.0)
            },
            ordinals: [("1", "series.first"), ("2", "series.second"), ("3", "series.third"), ("4", "series.fourth"), ("-1", "series.last")].map {
                .init(value: $0.0, label: t($0.1, context), selected: value("ordinal", "3") == $0.0)
            },
            weekdays: names.enumerated().map { .init(value: String($0.offset + 1), label: $0.element, selected: value("weekday", "4") == String($0.offset + 1)) },
            customDates: value("dates", ""),
            venues: try await venueOptions(chapter, selected: value("venueId", ""), context: context))
    }

    @Sendable func newSeries(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        return html(try await seriesPage(chapter, form: nil, errors: [:], context: context), "series", context)
    }

    @Sendable func createSeries(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let form = try await self.form(request, context)
        var errors: [String: String] = [:]
        let message = { (problem: ValidationProblem) in Strings.message(for: problem, context.language) }
        var textErrors = ValidationErrors()
        let title = TextRules.clean(form["title"], field: "title", required: true, maxLength: 140, into: &textErrors)
        if let problem = textErrors["title"] { errors["title"] = message(problem) }
        let time = form.text("startTime").split(separator: ":").compactMap { Int($0) }
        if time.count < 2 || !(0...23).contains(time[0]) || !(0...59).contains(time[1]) { errors["startTime"] = message(.invalidDate) }
        let from = EventForm.instant(day: form.text("from"), time: "00:00", zone: chapter.zone)
        if from == nil { errors["from"] = message(.invalidDate) }
        let hours = Double(form.text("hours")) ?? 0
        if !(0.5...24).contains(hours) { errors["hours"] = message(.outOfRange(min: 1, max: 24)) }
        let capacity = Int(form.text("capacity")) ?? 0
        if !(1...EventInput.maxCapacity).contains(capacity) { errors["capacity"] = message(.outOfRange(min: 1, max: EventInput.maxCapacity)) }
        let count = Int(form.text("count")) ?? 0
        if !(1...SeriesRule.maxOccurrences).contains(count) { errors["count"] = message(.outOfRange(min: 1, max: SeriesRule.maxOccurrences)) }
        let rule: SeriesRule
        switch form.text("pattern") {
        case "weekly": rule = .weekly(interval: 1)
        case "monthly1": rule = .monthlyWeekday(interval: 1, ordinal: Int(form.text("ordinal")) ?? 3, weekday: Int(form.text("weekday")) ?? 4)
        case "custom":
            let days = form.text("dates").split(whereSeparator: { $0.isNewline || $0 == "," || $0 == " " }).map { String($0) }
            var components: [DateComponents] = []
            for day in days {
                let parts = day.split(separator: "-").compactMap { Int($0) }
                if parts.count == 3 { components.append(DateComponents(year: parts[0], month: parts[1], day: parts[2])) } else { errors["count"] = message(.invalidDate) }
            }
            rule = .custom(components)
        default: rule = .monthlyWeekday(interval: 3, ordinal: Int(form.text("ordinal")) ?? 3, weekday: Int(form.text("weekday")) ?? 4)
        }
        guard errors.isEmpty, let from else {
            return html(try await seriesPage(chapter, form: form, errors: errors, context: context), "series", context, status: .unprocessableContent)
        }
        let starts = rule.occurrences(from: from, count: count, hour: time[0], minute: time[1], zone: chapter.zone)
        let venue = try await persistence.events.directoryVenues(for: chapter.id).first { $0.id.description == form.text("venueId") }
        for start in starts {
            let valid = EventInput.Valid(
                title: title, startsAt: start, endsAt: start.addingTimeInterval(hours * 3600), capacity: capacity, description: "",
                venue: venue.map { ($0.name, $0.address) }, speakers: [], agenda: [], status: .draft)
            _ = try await persistence.events.createEvent(valid, in: chapter.id, now: now())
        }
        try await log(context, chapter: chapter.id, "series.created", "\(title) × \(starts.count)")
        return .redirect(to: "/organize/\(chapter.slug)?done=series", type: .normal)
    }

    // MARK: Team and audit

    func teamPage(_ chapter: Chapter, context: AppRequestContext, email: String = "", error: String? = nil, notice: String? = nil, newLink: String? = nil) async throws -> TeamPage {
        let members = try await persistence.team.team(of: chapter.id)
        let invitations = try await persistence.team.invitations(of: chapter.id, now: now())
        let f = Presenter(language: context.language, chapter: chapter).formatter
        let me = try session(context).user.id
        return TeamPage(
            chrome: try chrome(t("team.title", context), context, path: "/organize/\(chapter.slug)/team"), csrf: try session(context).csrfToken,
            name: chapter.name, dashboardURL: "/organize/\(chapter.slug)",
            members: members.map { .init(name: $0.user.name, email: $0.user.email, role: t($0.role == .door ? "team.door" : "team.organizer", context),
                                         removeURL: "/organize/\(chapter.slug)/team/\($0.user.id)/remove", canRemove: $0.user.id != me || members.count > 1) },
            pending: invitations.map { .init(email: $0.email, role: t($0.role == .door ? "team.door" : "team.organizer", context),
                                             link: services.configuration.baseURL + "/invitations/\($0.token)", expires: f.shortDate($0.expiresAt)) },
            inviteURL: "/organize/\(chapter.slug)/team/invite",
            roles: [.init(value: "organizer", label: t("team.organizer", context), selected: true), .init(value: "door", label: t("team.door", context), selected: false)],
            email: email, error: error, notice: notice, newLink: newLink)
    }

    @Sendable func team(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        return html(try await teamPage(chapter, context: context), "team", context)
    }

    @Sendable func invite(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let form = try await self.form(request, context)
        let email = form.text("email").trimmingCharacters(in: .whitespaces)
        guard EmailAddress.isValid(email) else {
            return html(try await teamPage(chapter, context: context, email: email, error: t("v.email", context)), "team", context, status: .unprocessableContent)
        }
        let role = ChapterRole(rawValue: form.text("role")) ?? .door
        let invitation = try await persistence.team.createInvitation(chapter: chapter.id, email: email, role: role, invitedBy: try session(context).user.name, now: now())
        try await log(context, chapter: chapter.id, "team.invited", "\(invitation.email) (\(role.rawValue))")
        try await persistence.outbox.enqueueMessage(.invitation, chapter: chapter.id, recipient: invitation.email,
                                             payload: ["invitation": invitation.id.uuidString, "invitedBy": invitation.invitedBy], now: now())
        return html(try await teamPage(chapter, context: context, notice: t("team.invited", context, ["email": invitation.email]),
                                       newLink: services.configuration.baseURL + "/invitations/\(invitation.token)"), "team", context)
    }

    @Sendable func removeMember(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        guard let user = context.parameters.get("user").flatMap(User.ID.init(string:)),
              let member = try await persistence.team.team(of: chapter.id).first(where: { $0.user.id == user }) else { throw AppError.notFound }
        do {
            try await persistence.team.removeMembership(user: user, chapter: chapter.id)
        } catch TeamStore.TeamError.lastOrganizer {
            return html(try await teamPage(chapter, context: context, error: t("error.lastOrganizer", context)), "team", context, status: .conflict)
        }
        try await log(context, chapter: chapter.id, "team.removed", member.user.email)
        return .redirect(to: "/organize/\(chapter.slug)/team", type: .normal)
    }

    @Sendable func audit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let f = Presenter(language: context.language, chapter: chapter).formatter
        let entries = try await persistence.team.auditLog(of: chapter.id)
        let page = AuditPage(
            chrome: try chrome(t("audit.title", context), context, path: "/organize/\(chapter.slug)/audit"), name: chapter.name,
            dashboardURL: "/organize/\(chapter.slug)",
            entries: entries.map { .init(when: "\(f.shortDate($0.createdAt)) \(f.time($0.createdAt))", who: $0.userName,
                                         action: Strings.auditAction($0.action, context.language), subject: $0.subject) })
        return html(page, "audit", context)
    }

    // MARK: Badges

    @Sendable func badgesForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let people = try await persistence.registrations.attendees(of: detail.event.id).filter { $0.registration.status.isActive }
            .sorted { ($0.registration.profile.lastName.lowercased(), $0.registration.profile.firstName.lowercased()) < ($1.registration.profile.lastName.lowercased(), $1.registration.profile.firstName.lowercased()) }
        let page = BadgesPage(
            chrome: try chrome(t("badges.title", context), context, path: "/organize/events/\(detail.event.id)/badges"),
            title: detail.event.title, eventURL: "/organize/events/\(detail.event.id)", pdfURL: "/organize/events/\(detail.event.id)/badges.pdf",
            layouts: BadgeLayout.allCases.map { .init(value: $0.rawValue, label: $0.title, selected: $0 == .a4Eight) },
            includes: [.init(value: BadgeSelection.confirmed.rawValue, label: t("badges.confirmed", context), selected: true),
                       .init(value: BadgeSelection.holdingSeats.rawValue, label: t("badges.holdingSeats", context), selected: false),
                       .init(value: BadgeSelection.selection.rawValue, label: t("badges.selectionOnly", context), selected: false)],
            people: people.map { .init(id: $0.registration.id.description, name: "\($0.registration.profile.firstName) \($0.registration.profile.lastName)",
                                       status: statusLabel($0.registration.status, context)) })
        return html(page, "badges", context)
    }

    /// One PDF of the chosen people in the chosen layout, drawn off the event loop into a
    /// temporary file page by page.
    @Sendable func badgesPDF(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let query = request.uri.queryParameters
        guard let layout = BadgeLayout(rawValue: query.get("layout").map { String($0) } ?? BadgeLayout.a4Eight.rawValue),
              let selection = BadgeSelection(rawValue: query.get("include").map { String($0) } ?? BadgeSelection.confirmed.rawValue) else {
            throw AppError.badRequest(detail: nil)
        }
        let ids = Set(query.getAll("ids").compactMap { Registration.ID(string: String($0)) })
        let builder = BadgeBuilder(persistence: persistence, baseURL: services.configuration.baseURL)
        let badges = try await builder.badges(for: detail.event.id, selection: selection, ids: ids)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("badges-\(UUID().uuidString).pdf").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let title = "\(detail.chapter.name) · \(detail.event.title)"
        try await CPUWork.run { try BadgeRenderer.writePDF(badges, layout: layout, to: path, title: title) }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try await log(context, chapter: detail.chapter.id, "badges.printed", "\(detail.event.title): \(badges.count) (\(layout.rawValue))")
        return Response(status: .ok, headers: [.contentType: "application/pdf", .contentDisposition: "inline; filename=\"badges-\(layout.rawValue).pdf\"",
                                               .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    // MARK: Messages

    struct OutboxPage {
        struct Row { var when: String; var recipient: String; var subject: String; var status: String; var statusClass: String; var error: String?; var retryURL: String? }
        var chrome: Chrome
        var name: String
        var dashboardURL: String
        var filesNote: String?
        var mailAlert: MailAlertView?
        var notice: String?
        var csrf: String
        var retryAllURL: String?
        var rows: [Row]
    }

    @Sendable func outbox(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let f = Presenter(language: context.language, chapter: chapter).formatter
        let records = try await persistence.outbox.outbox(of: chapter.id)
        let classes = ["sent": "confirmed", "pending": "waitlisted", "failed": "cancelled", "skipped": "draft"]
        let base = "/organize/\(chapter.slug)/outbox"
        let retried = request.uri.queryParameters.get("retried").flatMap { Int(String($0)) }
        let page = OutboxPage(
            chrome: try chrome(t("org.outbox", context), context, path: base), name: chapter.name,
            dashboardURL: "/organize/\(chapter.slug)",
            filesNote: services.configuration.mailUsesFiles ? t("org.outboxFiles", context, ["dir": services.configuration.outboxDirectory]) : nil,
            mailAlert: MailAlertView(try await persistence.outbox.mailAlert(), language: context.language, formatter: f),
            notice: retried.map { t("outbox.retried", context, ["count": String($0)]) },
            csrf: try session(context).csrfToken,
            retryAllURL: records.contains { $0.status == "failed" } ? "\(base)/retry" : nil,
            rows: records.map { record in
                .init(when: "\(f.shortDate(record.createdAt)) \(f.time(record.createdAt))", recipient: record.recipient,
                      subject: record.subject.isEmpty ? record.kind.rawValue : record.subject,
                      status: Strings.outboxStatus(record.status, context.language) + (record.attempts > 0 && record.status == "pending" ? " (\(record.attempts))" : ""),
                      statusClass: classes[record.status] ?? "draft", error: record.lastError.isEmpty ? nil : record.lastError,
                      retryURL: record.status == "failed" ? "\(base)/\(record.id.uuidString.lowercased())/retry" : nil)
            })
        return html(page, "outbox", context)
    }

    /// Puts one failed message of the chapter back in the queue, attempts reset.
    @Sendable func retryMessage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        guard let id = context.parameters.get("message").flatMap(UUID.init(uuidString:)),
              let record = try await persistence.outbox.outboxRecord(id, of: chapter.id) else { throw AppError.notFound }
        let count = try await persistence.outbox.retryFailedMessages(of: chapter.id, id: id, now: now())
        if count > 0 { try await log(context, chapter: chapter.id, "outbox.retried", "\(record.subject.isEmpty ? record.kind.rawValue : record.subject) → \(record.recipient)") }
        return .redirect(to: "/organize/\(chapter.slug)/outbox?retried=\(count)", type: .normal)
    }

    /// Puts every failed message of the chapter back in the queue.
    @Sendable func retryAllMessages(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let count = try await persistence.outbox.retryFailedMessages(of: chapter.id, now: now())
        if count > 0 { try await log(context, chapter: chapter.id, "outbox.retried", String(count)) }
        return .redirect(to: "/organize/\(chapter.slug)/outbox?retried=\(count)", type: .normal)
    }

    func messagePage(_ detail: EventDetail, context: AppRequestContext, subject: String = "", body: String = "", errors: [String: String] = [:], notice: String? = nil) throws -> SimpleFormPage {
        SimpleFormPage(
            chrome: try chrome(t("org.message", context), context, path: "/organize/events/\(detail.event.id)/message"),
            heading: t("org.message", context) + " · " + detail.event.title, intro: t("org.messageIntro", context), notice: notice,
            error: errors.isEmpty ? nil : t("form.errors", context), action: "/organize/events/\(detail.event.id)/message", csrf: try session(context).csrfToken,
            fields: [FormField(name: "subject", label: t("org.messageSubject", context), value: subject, required: true, error: errors["subject"], maxLength: 150, autocomplete: "off")],
            textareas: [TextAreaField(id: "f-body", name: "body", label: t("org.messageBody", context), value: body, hint: nil, error: errors["body"], maxLength: 5000)],
            selects: [SelectField(id: "f-audience", name: "audience", label: t("org.messageTo", context), options: [
                .init(value: "confirmed", label: t("org.toConfirmed", context), selected: true),
                .init(value: "waitlisted", label: t("org.toWaitlisted", context), selected: false),
                .init(value: "both", label: t("org.toConfirmed", context) + " + " + t("org.toWaitlisted", context), selected: false),
                .init(value: "checkedin", label: t("org.toCheckedIn", context), selected: false),
            ])],
            submit: t("org.message", context))
    }

    @Sendable func messageForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        html(try messagePage(try await event(context), context: context), "simple-form", context)
    }

    @Sendable func sendMessage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let form = try await self.form(request, context)
        var errors = ValidationErrors()
        let subject = TextRules.clean(form["subject"], field: "subject", required: true, maxLength: 150, into: &errors)
        let body = TextRules.clean(form["body"], field: "body", required: true, maxLength: 5000, multiline: true, into: &errors)
        guard errors.isEmpty else {
            let messages = Dictionary(errors.problems.map { ($0.field, Strings.message(for: $0.problem, context.language)) }, uniquingKeysWith: { a, _ in a })
            return html(try messagePage(detail, context: context, subject: form.text("subject"), body: form.text("body"), errors: messages), "simple-form", context, status: .unprocessableContent)
        }
        let audience = form.text("audience")
        let statuses: Set<String> = audience == "waitlisted" ? ["waitlisted", "offered"] : audience == "both" ? ["confirmed", "waitlisted", "offered"] : ["confirmed"]
        let count = try await persistence.outbox.enqueueBroadcast(event: detail.event.id, statuses: statuses, checkedInOnly: audience == "checkedin",
                                                           subject: subject, body: body, from: try session(context).user.name, now: now())
        try await log(context, chapter: detail.chapter.id, "message.sent", "\(detail.event.title): \(subject) (\(count))")
        return html(try messagePage(detail, context: context, notice: Strings.plural("org.messageQueued", count: count, context.language)), "simple-form", context)
    }

    // MARK: Chapter settings

    func settingsPage(_ chapter: Chapter, values: ChapterStore.ChapterSettings, context: AppRequestContext, errors: [String: String] = [:], notice: String? = nil) throws -> SimpleFormPage {
        SimpleFormPage(
            chrome: try chrome(t("org.settings", context), context, path: "/organize/\(chapter.slug)/settings"),
            heading: t("org.settings", context) + " · " + chapter.name, notice: notice, error: errors.isEmpty ? nil : t("form.errors", context),
            action: "/organize/\(chapter.slug)/settings", csrf: try session(context).csrfToken,
            fields: [
                FormField(name: "offerHours", label: t("settings.offerHours", context), value: String(values.offerHours), type: "number", required: true,
                          hint: t("settings.offerHoursHint", context), error: errors["offerHours"], maxLength: 3, autocomplete: "off"),
                FormField(name: "reminderHours", label: t("settings.reminderHours", context), value: String(values.reminderHours), type: "number", required: true,
                          hint: t("settings.reminderHoursHint", context), error: errors["reminderHours"], maxLength: 3, autocomplete: "off"),
            ],
            textareas: [TextAreaField(id: "f-description", name: "description", label: t("event.about", context), value: values.description, hint: nil,
                                      error: errors["description"], maxLength: 5000)],
            submit: t("manage.save", context))
    }

    @Sendable func settings(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        guard let values = try await persistence.chapters.settings(of: chapter.id) else { throw AppError.notFound }
        return html(try settingsPage(chapter, values: values, context: context), "simple-form", context)
    }

    @Sendable func saveSettings(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let form = try await self.form(request, context)
        var errors: [String: String] = [:]
        var problems = ValidationErrors()
        let description = TextRules.clean(form["description"], field: "description", required: false, maxLength: 5000, multiline: true, into: &problems)
        if let problem = problems["description"] { errors["description"] = Strings.message(for: problem, context.language) }
        let offer = Int(form.text("offerHours").trimmingCharacters(in: .whitespaces)) ?? -1
        if !(1...336).contains(offer) { errors["offerHours"] = Strings.message(for: .outOfRange(min: 1, max: 336), context.language) }
        let reminder = Int(form.text("reminderHours").trimmingCharacters(in: .whitespaces)) ?? -1
        if !(0...168).contains(reminder) { errors["reminderHours"] = Strings.message(for: .outOfRange(min: 0, max: 168), context.language) }
        let values = ChapterStore.ChapterSettings(description: description, offerHours: offer, reminderHours: reminder)
        guard errors.isEmpty else {
            return html(try settingsPage(chapter, values: values, context: context, errors: errors), "simple-form", context, status: .unprocessableContent)
        }
        try await persistence.chapters.updateSettings(of: chapter.id, values)
        try await log(context, chapter: chapter.id, "chapter.settings", "\(offer) h / \(reminder) h")
        services.cache.invalidate(prefixes: ["chapter:\(chapter.slug):", "home:"])
        return html(try settingsPage(chapter, values: values, context: context, notice: t("manage.saved", context)), "simple-form", context)
    }
}
