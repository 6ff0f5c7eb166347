import Foundation
import HTTPTypes
import HummingbirdTesting
import RendezvousDomain
import RendezvousMail
@testable import RendezvousPersistence
@testable import RendezvousWeb
import Testing

/// What a new organiser found walking the overbooking and second-evening pages on a phone
/// (issue 15): a refused room limit is said on its field with what was typed kept; the rule line
/// agrees with the room limit the form shows and its sum adds up; no "about 0 of the 0" on an
/// evening nobody has a seat at yet; turning overbooking off says the seats given stay; the
/// friendly note's button goes once everyone got it; "Decline" on a stale page says nothing
/// changed; a second evening's offer mail does not say a seat "freed up".
@Suite("Demand pages, as walked")
struct DemandWalkTests {
    @Test(arguments: DatabaseKind.available)
    func aRefusedRoomLimitIsSaidOnItsFieldAndKept(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            for week in 1...4 { try await OverbookingTests.pastEvening(db, chapter: chapter, daysAgo: Double(week * 30), confirmed: 20, came: 16) }
            let event = try await Fixture.event(db, chapter: chapter, capacity: 10)
            for index in 10..<23 { _ = try await db.registrations.register(Fixture.profile(index), for: event.id, now: Fixture.start) }
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: [chapter.slug])
            try await app.application.test(.router) { client in
                // Below the capacity: the reason on the field, the 5 typed and the box ticked still there.
                let low = try await client.post("/organize/events/\(event.id)/overbooking", as: organizer, ["overbooking": "on", "venueLimit": "5"])
                #expect(low.status == .unprocessableContent)
                #expect(low.text.contains("<p class=\"error\" id=\"f-venueLimit-error\">Give how many people the room holds"), "\(low.text)")
                #expect(low.text.contains("value=\"5\" aria-invalid=\"true\" aria-describedby=\"f-venueLimit-hint f-venueLimit-error\""))
                #expect(low.text.contains("id=\"f-overbooking\" name=\"overbooking\" value=\"on\" checked"))
                #expect(try await db.events.event(id: event.id)?.overbooking == false)

                #expect(try await client.post("/organize/events/\(event.id)/overbooking", as: organizer, ["overbooking": "on", "venueLimit": "11"]).status == .seeOther)
                // Below the 11 seats given: on the field too, the 10 typed kept; nothing stored.
                let below = try await client.post("/organize/events/\(event.id)/overbooking", as: organizer, ["overbooking": "on", "venueLimit": "10"])
                #expect(below.status == .unprocessableContent)
                #expect(below.text.contains("id=\"f-venueLimit-error\">11 people already have a seat: the room limit cannot be lower than that.</p>"), "\(below.text)")
                #expect(below.text.contains("value=\"10\" aria-invalid=\"true\""))
                #expect(try await db.events.event(id: event.id)?.venueLimit == 11)
                var (headers, body) = organizer.form(["overbooking": "on", "venueLimit": "10"])
                headers[.acceptLanguage] = "fr"
                let belowFR = try await client.execute(uri: "/organize/events/\(event.id)/overbooking", method: .post, headers: headers, body: body)
                #expect(belowFR.text.contains("id=\"f-venueLimit-error\">11 personnes ont déjà une place\u{202F}: la limite de la salle ne peut pas être plus basse.</p>"), "\(belowFR.text)")

                // Off: the seat given stays until freed, and the state line says so.
                #expect(try await client.post("/organize/events/\(event.id)/overbooking", as: organizer, ["venueLimit": "11"]).status == .seeOther)
                let off = try await client.get("/organize/events/\(event.id)", as: organizer).text
                #expect(off.contains("Overbooking is off: no new confirmation beyond the capacity. 1 extra seat already given stands until it is freed."), "\(off)")
                #expect(!off.contains("f-venueLimit-error"))

                // Everyone was sent the friendly note: said so, and no button that would send nothing.
                let before = try await client.get("/organize/events/\(event.id)", as: organizer).text
                #expect(before.contains("action=\"/organize/events/\(event.id)/attendance-check\""))
                #expect(try await client.post("/organize/events/\(event.id)/attendance-check", as: organizer).status == .seeOther)
                let after = try await client.get("/organize/events/\(event.id)", as: organizer).text
                #expect(after.contains("4 confirmed people did not come to two evenings before. The friendly note has already been sent to each of them."), "\(after)")
                #expect(!after.contains("action=\"/organize/events/\(event.id)/attendance-check\""))
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func theRuleLineAgreesWithTheRoomLimitShownAndNobodyExpectedIsNotSaid(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            for week in 1...4 { try await OverbookingTests.pastEvening(db, chapter: chapter, daysAgo: Double(week * 30), confirmed: 20, came: 16) }
            let venue = UUID()
            try await db.sql.raw("""
                INSERT INTO venues (id, chapter_id, name, address, city, capacity, created_at) VALUES
                (\(bind: venue), \(bind: chapter.id.uuid), 'La Cartoucherie', '1 rue X', 'Toulouse', 14, \(bind: Fixture.start))
                """).run()
            let event = try await Fixture.event(db, chapter: chapter, capacity: 10)
            try await db.sql.raw("UPDATE events SET venue_id = \(bind: venue) WHERE id = \(bind: event.id.uuid)").run()
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: [chapter.slug])
            try await app.application.test(.router) { client in
                let page = try await client.get("/organize/events/\(event.id)", as: organizer).text
                // The field starts from the venue's 14: the rule says what that gives, not "no room limit given".
                #expect(page.contains("name=\"venueLimit\" type=\"number\" min=\"1\" value=\"14\""))
                #expect(page.contains("10 × (1 + 13.7%) = 11; room limit 14: 1 extra seat."), "a new venue: the cautious end, to a tenth; \(page)")
                #expect(!page.contains("no room limit given yet"))
                // Nobody has a seat yet: no "Expected: about 0 of the 0 people confirmed".
                #expect(!page.contains("Expected: about"))
                _ = try await db.registrations.register(Fixture.profile(1), for: event.id, now: Fixture.start)
                let one = try await client.get("/organize/events/\(event.id)", as: organizer).text
                #expect(one.contains("Expected: about 1 of the 1 person confirmed."), "\(one)")
            }
        }
        // The rule's rate to a tenth, so "70 × (1 + 7.3%) = 75" adds up; whole rates stay whole.
        #expect(DemandController.ruleRate(0.0731, .en) == "7.3%")
        #expect(DemandController.ruleRate(0.0731, .fr) == "7,3\u{202F}%")
        #expect(DemandController.ruleRate(0.2, .en) == "20%")
        #expect(DemandController.ruleRate(0.2, .fr) == "20\u{202F}%")
    }

    /// A room limit corrected at the evening that gave it is corrected on the venue, so the next
    /// evening there starts from the corrected one; a limit the directory had is left alone.
    @Test(arguments: DatabaseKind.available)
    func aCorrectedRoomLimitIsCorrectedOnTheVenue(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            for week in 1...4 { try await OverbookingTests.pastEvening(db, chapter: chapter, daysAgo: Double(week * 30), confirmed: 20, came: 16) }
            let (hall, directory) = (UUID(), UUID())
            try await db.sql.raw("""
                INSERT INTO venues (id, chapter_id, name, address, city, created_at) VALUES
                (\(bind: hall), \(bind: chapter.id.uuid), 'La Cartoucherie', '1 rue X', 'Toulouse', \(bind: Fixture.start))
                """).run()
            try await db.sql.raw("""
                INSERT INTO venues (id, chapter_id, name, address, city, capacity, created_at) VALUES
                (\(bind: directory), \(bind: chapter.id.uuid), 'La Mêlée', '2 rue Y', 'Toulouse', 30, \(bind: Fixture.start))
                """).run()
            let first = try await Fixture.event(db, chapter: chapter, capacity: 10)
            let next = try await Fixture.event(db, chapter: chapter, capacity: 10, startsIn: 60)
            let elsewhere = try await Fixture.event(db, chapter: chapter, capacity: 10, startsIn: 30)
            try await db.sql.raw("UPDATE events SET venue_id = \(bind: hall) WHERE id IN (\(bind: first.id.uuid), \(bind: next.id.uuid))").run()
            try await db.sql.raw("UPDATE events SET venue_id = \(bind: directory) WHERE id = \(bind: elsewhere.id.uuid)").run()
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: [chapter.slug])
            try await app.application.test(.router) { client in
                for limit in ["14", "16"] {
                    let saved = try await client.post("/organize/events/\(first.id)/overbooking", as: organizer, ["overbooking": "on", "venueLimit": limit])
                    #expect(saved.status == .seeOther)
                }
                let nextPage = try await client.get("/organize/events/\(next.id)", as: organizer).text
                #expect(nextPage.contains("min=\"1\" value=\"16\""), "the corrected limit")
                for limit in ["25", "26"] {
                    let saved = try await client.post("/organize/events/\(elsewhere.id)/overbooking", as: organizer, ["overbooking": "on", "venueLimit": limit])
                    #expect(saved.status == .seeOther)
                }
            }
            struct Row: Decodable { var capacity: Int }
            let kept = try await db.sql.raw("SELECT capacity FROM venues WHERE id = \(bind: directory)").row(Row.self)
            #expect(kept?.capacity == 30, "the directory's own figure is not overwritten by one evening's")
        }
    }

    @Test(arguments: DatabaseKind.available)
    func acceptOrDeclineOnAStalePageSaysWhatStands(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 1)
            let first = try await db.registrations.register(Fixture.profile(1), for: event.id, now: Fixture.start).registration
            let second = try await db.registrations.register(Fixture.profile(2), for: event.id, now: Fixture.start).registration
            _ = try await db.registrations.cancel(first.id, token: first.manageToken, now: Fixture.start)
            #expect(try await db.registrations.registration(id: second.id)?.status == .offered)
            // Accepted in another tab; "Decline" pressed on the page left open.
            _ = try await db.registrations.accept(second.id, token: second.manageToken, now: Fixture.start)
            try await app.application.test(.router) { client in
                let stale = try await client.execute(uri: "/manage/\(second.manageToken)/decline", method: .post, headers: [.acceptLanguage: "fr"])
                #expect(stale.status == .seeOther)
                #expect(stale.headers[.location] == "/manage/\(second.manageToken)?done=offerSettled")
                let page = try await client.execute(uri: "/manage/\(second.manageToken)?done=offerSettled", method: .get, headers: [.acceptLanguage: "fr"])
                #expect(page.status == .ok)
                #expect(page.text.contains("Cette proposition n’est plus ouverte\u{202F}: rien n’a été changé."), "\(page.text)")
                let en = try await client.execute(uri: "/manage/\(second.manageToken)?done=offerSettled", method: .get, headers: [.acceptLanguage: "en"])
                #expect(en.text.contains("This offer is no longer open: nothing was changed."))
                // "Accept" pressed again: the seat is theirs, said as such (it was a 409 error page).
                let again = try await client.execute(uri: "/manage/\(second.manageToken)/accept", method: .post, headers: [.acceptLanguage: "en"])
                #expect(again.status == .seeOther)
                #expect(again.headers[.location] == "/manage/\(second.manageToken)?done=accepted")
                // "Accept" on the first person's page, whose registration was cancelled: nothing changed, said so.
                let cancelled = try await client.execute(uri: "/manage/\(first.manageToken)/accept", method: .post, headers: [.acceptLanguage: "en"])
                #expect(cancelled.headers[.location] == "/manage/\(first.manageToken)?done=offerSettled")
            }
            #expect(try await db.registrations.registration(id: second.id)?.status == .confirmed, "the seat taken stands")
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aSecondEveningOfferMailDoesNotSayASeatFreedUp(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 1)
            let people = try await OverflowTests.waiting(db, event, count: 2)
            try await db.sql.raw("UPDATE registrations SET language = 'en' WHERE id = \(bind: people[1].id.uuid)").run()
            let (second, _) = try await db.events.createOverflow(of: event.id, try OverflowTests.input(capacity: 2), now: Fixture.start)
            let composer = MessageComposer(persistence: db, baseURL: "https://rendezvous.test", from: .init(name: "Rendezvous", email: "noreply@rendezvous.test"))
            var texts: [String] = []
            for item in try await db.outbox.claimDueMessages(now: Fixture.start, limit: 100) where item.kind == .offer && item.eventID == second.id {
                if case .message(let message) = try await composer.compose(item, now: Fixture.start) { texts.append(message.text) }
            }
            #expect(texts.count == 2)
            let fr = try #require(texts.first { $0.contains("deuxième soirée") })
            let en = try #require(texts.first { $0.contains("second evening") })
            #expect(fr.contains("Une place y est à vous si vous l’acceptez avant le "), "\(fr)")
            #expect(!fr.contains("s’est libérée"))
            #expect(en.contains("A seat there is yours if you accept it before "), "\(en)")
            #expect(!en.contains("freed up"))
            #expect(en.contains("you keep your place on the waitlist of the first evening"))
        }
    }
}
