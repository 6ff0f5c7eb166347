import Foundation
import Mustache
import Hummingbird
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// The network's insights for admins (issue 15): the chapters rolled up by country, growth per
/// quarter, chapters that need attention (dormant, struggling) and what the chapters whose people
/// come back do. Every chart and table downloads as CSV.
extension AdminController {
    static let networkChartIDs = ["countries", "growth-evenings", "growth-people", "chapters", "best"]
    /// Chapters with fewer people than this are too small to rank by return rate.
    static let bestMinimumPeople = 10
    static let bestCount = 5
    static let shownChapters = 100

    @Sendable func networkInsights(_ request: Request, context: AppRequestContext) async throws -> Response {
        let now = services.clock.now()
        let rollup = try await services.persistence.network.networkRollup(now: now, maxAge: NetworkStore.rollupMaxAge)
        let built = Self.networkCharts(rollup, now: now, language: context.language)
        let attention = rollup.chapters.filter { [.dormant, .struggling].contains($0.health(now: now)) }
        return html(NetworkInsightsPage(
            chrome: try chrome(t("insights.network.title", context), context, path: AdminRoute.insights.path, wide: true),
            adminURL: AdminRoute.overview.path,
            summary: Self.networkSummary(rollup.chapters, language: context.language),
            charts: built.charts, chapters: built.chapters, best: built.best,
            attention: attention.map { item in
                NetworkInsightsPage.Attention(name: item.chapter.name, health: Self.healthLabel(item.health(now: now), context.language),
                                              detail: Self.healthDetail(item, now: now, language: context.language))
            },
            hasAttention: !attention.isEmpty,
            moreChapters: rollup.chapters.count > Self.shownChapters
                ? Strings.text("insights.network.moreChapters", context.language, ["shown": String(Self.shownChapters), "total": String(rollup.chapters.count)]) : nil),
            context)
    }

    @Sendable func networkInsightsCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let id = context.parameters.get("chart"), Self.networkChartIDs.contains(id) else { throw AppError.notFound }
        let now = services.clock.now()
        let rollup = try await services.persistence.network.networkRollup(now: now, maxAge: NetworkStore.rollupMaxAge)
        let built = Self.networkCharts(rollup, now: now, language: context.language, allChapters: true)
        guard let chart = (built.charts + [built.chapters, built.best]).first(where: { $0.id == id }) else { throw AppError.notFound }
        return DownloadName.csv(CSV.write(chart.csvRows), name: ["network", t("insights.fileName", context), chart.title])
    }

    static func healthLabel(_ health: ChapterHealth, _ language: Language) -> String {
        switch health {
        case .active: Strings.text("insights.health.active", language)
        case .dormant: Strings.text("insights.health.dormant", language)
        case .struggling: Strings.text("insights.health.struggling", language)
        case .new: Strings.text("insights.health.new", language)
        }
    }

    static func healthDetail(_ item: ChapterRollup, now: Date, language: Language) -> String {
        let f = DisplayFormatter(language: language, timeZone: item.chapter.zone, region: item.chapter.countryCode)
        switch item.health(now: now) {
        case .dormant:
            return item.lastEvening.map { Strings.text("insights.health.lastEvening", language, ["date": f.shortDate($0)]) }
                ?? Strings.text("insights.health.never", language)
        case .struggling:
            return Strings.text("insights.health.falling", language, ["recent": item.came.suffix(3).map(String.init).joined(separator: ", "),
                                                                         "before": item.came.dropLast(3).suffix(3).map(String.init).joined(separator: ", ")])
        case .active, .new: return ""
        }
    }

    static func networkSummary(_ chapters: [ChapterRollup], language: Language) -> [String] {
        let evenings = chapters.map(\.evenings).reduce(0, +), attendees = chapters.map(\.attendees).reduce(0, +)
        let people = chapters.map(\.people).reduce(0, +), returning = chapters.map(\.returning).reduce(0, +)
        let f = DisplayFormatter(language: language, timeZone: TimeZone(identifier: "UTC")!, region: nil)
        return [Strings.text("insights.network.summary", language, [
            "chapters": f.number(chapters.count), "countries": f.number(Set(chapters.map(\.chapter.countryCode)).count),
            "evenings": f.number(evenings), "attendees": f.number(attendees)]),
                Strings.text("insights.network.returnRate", language, ["percent": InsightsCharts.percent(people > 0 ? Double(returning) / Double(people) : nil, language)])]
    }

    static func networkCharts(_ rollup: (chapters: [ChapterRollup], quarters: [(quarter: String, evenings: Int, people: Int)]), now: Date,
                              language: Language, allChapters: Bool = false) -> (charts: [Chart], chapters: Chart, best: Chart) {
        func t(_ key: String, _ arguments: [String: String] = [:]) -> String { Strings.text(key, language, arguments) }
        func csv(_ id: String) -> String { AdminRoute.insightsCSV(chart: id).path }
        let download = t("insights.csv"), empty = t("insights.empty")
        let locale = Locale(identifier: language.rawValue)
        func country(_ code: String) -> String { locale.localizedString(forRegionCode: code.uppercased()) ?? code.uppercased() }
        func decimal(_ value: Double?) -> String { InsightsCharts.decimal(value, language) }

        let byCountry = Dictionary(grouping: rollup.chapters, by: \.chapter.countryCode)
            .map { (code: $0.key, chapters: $0.value) }
            .sorted { a, b in
                let x = a.chapters.map(\.attendees).reduce(0, +), y = b.chapters.map(\.attendees).reduce(0, +)
                return x != y ? x > y : a.code < b.code
            }
        var countries = Chart.horizontal(
            id: "countries", title: t("insights.network.countries.title"), description: t("insights.network.countries.description"),
            header: (t("insights.country"), t("insights.came")),
            items: byCountry.map { (label: country($0.code), value: $0.chapters.map(\.attendees).reduce(0, +)) },
            csvURL: csv("countries"), csvLabel: download, empty: empty)
        countries.columns += [t("insights.chapters"), t("insights.evenings"), t("insights.returnRate")]
        for (index, item) in byCountry.enumerated() {
            let people = item.chapters.map(\.people).reduce(0, +), returning = item.chapters.map(\.returning).reduce(0, +)
            countries.rows[index].cells += [String(item.chapters.count), String(item.chapters.map(\.evenings).reduce(0, +)),
                                            InsightsCharts.percent(people > 0 ? Double(returning) / Double(people) : nil, language)]
        }

        let quarters = rollup.quarters.suffix(8).map { (quarter: Quarter.display($0.quarter, language), evenings: $0.evenings, people: $0.people) }
        var growthEvenings = Chart.grouped(
            id: "growth-evenings", title: t("insights.network.growthEvenings.title"), description: t("insights.network.growthEvenings.description"),
            categories: quarters.map(\.quarter), series: [(t("insights.evenings"), quarters.map(\.evenings))],
            csvURL: csv("growth-evenings"), csvLabel: download, empty: empty)
        growthEvenings.columns[0] = t("insights.quarter")
        var growthPeople = Chart.grouped(
            id: "growth-people", title: t("insights.network.growthPeople.title"), description: t("insights.network.growthPeople.description"),
            categories: quarters.map(\.quarter), series: [(t("insights.came"), quarters.map(\.people))],
            csvURL: csv("growth-people"), csvLabel: download, empty: empty)
        growthPeople.columns[0] = t("insights.quarter")

        // Every chapter: a table (no chart), sorted by attendance.
        let sorted = rollup.chapters.sorted { $0.attendees != $1.attendees ? $0.attendees > $1.attendees : $0.chapter.name < $1.chapter.name }
        var chapters = Chart(id: "chapters", title: t("insights.network.chapters.title"), description: "", csvURL: csv("chapters"), csvLabel: download)
        chapters.columns = [t("insights.chapter"), t("insights.country"), t("insights.evenings"), t("insights.came"), t("insights.noShowRate"),
                            t("insights.returnRate"), t("insights.averageScore"), t("insights.contactsPerPerson"), t("insights.health")]
        chapters.rows = (allChapters ? sorted : Array(sorted.prefix(shownChapters))).map { item in
            Chart.Row(header: item.chapter.name, cells: [
                country(item.chapter.countryCode), String(item.evenings), String(item.attendees),
                InsightsCharts.percent(Attendance.noShowRate(expected: item.expected, showed: item.showed, came: item.attendees), language),
                InsightsCharts.percent(item.returnRate, language), decimal(item.averageScore),
                decimal(item.contactsPerAttendee), healthLabel(item.health(now: now), language)])
        }

        // What the best chapters do: those whose people come back most.
        let best = rollup.chapters.filter { $0.people >= bestMinimumPeople && $0.returnRate != nil }
            .sorted { ($0.returnRate ?? 0) != ($1.returnRate ?? 0) ? ($0.returnRate ?? 0) > ($1.returnRate ?? 0) : $0.chapter.name < $1.chapter.name }
            .prefix(bestCount)
        var bestChart = Chart.horizontal(
            id: "best", title: t("insights.network.best.title"),
            description: t("insights.network.best.description", ["minimum": String(bestMinimumPeople)]),
            header: (t("insights.chapter"), t("insights.returnRatePercent")),
            items: best.map { (label: $0.chapter.name, value: Int((($0.returnRate ?? 0) * 100).rounded())) },
            csvURL: csv("best"), csvLabel: download, empty: t("insights.network.best.empty", ["minimum": String(bestMinimumPeople)]))
        bestChart.columns += [t("insights.evenings"), t("insights.rotationsUsed"), t("insights.quizzesUsed"), t("insights.averageScore"), t("insights.contactsPerPerson")]
        for (index, item) in best.enumerated() {
            bestChart.rows[index].cells += [String(item.evenings), String(item.rotations), String(item.quizzes), decimal(item.averageScore),
                                            decimal(item.contactsPerAttendee)]
        }
        return ([countries, growthEvenings, growthPeople], chapters, bestChart)
    }
}

struct NetworkInsightsPage: Page {
    static let template = "admin/insights"
    struct Attention { var name: String; var health: String; var detail: String }
    var chrome: Chrome
    var adminURL: String
    var summary: [String]
    var charts: [Chart]
    var chapters: Chart
    var best: Chart
    var attention: [Attention]
    var hasAttention: Bool
    var moreChapters: String?
}

/// By name, not by reflection (as `InsightsPage`).
extension NetworkInsightsPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "chrome": chrome
        case "adminURL": adminURL
        case "summary": summary
        case "charts": charts
        case "chapters": chapters
        case "best": best
        case "attention": attention
        case "hasAttention": hasAttention
        case "moreChapters": moreChapters
        default: nil
        }
    }
}

extension NetworkInsightsPage.Attention: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "health": health
        case "detail": detail
        default: nil
        }
    }
}
