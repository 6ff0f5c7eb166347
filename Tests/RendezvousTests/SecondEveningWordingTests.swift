import Foundation
import HTTPTypes
import HummingbirdTesting
import RendezvousDomain
import RendezvousMail
@testable import RendezvousPersistence
@testable import RendezvousWeb
import Testing

/// What people read about a second evening (the visual review of issue 15): an offer names the new
/// date; a seat declined or withdrawn says the place on the original's waitlist is kept, with a
/// link to it; cancelling the second evening sends each person who came from the queue one message
/// (its date, their place back on the original's list), and the organiser's confirmation says so.
@Suite("Second evening: what people read")
struct SecondEveningWordingTests {
    @Test(arguments: DatabaseKind.available)
    func offersDeclinesAndACancelledSecondEveningSayWherePeopleStand(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 1)
            // people[1] said any date works (moved); the three others are offered a seat; a direct registration waits.
            let people = try await OverflowTests.waiting(db, event, count: 4, anyDate: [1])
            try await db.sql.raw("UPDATE registrations SET language = 'en' WHERE id = \(bind: people[0].id.uuid)").run()
            let (second, _) = try await db.events.createOverflow(of: event.id, try OverflowTests.input(capacity: 4), now: Fixture.start)
            let direct = try await db.registrations.register(Fixture.profile(50), for: second.id, now: Fixture.start).registration
            let offer0 = try #require(try await OverflowTests.offer(db, from: people[0].id))
            let offer2 = try #require(try await OverflowTests.offer(db, from: people[2].id))
            let moved = try #require(try await OverflowTests.offer(db, from: people[1].id))
            let en = DisplayFormatter(language: .en, timeZone: chapter.zone, region: "FR")
            let fr = DisplayFormatter(language: .fr, timeZone: chapter.zone, region: "FR")
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: [chapter.slug])
            try await app.application.test(.router) { client in
                func page(_ token: String, _ language: String) async throws -> String {
                    try await client.execute(uri: PublicRoute.manage(token: token).path, method: .get, headers: [.acceptLanguage: language]).text
                }
                // An open offer: a new evening, not "a seat has freed up".
                let offered = try await page(offer0.manageToken, "en")
                #expect(offered.contains("A second evening has been opened on \(en.longDate(second.startsAt))"), "\(offered)")
                #expect(!offered.contains("A seat has freed up"))
                #expect(try await page(offer0.manageToken, "fr").contains("Une deuxième soirée a été ouverte le \(fr.longDate(second.startsAt))"))

                // The organiser's header counts the offers out; the confirmation names the second evening.
                let workspace = try await client.get("/organize/events/\(second.id)", as: organizer).text
                #expect(workspace.contains("1 / 4 · 3 seats offered, awaiting an answer · 1 on the waitlist"), "\(workspace)")
                let ask = try await client.post(OrganizeRoute.cancelEvent(second.id).path, as: organizer, [:])
                #expect(ask.text.contains("Cancel the second evening on \(en.longDate(second.startsAt))?"), "\(ask.text)")
                #expect(ask.text.contains("1 person goes back to the waitlist of \(en.longDate(event.startsAt))"))
                #expect(ask.text.contains("3 open offers are withdrawn"))

                // Declined: the place on the original is kept, and linked.
                _ = try await db.registrations.decline(offer2.id, token: offer2.manageToken, now: Fixture.start.addingTimeInterval(60))
                let declined = try await page(offer2.manageToken, "fr")
                #expect(declined.contains("Vous avez refusé cette place à la deuxième soirée. Vous gardez votre place dans la liste d’attente du \(fr.longDate(event.startsAt))"), "\(declined)")
                #expect(declined.contains("href=\"\(PublicRoute.manage(token: people[2].manageToken).path)\""))
                #expect(!declined.contains("Annulée."))
            }

            let later = Fixture.start.addingTimeInterval(600)
            _ = try await db.events.updateEvent(second.id, title: nil, description: nil, capacity: nil, status: .cancelled, now: later)
            try await app.application.test(.router) { client in
                let withdrawn = try await client.execute(uri: PublicRoute.manage(token: offer0.manageToken).path, method: .get, headers: [.acceptLanguage: "en"]).text
                #expect(withdrawn.contains("The second evening on \(en.longDate(second.startsAt)) has been cancelled, so this seat is withdrawn. You keep your place on the waitlist for \(en.longDate(event.startsAt)): number 1 in line."), "\(withdrawn)")
                #expect(withdrawn.contains("href=\"\(PublicRoute.manage(token: people[0].manageToken).path)\""))
            }

            // One message per person who came from the queue; the others are told the second evening is cancelled.
            let composer = MessageComposer(persistence: db, baseURL: "https://rendezvous.test", from: .init(name: "Rendezvous", email: "noreply@rendezvous.test"))
            var mails: [Registration.ID: [MailMessage]] = [:]
            for item in try await db.outbox.claimDueMessages(now: later.addingTimeInterval(3600), limit: 200) where item.createdAt >= later {
                guard let id = item.registrationID, case .message(let mail) = try await composer.compose(item, now: later) else { continue }
                mails[id, default: []].append(mail)
            }
            #expect(mails[offer0.id] == nil && mails[moved.id] == nil, "no second 'cancelled' mail for those who came from the queue")
            let kept = try #require(mails[people[0].id]?.first)
            #expect(mails[people[0].id]?.count == 1)
            #expect(kept.subject == "Second evening on \(en.longDate(second.startsAt)) cancelled: you keep your place on the waitlist for \(en.longDate(event.startsAt))")
            #expect(kept.text.contains("number 1 in line"))
            let back = try #require(mails[people[1].id]?.first)
            #expect(mails[people[1].id]?.count == 1)
            #expect(back.subject == "Deuxième soirée du \(fr.longDate(second.startsAt)) annulée\u{202F}: vous retrouvez votre place en liste d’attente du \(fr.longDate(event.startsAt))")
            let cancelled = try #require(mails[direct.id]?.first)
            #expect(cancelled.subject == "Annulée\u{202F}: Deuxième soirée, deuxième soirée du \(fr.longDate(second.startsAt))")
        }
    }
}

/// Forms the visual review found unclear: a series starting in the past, the confirmation after a
/// series, a second evening's form sent without a date.
@Suite("Organiser forms: one clear error, a confirmation")
struct OrganiserFormWordingTests {
    @Test(arguments: DatabaseKind.available)
    func aPastSeriesIsRefusedAndACreatedOneIsConfirmed(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 1)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            try await app.application.test(.router) { client in
                func post(_ uri: String, _ fields: [String: String], language: String = "en") async throws -> TestResponse {
                    var (headers, body) = organizer.form(fields, csrf: nil)
                    headers[.acceptLanguage] = language
                    return try await client.execute(uri: uri, method: .post, headers: headers, body: body)
                }
                var fields = ["title": "#LinkedInLocal Toulouse", "from": "2026-06-01", "startTime": "18:30", "hours": "3", "capacity": "70",
                              "count": "3", "pattern": "monthly3", "ordinal": "3", "weekday": "4"]
                let past = try await post("/organize/toulouse/series", fields)
                #expect(past.status == .unprocessableContent)
                #expect(past.text.contains("id=\"f-from-error\">Choose a date to come: this one has passed."), "\(past.text)")
                #expect(try await app.persistence.events.upcomingEvents(of: chapter.id, now: Fixture.start, includeDrafts: true).count == 1)
                fields["from"] = "2027-02-01"
                let made = try await post("/organize/toulouse/series", fields)
                #expect(made.headers[.location] == "/organize/toulouse?done=series&count=3")
                let dashboard = try await client.get("/organize/toulouse?done=series&count=3", as: organizer, language: "fr")
                #expect(dashboard.text.contains("<p class=\"ok-note\" role=\"status\">3 rencontres créées en brouillon\u{202F}: relisez-les, puis publiez chacune.</p>"))

                // A second evening without a date: one error, on the date, in French; the times and programme are not blamed.
                let overflow = try await post("/organize/events/\(event.id)/overflow", [
                    "title": "Rencontre trimestrielle", "date": "", "startTime": "18:30", "endTime": "21:30", "capacity": "3",
                    "agenda": "18:30 Accueil"], language: "fr")
                #expect(overflow.status == .unprocessableContent)
                #expect(overflow.text.contains("id=\"f-date-error\">Ce champ est obligatoire."), "\(overflow.text)")
                #expect(overflow.text.components(separatedBy: "class=\"error\"").count == 2, "one error: \(overflow.text)")
                #expect(!overflow.text.contains("2027-01-16T18:30"))
            }
        }
    }
}
