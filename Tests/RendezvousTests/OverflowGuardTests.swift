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

/// An outside tester's defects in the second-evening flow (issue 15: "exact under concurrency like
/// everything else: no one ends up with two seats, nobody is skipped"): one open second evening per
/// evening, an offer taken once, a cancelled second evening's offers withdrawn, the API's dates
/// checked like the form's, and the dashboard telling that a second evening is already open.
@Suite("Overflow: guards found by an outside tester")
struct OverflowGuardTests {
    /// How many registrations hold a seat (confirmed or offered) per email, over `events`.
    static func seatsPerEmail(_ db: Persistence, _ events: [Event.ID], statuses: [String] = ["confirmed"]) async throws -> [String: Int] {
        try await OverflowTests.rows(db, events).filter { statuses.contains($0.status) }.reduce(into: [:]) { $0[$1.email, default: 0] += 1 }
    }

    /// Five requests at once (a resubmitted form, a double click, a script): one second evening is
    /// opened, the four others are refused naming it, and each waiting person gets one offer.
    /// Without the check under the original's lock in `createOverflow`, five are opened.
    @Test(arguments: DatabaseKind.available)
    func aSecondEveningIsOpenedOnceUnderParallelRequests(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { db in
            let chapter = try await Fixture.chapter(db)
            for round in 0..<3 {
                let event = try await Fixture.event(db, chapter: chapter, capacity: 1, title: "Rencontre \(round)")
                let people = try await OverflowTests.waiting(db, event, count: 10, from: round * 100, anyDate: [4])
                let input = try OverflowTests.input(capacity: 20)
                let results = await withTaskGroup(of: Result<Event.ID, any Error>.self) { group in
                    for _ in 0..<5 {
                        group.addTask {
                            do { return .success(try await db.events.createOverflow(of: event.id, input, now: Fixture.start).0.id) }
                            catch { return .failure(error) }
                        }
                    }
                    var all: [Result<Event.ID, any Error>] = []
                    for await result in group { all.append(result) }
                    return all
                }
                let opened = results.compactMap { try? $0.get() }
                #expect(opened.count == 1, "round \(round): \(results)")
                let open = try #require(opened.first)
                for case .failure(let error) in results {
                    #expect(error as? OverflowError == .alreadyOpen(open), "round \(round): \(error)")
                }
                let siblings = try await db.sql.raw("SELECT id FROM events WHERE overflow_of = \(bind: event.id.uuid)").all()
                #expect(siblings.count == 1, "round \(round): no draft left behind either")
                for person in people {
                    let copies = try await db.sql.raw("SELECT id FROM registrations WHERE origin_registration_id = \(bind: person.id.uuid)").all()
                    #expect(copies.count == 1, "round \(round): \(person.profile.email) got \(copies.count) offers")
                }
                let problems = try await OverflowTests.problems(db, original: event.id, second: open)
                #expect(problems == [], "round \(round): \(problems)")
                #expect(try await db.events.openOverflow(of: event.id, now: Fixture.start)?.id == open)
            }
        }
    }

    /// The web form and the API refuse a second one clearly (the form leads to the open one, the
    /// API answers 409); the API checks a second evening's date and capacity like the form (422
    /// naming the field); the dashboard says the second evening is open with its pending offers
    /// instead of asking again; once it is cancelled, a new one may be opened.
    @Test(arguments: DatabaseKind.available)
    func aSecondRequestIsRefusedAndTheDashboardSaysItIsOpen(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            try await db.sql.raw("UPDATE chapters SET waitlist_threshold = 3 WHERE id = \(bind: chapter.id.uuid)").run()
            let event = try await Fixture.event(db, chapter: chapter, capacity: 1)
            _ = try await OverflowTests.waiting(db, event, count: 5)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: [chapter.slug])
            let token = try await db.accounts.issueToken(for: organizer.user.id, now: app.clock.now())
            let auth: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
            @Sendable func body(_ startsAt: Date, capacity: String = "3") -> ByteBuffer {
                ByteBuffer(string: #"{"title":"Deuxième soirée","startsAt":"\#(ISO8601.format(startsAt))","endsAt":"\#(ISO8601.format(startsAt.addingTimeInterval(3600)))","capacity":\#(capacity)}"#)
            }
            let later = app.clock.now().addingTimeInterval(40 * 86400)
            try await app.application.test(.router) { client in
                let dashboardBefore = try await client.get("/organize/\(chapter.slug)", as: organizer)
                #expect(dashboardBefore.text.contains("5 people are waiting: open a second evening?"))

                // A date in the past (2020) and capacities out of bounds: 422 naming the field, nothing created.
                let past = try await client.execute(uri: "/api/v1/events/\(event.id)/overflow", method: .post, headers: auth,
                                                    body: body(Date(timeIntervalSince1970: 1_590_000_000)))
                #expect(past.status == .unprocessableContent, "\(past.text)")
                #expect(past.text.contains("startsAt"), "\(past.text)")
                for capacity in ["0", "100000000"] {
                    let bad = try await client.execute(uri: "/api/v1/events/\(event.id)/overflow", method: .post, headers: auth, body: body(later, capacity: capacity))
                    #expect(bad.status == .unprocessableContent && bad.text.contains("capacity"), "\(capacity): \(bad.text)")
                }
                #expect(try await db.events.overflowEvents(of: event.id).isEmpty)

                let created = try await client.execute(uri: "/api/v1/events/\(event.id)/overflow", method: .post, headers: auth, body: body(later))
                #expect(created.status == .created, "\(created.text)")
                let second = try #require(try await db.events.overflowEvents(of: event.id).first)
                let again = try await client.execute(uri: "/api/v1/events/\(event.id)/overflow", method: .post, headers: auth, body: body(later))
                #expect(again.status == .conflict, "\(again.text)")
                #expect(again.text.contains("already open"), "\(again.text)")
                let demand = try await client.execute(uri: "/api/v1/events/\(event.id)/demand", method: .get, headers: auth)
                #expect(demand.text.contains("\"suggestsOverflow\":false") && demand.text.contains("\"open\":true"), "\(demand.text)")

                // The form (shown or resubmitted) leads to the open one, with the reason.
                let form = try await client.get("/organize/events/\(event.id)/overflow", as: organizer)
                #expect(form.status == .seeOther && form.headers[.location] == "/organize/events/\(second.id)?done=overflowExists")
                let resubmitted = try await client.post("/organize/events/\(event.id)/overflow", as: organizer, [
                    "title": "Rencontre trimestrielle", "date": "2027-02-21", "startTime": "18:30", "endTime": "21:30", "capacity": "3",
                ])
                #expect(resubmitted.status == .seeOther && resubmitted.headers[.location] == "/organize/events/\(second.id)?done=overflowExists")
                let shown = try await client.get("/organize/events/\(second.id)?done=overflowExists", as: organizer)
                #expect(shown.text.contains("A second evening is already open for this meetup"), "\(shown.text.prefix(300))")
                #expect(try await db.events.overflowEvents(of: event.id).count == 1)

                // The dashboard and the workspace: open, with its pending offers; no second prompt.
                let dashboard = try await client.get("/organize/\(chapter.slug)", as: organizer)
                #expect(!dashboard.text.contains("people are waiting: open a second evening?"))
                #expect(dashboard.text.contains("offers awaiting an answer"), "\(dashboard.text)")
                #expect(dashboard.text.contains("href=\"/organize/events/\(second.id)\""))
                let workspace = try await client.get("/organize/events/\(event.id)", as: organizer)
                #expect(!workspace.text.contains("open a second evening?"))

                // Cancelled: another may be opened.
                _ = try await db.events.updateEvent(second.id, title: nil, description: nil, capacity: nil, status: .cancelled, now: app.clock.now())
                let reopened = try await client.execute(uri: "/api/v1/events/\(event.id)/overflow", method: .post, headers: auth, body: body(later))
                #expect(reopened.status == .created, "\(reopened.text)")
            }
        }
    }

    /// Two second evenings (opened before the one-open rule, or one cancelled and reopened by hand)
    /// offer a seat to the same people; each accepts both at once. Exactly one acceptance stands per
    /// person, the other answers "no longer available", and the counters match. Without the check
    /// in `releaseOrigin` (their place already went to the other second evening), both stand.
    @Test(arguments: DatabaseKind.available)
    func acceptingOffersOfTwoSecondEveningsAtOnceSeatsOnce(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { db in
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 1)
            let people = try await OverflowTests.waiting(db, event, count: 8)
            let (first, _) = try await db.events.createOverflow(of: event.id, try OverflowTests.input(capacity: 8), now: Fixture.start)
            try await db.sql.raw("UPDATE events SET status = 'cancelled' WHERE id = \(bind: first.id.uuid)").run()
            let (second, _) = try await db.events.createOverflow(of: event.id, try OverflowTests.input(daysAfter: 50, capacity: 8), now: Fixture.start)
            try await db.sql.raw("UPDATE events SET status = 'published' WHERE id = \(bind: first.id.uuid)").run()
            struct Offer: Decodable { var id: UUID; var eventId: UUID }
            let now = Fixture.start.addingTimeInterval(600)
            let outcomes = try await withThrowingTaskGroup(of: (String, Bool).self) { group in
                for person in people {
                    let offers = try await db.sql.raw("""
                        SELECT id, event_id FROM registrations WHERE origin_registration_id = \(bind: person.id.uuid) AND status = 'offered'
                        """).rows(Offer.self)
                    #expect(offers.count == 2, "\(person.profile.email): one offer from each second evening")
                    for offer in offers {
                        let token = try await OverflowTests.token(db, .init(offer.id))
                        group.addTask {
                            do { _ = try await db.registrations.accept(.init(offer.id), token: token, now: now); return (person.profile.email, true) }
                            catch let error as RegistrationActionError where error == .noOpenOffer { return (person.profile.email, false) }
                        }
                    }
                }
                var outcomes: [String: [Bool]] = [:]
                for try await (email, accepted) in group { outcomes[email, default: []].append(accepted) }
                return outcomes
            }
            for person in people {
                #expect(outcomes[person.profile.email]?.map { $0 ? 1 : 0 }.sorted() == [0, 1], "\(person.profile.email): \(outcomes[person.profile.email] ?? [])")
            }
            let seats = try await Self.seatsPerEmail(db, [event.id, first.id, second.id], statuses: ["confirmed", "offered", "waitlisted"])
            for person in people { #expect(seats[person.profile.email] == 1, "\(person.profile.email) holds \(seats[person.profile.email] ?? 0)") }
            for sibling in [first.id, second.id] {
                let problems = try await OverflowTests.problems(db, original: event.id, second: sibling)
                #expect(problems == [], "\(problems)")
            }
        }
    }

    /// A second evening with offers out is cancelled: its offers are withdrawn (the people keep
    /// their place in the original's queue, told so by mail in their language, not told "your
    /// evening is cancelled"); the person moved there gets their place back. Accepting a withdrawn
    /// offer is refused. Then, in parallel with the cancellation, people accept their offers: each
    /// ends with exactly one place, on the original, and nobody is confirmed at the cancelled evening.
    @Test(arguments: DatabaseKind.available)
    func cancellingASecondEveningWithdrawsItsOffers(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { db in
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 1)
            var people = try await OverflowTests.waiting(db, event, count: 4, anyDate: [1])
            try await db.sql.raw("UPDATE registrations SET language = 'en' WHERE id = \(bind: people[0].id.uuid)").run()
            let (second, opening) = try await db.events.createOverflow(of: event.id, try OverflowTests.input(capacity: 3), now: Fixture.start)
            #expect(opening.offered == 2 && opening.moved == 1)
            let offers = [try #require(try await OverflowTests.offer(db, from: people[0].id)), try #require(try await OverflowTests.offer(db, from: people[2].id))]
            let later = Fixture.start.addingTimeInterval(600)
            _ = try await db.events.updateEvent(second.id, title: nil, description: nil, capacity: nil, status: .cancelled, now: later)
            for (index, offer) in zip([0, 2], offers) {
                #expect(try await OverflowTests.status(db, offer.id) == .cancelled, "offer \(index) withdrawn")
                #expect(try await OverflowTests.status(db, people[index].id) == .waitlisted, "\(index) keeps the place")
                await #expect(throws: RegistrationActionError.noOpenOffer) {
                    _ = try await db.registrations.accept(offer.id, token: offer.manageToken, now: later)
                }
            }
            #expect(try await OverflowTests.status(db, people[1].id) == .waitlisted, "the moved person is back")
            people[0] = try #require(try await db.registrations.registration(id: people[0].id))
            #expect(try await db.registrations.waitlistPosition(of: people[0]) == 1)
            let problems = try await OverflowTests.problems(db, original: event.id, second: second.id)
            #expect(problems == [], "\(problems)")

            let due = try await db.outbox.claimDueMessages(now: later.addingTimeInterval(3600))
            let subjects = try await OverflowTests.subjects(db, of: due.filter { $0.payload["withdrawn"] == "1" || $0.kind == .eventCancelled }, now: later)
            #expect(subjects[people[0].id]?.count == 1 && subjects[people[0].id]?[0].contains("you keep your place on the waitlist") == true, "\(subjects)")
            #expect(subjects[people[2].id]?.count == 1 && subjects[people[2].id]?[0].contains("vous gardez votre place en liste d’attente") == true, "\(subjects)")
            #expect(subjects[offers[0].id] == nil && subjects[offers[1].id] == nil, "no 'your evening is cancelled' for a withdrawn offer")

            // In parallel: the cancellation and the acceptances.
            for round in 0..<3 {
                let event = try await Fixture.event(db, chapter: chapter, capacity: 1, title: "Rencontre \(round)")
                let people = try await OverflowTests.waiting(db, event, count: 10, from: (round + 1) * 100)
                let (second, _) = try await db.events.createOverflow(of: event.id, try OverflowTests.input(capacity: 10), now: Fixture.start)
                var offers: [Registration] = []
                for person in people { offers.append(try #require(try await OverflowTests.offer(db, from: person.id))) }
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { _ = try? await db.events.updateEvent(second.id, title: nil, description: nil, capacity: nil, status: .cancelled, now: later) }
                    for offer in offers { group.addTask { _ = try? await db.registrations.accept(offer.id, token: offer.manageToken, now: later) } }
                }
                let rows = try await OverflowTests.rows(db, [second.id])
                #expect(rows.allSatisfy { $0.status == "cancelled" }, "round \(round): nothing held at the cancelled evening: \(rows.map(\.status))")
                let places = try await Self.seatsPerEmail(db, [event.id], statuses: ["waitlisted", "offered", "confirmed"])
                for person in people { #expect(places[person.profile.email] == 1, "round \(round): \(person.profile.email)") }
                let problems = try await OverflowTests.problems(db, original: event.id, second: second.id)
                #expect(problems == [], "round \(round): \(problems)")
            }
        }
    }

    /// An offer still open on a cancelled second evening (cancelled before this fix) cannot be
    /// accepted: refused, the original place untouched, and the manage page shows no Accept button.
    @Test(arguments: DatabaseKind.available)
    func anOfferOfACancelledEveningCannotBeAccepted(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 1)
            let people = try await OverflowTests.waiting(db, event, count: 2)
            let (second, _) = try await db.events.createOverflow(of: event.id, try OverflowTests.input(capacity: 2), now: app.clock.now())
            try await db.sql.raw("UPDATE events SET status = 'cancelled' WHERE id = \(bind: second.id.uuid)").run()
            let offer = try #require(try await OverflowTests.offer(db, from: people[0].id))
            try await app.application.test(.router) { client in
                let page = try await client.execute(uri: "/manage/\(offer.manageToken)", method: .get, headers: [.acceptLanguage: "en"])
                #expect(!page.text.contains("/accept"), "no Accept button")
            }
            await #expect(throws: RegistrationActionError.eventNotOpen) {
                _ = try await db.registrations.accept(offer.id, token: offer.manageToken, now: app.clock.now())
            }
            #expect(try await OverflowTests.status(db, people[0].id) == .waitlisted)
            #expect(try await OverflowTests.status(db, offer.id) == .offered)
        }
    }
}

extension OverflowGuardTests {
    /// A second evening is open with seats left after the queue took its offers. People who join the
    /// original's waitlist then are drawn at once: "any date" people moved, others offered; when
    /// the last free seat is contested, it goes to one. Without `fillOpenSecondEvenings` they wait.
    @Test(arguments: DatabaseKind.available)
    func waitlistArrivalsAfterASecondEveningOpenedAreDrawnByIt(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { db in
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 1)
            _ = try await OverflowTests.waiting(db, event, count: 2)
            let (second, opening) = try await db.events.createOverflow(of: event.id, try OverflowTests.input(capacity: 5), now: Fixture.start)
            #expect(opening.offered == 2)
            let now = Fixture.start.addingTimeInterval(600)
            var anyDate = Fixture.profile(50)
            anyDate.anyDate = true
            // Moved at once: the answer is the seat on the second evening; the place here is released.
            let moved = try await db.registrations.register(anyDate, for: event.id, now: now).registration
            #expect(moved.eventID == second.id && moved.status == .confirmed)
            let place = try #require(try await OverflowTests.rows(db, [event.id]).first { $0.email == "person50@example.org" })
            #expect(place.status == "cancelled", "moved: the place released")
            let waiting = try await db.registrations.register(Fixture.profile(51), for: event.id, now: now).registration
            #expect(try await OverflowTests.status(db, waiting.id) == .waitlisted, "offered: the place kept")
            #expect(try await OverflowTests.offer(db, from: waiting.id)?.status == .offered)
            // One seat left; six "any date" people at once.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 60..<66 {
                    group.addTask {
                        var profile = Fixture.profile(index)
                        profile.anyDate = true
                        _ = try await db.registrations.register(profile, for: event.id, now: now)
                    }
                }
                try await group.waitForAll()
            }
            let rows = try await OverflowTests.rows(db, [second.id])
            #expect(rows.filter { $0.status == "confirmed" || $0.status == "offered" }.count == 5)
            let problems = try await OverflowTests.problems(db, original: event.id, second: second.id)
            #expect(problems == [], "\(problems)")
        }
    }

    /// The second evening's form: a capacity that is no number says the range, not "required"; a
    /// status the form never offers is refused.
    @Test(arguments: DatabaseKind.available)
    func theSecondEveningFormSaysWhatIsWrong(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 1)
            _ = try await OverflowTests.waiting(db, event, count: 2)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: [chapter.slug])
            try await app.application.test(.router) { client in
                for capacity in ["abc", "99999999999999999999999"] {
                    let bad = try await client.post("/organize/events/\(event.id)/overflow", as: organizer, [
                        "title": "Rencontre trimestrielle", "date": "2027-02-21", "startTime": "18:30", "endTime": "21:30", "capacity": capacity,
                    ])
                    #expect(bad.status == .unprocessableContent, "\(capacity)")
                    #expect(bad.text.contains("Must be between 1 and 100") && !bad.text.contains("This field is required."), "\(capacity)")
                }
                let forged = try await client.post("/organize/events/\(event.id)/overflow", as: organizer, [
                    "title": "Rencontre trimestrielle", "date": "2027-02-21", "startTime": "18:30", "endTime": "21:30", "capacity": "3", "status": "bogus",
                ])
                #expect(forged.status == .unprocessableContent)
                #expect(forged.text.contains("Choose one of the options."))
                #expect(try await db.events.overflowEvents(of: event.id).isEmpty)
            }
        }
    }
}
