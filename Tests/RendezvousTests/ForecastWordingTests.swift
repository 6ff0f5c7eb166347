import Foundation
import HTTPTypes
import HummingbirdTesting
import RendezvousDomain
@testable import RendezvousPersistence
@testable import RendezvousWeb
import SQLKit
import Testing

/// How sure the no-show forecast is (issue 15) is said one way, by `ForecastWording.howSure`, on
/// the chapter's dashboard and on an evening's demand panel, in French and English; nothing else on
/// those pages says how sure it is in other words.
@Suite("How sure the forecast is")
struct ForecastWordingTests {
    static let otherWordings = ["less sure", "not sure yet", "moins sûre", "pas encore sûre"]

    @Test func everyLevelHasItsReason() {
        func forecast(_ confidence: NoShowForecast.Confidence, venueChanged: Bool = false) -> NoShowForecast {
            var forecast = NoShowForecast.unknown
            forecast.confidence = confidence
            forecast.venueChanged = venueChanged
            return forecast
        }
        #expect(ForecastWording.howSure(forecast(.none), .en)
                == "How sure: not enough history to forecast (2 evenings with check-ins and 30 people are needed; no overbooking until then).")
        #expect(ForecastWording.howSure(forecast(.low), .en) == "How sure: not very (fewer than 4 evenings with check-ins).")
        #expect(ForecastWording.howSure(forecast(.medium), .en) == "How sure: fairly (fewer than 8 evenings or 300 people).")
        #expect(ForecastWording.howSure(forecast(.high), .en) == "How sure: quite (8 evenings or more, with 300 people or more).")
        #expect(ForecastWording.howSure(forecast(.low, venueChanged: true), .en)
                == "How sure: not very (this venue is new to the chapter’s history, which lowers it a step).")
        #expect(ForecastWording.howSure(forecast(.medium), .fr) == "Fiabilité\u{202F}: correcte (moins de 8 soirées ou de 300 personnes).")
        #expect(ForecastWording.howSure(forecast(.none), .fr)
                == "Fiabilité\u{202F}: historique insuffisant pour prévoir (il faut 2 soirées avec des arrivées enregistrées et 30 personnes\u{202F}; pas de surréservation d’ici là).")
        #expect(ForecastWording.howSure(forecast(.medium, venueChanged: true), .fr)
                == "Fiabilité\u{202F}: correcte (ce lieu est nouveau dans l’historique de la ville, ce qui la baisse d’un cran).")
    }

    @Test(arguments: DatabaseKind.available)
    func theDashboardAndTheEveningSayItAlike(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            // Four past evenings of 20 at the chapter's usual venue: fairly sure.
            for month in 1...4 { try await OverbookingTests.pastEvening(db, chapter: chapter, daysAgo: Double(month * 30), confirmed: 20, came: 16) }
            let event = try await Fixture.event(db, chapter: chapter, capacity: 10)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: [chapter.slug])
            try await app.application.test(.router) { client in
                for (language, sentence) in [("en", "How sure: fairly (fewer than 8 evenings or 300 people)."),
                                             ("fr", "Fiabilité\u{202F}: correcte (moins de 8 soirées ou de 300 personnes).")] {
                    let dashboard = try await client.get("/organize/\(chapter.slug)", as: organizer, language: language).text
                    let evening = try await client.get("/organize/events/\(event.id)", as: organizer, language: language).text
                    #expect(dashboard.contains(sentence), "\(language) dashboard")
                    #expect(evening.contains(sentence), "\(language) evening")
                    for page in [dashboard, evening] { #expect(Self.otherWordings.allSatisfy { !page.contains($0) }) }
                }

                // The evening moves to a venue new to the chapter: a step less sure, said the same way, with why;
                // the overbooking rule takes the cautious end without saying how sure again.
                let venue = UUID()
                try await db.sql.raw("""
                    INSERT INTO venues (id, chapter_id, name, address, city, created_at) VALUES
                    (\(bind: venue), \(bind: chapter.id.uuid), 'Le Quai des Savoirs', '39 allées Jules Guesde', 'Toulouse', \(bind: Fixture.start))
                    """).run()
                try await db.sql.raw("UPDATE events SET venue_id = \(bind: venue) WHERE id = \(bind: event.id.uuid)").run()
                let moved = try await client.get("/organize/events/\(event.id)", as: organizer).text
                #expect(moved.contains("How sure: not very (this venue is new to the chapter’s history, which lowers it a step)."))
                #expect(moved.contains("The rate used is the cautious end of the likely range."))
                #expect(Self.otherWordings.allSatisfy { !moved.contains($0) })
                #expect(moved.components(separatedBy: "How sure:").count == 2, "said once")
            }
        }
    }
}
