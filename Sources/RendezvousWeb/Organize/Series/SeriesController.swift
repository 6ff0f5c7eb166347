import Foundation
import Hummingbird
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// A series of events created at once: every third Thursday, every week, or a list of dates.
struct SeriesController: OrganizeController {
    let services: AppServices

    var routes: [OrganizeEndpoint] {
        [
            .get(.newSeries(slug: .any), newSeries),
            .post(.createSeries(slug: .any), createSeries),
        ]
    }

    func seriesPage(_ chapter: Chapter, form: FormFields?, errors: [String: String], context: AppRequestContext) async throws -> SeriesPage {
        func value(_ key: String, _ fallback: String) -> String { form?[key] ?? fallback }
        let pattern = value("pattern", "monthly3")
        let weekdayNames = DateFormatter()
        weekdayNames.locale = context.language.locale(region: chapter.countryCode)
        let names: [String] = weekdayNames.standaloneWeekdaySymbols
        return SeriesPage(
            chrome: try chrome(t("series.title", context), context, path: OrganizeRoute.newSeries(slug: chapter.slug).path),
            csrf: try session(context).csrfToken, name: chapter.name, action: OrganizeRoute.createSeries(slug: chapter.slug).path, dashboardURL: OrganizeRoute.dashboard(slug: chapter.slug).path,
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
            // One key per form shown: sending it again (a retry, a double click) finds the series made.
            seriesKey: UUID(uuidString: value("seriesKey", "")).map(\.uuidString) ?? UUID().uuidString,
            venues: try await venueOptions(chapter, selected: value("venueId", ""), context: context))
    }

    @Sendable func newSeries(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        return html(try await seriesPage(chapter, form: nil, errors: [:], context: context), context)
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
        if time.count < 2 || !(0...23).contains(time[0]) || !(0...59).contains(time[1]) { errors["startTime"] = message(.format(example: "18:30")) }
        let fromText = form.text("from").trimmingCharacters(in: .whitespaces)
        let from = EventForm.instant(day: fromText, time: "00:00", zone: chapter.zone)
        if fromText.isEmpty { errors["from"] = message(.required) }
        else if from == nil { errors["from"] = message(.format(example: "2027-03-17")) }
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
            return html(try await seriesPage(chapter, form: form, errors: errors, context: context), context, status: .unprocessableContent)
        }
        let starts = rule.occurrences(from: from, count: count, hour: time[0], minute: time[1], zone: chapter.zone)
        // No evening in the past: a first date already gone (or a custom one) is refused on its field.
        if starts.contains(where: { $0 < now() }) {
            errors[form.text("pattern") == "custom" ? "count" : "from"] = message(.inThePast)
            return html(try await seriesPage(chapter, form: form, errors: errors, context: context), context, status: .unprocessableContent)
        }
        let venue = try await persistence.events.directoryVenues(for: chapter.id).first { $0.id.description == form.text("venueId") }
        let inputs = starts.map { start in
            EventInput.Valid(
                title: title, startsAt: start, endsAt: start.addingTimeInterval(hours * 3600), capacity: capacity, description: "",
                venue: venue.map { ($0.name, $0.address) }, speakers: [], agenda: [], status: .draft)
        }
        // All or nothing, once per form: see EventStore.createSeries.
        let key = UUID(uuidString: form.text("seriesKey")) ?? UUID()
        if case .created = try await persistence.events.createSeries(inputs, in: chapter.id, key: key, now: now()) {
            try await log(context, chapter: chapter.id, "series.created", "\(title) × \(starts.count)")
        }
        return .redirect(to: OrganizeRoute.dashboard(slug: chapter.slug).path("done", "series") + "&count=\(starts.count)", type: .normal)
    }
}
