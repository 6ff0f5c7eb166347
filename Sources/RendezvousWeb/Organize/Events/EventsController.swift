import Foundation
import Hummingbird
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// The chapter's dashboard, and creating, editing, publishing, resizing and copying its events.
struct EventsController: OrganizeController {
    let services: AppServices

    var routes: [OrganizeEndpoint] {
        [
            .get(.index, index),
            .get(.dashboard(slug: .any), dashboard),
            .get(.newEvent(slug: .any), newEvent),
            .post(.createEvent(slug: .any), createEvent),
            .get(.editEvent(.any), editEvent),
            .post(.editEvent(.any), updateEvent),
            .post(.publish(.any), publish),
            .post(.unpublish(.any), unpublish),
            .post(.cancelEvent(.any), cancelEvent),
            .post(.capacity(.any), changeCapacity),
            .post(.duplicate(.any), duplicate),
        ]
    }

    // MARK: Index and dashboard

    @Sendable func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try session(context).user
        // The chapters this person is part of (network admins reach the others from /admin).
        let chapters = try await persistence.chapters.chapters().filter { user.memberships[$0.id] != nil }
        // Door staff have no dashboard: their way in is the door of the chapter's next (or current)
        // evening, or the chapter's public page when none is planned.
        var entries: [(chapter: Chapter, url: String)] = []
        for chapter in chapters {
            if user.memberships[chapter.id] == .door {
                let next = try await persistence.events.upcomingEvents(of: chapter.id, now: now()).first
                entries.append((chapter, next.map { DoorRoute.page($0.event.id).path } ?? PublicRoute.chapter(slug: chapter.slug).path))
            } else {
                entries.append((chapter, OrganizeRoute.dashboard(slug: chapter.slug).path))
            }
        }
        if entries.count == 1, !user.isNetworkAdmin { return .redirect(to: entries[0].url, type: .normal) }
        let page = OrganizeIndexPage(
            chrome: try chrome(t("org.myChapters", context), context, path: OrganizeRoute.index.path),
            chapters: entries.map { .init(name: $0.chapter.name, city: $0.chapter.city, url: $0.url,
                                          role: t(user.memberships[$0.chapter.id] == .door ? "team.door" : "team.organizer", context)) })
        return html(page, context)
    }

    func eventRow(_ summary: EventSummary, chapter: Chapter, context: AppRequestContext) -> DashboardPage.EventRow {
        let f = Presenter(language: context.language, chapter: chapter).formatter
        let o = summary.occupancy
        return .init(
            title: summary.event.title, url: OrganizeRoute.event(summary.event.id).path,
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
        let f = Presenter(language: context.language, chapter: chapter).formatter
        let threshold = try await persistence.chapters.waitlistThreshold(of: chapter.id)
        var page = DashboardPage(
            chrome: try chrome(chapter.name, context, path: OrganizeRoute.dashboard(slug: chapter.slug).path), name: chapter.name,
            links: [
                .init(label: t("org.newEvent", context), url: OrganizeRoute.newEvent(slug: chapter.slug).path),
                .init(label: t("series.title", context), url: OrganizeRoute.newSeries(slug: chapter.slug).path),
                .init(label: t("team.title", context), url: OrganizeRoute.team(slug: chapter.slug).path),
                .init(label: t("quizLibrary.title", context), url: OrganizeRoute.quizzes(slug: chapter.slug).path),
                .init(label: t("insights.title", context), url: OrganizeRoute.insights(slug: chapter.slug).path),
                .init(label: t("audit.title", context), url: OrganizeRoute.audit(slug: chapter.slug).path),
                .init(label: t("org.outbox", context), url: OrganizeRoute.outbox(slug: chapter.slug).path),
                .init(label: t("webhooks.title", context), url: OrganizeRoute.webhooks(slug: chapter.slug).path),
                // The chapter's followers, counted: its audience page.
                .init(label: t("org.audienceLink", context) + " · " + Strings.plural("audience.followerCount", count: try await persistence.audience.followerCount(of: chapter.id), context.language),
                      url: OrganizeRoute.audience(slug: chapter.slug).path),
                .init(label: t("org.settings", context), url: OrganizeRoute.settings(slug: chapter.slug).path),
                .init(label: t("org.branding", context), url: OrganizeRoute.branding(slug: chapter.slug).path),
                .init(label: t("org.publicPage", context), url: PublicRoute.chapter(slug: chapter.slug).path),
            ],
            upcoming: events.filter { $0.event.endsAt > now }.map { eventRow($0, chapter: chapter, context: context) },
            past: attendance.map { item in
                .init(title: item.title, url: OrganizeRoute.event(item.eventID).path, date: f.shortDate(item.startsAt), expected: item.expected,
                      came: item.noShowRate == nil ? "—" : "\(item.came)" + (item.walkIns > 0 ? " (+\(item.walkIns))" : ""),
                      noShow: item.noShowRate.map(f.percent) ?? "—")
            },
            noShowAverage: rates.isEmpty ? nil : t("org.noShowAverage", context, ["rate": f.percent(rates.reduce(0, +) / Double(rates.count))]),
            recent: recent.map { item in
                .init(name: "\(item.registration.profile.firstName) \(item.registration.profile.lastName)", event: item.eventTitle,
                      status: item.registration.status.rawValue, statusLabel: statusLabel(item.registration.status, context),
                      when: "\(f.shortDate(item.registration.createdAt)) \(f.time(item.registration.createdAt))")
            })
        // The chapter's history: each past evening's real result (one batch of queries for all).
        let results = try await persistence.followUp.results(of: attendance.map(\.eventID))
        for index in page.past.indices {
            guard let result = results[attendance[index].eventID] else { continue }
            page.past[index].rating = result.averageScore.map { String(format: "%.1f", $0).replacingOccurrences(of: ".", with: context.language == .fr ? "," : ".") + " (\(result.answers))" } ?? "—"
            page.past[index].contacts = result.contacts == 0 ? "—" : f.number(result.contacts)
            page.past[index].metThree = result.shareMetThree.map(f.percent) ?? "—"
        }
        // A long waitlist becomes a second evening: said beside the event, with the way to open it.
        for (index, summary) in events.filter({ $0.event.endsAt > now }).enumerated()
        where summary.event.overflowOf == nil && OverflowRules.suggestsOverflow(
            waiting: summary.occupancy.waitlisted, threshold: threshold, published: summary.event.status == .published, startsAt: summary.event.startsAt, now: now) {
            // Already open: its offers are out. Said so, with how many await an answer, instead of asking again.
            if let open = try await persistence.events.openOverflow(of: summary.event.id, now: now) {
                let pending = try await persistence.events.overflowStatus(of: open.id).offered
                page.upcoming[index].overflow = Strings.plural("demand.overflowIsOpen", count: pending, context.language,
                                                               ["date": f.longDate(open.startsAt)])
                page.upcoming[index].overflowURL = OrganizeRoute.event(open.id).path
            } else {
                page.upcoming[index].overflow = Strings.plural("demand.overflowNotice", count: summary.occupancy.waitlisted, context.language)
                page.upcoming[index].overflowURL = OrganizeRoute.overflow(summary.event.id).path
            }
        }
        page.forecast = forecastLines(NoShowForecast.forecast(history: attendance.map(AttendanceRecord.init), venue: nil, now: now), context: context)
        let query = request.uri.queryParameters
        if query.get("done") == "series", let count = query.get("count").flatMap({ Int($0) }), count > 0 {
            page.notice = Strings.plural("series.created", count: count, context.language, ["count": f.number(count)])
        }
        return html(page, context)
    }

    // MARK: Creating and editing events

    func eventFormPage(_ form: EventForm, chapter: Chapter, heading: String, action: String, back: String, errors: ValidationErrors, context: AppRequestContext) async throws -> EventFormPage {
        func error(_ fields: String...) -> String? {
            fields.lazy.compactMap { errors[$0] }.first.map { Strings.message(for: $0, context.language) }
        }
        return EventFormPage(
            chrome: try chrome(heading, context, path: action), heading: heading, action: action, csrf: try session(context).csrfToken,
            // A status the form never offers (a forged post) has no field of its own to show it: said in the summary.
            error: errors.isEmpty ? nil : ([t("form.errors", context)] + [error("status")].compactMap { $0 }).joined(separator: " "),
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
        let page = try await eventFormPage(form, chapter: chapter, heading: t("org.newEvent", context), action: OrganizeRoute.createEvent(slug: chapter.slug).path,
                                           back: OrganizeRoute.dashboard(slug: chapter.slug).path, errors: ValidationErrors(), context: context)
        return html(page, context)
    }

    func validate(_ form: EventForm, chapter: Chapter, original: Date? = nil) async throws -> Result<EventInput.Valid, ValidationErrors> {
        var form = form
        // A speaker picked from the directory brings their job title along.
        let directory = try await persistence.events.directorySpeakers(for: chapter.id)
        for index in form.speakers.indices where form.speakers[index].jobTitle.trimmingCharacters(in: .whitespaces).isEmpty {
            if let known = directory.first(where: { $0.name == form.speakers[index].name.trimmingCharacters(in: .whitespaces) }) {
                form.speakers[index].jobTitle = known.jobTitle
            }
        }
        let (input, formErrors) = form.input(zone: chapter.zone, directory: try await persistence.events.directoryVenues(for: chapter.id),
                                             now: now(), original: original)
        switch input.validated() {
        case .success(let valid) where formErrors.isEmpty: return .success(valid)
        case .success: return .failure(formErrors)
        case .failure(let found):
            // Without a date the times cannot be read either: the date's error alone, not "required" on the end too.
            let hanging: Set<String> = formErrors["date"] == nil ? [] : ["startTime", "endTime", "startsAt", "endsAt", "agenda"]
            var errors = ValidationErrors(found.problems.filter { !hanging.contains($0.field) })
            for problem in formErrors.problems where errors[problem.field] == nil { errors.add(problem.field, problem.problem) }
            return .failure(errors)
        }
    }

    @Sendable func createEvent(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let form = EventForm(try await self.form(request, context))
        switch try await validate(form, chapter: chapter) {
        case .failure(let errors):
            let page = try await eventFormPage(form, chapter: chapter, heading: t("org.newEvent", context), action: OrganizeRoute.createEvent(slug: chapter.slug).path,
                                               back: OrganizeRoute.dashboard(slug: chapter.slug).path, errors: errors, context: context)
            return html(page, context, status: .unprocessableContent)
        case .success(let valid):
            let event = try await persistence.events.createEvent(valid, in: chapter.id, now: now())
            try await log(context, chapter: chapter.id, "event.created", event.title)
            services.eventChanged(event.id, chapterSlug: chapter.slug)
            return .redirect(to: OrganizeRoute.event(event.id).path("done", "created"), type: .normal)
        }
    }

    @Sendable func editEvent(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        var page = try await eventFormPage(EventForm(detail), chapter: detail.chapter, heading: t("org.edit", context) + " · " + detail.event.title,
                                           action: OrganizeRoute.editEvent(detail.event.id).path, back: OrganizeRoute.event(detail.event.id).path,
                                           errors: ValidationErrors(), context: context)
        page.imagesURL = OrganizeRoute.eventImages(detail.event.id).path
        return html(page, context)
    }

    @Sendable func updateEvent(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let form = EventForm(try await self.form(request, context))
        func reshow(_ errors: ValidationErrors) async throws -> Response {
            let page = try await eventFormPage(form, chapter: detail.chapter, heading: t("org.edit", context) + " · " + detail.event.title,
                                               action: OrganizeRoute.editEvent(detail.event.id).path, back: OrganizeRoute.event(detail.event.id).path,
                                               errors: errors, context: context)
            return html(page, context, status: .unprocessableContent)
        }
        switch try await validate(form, chapter: detail.chapter, original: detail.event.startsAt) {
        case .failure(let errors): return try await reshow(errors)
        case .success(var valid):
            // Cancelling is final: the words may still be corrected, the status and capacity stay.
            if detail.event.status == .cancelled { valid.status = .cancelled; valid.capacity = detail.event.capacity }
            do {
                _ = try await persistence.events.editEvent(detail.event.id, valid, now: now())
            } catch RegistrationActionError.capacityBelowConfirmed(let held) {
                return try await reshow(ValidationErrors([("capacity", .outOfRange(min: held, max: EventInput.maxCapacity))]))
            }
            try await log(context, chapter: detail.chapter.id, "event.edited", valid.title)
            try await services.seriesChanged(detail.event.id, chapterSlug: detail.chapter.slug)
            return .redirect(to: OrganizeRoute.event(detail.event.id).path("done", "saved"), type: .normal)
        }
    }

    func setStatus(_ status: EventStatus, action: String, _ context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        // A cancelled meetup stays cancelled (a stale tab's press): said on its page, nothing changed.
        do {
            guard detail.event.status != .cancelled else { throw RegistrationActionError.eventCancelled }
            _ = try await persistence.events.updateEvent(detail.event.id, title: nil, description: nil, capacity: nil, status: status, now: now())
        } catch RegistrationActionError.eventCancelled {
            return Self.cancelledIsFinal(detail.event.id)
        }
        try await log(context, chapter: detail.chapter.id, action, detail.event.title)
        try await services.seriesChanged(detail.event.id, chapterSlug: detail.chapter.slug)
        return .redirect(to: OrganizeRoute.event(detail.event.id).path("done", status.rawValue), type: .normal)
    }

    /// Back to the event's page, saying nothing changed because the meetup is cancelled.
    static func cancelledIsFinal(_ id: Event.ID) -> Response {
        .redirect(to: OrganizeRoute.event(id).path("done", "cancelledFinal"), type: .normal)
    }

    @Sendable func publish(_ request: Request, context: AppRequestContext) async throws -> Response { try await setStatus(.published, action: "event.published", context) }
    @Sendable func unpublish(_ request: Request, context: AppRequestContext) async throws -> Response { try await setStatus(.draft, action: "event.unpublished", context) }
    /// Cancelling a whole meetup asks first (a page, so it works without JavaScript), saying who
    /// will be told; the confirmation's press cancels it and mails everyone registered.
    @Sendable func cancelEvent(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await self.form(request, context)
        guard form["confirm"] == "yes" else {
            let detail = try await event(context)
            guard detail.event.status != .cancelled, let session = context.session else {
                return .redirect(to: OrganizeRoute.event(detail.event.id).path, type: .normal)
            }
            let f = Presenter(language: context.language, chapter: detail.chapter).formatter
            // Those who will get the mail: active registrations with an address (a walk-in may have none).
            let told = try await persistence.registrations.registrations(of: detail.event.id).filter { $0.status.isActive && !$0.profile.email.isEmpty }.count
            var title = t("org.confirmCancelEventTitle", context)
            var lines = [t(detail.event.status == .published ? "org.confirmCancelEventText" : "org.confirmCancelDraftText", context)]
            var facts = [detail.event.title, "\(f.longDate(detail.event.startsAt)) · \(f.time(detail.event.startsAt))"]
                + (detail.event.status == .published ? [Strings.plural("org.confirmCancelEventPeople", count: told, context.language)] : [])
            // A second evening: named as such, with what becomes of the people who came from the original's waitlist.
            if detail.event.status == .published, let origin = detail.event.overflowOf, let original = try await persistence.events.event(id: origin) {
                let status = try await persistence.events.overflowStatus(of: detail.event.id)
                let values = ["date": f.longDate(detail.event.startsAt), "originDate": f.longDate(original.startsAt)]
                title = t("org.confirmCancelSecondTitle", context, values)
                lines = [t("org.confirmCancelSecondText", context, values)]
                facts.append(Strings.plural("org.confirmCancelSecondBack", count: status.accepted + status.moved, context.language,
                                            ["count": f.number(status.accepted + status.moved), "originDate": values["originDate"] ?? ""]))
                facts.append(Strings.plural("org.confirmCancelSecondOffers", count: status.offered, context.language, ["count": f.number(status.offered)]))
            }
            // Its second evening is open: the "any date" people waiting move there, the others are pointed to it.
            if detail.event.status == .published, detail.event.overflowOf == nil,
               let second = try await persistence.events.openOverflow(of: detail.event.id, now: now()), second.status == .published {
                let moving = try await persistence.events.anyDateMoving(from: detail.event.id, to: second.id)
                facts.append(Strings.plural("org.confirmCancelMovesToSecond", count: moving, context.language,
                                            ["count": f.number(moving), "date": f.longDate(second.startsAt)]))
            }
            let page = ConfirmStepPage(
                chrome: try chrome(title, context, path: OrganizeRoute.event(detail.event.id).path),
                heading: title,
                lines: lines,
                facts: facts,
                action: OrganizeRoute.cancelEvent(detail.event.id).path, csrf: session.csrfToken,
                confirmLabel: t("org.confirmCancelEvent", context),
                backURL: OrganizeRoute.event(detail.event.id).path, backLabel: t("org.keepEvent", context))
            return html(page, context)
        }
        return try await setStatus(.cancelled, action: "event.cancelled", context)
    }

    @Sendable func changeCapacity(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let form = try await self.form(request, context)
        guard let capacity = Int(form.text("capacity").trimmingCharacters(in: .whitespaces)), capacity >= 1, capacity <= EventInput.maxCapacity else {
            return try await eventPage(detail, request: request, context: context, error: Strings.message(for: .outOfRange(min: 1, max: EventInput.maxCapacity), context.language), status: .unprocessableContent)
        }
        do {
            guard detail.event.status != .cancelled else { throw RegistrationActionError.eventCancelled }
            _ = try await persistence.events.updateEvent(detail.event.id, title: nil, description: nil, capacity: capacity, status: nil, now: now())
        } catch RegistrationActionError.eventCancelled {
            return Self.cancelledIsFinal(detail.event.id)
        } catch RegistrationActionError.capacityBelowConfirmed(let held) {
            return try await eventPage(detail, request: request, context: context,
                                       error: Strings.plural("org.capacityTooLow", count: held, context.language), status: .unprocessableContent)
        }
        try await log(context, chapter: detail.chapter.id, "event.capacity", "\(detail.event.title): \(detail.event.capacity) → \(capacity)")
        services.eventChanged(detail.event.id, chapterSlug: detail.chapter.slug)
        return .redirect(to: OrganizeRoute.event(detail.event.id).path("done", "capacity"), type: .normal)
    }

    @Sendable func duplicate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let form = try await self.form(request, context)
        let time = EventForm.localTime(detail.event.startsAt, detail.chapter.zone)
        guard let start = EventForm.instant(day: form.text("date"), time: time, zone: detail.chapter.zone) else {
            return try await eventPage(detail, request: request, context: context, error: Strings.message(for: .invalidDate, context.language), status: .unprocessableContent)
        }
        let copy = try await persistence.events.duplicateEvent(detail.event.id, startsAt: start, now: now())
        try await persistence.images.copyCover(from: detail.event.id, to: copy.id, chapter: detail.chapter.id)
        try await log(context, chapter: detail.chapter.id, "event.duplicated", copy.title)
        return .redirect(to: OrganizeRoute.editEvent(copy.id).path, type: .normal)
    }
}
