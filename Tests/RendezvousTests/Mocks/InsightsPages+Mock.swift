import Foundation
import RendezvousDomain
@testable import RendezvousWeb

// Insights (issue 15) with fixed values: a chapter's three evenings, the network, the public figures.

extension ChapterInsights {
    static var mock: ChapterInsights {
        let day = 86400.0, first = Date(timeIntervalSince1970: 1_795_000_000)
        let evenings = (0..<3).map { index in
            EveningInsight(eventID: .init(UUID(uuidString: "7A2D3B8F-4C8E-4D2B-8F66-1B2C3D4E5F6\(index)")!), title: "Rencontre \(index + 1)",
                           startsAt: first.addingTimeInterval(Double(index) * 30 * day), expected: 70 - index * 5, came: 58 - index * 3, walkIns: 2, showed: 56 - index * 3,
                           newcomers: 30 - index * 4, regulars: 28 + index, waitlisted: 12 + index * 6,
                           demand: (0...DemandCurve.days).map { max(0, 72 - index * 4 - $0 * (3 - index)) },
                           answers: 20 + index, averageScore: 8.2 + Double(index) / 10, contacts: 40 + index * 12)
        }
        return ChapterInsights(
            evenings: evenings,
            jobFamilies: [(.engineering, 40), (.marketing, 30), (.leadership, 25), (.consulting, 20), (.other, 10)],
            companies: [(name: "Airbus", count: 12), (name: "=cmd()", count: 3), (name: "Indépendante", count: 9)],
            scoreCounts: [0, 0, 1, 0, 2, 3, 4, 8, 15, 14, 16])
    }
}

extension InsightsPage {
    static let mock: InsightsPage = {
        let data = ChapterInsights.mock
        let summary = InsightsCharts.summary(data, language: .en)
        return InsightsPage(chrome: .organizer("Insights", path: OrganizeRoute.insights(slug: Mock.slug).path), name: Mock.chapter.name,
                            dashboardURL: OrganizeRoute.dashboard(slug: Mock.slug).path, intro: "Your chapter’s last 3 evenings, in numbers.",
                            summary: summary, hasSummary: true, charts: InsightsCharts.chapter(
                                data, heardFrom: HeardFromCounts(counts: [.linkedin: 41, .friendOrColleague: 28, .chapterMail: 17, .search: 3, .other: 2], unanswered: 96),
                                chapter: Mock.chapter, language: .en))
    }()
}

extension NetworkInsightsPage {
    static let mock: NetworkInsightsPage = {
        let now = Date(timeIntervalSince1970: 1_800_000_000), day = 86400.0
        let lyon = Chapter(slug: "lyon", name: "#LinkedInLocal Lyon", city: "Lyon", countryCode: "FR", timeZone: "Europe/Paris", locale: .fr,
                           createdAt: now.addingTimeInterval(-400 * day))
        let chapters = [
            ChapterRollup(chapter: Mock.chapter, evenings: 8, lastEvening: now.addingTimeInterval(-20 * day), came: [60, 62, 58, 64, 66, 61, 63, 65],
                          expected: 560, showed: 499, people: 300, returning: 120, contacts: 400, answers: 180, scoreSum: 1520, rotations: 6, quizzes: 3),
            ChapterRollup(chapter: lyon, evenings: 2, lastEvening: now.addingTimeInterval(-250 * day), came: [30, 25],
                          expected: 70, showed: 55, people: 50, returning: 5, contacts: 10, answers: 8, scoreSum: 56, rotations: 0, quizzes: 0),
        ]
        let rollup = (chapters: chapters, quarters: [(quarter: "2026 Q3", evenings: 3, people: 150), (quarter: "2026 Q4", evenings: 4, people: 210)])
        let built = AdminController.networkCharts(rollup, now: now, language: .en)
        return NetworkInsightsPage(
            chrome: .admin("Network insights", path: AdminRoute.insights.path), adminURL: AdminRoute.overview.path,
            summary: AdminController.networkSummary(chapters, language: .en), charts: built.charts, chapters: built.chapters, best: built.best,
            attention: [.init(name: lyon.name, health: "Dormant", detail: AdminController.healthDetail(chapters[1], now: now, language: .en))],
            hasAttention: true, moreChapters: nil)
    }()
}

extension NetworkPage {
    static let mock = NetworkPage(
        chrome: Chrome(title: "The network in numbers", language: .en, path: PublicRoute.network.path), homeURL: PublicRoute.home.path,
        applyURL: PublicRoute.apply.path,
        figures: [.init(value: "1,000", label: "chapters"), .init(value: "42", label: "countries"), .init(value: "40,000", label: "evenings held"),
                  .init(value: "1,200,000", label: "contacts exchanged between people who met")])
}
