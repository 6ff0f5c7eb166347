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

/// "Tell us if you can't come" (issue 15): the friendly note to people who missed two evenings,
/// the manage page's cancel hint and the cancel confirmation say people are waiting for a seat only
/// when someone is: on the evening's waitlist, or for a second evening on the first one's queue.
@Suite("Can't-come wording")
struct CantComeWordingTests {
    static func composer(_ db: Persistence) -> MessageComposer {
        MessageComposer(persistence: db, baseURL: "https://rendezvous.test", from: .init(name: "Rendezvous", email: "noreply@rendezvous.test"))
    }

    /// The friendly notes queued for `event`, as they would be written `minutes` after the start
    /// (each look claims them anew once the previous look's lease has run out; none is sent).
    static func notes(_ db: Persistence, event: Event.ID, minutes: Double) async throws -> [String] {
        let now = Fixture.start.addingTimeInterval(minutes * 60)
        var texts: [String] = []
        for item in try await db.outbox.claimDueMessages(now: now, limit: 100) where item.kind == .attendanceCheck && item.eventID == event {
            guard case .message(let message) = try await composer(db).compose(item, now: now) else { continue }
            texts.append(message.text)
        }
        return texts
    }

    @Test(arguments: DatabaseKind.available)
    func peopleAreSaidToWaitOnlyWhenSomeoneDoes(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            var chapter = try await Fixture.chapter(db)
            // English mails: the chapter's language (nobody chose another).
            try await db.sql.raw("UPDATE chapters SET locale = 'en' WHERE id = \(bind: chapter.id.uuid)").run()
            chapter = try #require(try await db.chapters.chapter(slug: chapter.slug))
            // Two past evenings that person16…19 missed: they get the note.
            for month in 1...2 { try await OverbookingTests.pastEvening(db, chapter: chapter, daysAgo: Double(month * 30), confirmed: 20, came: 16) }
            let event = try await Fixture.event(db, chapter: chapter, capacity: 12)
            var people: [Registration] = []
            for index in 10..<20 { people.append(try await db.registrations.register(Fixture.profile(index), for: event.id, now: Fixture.start).registration) }
            #expect(try await db.events.someoneWaits(for: event) == false)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: [chapter.slug])
            let en: HTTPFields = [.acceptLanguage: "en"], fr: HTTPFields = [.acceptLanguage: "fr"]
            let token = people[0].manageToken
            try await app.application.test(.router) { client in
                #expect(try await client.post("/organize/events/\(event.id)/attendance-check", as: organizer).status == .seeOther)

                // Two seats still free, nobody waiting: nobody is said to wait.
                let quiet = try await Self.notes(db, event: event.id, minutes: 0)
                #expect(quiet.count == 4)
                #expect(quiet.allSatisfy { $0.contains("Seats are limited, and knowing who is coming helps us prepare the evening.") })
                #expect(quiet.allSatisfy { $0.contains("your seat is free again for someone else") })
                #expect(quiet.allSatisfy { !$0.contains("waiting") && !$0.contains("next person in line") })
                let page = try await client.execute(uri: "/manage/\(token)", method: .get, headers: en).text
                #expect(page.contains("If you cannot come, cancelling frees your seat for someone else."))
                #expect(!page.contains("waitlist"))
                let pageFR = try await client.execute(uri: "/manage/\(token)", method: .get, headers: fr).text
                #expect(pageFR.contains("Si vous ne pouvez pas venir, annuler libère votre place pour quelqu’un d’autre."))
                let asked = try await client.execute(uri: "/manage/\(token)/cancel", method: .post, headers: en).text
                #expect(asked.contains("Your seat will be free again for someone else to register."))
                #expect(!asked.contains("waitlist"))
                let askedFR = try await client.execute(uri: "/manage/\(token)/cancel", method: .post, headers: fr).text
                #expect(askedFR.contains("Votre place redeviendra libre pour une nouvelle inscription."))

                // Full, and someone on the waitlist: now they are said to wait, in both languages.
                for index in 20..<23 { _ = try await db.registrations.register(Fixture.profile(index), for: event.id, now: Fixture.start) }
                #expect(try await db.events.someoneWaits(for: event))
                let waiting = try await Self.notes(db, event: event.id, minutes: 10)
                #expect(waiting.count == 4)
                #expect(waiting.allSatisfy { $0.contains("Seats are limited and some people are waiting for one.") && $0.contains("next person in line") })
                let full = try await client.execute(uri: "/manage/\(token)", method: .get, headers: en).text
                #expect(full.contains("If you cannot come, cancelling frees your seat for someone on the waitlist."))
                let fullFR = try await client.execute(uri: "/manage/\(token)", method: .get, headers: fr).text
                #expect(fullFR.contains("annuler libère votre place pour une personne en liste d’attente"))
                let askedFull = try await client.execute(uri: "/manage/\(token)/cancel", method: .post, headers: en).text
                #expect(askedFull.contains("Your seat will be offered to the first person on the waitlist."))
            }
            try await db.sql.raw("UPDATE chapters SET locale = 'fr' WHERE id = \(bind: chapter.id.uuid)").run()
            let french = try await Self.notes(db, event: event.id, minutes: 20)
            #expect(french.count == 4 && french.allSatisfy { $0.contains("Les places sont limitées et des personnes en attendent une.") })
        }
    }

    /// A second evening's freed seat goes first to the first evening's queue: someone waits for it
    /// while that queue holds a person not registered there, and no longer once the first evening is cancelled.
    @Test(arguments: DatabaseKind.available)
    func aSecondEveningWaitsWithTheFirstOnesQueue(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let first = try await Fixture.event(db, chapter: chapter, capacity: 1)
            for index in 0..<3 { _ = try await db.registrations.register(Fixture.profile(index), for: first.id, now: Fixture.start) }
            let (second, _) = try await db.events.createOverflow(of: first.id, try OverflowTests.input(capacity: 2), now: Fixture.start)
            // Both waiting people were offered its two seats: nobody else waits for it.
            #expect(try await db.events.someoneWaits(for: second) == false)
            _ = try await db.registrations.register(Fixture.profile(3), for: first.id, now: Fixture.start)
            // A new person in the first evening's queue (both evenings full): a seat given back at the second goes to them.
            #expect(try await db.events.someoneWaits(for: second))
            #expect(try await db.events.someoneWaits(for: first))
            _ = try await db.events.updateEvent(first.id, title: nil, description: nil, capacity: nil, status: .cancelled, now: Fixture.start)
            #expect(try await db.events.someoneWaits(for: second) == false, "a cancelled first evening has no queue")
        }
    }
}
