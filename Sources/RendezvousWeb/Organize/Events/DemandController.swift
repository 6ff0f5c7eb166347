import Foundation
import Hummingbird
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// Keeping evenings intimate as demand grows (issue 15): a second evening opened from a long
/// waitlist, the no-show forecast, overbooking within the room's physical limit, and the friendly
/// "tell us if you can't come" note.
struct DemandController: OrganizeController {
    let services: AppServices

    var routes: [OrganizeEndpoint] {
        [
            .get(.overflow(.any), overflowForm),
            .post(.overflow(.any), createOverflow),
            .post(.overbooking(.any), overbooking),
            .post(.attendanceCheck(.any), attendanceCheck),
        ]
    }

    // MARK: A second evening

    func overflowPage(_ detail: EventDetail, form: EventForm, errors: ValidationErrors, context: AppRequestContext) async throws -> EventFormPage {
        let events = EventsController(services: services)
        let waiting = detail.occupancy.waitlisted
        let hours = try await persistence.chapters.settings(of: detail.chapter.id)?.offerHours ?? WaitlistRules.defaultOfferHours
        var page = try await events.eventFormPage(
            form, chapter: detail.chapter, heading: t("demand.overflowHeading", context, ["event": detail.event.title]),
            action: OrganizeRoute.overflow(detail.event.id).path, back: OrganizeRoute.event(detail.event.id).path, errors: errors, context: context)
        // A second evening is published at once: its seats go to people already waiting.
        page.statusOptions = [.init(value: "published", label: t("eventStatus.published", context), selected: true)]
        page.intro = [
            Strings.plural("demand.overflowWaiting", count: waiting, context.language, ["event": detail.event.title]),
            t("demand.overflowIntro", context, ["hours": String(hours)]),
        ]
        page.submitLabel = t("demand.overflowSubmit", context)
        return page
    }

    /// The form, pre-filled from the original: same programme, venue, times and capacity, a week
    /// later. Seats the queue does not take are open to anyone.
    @Sendable func overflowForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        guard detail.event.status == .published, detail.event.overflowOf == nil, now() < detail.event.startsAt else {
            return .redirect(to: OrganizeRoute.event(detail.event.id).path, type: .normal)
        }
        // One open second evening per evening: the one already open is shown instead.
        if let open = try await persistence.events.openOverflow(of: detail.event.id, now: now()) {
            return .redirect(to: OrganizeRoute.event(open.id).path("done", "overflowExists"), type: .normal)
        }
        var form = EventForm(detail)
        // Told apart from the first evening everywhere (pages, listings, mails, the organisers'
        // list), in the chapter's language, within the title's 140 characters; editable.
        let suffix = Strings.text("demand.siblingTitle", detail.chapter.locale, ["title": ""])
        form.title = Strings.text("demand.siblingTitle", detail.chapter.locale,
                                  ["title": String(detail.event.title.prefix(max(0, 140 - suffix.count)))])
        form.date = EventForm.localDay(detail.event.startsAt.addingTimeInterval(7 * 86400), detail.chapter.zone)
        form.status = "published"
        return html(try await overflowPage(detail, form: form, errors: ValidationErrors(), context: context), context)
    }

    @Sendable func createOverflow(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        var form = EventForm(try await self.form(request, context))
        form.status = "published"
        guard detail.event.status == .published, detail.event.overflowOf == nil, now() < detail.event.startsAt else {
            return .redirect(to: OrganizeRoute.event(detail.event.id).path, type: .normal)
        }
        if let open = try await persistence.events.openOverflow(of: detail.event.id, now: now()) {
            return .redirect(to: OrganizeRoute.event(open.id).path("done", "overflowExists"), type: .normal)
        }
        switch try await EventsController(services: services).validate(form, chapter: detail.chapter) {
        case .failure(let errors):
            return html(try await overflowPage(detail, form: form, errors: errors, context: context), context, status: .unprocessableContent)
        case .success(let valid):
            let sibling: Event, opening: OverflowOpening
            do {
                (sibling, opening) = try await persistence.events.createOverflow(of: detail.event.id, valid, now: now())
            } catch OverflowError.alreadyOpen(let open) {
                // Resubmitted, clicked twice, or opened by a co-organiser meanwhile: that one stands.
                return .redirect(to: OrganizeRoute.event(open).path("done", "overflowExists"), type: .normal)
            }
            try await persistence.images.copyCover(from: detail.event.id, to: sibling.id, chapter: detail.chapter.id)
            try await log(context, chapter: detail.chapter.id, "event.overflow",
                          "\(detail.event.title) → \(sibling.id): \(opening.offered) offered, \(opening.moved) moved")
            services.eventChanged(detail.event.id, chapterSlug: detail.chapter.slug)
            services.eventChanged(sibling.id, chapterSlug: detail.chapter.slug)
            return .redirect(to: OrganizeRoute.event(sibling.id).path("done", "overflow"), type: .normal)
        }
    }

    // MARK: Overbooking and the friendly note

    @Sendable func overbooking(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let form = try await self.form(request, context)
        let enable = form.text("overbooking") == "on"
        let limitText = form.text("venueLimit").trimmingCharacters(in: .whitespaces)
        var limit: Int? = nil
        // Refused: the page again with what was typed and ticked, the reason on the room limit's
        // field (and at the top of the page, where a phone lands after sending).
        func refused(_ message: String, onField: Bool = true) async throws -> Response {
            try await eventPage(detail, request: request, context: context, error: message, status: .unprocessableContent,
                                overbookingForm: .init(venueLimit: String(limitText.prefix(12)), enable: enable, error: onField ? message : nil))
        }
        if !limitText.isEmpty || enable {
            guard let value = Int(limitText), OverbookingRule.venueLimits(capacity: detail.event.capacity).contains(value) else {
                return try await refused(t("demand.venueLimitError", context, ["capacity": String(detail.event.capacity)]))
            }
            limit = value
        }
        let updated: Event
        switch try await persistence.events.setOverbooking(detail.event, enabled: enable, venueLimit: limit, now: now()) {
        case .set(let event): updated = event
        case .noForecast:
            return try await refused(t("demand.overbookingNoForecast", context), onField: false)
        case .belowConfirmed(let confirmed):
            return try await refused(Strings.plural("demand.venueLimitBelowConfirmed", count: confirmed, context.language))
        }
        try await log(context, chapter: detail.chapter.id, "event.overbooking",
                      "\(detail.event.title): \(updated.capacity) + \(updated.overbookSeats) (≤ \(limit.map(String.init) ?? "—"))")
        services.eventChanged(detail.event.id, chapterSlug: detail.chapter.slug)
        return .redirect(to: OrganizeRoute.event(detail.event.id).path("done", "overbooking"), type: .normal)
    }

    @Sendable func attendanceCheck(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        _ = try await self.form(request, context)
        let sent = try await persistence.door.sendAttendanceChecks(of: detail.event.id, now: now())
        try await log(context, chapter: detail.chapter.id, "event.attendanceCheck", "\(detail.event.title): \(sent)")
        return .redirect(to: OrganizeRoute.event(detail.event.id).path("done", "attendanceCheck"), type: .normal)
    }
}

/// The workspace's "Demand and attendance" panel (`partials/demand.mustache`).
struct DemandPanel {
    struct Sibling { var label: String; var url: String; var status: String }
    var csrf: String
    var overflowNotice: String?
    var overflowURL: String?
    var origin: String?
    var originURL: String?
    var siblings: [Sibling]
    var forecast: [String]
    var expected: String?
    var overbookingURL: String
    var overbookingOn: Bool
    var overbookingState: String
    var overbookingRule: String?
    var venueLimit: String
    /// Why the room limit sent was refused (shown on the field).
    var venueLimitError: String?
    var canOverbook: Bool
    /// Overbooking and the note concern evenings to come only.
    var upcoming: Bool = true
    var attendanceCheck: String?
    var attendanceCheckURL: String?

    /// The overbooking form as it was sent, when it was refused.
    struct Submitted { var venueLimit: String; var enable: Bool; var error: String? }

    mutating func show(_ submitted: Submitted) {
        venueLimit = submitted.venueLimit
        overbookingOn = submitted.enable
        venueLimitError = submitted.error
    }
}

extension OrganizeController {
    /// The rule's rate to a tenth of a percent, so its sum adds up on the page: "70 × (1 + 7.3%) = 75",
    /// not "70 × (1 + 7%) = 75" (the whole percent shown elsewhere rounds 7.31% down).
    static func ruleRate(_ rate: Double, _ language: Language) -> String {
        let tenths = Int((rate * 1000).rounded())
        let number = tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10)\(language == .fr ? "," : ".")\(tenths % 10)"
        return language == .fr ? "\(number)\u{202F}%" : "\(number)%"
    }

    /// The forecast in words: what it is based on, how sure it is, and (for an evening) who is expected.
    func forecastLines(_ forecast: NoShowForecast, context: AppRequestContext) -> [String] {
        let percent = { (rate: Double) in DisplayFormatter.percent(rate, context.language) }
        guard forecast.events > 0 else { return [t("demand.noHistory", context)] }
        // Without confidence the likely range says nothing ("between 0 % and 0 %"): the history is too short.
        var lines = [Strings.plural(forecast.confidence == .none ? "demand.forecastThin" : "demand.forecast", count: forecast.events, context.language, [
            "people": String(forecast.confirmed), "rate": percent(forecast.rate), "low": percent(forecast.low), "high": percent(forecast.high),
        ])]
        if forecast.sameVenue { lines.append(t("demand.sameVenue", context)) }
        // How sure, and why (a new venue included): the one sentence every page says it with.
        lines.append(ForecastWording.howSure(forecast, context.language))
        return lines
    }

    func demandPanel(_ detail: EventDetail, csrf: String, context: AppRequestContext) async throws -> DemandPanel {
        let event = detail.event
        let now = now()
        let f = Presenter(language: context.language, chapter: detail.chapter).formatter
        let threshold = try await persistence.chapters.waitlistThreshold(of: detail.chapter.id)
        let waiting = detail.occupancy.waitlisted
        // Once a second evening is open (not cancelled, still to come), its offers are out: the panel
        // lists it (with how many offers await an answer) instead of suggesting another.
        let overflows = try await persistence.events.overflowEvents(of: event.id)
        let suggest = !overflows.contains { now < $0.startsAt }
            && OverflowRules.suggestsOverflow(waiting: waiting, threshold: threshold, published: event.status == .published, startsAt: event.startsAt, now: now)
        var origin: String?
        var originURL: String?
        if let originID = event.overflowOf, let original = try await persistence.events.event(id: originID) {
            origin = t("demand.secondOf", context, ["event": original.title, "date": f.longDate(original.startsAt)])
            originURL = OrganizeRoute.event(originID).path
        }
        var siblings: [DemandPanel.Sibling] = []
        for sibling in overflows {
            let status = try await persistence.events.overflowStatus(of: sibling.id)
            siblings.append(.init(label: t("demand.siblingLabel", context, ["date": f.longDate(sibling.startsAt), "time": f.time(sibling.startsAt)]),
                                  url: OrganizeRoute.event(sibling.id).path,
                                  status: t("demand.siblingStatus", context, ["offered": String(status.offered), "accepted": String(status.accepted),
                                                                             "moved": String(status.moved), "declined": String(status.declined)])))
        }
        let forecast = try await persistence.events.noShowForecast(of: event, now: now)
        let upcoming = now < event.startsAt && event.status == .published
        var expected: String?
        // Nobody confirmed yet (a second evening just opened): nothing to expect ("about 0 of the 0").
        if upcoming, forecast.confidence > .none, detail.occupancy.confirmed > 0 {
            expected = Strings.plural("demand.expected", count: detail.occupancy.confirmed, context.language, [
                "expected": f.number(OverbookingRule.expectedAttendance(confirmed: detail.occupancy.confirmed, forecast: forecast))])
        }
        // The evening's room limit, or else what its venue holds (the directory's, or the limit given at an earlier evening there).
        let roomLimit: Int? = if let limit = event.venueLimit { limit } else { try await persistence.events.venueCapacity(of: event) }
        var rule: String?
        if forecast.confidence > .none {
            // The limit the form shows (the venue's when the evening has none yet): the rule says
            // what saving it would give, not "no room limit" beside a filled-in field.
            let limit = roomLimit
            let extra = OverbookingRule.extraSeats(capacity: event.capacity, forecast: forecast, venueLimit: limit)
            rule = t("demand.rule", context, [
                "capacity": String(event.capacity), "rate": Self.ruleRate(forecast.overbookingRate, context.language),
                "target": String(event.capacity + Int((Double(event.capacity) * forecast.overbookingRate).rounded(.down))),
                "room": limit.map { Strings.plural("demand.ruleRoom", count: extra, context.language, ["limit": f.number($0)]) } ?? t("demand.ruleNoRoom", context),
            ]) + (forecast.confidence == .low ? " " + t("demand.cautious", context) : "")
        }
        var nudge: String?
        var allAsked = false
        if upcoming {
            let candidates = try await persistence.door.attendanceCheckCandidates(of: event.id, now: now)
            if candidates.people > 0 {
                var lines = [Strings.plural("demand.attendanceCheck", count: candidates.people, context.language)]
                allAsked = candidates.alreadyAsked >= candidates.people
                if allAsked {
                    lines.append(t("demand.attendanceCheckAllAsked", context))
                } else if candidates.alreadyAsked > 0 {
                    lines.append(Strings.plural("demand.attendanceCheckAsked", count: candidates.alreadyAsked, context.language))
                }
                nudge = lines.joined(separator: " ")
            }
        }
        var panel = DemandPanel(
            csrf: csrf,
            overflowNotice: suggest && event.overflowOf == nil ? Strings.plural("demand.overflowNotice", count: waiting, context.language) : nil,
            overflowURL: suggest && event.overflowOf == nil ? OrganizeRoute.overflow(event.id).path : nil,
            origin: origin, originURL: originURL, siblings: siblings, forecast: forecastLines(forecast, context: context), expected: expected,
            overbookingURL: OrganizeRoute.overbooking(event.id).path, overbookingOn: event.overbooking,
            overbookingState: event.overbooking
                ? t("demand.overbookingOn", context, ["limit": String(event.seatLimit), "capacity": String(event.capacity), "extra": String(event.overbookSeats)])
                // Turned off, the extra seats already given stay until freed: said, not hidden.
                : event.overbookSeats > 0 ? Strings.plural("demand.overbookingOffKept", count: event.overbookSeats, context.language)
                : t("demand.overbookingOff", context),
            overbookingRule: rule, venueLimit: roomLimit.map(String.init) ?? "",
            canOverbook: upcoming && forecast.confidence > .none,
            // Everyone was asked already: said so, without a button that would send nothing.
            attendanceCheck: nudge, attendanceCheckURL: nudge == nil || allAsked ? nil : OrganizeRoute.attendanceCheck(event.id).path)
        panel.upcoming = upcoming
        return panel
    }
}
