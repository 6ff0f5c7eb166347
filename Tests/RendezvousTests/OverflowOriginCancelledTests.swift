import Foundation
import HTTPTypes
import HummingbirdTesting
import RendezvousDomain
import RendezvousMail
@testable import RendezvousPersistence
@testable import RendezvousWeb
import SQLKit
import Testing

/// The first evening is cancelled while its second evening is open (issue 15): the "any date"
/// people waiting move there in queue order (a seat if one is free, else its waitlist in order),
/// each told by mail in their language; everyone else's cancellation names the other evening;
/// the cancelled evening's open offers lapse. Exact under concurrency.
@Suite("Overflow: the first evening cancelled while the second is open")
struct OverflowOriginCancelledTests {
    typealias T = OverflowTests

    struct Row: Decodable { var id: UUID; var email: String; var status: String; var queueNumber: Int?; var originRegistrationId: UUID? }

    static func rows(_ db: Persistence, _ event: Event.ID) async throws -> [Row] {
        try await db.sql.raw("""
            SELECT id, email, status, queue_number, origin_registration_id FROM registrations WHERE event_id = \(bind: event.uuid)
            ORDER BY queue_number, created_at
            """).rows(Row.self)
    }

    /// Counters agree with the rows and stay within the seat limit; nobody holds two places on one evening.
    static func problems(_ db: Persistence, _ events: [Event.ID]) async throws -> [String] {
        var problems: [String] = []
        for id in events {
            let event = try #require(try await db.events.event(id: id))
            struct Counters: Decodable { var seatsTaken: Int; var waitingCount: Int }
            let counters = try #require(try await db.sql.raw("SELECT seats_taken, waiting_count FROM events WHERE id = \(bind: id.uuid)").row(Counters.self))
            let rows = try await rows(db, id)
            let held = rows.filter { $0.status == "confirmed" || $0.status == "offered" }.count
            let waiting = rows.filter { $0.status == "waitlisted" }.count
            if held > event.seatLimit { problems.append("\(event.title): \(held) held > \(event.seatLimit)") }
            if counters.seatsTaken != held { problems.append("\(event.title): seats_taken \(counters.seatsTaken) ≠ \(held)") }
            if counters.waitingCount != waiting { problems.append("\(event.title): waiting_count \(counters.waitingCount) ≠ \(waiting)") }
            var active: [String: Int] = [:]
            for row in rows where ["confirmed", "offered", "waitlisted"].contains(row.status) { active[row.email, default: 0] += 1 }
            let twice = active.filter { $0.value > 1 }.keys.sorted()
            if !twice.isEmpty { problems.append("\(event.title): twice \(twice)") }
        }
        return problems
    }

    /// Each composed mail of `items`, by kind and recipient: subject and text.
    static func mails(_ db: Persistence, _ items: [OutboxItem], now: Date) async throws -> [String: (subject: String, text: String)] {
        let composer = MessageComposer(persistence: db, baseURL: "https://rendezvous.test", from: .init(name: "Rendezvous", email: "noreply@rendezvous.test"))
        var mails: [String: (subject: String, text: String)] = [:]
        for item in items {
            guard case .message(let message) = try await composer.compose(item, now: now) else { continue }
            mails["\(item.kind.rawValue)-\(message.to.email)"] = (message.subject, message.text)
        }
        return mails
    }

    @Test(arguments: DatabaseKind.available)
    func anyDatePeopleMoveToTheSecondEveningsWaitlistInOrderAndTheOthersAreToldOfIt(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db, offerHours: 48)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 1)
            _ = try await db.registrations.register(Fixture.profile(999), for: event.id, now: Fixture.start)
            let confirmed = try #require(try await db.registrations.registrations(of: event.id).first { $0.status == .confirmed })
            var people: [Registration] = []
            for index in 0..<8 {
                var profile = Fixture.profile(index)
                profile.anyDate = [1, 3, 5, 6].contains(index)
                if index == 5 { profile.language = .en }
                people.append(try await db.registrations.register(profile, for: event.id, now: Fixture.start).registration)
            }
            // The second evening (3 seats) draws the first three waiting: 0 offered, 1 moved ("any date"), 2 offered. Full.
            let (second, _) = try await db.events.createOverflow(of: event.id, try T.input(capacity: 3), now: Fixture.start)
            #expect(try await T.offer(db, from: people[1].id)?.status == .confirmed)
            // Person 6 registers for the second evening themselves: its waitlist, first in line.
            var own = Fixture.profile(6)
            own.anyDate = true
            let ownSecond = try await db.registrations.register(own, for: second.id, now: Fixture.start).registration
            #expect(ownSecond.status == .waitlisted)
            // A seat frees on the first evening: offered to person 0, who now holds both offers.
            _ = try await db.registrations.cancel(confirmed.id, token: confirmed.manageToken, now: Fixture.start)
            #expect(try await T.status(db, people[0].id) == .offered)
            _ = try await db.outbox.claimDueMessages(now: Fixture.start, limit: 500)

            // The organiser's confirmation step says who moves.
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: [chapter.slug])
            try await app.application.test(.router) { client in
                let confirm = try await client.post("/organize/events/\(event.id)/cancel", as: organizer, [:])
                #expect(confirm.text.contains("2 people waiting said any date works: they move to the evening on Wednesday, 24 February 2027"),
                        "\(confirm.text)")
            }

            let now = Fixture.start.addingTimeInterval(3600)
            _ = try await db.events.updateEvent(event.id, title: nil, description: nil, capacity: nil, status: .cancelled, now: now)

            // 3 and 5 (any date, still waiting) move to the second evening's waitlist behind 6, in their order.
            let secondRows = try await Self.rows(db, second.id).filter { $0.status == "waitlisted" }
            #expect(secondRows.map(\.email) == ["person6@example.org", "person3@example.org", "person5@example.org"], "\(secondRows.map(\.email))")
            #expect(try await T.status(db, people[3].id) == .cancelled, "their first place is released")
            #expect(try await T.status(db, people[5].id) == .cancelled)
            #expect(try await T.status(db, people[6].id) == .waitlisted, "someone registered there already keeps that place only")
            #expect(try await T.status(db, people[4].id) == .waitlisted, "not any date: only told")
            // The first evening's open offer lapses; the second evening's stands.
            #expect(try await T.status(db, people[0].id) == .expired)
            let offerOf0 = try #require(try await T.offer(db, from: people[0].id))
            #expect(offerOf0.status == .offered)
            #expect(try await Self.problems(db, [event.id, second.id]) == [])

            let mails = try await Self.mails(db, try await db.outbox.claimDueMessages(now: now, limit: 500), now: now)
            let moved3 = try #require(mails["waitlisted-person3@example.org"])
            #expect(moved3.subject == "Soirée du dimanche 14 février 2027 annulée\u{202F}: vous êtes sur la liste d’attente du mercredi 24 février 2027", "\(moved3.subject)")
            #expect(moved3.text.contains("toute date vous convient") && moved3.text.contains("numéro 2"), "\(moved3.text)")
            let token3 = try #require(try await T.offer(db, from: people[3].id)).manageToken
            #expect(moved3.text.contains("https://rendezvous.test/manage/\(token3)"))
            let moved5 = try #require(mails["waitlisted-person5@example.org"])
            #expect(moved5.subject == "Evening of Sunday, 14 February 2027 cancelled: you’re on the waitlist for Wednesday, 24 February 2027", "\(moved5.subject)")
            #expect(moved5.text.contains("number 3 in line"))
            #expect(mails["eventCancelled-person3@example.org"] == nil && mails["eventCancelled-person5@example.org"] == nil, "one mail each: the move's")
            // Everyone else: the cancellation, naming the other evening.
            let told4 = try #require(mails["eventCancelled-person4@example.org"])
            #expect(told4.text.contains("La même rencontre a aussi lieu le mercredi 24 février 2027"), "\(told4.text)")
            #expect(told4.text.contains("https://rendezvous.test/events/\(second.id)"))
            let told0 = try #require(mails["eventCancelled-person0@example.org"])
            #expect(told0.text.contains("vous est toujours proposée"), "\(told0.text)")
            #expect(told0.text.contains("https://rendezvous.test/manage/\(offerOf0.manageToken)"))
            let told6 = try #require(mails["eventCancelled-person6@example.org"])
            #expect(told6.text.contains("est maintenue") && told6.text.contains("https://rendezvous.test/manage/\(ownSecond.manageToken)"))

            // A seat freed on the second evening goes to its waitlist in that order: 6, then 3.
            let seat1 = try #require(try await T.offer(db, from: people[1].id))
            _ = try await db.registrations.cancel(seat1.id, token: seat1.manageToken, now: now)
            #expect(try await db.registrations.registration(id: ownSecond.id)?.status == .offered)
            #expect(try await T.offer(db, from: people[3].id)?.status == .waitlisted)

            // The lapsed offer sends no "offer expired" later.
            _ = try await db.registrations.expireOffers(now: now.addingTimeInterval(72 * 3600))
            let later = try await db.outbox.claimDueMessages(now: now.addingTimeInterval(72 * 3600), limit: 500)
            #expect(!later.contains { $0.kind == .offerExpired && $0.registrationID == people[0].id })

            // The released place's page says where they went.
            let token5 = people[5].manageToken
            try await app.application.test(.router) { client in
                let page = try await client.execute(uri: "/manage/\(token5)", method: .get, headers: [.acceptLanguage: "en"])
                #expect(page.text.contains("you are on the waitlist of the other evening, on Wednesday, 24 February 2027"))
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aFreeSeatGoesToTheFirstAnyDatePersonAndCapacityHolds(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db, offerHours: 48)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 2)
            var seated: [Registration] = []
            for index in [998, 999] { seated.append(try await db.registrations.register(Fixture.profile(index), for: event.id, now: Fixture.start).registration) }
            var people: [Registration] = []
            for index in 0..<3 {
                var profile = Fixture.profile(index)
                profile.anyDate = index < 2
                people.append(try await db.registrations.register(profile, for: event.id, now: Fixture.start).registration)
            }
            // Both seats free on the first evening: offered to 0 and 1 ("any date", holding the first evening's offers).
            for person in seated { _ = try await db.registrations.cancel(person.id, token: person.manageToken, now: Fixture.start) }
            #expect(try await T.status(db, people[0].id) == .offered)
            #expect(try await T.status(db, people[1].id) == .offered)
            // The second evening (2 seats) draws the waiting only: 2 is offered one; one seat stays free.
            let (second, _) = try await db.events.createOverflow(of: event.id, try T.input(capacity: 2), now: Fixture.start)
            #expect(try await T.offer(db, from: people[2].id)?.status == .offered)
            _ = try await db.outbox.claimDueMessages(now: Fixture.start, limit: 500)

            let now = Fixture.start.addingTimeInterval(3600)
            _ = try await db.events.updateEvent(event.id, title: nil, description: nil, capacity: nil, status: .cancelled, now: now)
            // 0 takes the free seat; 1 is first on the waitlist: the two seats are not exceeded.
            #expect(try await T.offer(db, from: people[0].id)?.status == .confirmed)
            #expect(try await T.offer(db, from: people[1].id)?.status == .waitlisted)
            #expect(try await Self.problems(db, [event.id, second.id]) == [])
            struct Counters: Decodable { var seatsTaken: Int; var waitingCount: Int }
            let original = try #require(try await db.sql.raw("SELECT seats_taken, waiting_count FROM events WHERE id = \(bind: event.id.uuid)").row(Counters.self))
            #expect(original.seatsTaken == 0, "the lapsed and moved offers give their seats back")

            let mails = try await Self.mails(db, try await db.outbox.claimDueMessages(now: now, limit: 500), now: now)
            let moved = try #require(mails["confirmed-person0@example.org"])
            #expect(moved.subject == "Soirée du dimanche 14 février 2027 annulée\u{202F}: votre place est le mercredi 24 février 2027", "\(moved.subject)")
            #expect(moved.text.contains("vous avez une place à l’autre soirée de Rencontre trimestrielle, le mercredi 24 février 2027"), "\(moved.text)")
            #expect(mails["waitlisted-person1@example.org"]?.text.contains("numéro 1") == true)
        }
    }

    /// The cancellation takes the second evening's lock before the first's, like every path that
    /// holds both (an accepted offer of the second evening releases the place on the first): on
    /// PostgreSQL the reverse order deadlocks (one transaction is aborted). Registrations on the
    /// second evening run meanwhile; nobody ends with two places, counters stay exact.
    @Test func cancellingTheFirstEveningWhileOffersAreAcceptedStaysExact() async throws {
        guard DatabaseKind.available.contains(.postgres) else { return }
        try await withApp(.postgres) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db, offerHours: 48)
            for round in 0..<4 {
                let event = try await Fixture.event(db, chapter: chapter, capacity: 1, title: "Rencontre \(round)")
                var registered: [Registration] = []
                _ = try await db.registrations.register(Fixture.profile(round * 100 + 99), for: event.id, now: Fixture.start)
                for index in 0..<30 {
                    var profile = Fixture.profile(round * 100 + index)
                    profile.anyDate = index % 3 == 1
                    registered.append(try await db.registrations.register(profile, for: event.id, now: Fixture.start).registration)
                }
                let people = registered
                let (second, _) = try await db.events.createOverflow(of: event.id, try T.input(capacity: 12), now: Fixture.start)
                var offers: [Registration] = []
                for person in people {
                    if let offer = try await T.offer(db, from: person.id), offer.status == .offered { offers.append(offer) }
                }
                #expect(offers.count >= 6)
                let now = Fixture.start.addingTimeInterval(600)
                let failures = try await withThrowingTaskGroup(of: String?.self) { group in
                    for offer in offers {
                        group.addTask {
                            do { _ = try await db.registrations.accept(offer.id, token: offer.manageToken, now: now); return nil }
                            catch let error as RegistrationActionError where error == .noOpenOffer { return nil }
                            catch { return "accept: \(String(reflecting: error))" }
                        }
                    }
                    group.addTask {
                        do {
                            _ = try await db.events.updateEvent(event.id, title: nil, description: nil, capacity: nil, status: .cancelled, now: now)
                            return nil
                        } catch { return "cancel: \(String(reflecting: error))" }
                    }
                    for index in 0..<8 {
                        group.addTask {
                            do { _ = try await db.registrations.register(Fixture.profile(round * 100 + 50 + index), for: second.id, now: now); return nil }
                            catch { return "register: \(String(reflecting: error))" }
                        }
                    }
                    var failures: [String] = []
                    for try await failure in group { if let failure { failures.append(failure) } }
                    return failures
                }
                #expect(failures == [], "round \(round)")
                #expect(try await db.events.event(id: event.id)?.status == .cancelled)
                #expect(try await Self.problems(db, [event.id, second.id]) == [], "round \(round)")
                // Every "any date" person not drawn before is on the second evening now, in queue order.
                let secondRows = try await Self.rows(db, second.id)
                let moved = people.filter(\.profile.anyDate).compactMap { person in secondRows.first { $0.originRegistrationId == person.id.uuid } }
                #expect(moved.count == people.filter(\.profile.anyDate).count, "round \(round): \(moved.count)")
                let waiting = moved.filter { $0.status == "waitlisted" }.compactMap(\.queueNumber)
                #expect(waiting == waiting.sorted(), "round \(round): \(waiting)")
                for person in people where person.profile.anyDate {
                    #expect(try await T.status(db, person.id) == .cancelled, "round \(round): a moved place is released")
                }
            }
        }
    }
}
