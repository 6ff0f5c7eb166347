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

/// A long waitlist becomes a second evening (issue 15): the organisers are told, open it in one
/// step, its seats are offered to the queue in order; those who accept move, those who decline keep
/// their place; "any date" people are moved directly. Exact under concurrency.
@Suite("Overflow: a second evening from the waitlist")
struct OverflowTests {
    struct Row: Decodable { var id: UUID; var eventId: UUID; var status: String; var email: String; var originRegistrationId: UUID?; var queueNumber: Int? }

    static func rows(_ db: Persistence, _ events: [Event.ID]) async throws -> [Row] {
        try await db.sql.raw("""
            SELECT id, event_id, status, email, origin_registration_id, queue_number FROM registrations
            WHERE event_id IN \(SQLBind.group(events.map(\.uuid))) ORDER BY created_at, queue_number
            """).rows(Row.self)
    }

    static func status(_ db: Persistence, _ id: Registration.ID) async throws -> RegistrationStatus? {
        try await db.registrations.registration(id: id)?.status
    }

    /// The second evening's registration that came from `origin`'s waitlist place.
    static func offer(_ db: Persistence, from origin: Registration.ID) async throws -> Registration? {
        struct Found: Decodable { var id: UUID }
        guard let found = try await db.sql.raw("SELECT id FROM registrations WHERE origin_registration_id = \(bind: origin.uuid)").row(Found.self) else { return nil }
        return try await db.registrations.registration(id: .init(found.id))
    }

    /// The manage link's token of a registration (as the offer mail carries it).
    static func token(_ db: Persistence, _ id: Registration.ID) async throws -> String {
        try #require(try await db.registrations.registration(id: id)).manageToken
    }

    /// A second evening `days` after the fixture's start, an hour long.
    static func input(daysAfter days: Double = 40, capacity: Int) throws -> EventInput.Valid {
        try EventInput(title: "Deuxième soirée", startsAt: ISO8601.format(Fixture.start.addingTimeInterval(days * 86400)),
                       endsAt: ISO8601.format(Fixture.start.addingTimeInterval(days * 86400 + 3600)), capacity: capacity, status: .published).validated().get()
    }

    /// Waiting people of an event of capacity 1 (one confirmed first): `count` of them.
    static func waiting(_ db: Persistence, _ event: Event, count: Int, from: Int = 0, anyDate: Set<Int> = []) async throws -> [Registration] {
        _ = try await db.registrations.register(Fixture.profile(from + 999), for: event.id, now: Fixture.start)
        var people: [Registration] = []
        for index in 0..<count {
            var profile = Fixture.profile(from + index)
            profile.anyDate = anyDate.contains(index)
            people.append(try await db.registrations.register(profile, for: event.id, now: Fixture.start).registration)
        }
        return people
    }

    /// The subjects of the mails `items` compose to, per registration.
    static func subjects(_ db: Persistence, of items: [OutboxItem], now: Date) async throws -> [Registration.ID: [String]] {
        let composer = MessageComposer(persistence: db, baseURL: "https://rendezvous.test", from: .init(name: "Rendezvous", email: "noreply@rendezvous.test"))
        var subjects: [Registration.ID: [String]] = [:]
        for item in items {
            guard let id = item.registrationID, case .message(let message) = try await composer.compose(item, now: now) else { continue }
            subjects[id, default: []].append(message.subject)
        }
        return subjects
    }

    /// Seat counters agree with the rows and never pass the seat limit; nobody holds two seats.
    static func problems(_ db: Persistence, original: Event.ID, second: Event.ID) async throws -> [String] {
        var problems: [String] = []
        for id in [original, second] {
            let event = try #require(try await db.events.event(id: id))
            struct Counters: Decodable { var seatsTaken: Int; var waitingCount: Int }
            let counters = try #require(try await db.sql.raw("SELECT seats_taken, waiting_count FROM events WHERE id = \(bind: id.uuid)").row(Counters.self))
            let rows = try await rows(db, [id])
            let held = rows.filter { $0.status == "confirmed" || $0.status == "offered" }.count
            let waiting = rows.filter { $0.status == "waitlisted" }.count
            if held > event.seatLimit { problems.append("\(event.title): \(held) seats held > \(event.seatLimit)") }
            if counters.seatsTaken != held { problems.append("\(event.title): seats_taken \(counters.seatsTaken) ≠ \(held)") }
            if counters.waitingCount != waiting { problems.append("\(event.title): waiting_count \(counters.waitingCount) ≠ \(waiting)") }
        }
        let all = try await rows(db, [original, second])
        // Two open offers (one per evening) may be held at once, nobody being skipped; a confirmed
        // seat and anything else may not.
        var confirmed: [String: Int] = [:], offered: [String: Int] = [:]
        for row in all where row.status == "confirmed" { confirmed[row.email, default: 0] += 1 }
        for row in all where row.status == "offered" { offered[row.email, default: 0] += 1 }
        let twice = confirmed.filter { $0.value > 1 || offered[$0.key, default: 0] > 0 }.keys.sorted()
        if !twice.isEmpty { problems.append("two seats: \(twice)") }
        // Nobody skipped: everyone still waiting on the original ahead of the last person the second
        // evening drew from its queue was drawn too.
        let drawn = Set(all.compactMap(\.originRegistrationId))
        let originals = all.filter { $0.eventId == original.uuid }
        if let last = originals.filter({ drawn.contains($0.id) }).compactMap(\.queueNumber).max() {
            let skipped = originals.filter { $0.status == "waitlisted" && ($0.queueNumber ?? .max) < last && !drawn.contains($0.id) }
            if !skipped.isEmpty { problems.append("skipped: \(skipped.map(\.email))") }
        }
        return problems
    }

    @Test(arguments: DatabaseKind.available)
    func organisersOpenASecondEveningAndTheQueueMoves(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db, offerHours: 48)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 2)
            var registered: [Registration] = []
            for index in 0..<7 {
                var profile = Fixture.profile(index)
                profile.anyDate = index == 3
                registered.append(try await db.registrations.register(profile, for: event.id, now: Fixture.start).registration)
            }
            let people = registered
            // 2 seated, 5 waiting: people[2] … people[6]; people[3] said any date works.
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: [chapter.slug])
            try await app.application.test(.router) { client in
                // Below the threshold (20 by default), nothing is suggested; the chapter lowers it to 5.
                #expect(!(try await client.get("/organize/\(chapter.slug)", as: organizer).text.contains("open a second evening")))
                let badThreshold = try await client.post("/organize/\(chapter.slug)/settings", as: organizer,
                                                         ["offerHours": "48", "reminderHours": "24", "waitlistThreshold": "0", "description": ""])
                #expect(badThreshold.status == .unprocessableContent)
                #expect(badThreshold.text.contains("<p class=\"error\" id=\"f-waitlistThreshold-error\">Must be between 1 and 1,000.</p>"))
                let saved = try await client.post("/organize/\(chapter.slug)/settings", as: organizer,
                                                  ["offerHours": "48", "reminderHours": "24", "waitlistThreshold": "5", "description": ""])
                #expect(saved.status == .ok)
                #expect(try await db.chapters.waitlistThreshold(of: chapter.id) == 5)
                let dashboard = try await client.get("/organize/\(chapter.slug)", as: organizer)
                #expect(dashboard.text.contains("5 people are waiting: open a second evening?"))
                #expect(dashboard.text.contains("/organize/events/\(event.id)/overflow"))
                let workspace = try await client.get("/organize/events/\(event.id)", as: organizer)
                #expect(workspace.text.contains("5 people are waiting: open a second evening?"))

                // The form is pre-filled from the original: title (told apart from the first
                // evening's, in the chapter's language), venue, programme; a week later.
                let form = try await client.get("/organize/events/\(event.id)/overflow", as: organizer)
                #expect(form.status == .ok)
                #expect(form.text.contains("value=\"Rencontre trimestrielle — deuxième soirée\""))
                #expect(form.text.contains("Jean-Christophe Boussion"))
                #expect(form.text.contains("5 people are waiting for Rencontre trimestrielle."))
                #expect(form.text.contains("name=\"capacity\" type=\"number\" value=\"2\""), "the original's capacity")

                // Bad input: the right field, in the user's language, nothing created.
                let bad = try await client.post("/organize/events/\(event.id)/overflow", as: organizer,
                                                ["title": "Rencontre trimestrielle", "date": "2027-02-21", "startTime": "18:30", "endTime": "21:30", "capacity": "0"])
                #expect(bad.status == .unprocessableContent)
                #expect(try await db.events.overflowEvents(of: event.id).isEmpty)

                let created = try await client.post("/organize/events/\(event.id)/overflow", as: organizer, [
                    "title": "Rencontre trimestrielle", "date": "2027-02-21", "startTime": "18:30", "endTime": "21:30", "capacity": "3",
                    "venueName": "Halles de la Cartoucherie", "venueAddress": "31300 Toulouse", "speaker1Name": "Jean-Christophe Boussion",
                    "speaker1Title": "Fondateur", "status": "draft",
                ])
                #expect(created.status == .seeOther)
                let second = try #require(try await db.events.overflowEvents(of: event.id).first)
                #expect(created.headers[.location] == "/organize/events/\(second.id)?done=overflow")
                #expect(second.status == .published, "a second evening is published whatever the form said")
                #expect(second.overflowOf == event.id && second.capacity == 3)

                // Three seats for the first three waiting, in queue order: two offers, one moved directly.
                #expect(try await Self.offer(db, from: people[2].id)?.status == .offered)
                #expect(try await Self.offer(db, from: people[3].id)?.status == .confirmed)
                #expect(try await Self.offer(db, from: people[4].id)?.status == .offered)
                #expect(try await Self.offer(db, from: people[5].id) == nil)
                #expect(try await Self.status(db, people[3].id) == .cancelled, "moved: the original place is released")
                // The copy keeps what the person agreed to: the code of conduct (with its time), their consents.
                struct Agreed: Decodable { var conductAcceptedAt: Date?; var consentList: Bool }
                let copied = try #require(try await db.sql.raw("""
                    SELECT conduct_accepted_at, consent_list FROM registrations WHERE origin_registration_id = \(bind: people[3].id.uuid)
                    """).row(Agreed.self))
                let original = try #require(try await db.sql.raw("SELECT conduct_accepted_at, consent_list FROM registrations WHERE id = \(bind: people[3].id.uuid)").row(Agreed.self))
                #expect(copied.conductAcceptedAt == original.conductAcceptedAt && copied.consentList == original.consentList)
                #expect(try await Self.status(db, people[2].id) == .waitlisted, "an offer keeps the original place")
                #expect(try await db.registrations.waitlistPosition(of: try #require(try await db.registrations.registration(id: people[4].id))) == 2)

                // The offer mail names the new date and says the place is kept; the moved person's confirmation says why.
                let composer = MessageComposer(persistence: db, baseURL: "https://rendezvous.test", from: .init(name: "Rendezvous", email: "noreply@rendezvous.test"))
                var subjects: [String: String] = [:]
                var texts: [String: String] = [:]
                for item in try await db.outbox.claimDueMessages(now: Fixture.start, limit: 100) where item.eventID == second.id {
                    guard case .message(let message) = try await composer.compose(item, now: Fixture.start) else { continue }
                    subjects[item.kind.rawValue + "-" + message.to.email] = message.subject
                    texts[item.kind.rawValue + "-" + message.to.email] = message.text
                }
                #expect(subjects["offer-person2@example.org"]?.contains("21 février 2027") == true, "\(subjects)")
                #expect(texts["offer-person2@example.org"]?.contains("vous gardez votre place dans la liste d’attente") == true)
                #expect(texts["confirmed-person3@example.org"]?.contains("toute date vous convient") == true)

                // The workspace shows how the queue answered.
                let origin = try await client.get("/organize/events/\(event.id)", as: organizer)
                #expect(origin.text.contains("offers awaiting an answer: 2 · accepted: 0 · moved directly: 1 · declined or expired: 0"))
                let secondPage = try await client.get("/organize/events/\(second.id)?done=overflow", as: organizer)
                #expect(secondPage.text.contains("Second evening opened"))
                #expect(secondPage.text.contains("Second evening of Rencontre trimestrielle"))
                #expect(!secondPage.text.contains("open a second evening?"))
                // The first evening's public page points to the second.
                let publicPage = try await client.execute(uri: "/events/\(event.id)", method: .get, headers: [.acceptLanguage: "en"])
                #expect(publicPage.text.contains("Also on Sunday, 21 February 2027 at 18:30"))
                #expect(publicPage.text.contains("href=\"/events/\(second.id)\""))
                // The released place's page says where the seat went, not "cancelled".
                let movedPage = try await client.execute(uri: "/manage/\(people[3].manageToken)", method: .get, headers: [.acceptLanguage: "en"])
                #expect(movedPage.text.contains("You moved to the second evening on Sunday, 21 February 2027"))
                // A second evening does not open another one.
                #expect(try await client.get("/organize/events/\(second.id)/overflow", as: organizer).status == .seeOther)
            }

            // Accepting from the mail's link: confirmed on the new date; the queue behind moves up.
            let offer2 = try #require(try await Self.offer(db, from: people[2].id))
            let accepted = try await db.registrations.accept(offer2.id, token: offer2.manageToken, now: Fixture.start.addingTimeInterval(60))
            #expect(accepted.status == .confirmed)
            #expect(try await Self.status(db, people[2].id) == .cancelled)
            #expect(try await db.registrations.waitlistPosition(of: try #require(try await db.registrations.registration(id: people[4].id))) == 1)
            // Declining keeps the original place; the seat goes to the next in the original's queue.
            let offer4 = try #require(try await Self.offer(db, from: people[4].id))
            _ = try await db.registrations.decline(offer4.id, token: offer4.manageToken, now: Fixture.start.addingTimeInterval(120))
            #expect(try await Self.status(db, people[4].id) == .waitlisted)
            #expect(try await Self.offer(db, from: people[5].id)?.status == .offered)
            // An offer left to run out: the place is kept, and the seat goes on to the next.
            #expect(try await db.registrations.expireOffers(now: Fixture.start.addingTimeInterval(49 * 3600)) == 1)
            #expect(try await Self.status(db, people[5].id) == .waitlisted)
            #expect(try await Self.offer(db, from: people[6].id)?.status == .offered)
            // Nobody is offered the same second evening twice: with the queue drawn, the seat would go to
            // the second evening's own waitlist.
            let offer6 = try #require(try await Self.offer(db, from: people[6].id))
            _ = try await db.registrations.decline(offer6.id, token: offer6.manageToken, now: Fixture.start.addingTimeInterval(50 * 3600))
            let second = try #require(try await db.events.overflowEvents(of: event.id).first)
            #expect(try await db.events.occupancy(of: second).confirmed == 2)
            #expect(try await db.events.occupancy(of: second).offered == 0)
            let problems = try await Self.problems(db, original: event.id, second: second.id)
            #expect(problems == [], "\(problems)")
        }
    }

    /// Parallel accepts (twice each) and declines of the second evening's offers, accepts of the
    /// original's offers, cancellations and new registrations on both evenings: nobody holds two
    /// seats, nobody is skipped, no evening goes past its seats, the counters match the rows.
    /// Without the original's lock in `offerOverflowSeats` this fails on PostgreSQL (one person
    /// offered a seat of each evening at once).
    @Test(arguments: DatabaseKind.available)
    func acceptsAndRegistrationsAtOnceStayExact(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 30)
            var registered: [Registration] = []
            for index in 0..<150 {
                var profile = Fixture.profile(index)
                profile.anyDate = index % 7 == 0
                registered.append(try await db.registrations.register(profile, for: event.id, now: Fixture.start).registration)
            }
            let people = registered
            let input = try Self.input(capacity: 40)
            let (second, _) = try await db.events.createOverflow(of: event.id, input, now: Fixture.start)
            // Five confirmed people of the original cancel: their seats are offered to the first waiting,
            // who also hold offers of the second evening.
            for person in people.prefix(5) { _ = try await db.registrations.cancel(person.id, token: person.manageToken, now: Fixture.start) }
            var offers: [Registration] = []
            for person in people[30...] {
                if let offer = try await Self.offer(db, from: person.id), offer.status == .offered { offers.append(offer) }
            }
            let originOffers = try await Self.rows(db, [event.id]).filter { $0.status == "offered" }.map { Registration.ID($0.id) }
            var originTokens: [Registration.ID: String] = [:]
            for id in originOffers { originTokens[id] = try await Self.token(db, id) }
            #expect(!offers.isEmpty && originOffers.count == 5)
            let now = Fixture.start.addingTimeInterval(600)
            let failures = try await withThrowingTaskGroup(of: String?.self) { group in
                // Half the second evening's offers are accepted (twice each), half declined: each decline
                // draws the next from the original's queue while the original offers its own freed seats.
                for (index, offer) in offers.enumerated() {
                    for _ in 0..<2 {
                        group.addTask {
                            do {
                                if index % 2 == 0 { _ = try await db.registrations.accept(offer.id, token: offer.manageToken, now: now) }
                                else { _ = try await db.registrations.decline(offer.id, token: offer.manageToken, now: now) }
                                return nil
                            }
                            catch let error as RegistrationActionError where error == .noOpenOffer { return nil }
                            catch { return "answer: \(String(reflecting: error))" }
                        }
                    }
                }
                for (id, token) in originTokens {
                    group.addTask {
                        do { _ = try await db.registrations.accept(id, token: token, now: now); return nil }
                        catch let error as RegistrationActionError where error == .noOpenOffer { return nil }
                        catch { return "origin accept: \(String(reflecting: error))" }
                    }
                }
                for person in people[5..<30] {
                    group.addTask {
                        do { _ = try await db.registrations.cancel(person.id, token: person.manageToken, now: now); return nil }
                        catch { return "cancel: \(String(reflecting: error))" }
                    }
                }
                for index in 1000..<1030 {
                    group.addTask {
                        do { _ = try await db.registrations.register(Fixture.profile(index), for: index % 2 == 0 ? event.id : second.id, now: now); return nil }
                        catch { return "register: \(String(reflecting: error))" }
                    }
                }
                var failures: [String] = []
                for try await failure in group { if let failure { failures.append(failure) } }
                return failures
            }
            #expect(failures == [])
            let problems = try await Self.problems(db, original: event.id, second: second.id)
            #expect(problems == [], "\(problems)")
            // Every accepted offer moved its person: no one confirmed on the second evening still waits on the first.
            let all = try await Self.rows(db, [event.id, second.id])
            let waitingIDs = Set(all.filter { $0.eventId == event.id.uuid && $0.status == "waitlisted" }.map(\.id))
            let confirmedFrom = all.filter { $0.eventId == second.id.uuid && $0.status == "confirmed" }.compactMap(\.originRegistrationId)
            #expect(confirmedFrom.filter(waitingIDs.contains).isEmpty)
        }
    }
}
