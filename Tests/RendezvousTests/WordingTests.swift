import Foundation
import HummingbirdTesting
import RendezvousDomain
import RendezvousLocalization
@testable import RendezvousPersistence
@testable import RendezvousWeb
import Testing

/// Wording and numbers found in review (issue 15): one way to write a percentage in each language,
/// a forecast without confidence says so instead of a range of zeros, plurals for days.
@Suite("Wording: percentages, thin forecasts, days")
struct WordingTests {
    @Test func percentagesFollowEachLanguagesTypography() {
        #expect(DisplayFormatter.percent(0.07, .en) == "7%")
        #expect(DisplayFormatter.percent(0.07, .fr) == "7\u{202F}%")
        #expect(DisplayFormatter(language: .fr, timeZone: .gmt).percent(0.125) == "13\u{202F}%")
        #expect(InsightsCharts.percent(nil, .fr) == "—")
        #expect(Strings.plural("insights.daysBefore", count: 1, .en) == "1 day before")
        #expect(Strings.plural("insights.daysBefore", count: 7, .en) == "7 days before")
        #expect(Strings.plural("insights.daysBefore", count: 7, .fr) == "J-7")
    }

    /// One past evening: too little history for a likely range, and the panel says so (no "between 0 % and 0 %").
    @Test(arguments: DatabaseKind.available)
    func aForecastWithoutConfidenceSaysTheHistoryIsTooShort(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            try await OverbookingTests.pastEvening(db, chapter: chapter, daysAgo: 30, confirmed: 10, came: 8)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 10)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: [chapter.slug])
            try await app.application.test(.router) { client in
                let english = try await client.get("/organize/events/\(event.id)", as: organizer).text
                #expect(english.contains("Over 1 past evening (10 people with a seat), 20% did not come: too little history yet to say how many will not come."))
                #expect(!english.contains("likely between"))
                let french = try await client.get("/organize/events/\(event.id)", as: organizer, language: "fr").text
                #expect(french.contains("Sur 1 soirée passée (10 personnes avec une place), 20\u{202F}% ne sont pas venues\u{202F}: trop peu d’historique pour prévoir les absences."))
                #expect(!french.contains("probablement entre"))
            }
        }
    }
}
