import Foundation
import HTTPTypes
import HummingbirdTesting
import RendezvousDomain
@testable import RendezvousPersistence
@testable import RendezvousWeb
import Testing

/// What people read after the first evening is cancelled while its second evening is open
/// (issue 15): the manage pages of the cancelled evening say so and point to the other evening;
/// a second evening's offer no longer promises a waitlist place that is gone; the public page
/// says "Cancelled" rather than how full it was; the "moved" mail does not speak of a waitlist.
@Suite("Cancelled evening: what its attendees read")
struct CancelledEveningPagesTests {
    typealias T = OverflowTests

    static func page(_ client: some TestClientProtocol, _ path: String, _ language: String) async throws -> String {
        let response = try await client.execute(uri: path, method: .get, headers: [.acceptLanguage: language])
        #expect(response.status == .ok, "\(path)")
        return response.text
    }

    @Test(arguments: DatabaseKind.available)
    func pagesOfACancelledFirstEveningAndItsSecondEveningOffersTellTheTruth(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db, offerHours: 48)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 2)
            let seated = try await db.registrations.register(Fixture.profile(998), for: event.id, now: Fixture.start).registration
            let leaving = try await db.registrations.register(Fixture.profile(999), for: event.id, now: Fixture.start).registration
            var people: [Registration] = []
            for index in 0..<4 {
                var profile = Fixture.profile(index)
                profile.anyDate = index == 2
                people.append(try await db.registrations.register(profile, for: event.id, now: Fixture.start).registration)
            }
            // The second evening (2 seats) offers them to 0 and 1; 2 ("any date") and 3 keep waiting on the first.
            let (second, _) = try await db.events.createOverflow(of: event.id, try T.input(capacity: 2), now: Fixture.start)
            let offer0 = try #require(try await T.offer(db, from: people[0].id))
            let offer1 = try #require(try await T.offer(db, from: people[1].id))
            #expect(offer0.status == .offered && offer1.status == .offered)
            // A seat frees on the first evening: offered to 0 there too.
            _ = try await db.registrations.cancel(leaving.id, token: leaving.manageToken, now: Fixture.start)
            #expect(try await T.status(db, people[0].id) == .offered)

            _ = try await db.outbox.claimDueMessages(now: Fixture.start, limit: 500)
            _ = try await db.events.updateEvent(event.id, title: nil, description: nil, capacity: nil, status: .cancelled, now: Fixture.start)
            #expect(try await T.status(db, people[0].id) == .expired, "the first evening's offer lapsed")
            // The cancellation mail of someone holding the second evening's offer: declining leaves nothing.
            let told = try await OverflowOriginCancelledTests.mails(db, try await db.outbox.claimDueMessages(now: Fixture.start, limit: 500),
                                                                    now: Fixture.start)
            let told1 = try #require(told["eventCancelled-person1@example.org"], "\(told.keys.sorted())")
            #expect(told1.text.contains("Si vous la refusez ou laissez passer le délai, vous n’aurez plus de place."), "\(told1.text)")
            #expect(try await T.status(db, people[2].id) == .cancelled, "moved to the second evening's waitlist")
            let moved2 = try #require(try await T.offer(db, from: people[2].id))
            #expect(moved2.status == .waitlisted)
            let tokens = people.map(\.manageToken)

            try await app.application.test(.router) { client in
                // 1. The second evening's offer: declining gives it up, nothing to fall back on.
                var text = try await Self.page(client, "/manage/\(offer1.manageToken)", "fr")
                #expect(text.contains("La soirée du dimanche 14 février 2027 est annulée\u{202F}: si vous refusez ou laissez passer le délai, vous renoncez à cette place et n’en aurez plus aucune."), "\(text)")
                #expect(!text.contains("vous gardez votre place"))
                text = try await Self.page(client, "/manage/\(offer1.manageToken)", "en")
                #expect(text.contains("The evening of Sunday, 14 February 2027 is cancelled: declining, or letting the offer run out, gives up this seat"), "\(text)")
                #expect(!text.contains("you keep your place"))

                // 2. The cancelled evening's own pages: cancelled, with its date; nothing to use or cancel; the other evening named.
                text = try await Self.page(client, "/manage/\(seated.manageToken)", "fr")
                #expect(text.contains("La soirée du dimanche 14 février 2027 est annulée\u{202F}: les organisateurs l’ont décommandée."), "\(text)")
                #expect(text.contains("La même rencontre a aussi lieu le mercredi 24 février 2027"), "\(text)")
                #expect(text.contains("href=\"/events/\(second.id)\"") && text.contains("S’inscrire pour le mercredi 24 février 2027"))
                #expect(!text.contains("Confirmée"), "\(text)")
                #expect(!text.contains("/manage/\(seated.manageToken)/ticket"))
                #expect(!text.contains("/manage/\(seated.manageToken)/cancel"))
                #expect(!text.contains("bingo"))
                text = try await Self.page(client, "/manage/\(seated.manageToken)", "en")
                #expect(text.contains("The evening of Sunday, 14 February 2027 is cancelled: the organisers called it off."), "\(text)")
                #expect(text.contains("Register for Wednesday, 24 February 2027"))

                text = try await Self.page(client, "/manage/\(tokens[3])", "fr")
                #expect(text.contains("La soirée du dimanche 14 février 2027 est annulée"), "\(text)")
                #expect(!text.contains("Quitter la liste d’attente") && !text.contains("numéro 1"), "\(text)")

                // 3. The offer that lapsed with the evening: not "passed to the next person"; their offer of the other evening named.
                text = try await Self.page(client, "/manage/\(tokens[0])", "fr")
                #expect(!text.contains("est passée à la personne suivante"), "\(text)")
                #expect(text.contains("La soirée du dimanche 14 février 2027 est annulée"))
                #expect(text.contains("Une place à l’autre soirée, le mercredi 24 février 2027"), "\(text)")
                #expect(text.contains("href=\"/manage/\(offer0.manageToken)\""))
                text = try await Self.page(client, "/manage/\(tokens[0])", "en")
                #expect(!text.contains("passed to the next person"), "\(text)")
                #expect(text.contains("A seat at the other evening, on Wednesday, 24 February 2027"), "\(text)")

                // Moved ("any date"): the page still says where they went, now with a link to their place there.
                text = try await Self.page(client, "/manage/\(tokens[2])", "fr")
                #expect(text.contains("vous êtes sur la liste d’attente de l’autre soirée"), "\(text)")
                #expect(text.contains("href=\"/manage/\(moved2.manageToken)\""), "\(text)")

                // 4. The public page: cancelled, not "full · 2 waiting".
                text = try await Self.page(client, "/events/\(event.id)", "fr")
                #expect(text.contains("class=\"seats off\" id=\"availability\">Annulée<"), "\(text)")
                #expect(!text.contains("en liste d’attente"))
                text = try await Self.page(client, "/events/\(event.id)", "en")
                #expect(text.contains("id=\"availability\">Cancelled<"))
            }

            // 1 (after): declining the second evening's seat leaves nothing, said so, with where to register.
            _ = try await db.registrations.decline(offer1.id, token: offer1.manageToken, now: Fixture.start)
            // … and letting the other one run out.
            app.clock.advance(by: 72 * 3600)
            _ = try await db.registrations.expireOffers(now: app.clock.now())
            // The "offer ran out" mail says the same.
            let expired = try await OverflowOriginCancelledTests.mails(db, try await db.outbox.claimDueMessages(now: app.clock.now(), limit: 500),
                                                                       now: app.clock.now())
            let expired0 = try #require(expired["offerExpired-person0@example.org"], "\(expired.keys.sorted())")
            #expect(expired0.text.contains("La soirée du dimanche 14 février 2027 étant annulée, vous n’avez plus de place."), "\(expired0.text)")
            #expect(!expired0.text.contains("passée à la personne suivante"))
            try await app.application.test(.router) { client in
                var text = try await Self.page(client, "/manage/\(offer1.manageToken)", "fr")
                #expect(text.contains("Vous avez refusé cette place à la deuxième soirée. La soirée du dimanche 14 février 2027 étant annulée, vous n’avez plus de place."), "\(text)")
                #expect(!text.contains("Vous gardez votre place") && !text.contains("numéro 1"))
                #expect(text.contains("href=\"/events/\(second.id)\"") && text.contains("S’inscrire pour le mercredi 24 février 2027"))
                text = try await Self.page(client, "/manage/\(offer1.manageToken)", "en")
                #expect(text.contains("You declined this seat on the second evening. The evening of Sunday, 14 February 2027 is cancelled, so you no longer have a place."), "\(text)")
                text = try await Self.page(client, "/manage/\(offer0.manageToken)", "fr")
                #expect(text.contains("Le délai de cette proposition de place à la deuxième soirée est passé. La soirée du dimanche 14 février 2027 étant annulée, vous n’avez plus de place."), "\(text)")
                text = try await Self.page(client, "/manage/\(offer0.manageToken)", "en")
                #expect(text.contains("This offer of a seat on the second evening ran out. The evening of Sunday, 14 February 2027 is cancelled, so you no longer have a place."), "\(text)")
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func theMovedMailSpeaksOfTheRegistrationNotOfAWaitlist(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db, offerHours: 48)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 1)
            _ = try await db.registrations.register(Fixture.profile(999), for: event.id, now: Fixture.start)
            var people: [Registration] = []
            for index in 0..<3 {
                var profile = Fixture.profile(index)
                profile.anyDate = index > 0
                if index == 2 { profile.language = .en }
                people.append(try await db.registrations.register(profile, for: event.id, now: Fixture.start).registration)
            }
            // One seat on the second evening: offered to 0; 1 and 2 ("any date") wait on the first and move at its cancellation.
            _ = try await db.events.createOverflow(of: event.id, try T.input(capacity: 1), now: Fixture.start)
            _ = try await db.outbox.claimDueMessages(now: Fixture.start, limit: 500)
            _ = try await db.events.updateEvent(event.id, title: nil, description: nil, capacity: nil, status: .cancelled, now: Fixture.start)
            let mails = try await OverflowOriginCancelledTests.mails(db, try await db.outbox.claimDueMessages(now: Fixture.start, limit: 500),
                                                                     now: Fixture.start)
            let fr = try #require(mails["waitlisted-person1@example.org"])
            #expect(fr.text.contains("Votre inscription à la soirée annulée est close."), "\(fr.text)")
            #expect(!fr.text.contains("liste d’attente de la soirée annulée"))
            let en = try #require(mails["waitlisted-person2@example.org"])
            #expect(en.text.contains("Your registration for the cancelled evening is closed."), "\(en.text)")
        }
    }
}
