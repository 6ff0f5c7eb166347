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

/// What the second evening owed the people it drew from the waitlist (issue 15): their answers
/// follow them; when it is cancelled, their place in the original's queue comes back (exact under
/// parallel requests) and they are told; the door counts overbooked seats as seats.
@Suite("Overflow: answers, a cancelled second evening, the door's seats")
struct OverflowFixesTests {
    /// A question at the chapter's level (every meetup) and one of the original only; people answer both.
    @Test(arguments: DatabaseKind.available)
    func answersFollowToTheSecondEveningWhenItAsksTheSameQuestions(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { db in
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 1)
            let shared = UUID(), own = UUID()
            for (id, scope, label) in [(shared, nil as UUID?, "Régime alimentaire"), (own, event.id.uuid, "Atelier choisi")] {
                try await db.sql.raw("""
                    INSERT INTO registration_questions (id, chapter_id, event_id, position, kind, label, choices, required, created_at)
                    VALUES (\(bind: id), \(bind: chapter.id.uuid), \(bind: scope), 0, 'text', \(bind: label), '', \(bind: false), \(bind: Fixture.start))
                    """).run()
            }
            var people: [Registration] = []
            for index in 0..<4 {
                var profile = Fixture.profile(index)
                profile.anyDate = index == 1
                let answers: QuestionAnswers = [.init(shared): "végétarien \(index)", .init(own): "atelier \(index)"]
                people.append(try await db.registrations.register(profile, for: event.id, answers: answers, now: Fixture.start).registration)
            }
            let (second, opening) = try await db.events.createOverflow(of: event.id, try OverflowTests.input(capacity: 3), now: Fixture.start)
            #expect(opening.moved == 1 && opening.offered == 2)
            struct Answer: Decodable { var questionId: UUID; var answer: String }
            for index in 1..<4 {
                let copy = try #require(try await OverflowTests.offer(db, from: people[index].id))
                #expect(copy.eventID == second.id)
                let answers = try await db.sql.raw("SELECT question_id, answer FROM registration_answers WHERE registration_id = \(bind: copy.id.uuid)").rows(Answer.self)
                // The chapter's question is asked at the second evening too: the answer follows; the original's own stays there.
                #expect(answers.map(\.questionId) == [shared] && answers.map(\.answer) == ["végétarien \(index)"], "\(index): \(answers)")
            }
            // The organisers' list of the second evening shows them.
            let listed = try await db.questions.answers(ofEvent: second.id)
            #expect(listed.count == 3)
        }
    }

    /// Capacity 2, five waiting; people 3 and 5 said any date. The second evening (2 seats) moves
    /// person 3 directly and offers person 2 a seat, who accepts. It is cancelled: both get their
    /// place back at their queue number and a mail in their language; person 5 never moved.
    @Test(arguments: DatabaseKind.available)
    func cancellingASecondEveningGivesTheMovedTheirPlaceBack(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 2)
            var people: [Registration] = []
            for index in 0..<7 {
                var profile = Fixture.profile(index)
                profile.anyDate = index == 3 || index == 5
                profile.language = index == 3 ? .en : .fr
                people.append(try await db.registrations.register(profile, for: event.id, now: Fixture.start).registration)
            }
            let queue = try await OverflowTests.rows(db, [event.id]).reduce(into: [UUID: Int]()) { $0[$1.id] = $1.queueNumber }
            let (second, _) = try await db.events.createOverflow(of: event.id, try OverflowTests.input(capacity: 2), now: Fixture.start)
            let offer = try #require(try await OverflowTests.offer(db, from: people[2].id))
            _ = try await db.registrations.accept(offer.id, token: offer.manageToken, now: Fixture.start)
            #expect(try await OverflowTests.status(db, people[2].id) == .cancelled)
            #expect(try await OverflowTests.status(db, people[3].id) == .cancelled)

            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: [chapter.slug])
            try await app.application.test(.router) { client in
                let cancelled = try await client.post("/organize/events/\(second.id)/cancel", as: organizer, ["confirm": "yes"])
                #expect(cancelled.status == .seeOther, "\(cancelled.text.prefix(400))")
            }
            #expect(try await db.events.event(id: second.id)?.status == .cancelled)
            // Back in the queue at their own numbers: person 2 first, person 3 second, before 4, 5, 6.
            for index in [2, 3] {
                let back = try #require(try await db.registrations.registration(id: people[index].id))
                #expect(back.status == .waitlisted && back.queueNumber == queue[people[index].id.uuid], "\(index)")
                #expect(try await OverflowTests.offer(db, from: people[index].id)?.status == .cancelled, "no second place kept")
            }
            #expect(try await db.registrations.waitlistPosition(of: try #require(try await db.registrations.registration(id: people[2].id))) == 1)
            #expect(try await db.registrations.waitlistPosition(of: try #require(try await db.registrations.registration(id: people[4].id))) == 3)
            let problems = try await OverflowTests.problems(db, original: event.id, second: second.id)
            #expect(problems == [], "\(problems)")

            // Told by mail, each in their language; the second evening's cancellation notice goes too.
            let due = try await db.outbox.claimDueMessages(now: Fixture.start.addingTimeInterval(3600))
            let subjects = try await OverflowTests.subjects(db, of: due.filter { $0.payload["returned"] == "1" || $0.kind == .eventCancelled }, now: Fixture.start)
            // One message each, naming the cancelled second evening and the original's date (presentation: SecondEveningWordingTests).
            #expect(subjects[people[3].id]?.count == 1 && subjects[people[3].id]?[0].hasPrefix("Second evening on ") == true, "\(subjects)")
            #expect(subjects[people[2].id]?.count == 1 && subjects[people[2].id]?[0].hasPrefix("Deuxième soirée du ") == true, "\(subjects)")
            let notices = due.filter { $0.kind == .eventCancelled }.compactMap(\.registrationID)
            #expect(Set(notices) == Set([offer.id, try #require(try await OverflowTests.offer(db, from: people[3].id)).id]))
        }
    }

    /// The original has begun: there is no queue to go back to.
    @Test(arguments: DatabaseKind.available)
    func noPlaceComesBackOnceTheOriginalHasBegun(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { db in
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 1, startsIn: 2)
            var person = Fixture.profile(1)
            person.anyDate = true
            _ = try await db.registrations.register(Fixture.profile(0), for: event.id, now: Fixture.start)
            let moved = try await db.registrations.register(person, for: event.id, now: Fixture.start).registration
            let (second, _) = try await db.events.createOverflow(of: event.id, try OverflowTests.input(capacity: 2), now: Fixture.start)
            _ = try await db.events.updateEvent(second.id, title: nil, description: nil, capacity: nil, status: .cancelled, now: Fixture.start.addingTimeInterval(3 * 86400))
            #expect(try await OverflowTests.status(db, moved.id) == .cancelled)
            #expect(try await OverflowTests.offer(db, from: moved.id)?.status == .confirmed)
        }
    }

    /// The organiser cancels the second evening while the people it had moved register again for
    /// the original (the cancellation mail arrived), others register and confirmed people cancel:
    /// every request succeeds, each moved person ends with exactly one place on the original, and
    /// the counters match the rows. Without the original's lock in `restoreOverflowPlaces` this
    /// fails on PostgreSQL (a restored place and a new registration collide on the same address).
    @Test(arguments: DatabaseKind.available)
    func cancellingASecondEveningDuringARushStaysExact(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { db in
            let chapter = try await Fixture.chapter(db)
            for round in 0..<3 {
                let event = try await Fixture.event(db, chapter: chapter, capacity: 10, title: "Rencontre \(round)")
                var people: [Registration] = []
                for index in 0..<40 {
                    var profile = Fixture.profile(round * 1000 + index)
                    profile.anyDate = index >= 10 && index < 30
                    people.append(try await db.registrations.register(profile, for: event.id, now: Fixture.start).registration)
                }
                let (second, opening) = try await db.events.createOverflow(of: event.id, try OverflowTests.input(capacity: 20), now: Fixture.start)
                #expect(opening.moved == 20)
                let moved = Array(people[10..<30])
                let now = Fixture.start.addingTimeInterval(600)
                let failures = try await withThrowingTaskGroup(of: String?.self) { group in
                    group.addTask {
                        do { _ = try await db.events.updateEvent(second.id, title: nil, description: nil, capacity: nil, status: .cancelled, now: now); return nil }
                        catch { return "cancel the second evening: \(String(reflecting: error))" }
                    }
                    for person in moved {
                        group.addTask {
                            do { _ = try await db.registrations.register(person.profile, for: event.id, now: now); return nil }
                            catch let error as RegistrationActionError where error == .duplicateEmail { return nil }
                            catch { return "register again: \(String(reflecting: error))" }
                        }
                    }
                    for person in people.prefix(5) {
                        group.addTask {
                            do { _ = try await db.registrations.cancel(person.id, token: person.manageToken, now: now); return nil }
                            catch { return "cancel: \(String(reflecting: error))" }
                        }
                    }
                    for index in 500..<510 {
                        group.addTask {
                            do { _ = try await db.registrations.register(Fixture.profile(round * 1000 + index), for: event.id, now: now); return nil }
                            catch { return "register: \(String(reflecting: error))" }
                        }
                    }
                    var failures: [String] = []
                    for try await failure in group { if let failure { failures.append(failure) } }
                    return failures
                }
                #expect(failures == [], "round \(round)")
                let problems = try await OverflowTests.problems(db, original: event.id, second: second.id)
                #expect(problems == [], "round \(round): \(problems)")
                let rows = try await OverflowTests.rows(db, [event.id])
                for person in moved {
                    let active = rows.filter { $0.email == person.profile.email && ["confirmed", "offered", "waitlisted"].contains($0.status) }
                    #expect(active.count == 1, "round \(round): \(person.profile.email) holds \(active.count) places")
                }
            }
        }
    }

    /// Integrators follow a second evening like any other evening: an offer that lapses when taken
    /// (its person was confirmed on the original meanwhile) is a cancellation; cancelling the second
    /// evening gives the person it had moved their place back (created, waitlisted) and gives up
    /// their seat there (cancelled). Without those deliveries their mirror still seats them.
    @Test(arguments: DatabaseKind.available)
    func integratorsHearOfLapsedOffersAndPlacesGivenBack(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { db in
            let chapter = try await Fixture.chapter(db)
            _ = try await db.webhooks.createEndpoint(chapter: chapter.id, url: "https://hooks.example.org/rendezvous", types: [], includeEmail: false, now: Fixture.start)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 1)
            let people = try await OverflowTests.waiting(db, event, count: 2, anyDate: [1])
            let (second, opening) = try await db.events.createOverflow(of: event.id, try OverflowTests.input(capacity: 2), now: Fixture.start)
            #expect(opening == OverflowOpening(offered: 1, moved: 1))
            let offer = try #require(try await OverflowTests.offer(db, from: people[0].id))
            let seat = try #require(try await OverflowTests.offer(db, from: people[1].id))
            _ = try await db.registrations.promote(people[0].id, in: event.id, now: Fixture.start)
            await #expect(throws: RegistrationActionError.noOpenOffer) {
                _ = try await db.registrations.accept(offer.id, token: offer.manageToken, now: Fixture.start)
            }
            // What integrators were told from `since` on: "type registration status".
            func told(since: Date) async throws -> Set<String> {
                struct Delivery: Decodable { var type: String; var body: String }
                var told: Set<String> = []
                for delivery in try await db.sql.raw("SELECT type, body FROM webhook_deliveries WHERE created_at >= \(bind: since)").rows(Delivery.self) {
                    let data = try #require((try JSONSerialization.jsonObject(with: Data(delivery.body.utf8)) as? [String: Any])?["data"] as? [String: Any])
                    if let id = data["registration_id"] as? String, let status = data["status"] as? String { told.insert("\(delivery.type) \(id) \(status)") }
                }
                return told
            }
            func line(_ type: WebhookEventType, _ id: Registration.ID, _ status: RegistrationStatus) -> String {
                "\(type.rawValue) \(id.uuid.uuidString.lowercased()) \(status.rawValue)"
            }
            let lapsed = try await told(since: Fixture.start)
            #expect(lapsed.contains(line(.registrationCancelled, offer.id, .cancelled)), "the lapsed offer: \(lapsed.sorted())")

            let later = Fixture.start.addingTimeInterval(600)
            _ = try await db.events.updateEvent(second.id, title: nil, description: nil, capacity: nil, status: .cancelled, now: later)
            #expect(try await OverflowTests.status(db, people[1].id) == .waitlisted)
            let cancelled = try await told(since: later)
            #expect(cancelled == [line(.registrationCreated, people[1].id, .waitlisted), line(.registrationCancelled, seat.id, .cancelled)],
                    "the place given back, the seat given up: \(cancelled.sorted())")
        }
    }

    /// Overbooking on: 10 seats + 2 extra, all 12 confirmed. The door is not "over capacity"; one
    /// walk-in more makes it so (page and API).
    @Test(arguments: DatabaseKind.available)
    func theDoorCountsOverbookedSeatsAsSeats(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { db in
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 10)
            try await db.sql.raw("UPDATE events SET overbooking = \(bind: true), overbook_seats = 2, venue_limit = 12 WHERE id = \(bind: event.id.uuid)").run()
            for index in 0..<12 { _ = try await db.registrations.register(Fixture.profile(index), for: event.id, now: Fixture.start) }
            var state = try await db.door.doorState(of: event.id)
            #expect(state.expected == 12 && state.capacity == 10 && state.seatLimit == 12)
            #expect(!state.isOverCapacity)
            _ = try await db.door.addWalkIn(event: event.id, profile: Fixture.profile(99), by: "Door", now: event.startsAt)
            state = try await db.door.doorState(of: event.id)
            #expect(state.isOverCapacity)
        }
    }
}
