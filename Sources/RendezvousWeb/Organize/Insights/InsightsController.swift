import Foundation
import Hummingbird
import Mustache
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// The chapter's insights for its organisers (issue 15): its last evenings in charts drawn on the
/// server, each with its table and its CSV.
struct InsightsController: OrganizeController {
    let services: AppServices

    var routes: [OrganizeEndpoint] {
        [
            .get(.insights(slug: .any), insights),
            .get(.insightsCSV(slug: .any, chart: .any), insightsCSV),
        ]
    }

    @Sendable func insights(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let data = try await persistence.network.chapterInsights(of: chapter.id, now: now())
        let heardFrom = try await persistence.network.heardFrom(events: data.evenings.map(\.eventID))
        let charts = InsightsCharts.chapter(data, heardFrom: heardFrom, chapter: chapter, language: context.language)
        let summary = InsightsCharts.summary(data, language: context.language)
        return html(InsightsPage(
            chrome: try chrome(t("insights.title", context), context, path: OrganizeRoute.insights(slug: chapter.slug).path, wide: true),
            name: chapter.name, dashboardURL: OrganizeRoute.dashboard(slug: chapter.slug).path,
            intro: Strings.plural("insights.intro", count: data.evenings.count, context.language),
            summary: summary, hasSummary: !summary.isEmpty, charts: charts), context)
    }

    @Sendable func insightsCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        guard let id = context.parameters.get("chart"), InsightsCharts.chapterIDs.contains(id) else { throw AppError.notFound }
        let data = try await persistence.network.chapterInsights(of: chapter.id, now: now())
        let heardFrom = try await persistence.network.heardFrom(events: data.evenings.map(\.eventID))
        guard let chart = InsightsCharts.chapter(data, heardFrom: heardFrom, chapter: chapter, language: context.language).first(where: { $0.id == id }) else { throw AppError.notFound }
        return DownloadName.csv(CSV.write(chart.csvRows), name: [chapter.slug, t("insights.fileName", context), chart.title])
    }
}

struct InsightsPage: Page {
    static let template = "organize/insights"
    var chrome: Chrome
    var name: String
    var dashboardURL: String
    var intro: String
    var summary: [String]
    var hasSummary: Bool
    var charts: [Chart]
}

/// By name, not by reflection (every `chrome.t.…` inside a chart passes through the page).
extension InsightsPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "chrome": chrome
        case "name": self.name
        case "dashboardURL": dashboardURL
        case "intro": intro
        case "summary": summary
        case "hasSummary": hasSummary
        case "charts": charts
        default: nil
        }
    }
}

/// The charts of a chapter's insights, in the page's language (the CSV uses the same).
enum InsightsCharts {
    static let chapterIDs = ["demand", "attendance", "newcomers", "waitlist", "jobs", "companies", "heard-from", "scores", "contacts"]
    static let demandEvenings = 5
    static let demandTicks = [30, 21, 14, 7, 3, 1, 0]

    static func capitalized(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }

    /// A rate as `DisplayFormatter.percent` writes it, or a dash when there is none.
    static func percent(_ rate: Double?, _ language: Language) -> String { rate.map { DisplayFormatter.percent($0, language) } ?? "—" }

    static func decimal(_ value: Double?, _ language: Language) -> String {
        value.map { String(format: "%.1f", $0).replacingOccurrences(of: ".", with: language == .fr ? "," : ".") } ?? "—"
    }

    static func summary(_ data: ChapterInsights, language: Language) -> [String] {
        func t(_ key: String, _ arguments: [String: String] = [:]) -> String { Strings.text(key, language, arguments) }
        guard !data.evenings.isEmpty else { return [] }
        let expected = data.evenings.map(\.expected).reduce(0, +)
        let came = data.evenings.map(\.showed).reduce(0, +)
        let newcomers = data.evenings.map(\.newcomers).reduce(0, +), regulars = data.evenings.map(\.regulars).reduce(0, +)
        let answers = data.scoreCounts.reduce(0, +)
        let scoreSum = data.scoreCounts.enumerated().map { $0 * $1 }.reduce(0, +)
        let attendees = data.evenings.map(\.came).reduce(0, +), contacts = data.evenings.map(\.contacts).reduce(0, +)
        var lines = [t("insights.summary.attendance", ["rate": percent(expected > 0 && came > 0 ? Double(came) / Double(expected) : nil, language),
                                                        "noShow": percent(expected > 0 && came > 0 ? Attendance.noShowRate(expected: expected, showed: came, came: came) : nil, language)])]
        if newcomers + regulars > 0 { lines.append(t("insights.summary.newcomers", ["percent": percent(Double(newcomers) / Double(newcomers + regulars), language)])) }
        if answers > 0 { lines.append(t("insights.summary.score", ["average": decimal(Double(scoreSum) / Double(answers), language), "answers": String(answers)])) }
        if attendees > 0 { lines.append(t("insights.summary.contacts", ["perPerson": decimal(Double(contacts) / Double(attendees), language)])) }
        return lines
    }

    /// `heardFrom`: the answers to "How did you hear about us?" over the same evenings.
    static func chapter(_ data: ChapterInsights, heardFrom: HeardFromCounts = HeardFromCounts(), chapter: Chapter, language: Language) -> [Chart] {
        func t(_ key: String, _ arguments: [String: String] = [:]) -> String { Strings.text(key, language, arguments) }
        let f = DisplayFormatter(language: language, timeZone: chapter.zone, region: chapter.countryCode)
        func csv(_ id: String) -> String { OrganizeRoute.insightsCSV(slug: chapter.slug, chart: id).path }
        let download = t("insights.csv"), empty = t("insights.empty")
        let evenings = data.evenings
        let dates = evenings.map { f.shortDate($0.startsAt) }
        // Under the bars, short (day and month, large enough to read on a phone); the table has the full date.
        let axis = evenings.map { f.dayMonth($0.startsAt) }
        let count = ["count": f.number(evenings.count)]

        // The demand curve: the last evenings, registrations 30 days before to the day itself.
        let recent = Array(evenings.suffix(demandEvenings))
        let days = Array((0...DemandCurve.days).reversed())
        let dayLabel = { (d: Int) in d == 0 ? t("insights.dayOf") : Strings.plural("insights.daysBefore", count: d, language) }
        let tickLabel = { (d: Int) in d == 0 ? t("insights.dayOfShort") : "−\(d)" }
        let demand = Chart.lines(
            id: "demand", title: t("insights.demand.title"), description: t("insights.demand.description", ["count": f.number(recent.count)]),
            xLabels: days.map(tickLabel), series: recent.map { evening in (name: f.shortDate(evening.startsAt), values: days.map { evening.demand[$0] }) },
            tick: { [30, 21, 14, 7, 3, 0].contains(days[$0]) },
            columns: [t("insights.demand.when")] + recent.map { f.shortDate($0.startsAt) },
            rows: demandTicks.map { d in Chart.Row(header: dayLabel(d), cells: recent.map { String($0.demand[d]) }) },
            csvURL: csv("demand"), csvLabel: download, empty: empty)

        var attendance = Chart.grouped(
            id: "attendance", title: t("insights.attendance.title"), description: t("insights.attendance.description", count),
            categories: dates, series: [(t("insights.expected"), evenings.map(\.expected)), (t("insights.came"), evenings.map(\.came))],
            axisLabels: axis, csvURL: csv("attendance"), csvLabel: download, empty: empty)
        attendance.columns[0] = t("insights.evening")
        attendance.columns += [t("insights.walkIns"), t("insights.noShowRate")]
        for index in attendance.rows.indices {
            attendance.rows[index].cells += [String(evenings[index].walkIns), percent(evenings[index].noShowRate, language)]
        }

        var newcomers = Chart.grouped(
            id: "newcomers", title: t("insights.newcomers.title"), description: t("insights.newcomers.description", count),
            categories: dates, series: [(t("insights.newcomers"), evenings.map(\.newcomers)), (t("insights.regulars"), evenings.map(\.regulars))],
            axisLabels: axis, csvURL: csv("newcomers"), csvLabel: download, empty: empty)
        newcomers.columns[0] = t("insights.evening")

        var waitlist = Chart.grouped(
            id: "waitlist", title: t("insights.waitlist.title"), description: t("insights.waitlist.description", count),
            categories: dates, series: [(t("insights.waitlisted"), evenings.map(\.waitlisted))],
            axisLabels: axis, csvURL: csv("waitlist"), csvLabel: download, empty: empty)
        waitlist.columns[0] = t("insights.evening")

        let jobs = Chart.horizontal(
            id: "jobs", title: t("insights.jobs.title"), description: t("insights.jobs.description", count),
            header: (t("insights.jobFamily"), t("insights.people")),
            items: data.jobFamilies.map { (label: capitalized(Strings.jobFamily($0.family, language)), value: $0.count) },
            csvURL: csv("jobs"), csvLabel: download, empty: empty)

        let companies = Chart.horizontal(
            id: "companies", title: t("insights.companies.title"), description: t("insights.companies.description", ["top": String(NetworkStore.topCompanies)]),
            header: (t("insights.company"), t("insights.people")), items: data.companies.map { (label: $0.name, value: $0.count) },
            csvURL: csv("companies"), csvLabel: download, empty: empty)

        let heard = Chart.horizontal(
            id: "heard-from", title: t("insights.heardFrom.title"),
            description: t("insights.heardFrom.description", ["count": f.number(evenings.count), "unanswered": f.number(heardFrom.unanswered)]),
            header: (t("insights.heardFrom.source"), t("insights.registrations")),
            items: heardFrom.items.map { (label: Strings.heardFrom($0.source, language), value: $0.count) },
            csvURL: csv("heard-from"), csvLabel: download, empty: empty)

        let answers = data.scoreCounts.reduce(0, +)
        var scores = Chart.grouped(
            id: "scores", title: t("insights.scores.title"), description: t("insights.scores.description", ["answers": f.number(answers)]),
            categories: (0...10).map(String.init), series: [(t("insights.answers"), data.scoreCounts)],
            csvURL: csv("scores"), csvLabel: download, empty: empty)
        scores.columns[0] = t("insights.score")

        var contacts = Chart.grouped(
            id: "contacts", title: t("insights.contacts.title"), description: t("insights.contacts.description", count),
            categories: dates, series: [(t("insights.contacts"), evenings.map(\.contacts))],
            axisLabels: axis, csvURL: csv("contacts"), csvLabel: download, empty: empty)
        contacts.columns[0] = t("insights.evening")
        contacts.columns += [t("insights.came"), t("insights.perAttendee")]
        for index in contacts.rows.indices {
            contacts.rows[index].cells += [String(evenings[index].came), decimal(evenings[index].contactsPerAttendee, language)]
        }
        return [demand, attendance, newcomers, waitlist, jobs, companies, heard, scores, contacts]
    }
}
