import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RendezvousDomain
import RendezvousMail
@testable import RendezvousPersistence
@testable import RendezvousWeb
import SQLKit
import Testing

/// "Nobody is skipped" and "those who decline keep their place" (issue 15): a seat freed on the
/// first evening goes to the first in its queue even when they hold a second evening's offer. They
/// then hold both offers; accepting one gives up the other in the same transaction, so nobody ends
/// with two seats. The offer mail and the manage page say so.
@Suite("Overflow: a freed seat skips nobody")
struct OverflowFairnessTests {
    static func emails(_ db: Persistence, _ event: Event.ID, status: String) async throws -> [String] {
        try await OverflowTests.rows(db, [event]).filter { $0.status == status }.map(\.email)
    }

    /// Capacity 1, five registered (person0 seated, person1 … person4 waiting); a second evening of
    /// one seat offers it to person1. person0 cancels: the freed seat goes to person1 (first in line,
    /// an offer in hand), not to person2. Without the change, person2 gets it and person1 is skipped.
    /// Someone holding both offers when the second evening is cancelled is told: that offer is
    /// withdrawn, the first evening's stands with its deadline (an outside tester found these
    /// people got no mail at all, their second-evening link just saying "Cancelled").
    @Test(arguments: DatabaseKind.available)
    func holdingBothOffersWhenTheSecondEveningIsCancelledIsTold(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 1)
            var registered: [Registration] = []
            for index in 0..<4 { registered.append(try await db.registrations.register(Fixture.profile(index), for: event.id, now: Fixture.start).registration) }
            let people = registered
            let (second, _) = try await db.events.createOverflow(of: event.id, try OverflowTests.input(capacity: 1), now: Fixture.start)
            _ = try await db.registrations.cancel(people[0].id, token: people[0].manageToken, now: Fixture.start)
            #expect(try await OverflowTests.status(db, people[1].id) == .offered)
            _ = try await db.outbox.claimDueMessages(now: Fixture.start, limit: 100)
            _ = try await db.events.updateEvent(second.id, title: nil, description: nil, capacity: nil, status: .cancelled, now: Fixture.start)
            let items = try await db.outbox.claimDueMessages(now: Fixture.start, limit: 100)
            let subjects = try await OverflowTests.subjects(db, of: items, now: Fixture.start)
            let f = DisplayFormatter(language: .fr, timeZone: chapter.zone, region: chapter.countryCode)
            #expect(subjects[people[1].id] == ["Deuxième soirée du \(f.longDate(second.startsAt)) annulée\u{202F}: la place proposée le \(f.longDate(event.startsAt)) vous attend toujours"],
                    "\(subjects)")
            #expect(try await OverflowTests.status(db, people[1].id) == .offered, "the first evening's offer stands")
        }
    }

    /// Once the first evening is cancelled its queue is gone: a seat freed on the second evening
    /// goes to the second evening's own waitlist, not to someone still listed on the cancelled one
    /// (an outside tester saw person2 seated right after their "cancelled" mail while the second
    /// evening's first in line waited).
    @Test(arguments: DatabaseKind.available)
    func aCancelledOriginalsQueueIsNoLongerDrawn(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 1)
            var registered: [Registration] = []
            for index in 0..<4 { registered.append(try await db.registrations.register(Fixture.profile(index), for: event.id, now: Fixture.start).registration) }
            let people = registered
            let (second, _) = try await db.events.createOverflow(of: event.id, try OverflowTests.input(capacity: 1), now: Fixture.start)
            let offer1 = try #require(try await OverflowTests.offer(db, from: people[1].id))
            let direct = try await db.registrations.register(Fixture.profile(40), for: second.id, now: Fixture.start).registration
            #expect(direct.status == .waitlisted)
            _ = try await db.events.updateEvent(event.id, title: nil, description: nil, capacity: nil, status: .cancelled, now: Fixture.start)
            _ = try await db.registrations.decline(offer1.id, token: offer1.manageToken, now: Fixture.start)
            #expect(try await OverflowTests.status(db, direct.id) == .offered, "the second evening's own first in line")
            #expect(try await OverflowTests.offer(db, from: people[2].id) == nil, "nobody from the cancelled evening")
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aFreedSeatGoesToTheFirstInLineWhoHoldsBothOffers(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 1)
            var registered: [Registration] = []
            for index in 0..<5 { registered.append(try await db.registrations.register(Fixture.profile(index), for: event.id, now: Fixture.start).registration) }
            let people = registered
            let (second, opening) = try await db.events.createOverflow(of: event.id, try OverflowTests.input(capacity: 1), now: Fixture.start)
            #expect(opening == OverflowOpening(offered: 1, moved: 0))
            let offer1 = try #require(try await OverflowTests.offer(db, from: people[1].id))
            #expect(offer1.status == .offered)
            _ = try await db.outbox.claimDueMessages(now: Fixture.start, limit: 100)

            // The original's freed seat goes to person1, first in line: they now hold both offers.
            _ = try await db.registrations.cancel(people[0].id, token: people[0].manageToken, now: Fixture.start)
            #expect(try await OverflowTests.status(db, people[1].id) == .offered, "person1 is not skipped")
            #expect(try await OverflowTests.status(db, people[2].id) == .waitlisted)
            #expect(try await OverflowTests.status(db, offer1.id) == .offered, "the second evening's offer stands")
            #expect(try await OverflowTests.problems(db, original: event.id, second: second.id) == [])

            // The offer mail names the other offer; so does each manage page, above "Accept".
            let f = DisplayFormatter(language: .fr, timeZone: chapter.zone, region: chapter.countryCode)
            let composer = MessageComposer(persistence: db, baseURL: "https://rendezvous.test", from: .init(name: "Rendezvous", email: "noreply@rendezvous.test"))
            var offerText = ""
            for item in try await db.outbox.claimDueMessages(now: Fixture.start, limit: 100) where item.kind == .offer && item.registrationID == people[1].id {
                if case .message(let message) = try await composer.compose(item, now: Fixture.start) { offerText = message.text }
            }
            #expect(offerText.contains("Une place vous est aussi proposée le \(f.longDate(second.startsAt))"), "\(offerText)")
            let en = DisplayFormatter(language: .en, timeZone: chapter.zone, region: chapter.countryCode)
            try await app.application.test(.router) { client in
                let originalPage = try await client.execute(uri: "/manage/\(people[1].manageToken)", method: .get, headers: [.acceptLanguage: "en"])
                #expect(originalPage.text.contains("You also have a seat offered on \(en.longDate(second.startsAt))"), "\(originalPage.text)")
                let secondPage = try await client.execute(uri: "/manage/\(offer1.manageToken)", method: .get, headers: [.acceptLanguage: "en"])
                #expect(secondPage.text.contains("You also have a seat offered on \(en.longDate(event.startsAt))"))

                // person1 takes the original's seat: the second evening's offer is given up and passed on to person2.
                let accepted = try await client.execute(uri: "/manage/\(people[1].manageToken)/accept", method: .post, headers: [.acceptLanguage: "en"])
                #expect(accepted.status == .seeOther, "\(accepted.text)")
                #expect(try await OverflowTests.status(db, people[1].id) == .confirmed)
                #expect(try await OverflowTests.status(db, offer1.id) == .cancelled)
                #expect(try await OverflowTests.offer(db, from: people[2].id)?.status == .offered)
                let settled = try await client.execute(uri: "/manage/\(offer1.manageToken)", method: .get, headers: [.acceptLanguage: "en"])
                #expect(settled.text.contains("You took your seat on \(en.longDate(event.startsAt)), so this offer went to the next person in line."))
                // "Decline" on that page left open: no false "you declined", the page as it stands.
                let stale = try await client.execute(uri: "/manage/\(offer1.manageToken)/decline", method: .post, headers: [.acceptLanguage: "en"])
                #expect(stale.status == .seeOther)
                #expect(stale.headers[.location] == "/manage/\(offer1.manageToken)?done=offerSettled")
            }
            await #expect(throws: RegistrationActionError.noOpenOffer) {
                _ = try await db.registrations.accept(offer1.id, token: offer1.manageToken, now: Fixture.start)
            }
            #expect(try await OverflowTests.problems(db, original: event.id, second: second.id) == [])

            // person1 cancels after all: the seat goes to person2, who holds the second evening's offer.
            _ = try await db.registrations.cancel(people[1].id, token: people[1].manageToken, now: Fixture.start)
            #expect(try await OverflowTests.status(db, people[2].id) == .offered)
            // person2 declines the second evening: the original's offer is kept.
            let offer2 = try #require(try await OverflowTests.offer(db, from: people[2].id))
            _ = try await db.registrations.decline(offer2.id, token: offer2.manageToken, now: Fixture.start)
            #expect(try await OverflowTests.status(db, people[2].id) == .offered, "declining keeps the other offer")
            // The second evening's seat went to person3; person2 cancels and person3 is offered the original too,
            // then takes the second evening: the original's offer is given back and goes to person4.
            let offer3 = try #require(try await OverflowTests.offer(db, from: people[3].id))
            _ = try await db.registrations.cancel(people[2].id, token: people[2].manageToken, now: Fixture.start)
            #expect(try await OverflowTests.status(db, people[3].id) == .offered)
            _ = try await db.registrations.accept(offer3.id, token: offer3.manageToken, now: Fixture.start)
            #expect(try await OverflowTests.status(db, people[3].id) == .cancelled, "the original place released")
            #expect(try await OverflowTests.status(db, people[4].id) == .offered)
            #expect(try await Self.emails(db, second.id, status: "confirmed") == ["person3@example.org"])
            #expect(try await OverflowTests.problems(db, original: event.id, second: second.id) == [])
        }
    }

    /// An organiser confirms on the original someone who holds a second evening's offer: that offer
    /// is given up at once (not left to lapse) and its seat passed on.
    @Test(arguments: DatabaseKind.available)
    func aPromotionOnTheOriginalGivesUpTheSecondEveningsOffer(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { db in
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 1)
            let people = try await OverflowTests.waiting(db, event, count: 3)
            let (second, _) = try await db.events.createOverflow(of: event.id, try OverflowTests.input(capacity: 1), now: Fixture.start)
            let offer = try #require(try await OverflowTests.offer(db, from: people[0].id))
            _ = try await db.registrations.promote(people[0].id, in: event.id, now: Fixture.start)
            #expect(try await OverflowTests.status(db, offer.id) == .cancelled)
            #expect(try await OverflowTests.offer(db, from: people[1].id)?.status == .offered)
            #expect(try await OverflowTests.problems(db, original: event.id, second: second.id) == [])
        }
    }

    /// Twenty people hold both offers; each accepts both at once, twice, while others cancel. Each
    /// ends with exactly one confirmed seat, no offer left beside it, and the counters match the rows.
    /// Without `lockSecondEveningOffers` (the second evening's lock taken before the original's)
    /// PostgreSQL reports deadlocks; without `withdrawSecondEveningOffers` a confirmed seat keeps an
    /// open offer beside it.
    @Test(arguments: DatabaseKind.available)
    func acceptingBothOffersAtOnceSeatsOnce(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { db in
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 20)
            var registered: [Registration] = []
            for index in 0..<60 { registered.append(try await db.registrations.register(Fixture.profile(index), for: event.id, now: Fixture.start).registration) }
            let people = registered
            let (second, _) = try await db.events.createOverflow(of: event.id, try OverflowTests.input(capacity: 20), now: Fixture.start)
            // Twenty seated people cancel: their seats go to people[20…39], who hold the second evening's offers.
            for person in people.prefix(20) { _ = try await db.registrations.cancel(person.id, token: person.manageToken, now: Fixture.start) }
            var pairs: [(Registration, Registration)] = []
            for person in people[20..<40] {
                #expect(try await OverflowTests.status(db, person.id) == .offered)
                let offer = try #require(try await OverflowTests.offer(db, from: person.id))
                #expect(offer.status == .offered)
                pairs.append((person, offer))
            }
            let now = Fixture.start.addingTimeInterval(600)
            let failures = try await withThrowingTaskGroup(of: String?.self) { group in
                for (original, offer) in pairs {
                    for registration in [original, offer, offer, original] {
                        group.addTask {
                            do { _ = try await db.registrations.accept(registration.id, token: registration.manageToken, now: now); return nil }
                            catch let error as RegistrationActionError where error == .noOpenOffer { return nil }
                            catch { return "accept: \(String(reflecting: error))" }
                        }
                    }
                }
                for person in people[45..<55] {
                    group.addTask {
                        do { _ = try await db.registrations.cancel(person.id, token: person.manageToken, now: now); return nil }
                        catch { return "cancel: \(String(reflecting: error))" }
                    }
                }
                var failures: [String] = []
                for try await failure in group { if let failure { failures.append(failure) } }
                return failures
            }
            #expect(failures == [], "\(failures)")
            let seats = try await OverflowGuardTests.seatsPerEmail(db, [event.id, second.id])
            for (original, _) in pairs {
                #expect(seats[original.profile.normalizedEmail] == 1, "\(original.profile.email): \(seats[original.profile.normalizedEmail] ?? 0) seats")
            }
            let problems = try await OverflowTests.problems(db, original: event.id, second: second.id)
            #expect(problems == [], "\(problems)")
        }
    }
}

/// "Any date works for me" on a full evening whose second evening has a seat (issue 15: "is moved
/// directly"): moved in the registration's own transaction, the person is told once, of the seat
/// (the answer page and one confirmation mail; never "you are on the waitlist"), and integrators
/// hear of it once, as `registration.created` on the second evening, confirmed (never a
/// waitlisted place created and cancelled, in whatever order the deliveries go).
@Suite("Overflow: any date, moved at once, told once")
struct OverflowAnyDateTests {
    @Test(arguments: DatabaseKind.available)
    func anyDateIsToldOnceOfTheSeat(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            _ = try await db.webhooks.createEndpoint(chapter: chapter.id, url: "https://hooks.example.org/rendezvous", types: [], includeEmail: true, now: Fixture.start)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 1)
            _ = try await OverflowTests.waiting(db, event, count: 1)
            let (second, _) = try await db.events.createOverflow(of: event.id, try OverflowTests.input(capacity: 5), now: Fixture.start)
            let since = app.clock.now()
            _ = try await db.outbox.claimDueMessages(now: since.addingTimeInterval(3600), limit: 1000)
            try await db.sql.raw("DELETE FROM webhook_deliveries").run()
            try await app.application.test(.router) { client in
                // The form: the answer is the second evening's page, confirmed.
                let posted = try await client.execute(uri: "/events/\(event.id)/register", method: .post, headers: PageTests.formHeaders,
                                                      body: ByteBuffer(string: "firstName=Ana&lastName=Lopez&email=ana%40example.org&jobTitle=Dev&anyDate=on&acceptCodeOfConduct=on"))
                #expect(posted.status == .seeOther, "\(posted.text.prefix(400))")
                let location = try #require(posted.headers[.location])
                let seat = try #require(try await OverflowTests.rows(db, [second.id]).first { $0.email == "ana@example.org" })
                #expect(seat.status == "confirmed")
                let page = try await client.execute(uri: location, method: .get, headers: [.acceptLanguage: "en"])
                #expect(page.text.contains("<h1>You are registered</h1>") && page.text.contains("Your seat is confirmed for Deuxième soirée."))
                #expect(page.text.contains("Confirmed: your seat is reserved."))

                // The API: 201, confirmed, on the second evening.
                let body = #"{"firstName":"Bo","lastName":"Ek","email":"bo@example.org","jobTitle":"Dev","acceptCodeOfConduct":true,"anyDate":true}"#
                let created = try await client.execute(uri: "/api/v1/events/\(event.id)/registrations", method: .post,
                                                       headers: [.contentType: "application/json"], body: ByteBuffer(string: body))
                #expect(created.status == .created)
                let json = try created.json()
                #expect(json["status"] as? String == "confirmed" && json["eventId"] as? String == second.id.description, "\(created.text)")
            }
            // The mails: one confirmation each, naming the move; no waitlist mail.
            let composer = MessageComposer(persistence: db, baseURL: "https://rendezvous.test", from: .init(name: "Rendezvous", email: "noreply@rendezvous.test"))
            var told: [String] = []
            for item in try await db.outbox.claimDueMessages(now: since.addingTimeInterval(3600), limit: 1000) {
                guard case .message(let message) = try await composer.compose(item, now: since) else { continue }
                told.append("\(message.to.email) \(item.kind.rawValue) \(item.eventID == second.id ? "second" : "first")")
            }
            #expect(told.sorted() == ["ana@example.org confirmed second", "bo@example.org confirmed second"], "\(told)")
            // Integrators: one delivery each, created on the second evening, confirmed.
            struct Delivery: Decodable { var type: String; var body: String }
            var deliveries: [String] = []
            for delivery in try await db.sql.raw("SELECT type, body FROM webhook_deliveries").rows(Delivery.self) {
                let data = try #require((try JSONSerialization.jsonObject(with: Data(delivery.body.utf8)) as? [String: Any])?["data"] as? [String: Any])
                guard let email = data["email"] as? String, ["ana@example.org", "bo@example.org"].contains(email) else { continue }
                deliveries.append("\(email) \(delivery.type) \(data["status"] as? String ?? "") \(data["event_id"] as? String == second.id.description ? "second" : "first")")
            }
            #expect(deliveries.sorted() == ["ana@example.org registration.created confirmed second", "bo@example.org registration.created confirmed second"],
                    "\(deliveries)")
            #expect(try await OverflowTests.problems(db, original: event.id, second: second.id) == [])
        }
    }

    /// One batch (arrivals committed together): "any date" Ana, then Bo. Ana moves; Bo's answer gives
    /// his place as it is once hers was released (2nd, not 3rd), and the second evening's last seat
    /// is offered to him in his turn.
    @Test(arguments: DatabaseKind.available)
    func aBatchTellsThePlaceAsItIsAfterTheMove(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { db in
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 1)
            let waiting = try await OverflowTests.waiting(db, event, count: 1)
            let (second, _) = try await db.events.createOverflow(of: event.id, try OverflowTests.input(capacity: 3), now: Fixture.start)
            var ana = Fixture.profile(70)
            ana.anyDate = true
            let results = await db.registrations.registerBatch([RegistrationRequest(profile: ana, eventID: event.id, now: Fixture.start),
                                                                RegistrationRequest(profile: Fixture.profile(71), eventID: event.id, now: Fixture.start)])
            let moved = try results[0].get()
            #expect(moved.registration.eventID == second.id && moved.registration.status == .confirmed && moved.waitlistPosition == nil)
            let bo = try results[1].get()
            #expect(bo.registration.status == .waitlisted && bo.waitlistPosition == 2, "\(String(describing: bo.waitlistPosition))")
            #expect(try await db.registrations.waitlistPosition(of: try #require(try await db.registrations.registration(id: bo.registration.id))) == 2)
            #expect(try await OverflowTests.offer(db, from: waiting[0].id)?.status == .offered)
            #expect(try await OverflowTests.offer(db, from: bo.registration.id)?.status == .offered)
            #expect(try await OverflowTests.problems(db, original: event.id, second: second.id) == [])
        }
    }
}
