import Foundation
import Hummingbird
import RendezvousDomain
import RendezvousPersistence

/// Insights over JSON (issue 15): a chapter's last evenings for its organisers, and the network
/// rolled up for admins. Counts only: never a person.
extension APIController {
    struct EveningInsightJSON: Encodable {
        var id: String; var title: String; var startsAt: String
        var expected: Int; var came: Int; var walkIns: Int; var noShowRate: Double?
        var newcomers: Int; var regulars: Int; var waitlisted: Int
        /// Cumulative registrations from 30 days before the evening (index 0) to the day itself
        /// (index 30): oldest to newest, as the page's chart, table and CSV read.
        var demand: [Int]
        var feedbackAnswers: Int; var averageScore: Double?; var contacts: Int; var contactsPerAttendee: Double?
    }
    struct CountJSON: Encodable { var name: String; var count: Int }
    struct ChapterInsightsJSON: Encodable {
        var chapter: String
        var evenings: [EveningInsightJSON]
        var jobFamilies: [CountJSON]
        var companies: [CountJSON]
        /// Feedback answers per score, index 0…10.
        var scoreCounts: [Int]
        /// Registrations per answer to "How did you hear about us?" (every code, zeros included).
        var heardFrom: [CountJSON]
        /// Registrations that did not say.
        var heardFromUnanswered: Int
    }
    struct ChapterRollupJSON: Encodable {
        var slug: String; var name: String; var countryCode: String
        var evenings: Int; var lastEvening: String?; var attendees: Int; var expected: Int
        var people: Int; var returning: Int; var returnRate: Double?
        var contacts: Int; var feedbackAnswers: Int; var averageScore: Double?
        var rotations: Int; var quizzes: Int
        /// active, dormant, struggling or new.
        var health: String
    }
    struct QuarterJSON: Encodable { var quarter: String; var evenings: Int; var people: Int }
    struct NetworkInsightsJSON: Encodable {
        var chapters: [ChapterRollupJSON]
        var quarters: [QuarterJSON]
    }

    @Sendable func showChapterInsights(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await organizedChapter(slug: try context.parameters.require("slug"), context: context)
        let data = try await services.persistence.network.chapterInsights(of: chapter.id, now: services.clock.now())
        let heardFrom = try await services.persistence.network.heardFrom(events: data.evenings.map(\.eventID))
        return JSONBody.response(status: .ok, ChapterInsightsJSON(
            chapter: chapter.slug,
            evenings: data.evenings.map { e in
                EveningInsightJSON(id: e.eventID.description, title: e.title, startsAt: ISO8601.format(e.startsAt, in: chapter.zone),
                                   expected: e.expected, came: e.came, walkIns: e.walkIns, noShowRate: e.noShowRate,
                                   newcomers: e.newcomers, regulars: e.regulars, waitlisted: e.waitlisted, demand: e.demand.reversed(),
                                   feedbackAnswers: e.answers, averageScore: e.averageScore, contacts: e.contacts, contactsPerAttendee: e.contactsPerAttendee)
            },
            jobFamilies: data.jobFamilies.map { CountJSON(name: $0.family.rawValue, count: $0.count) },
            companies: data.companies.map { CountJSON(name: $0.name, count: $0.count) },
            scoreCounts: data.scoreCounts,
            heardFrom: heardFrom.items.map { CountJSON(name: $0.source.rawValue, count: $0.count) },
            heardFromUnanswered: heardFrom.unanswered))
    }

    @Sendable func showNetworkInsights(_ request: Request, context: AppRequestContext) async throws -> Response {
        try requireNetworkAdmin(context)
        let now = services.clock.now()
        let rollup = try await services.persistence.network.networkRollup(now: now, maxAge: NetworkStore.rollupMaxAge)
        return JSONBody.response(status: .ok, NetworkInsightsJSON(
            chapters: rollup.chapters.map { c in
                ChapterRollupJSON(slug: c.chapter.slug, name: c.chapter.name, countryCode: c.chapter.countryCode, evenings: c.evenings,
                                  lastEvening: c.lastEvening.map { ISO8601.format($0, in: c.chapter.zone) }, attendees: c.attendees, expected: c.expected,
                                  people: c.people, returning: c.returning, returnRate: c.returnRate, contacts: c.contacts,
                                  feedbackAnswers: c.answers, averageScore: c.averageScore, rotations: c.rotations, quizzes: c.quizzes,
                                  health: c.health(now: now).rawValue)
            },
            quarters: rollup.quarters.map { QuarterJSON(quarter: $0.quarter, evenings: $0.evenings, people: $0.people) }))
    }
}
