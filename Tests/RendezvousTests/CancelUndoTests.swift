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

/// One tap never cancels: the manage page asks first (without JavaScript), and the holder can undo
/// their cancellation while the seat has not been given away. Organisers are asked before
/// cancelling an attendee or a whole meetup. "Send me my link again" answers the same for any
/// address and mails only the address on file.
@Suite("Cancel, confirm and undo")
struct CancelUndoTests {
    static let en: HTTPFields = [.acceptLanguage: "en"]
    static let confirm = PageTests.form(["confirm": "yes"])

    static func outbox(_ db: Persistence, _ registration: Registration.ID) async throws -> [String] {
        struct Row: Decodable { var kind: String }
        return try await db.sql.raw("SELECT kind FROM outbox WHERE registration_id = \(bind: registration.uuid) ORDER BY created_at, kind")
            .rows(Row.self).map(\.kind)
    }

    @Test(arguments: DatabaseKind.available)
    func cancellingAsksFirstAndCanBeUndone(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 2)
            let person = try await db.registrations.register(Fixture.profile(0), for: event.id, now: Fixture.start).registration
            let token = person.manageToken
            try await app.application.test(.router) { client in
                // The first press asks, and changes nothing.
                let asked = try await client.execute(uri: "/manage/\(token)/cancel", method: .post, headers: Self.en)
                #expect(asked.status == .ok)
                #expect(asked.text.contains("Cancel your registration?"))
                #expect(asked.text.contains("name=\"confirm\" value=\"yes\""))
                #expect(asked.text.contains("No, keep my seat"))
                #expect(try await db.registrations.registration(id: person.id)?.status == .confirmed)

                // The confirmation's press cancels; the page then offers to undo.
                let headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .acceptLanguage: "en"]
                let cancelled = try await client.execute(uri: "/manage/\(token)/cancel", method: .post, headers: headers, body: Self.confirm)
                #expect(cancelled.status == .seeOther)
                #expect(try await db.registrations.registration(id: person.id)?.status == .cancelled)
                // The cancellation mail goes out (composed now, before any undo): its calendar sequence.
                let composer = MessageComposer(persistence: db, baseURL: "https://rendezvous.test", from: .init(name: "Rendezvous", email: "noreply@rendezvous.test"))
                func sequences(at moment: Date) async throws -> [String: Int] {
                    var found: [String: Int] = [:]
                    for item in try await db.outbox.claimDueMessages(now: moment, limit: 50) where item.registrationID == person.id {
                        guard case .message(let message) = try await composer.compose(item, now: moment),
                              let ics = message.attachments.first(where: { $0.contentType.hasPrefix("text/calendar") }) else { continue }
                        let text = String(decoding: ics.data, as: UTF8.self)
                        found[item.kind.rawValue + (item.payload["restored"] == "1" ? "-restored" : "")] =
                            text.split(whereSeparator: \.isNewline).first { $0.hasPrefix("SEQUENCE:") }.flatMap { Int($0.dropFirst("SEQUENCE:".count)) }
                    }
                    return found
                }
                let beforeUndo = try await sequences(at: Fixture.start.addingTimeInterval(60))
                let page = try await client.execute(uri: try #require(cancelled.headers[.location]), method: .get, headers: Self.en)
                #expect(page.text.contains("Your registration is cancelled"))
                #expect(page.text.contains("/manage/\(token)/restore"))
                #expect(page.text.contains("Undo my cancellation"))

                // Undo: the seat is theirs again, and a new confirmation (with the calendar entry) goes out.
                let restored = try await client.execute(uri: "/manage/\(token)/restore", method: .post, headers: Self.en)
                #expect(restored.status == .seeOther)
                let back = try await client.execute(uri: try #require(restored.headers[.location]), method: .get, headers: Self.en)
                #expect(back.text.contains("your seat is confirmed again"))
                #expect(!back.text.contains("/manage/\(token)/restore"))
                #expect(try await db.registrations.registration(id: person.id)?.status == .confirmed)
                #expect(try await Self.outbox(db, person.id).sorted() == ["cancelled", "confirmed", "confirmed"])
                // Calendars put the meetup back: the new invitation's sequence is not below the cancellation's.
                let afterUndo = try await sequences(at: Fixture.start.addingTimeInterval(120))
                let cancelledSequence = try #require(beforeUndo["cancelled"])
                let restoredSequence = try #require(afterUndo["confirmed-restored"])
                #expect(restoredSequence >= cancelledSequence && cancelledSequence > (beforeUndo["confirmed"] ?? 0))
                // Undoing twice changes nothing.
                #expect(try await client.execute(uri: "/manage/\(token)/restore", method: .post).status == .seeOther)
                let occupancy = try await db.events.occupancy(of: event)
                #expect(occupancy.confirmed == 1)
                #expect(try await StatusTransitionTests.invariantProblems(db, event.id).filter { !$0.contains("confirmed×2") } == [])
            }
        }
    }

    /// Once the freed seat is offered to the waitlist, undo is refused, clearly, and nothing moves.
    @Test(arguments: DatabaseKind.available)
    func undoComesTooLateOnceTheSeatIsOffered(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 1)
            let first = try await db.registrations.register(Fixture.profile(0), for: event.id, now: Fixture.start).registration
            let second = try await db.registrations.register(Fixture.profile(1), for: event.id, now: Fixture.start).registration
            _ = try await db.registrations.cancel(first.id, token: first.manageToken, now: Fixture.start)
            #expect(try await db.registrations.registration(id: second.id)?.status == .offered)
            try await app.application.test(.router) { client in
                let refused = try await client.execute(uri: "/manage/\(first.manageToken)/restore", method: .post, headers: Self.en)
                #expect(refused.status == .conflict)
                #expect(refused.text.contains("Too late to undo"))
            }
            #expect(try await db.registrations.registration(id: first.id)?.status == .cancelled)
            #expect(try await db.registrations.registration(id: second.id)?.status == .offered)
            #expect(try await StatusTransitionTests.invariantProblems(db, event.id) == [])
        }
    }

    /// Leaving the waitlist can be undone too: back at the old place, ahead of those who came later.
    @Test(arguments: DatabaseKind.available)
    func leavingTheWaitlistCanBeUndone(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 1)
            var registered: [Registration] = []
            for index in 0..<4 { registered.append(try await db.registrations.register(Fixture.profile(index), for: event.id, now: Fixture.start).registration) }
            let people = registered
            let leaver = people[1]
            try await app.application.test(.router) { client in
                let asked = try await client.execute(uri: "/manage/\(leaver.manageToken)/cancel", method: .post, headers: Self.en)
                #expect(asked.text.contains("Leave the waitlist?"))
                _ = try await client.execute(uri: "/manage/\(leaver.manageToken)/cancel", method: .post, headers: PageTests.formHeaders, body: Self.confirm)
                #expect(try await db.registrations.waitlistPosition(of: try #require(try await db.registrations.registration(id: people[2].id))) == 1)
                let page = try await client.execute(uri: "/manage/\(leaver.manageToken)", method: .get, headers: Self.en)
                #expect(page.text.contains("Back on the waitlist"))
                let restored = try await client.execute(uri: "/manage/\(leaver.manageToken)/restore", method: .post, headers: Self.en)
                #expect(restored.headers[.location]?.contains("done=backOnWaitlist") == true)
            }
            let back = try #require(try await db.registrations.registration(id: leaver.id))
            #expect(back.status == .waitlisted)
            #expect(try await db.registrations.waitlistPosition(of: back) == 1)
            #expect(try await StatusTransitionTests.invariantProblems(db, event.id).filter { !$0.contains("waitlisted×2") } == [])
        }
    }

    /// Five people undo at once for two free seats: exactly two get a seat back, on each database.
    @Test(arguments: DatabaseKind.available)
    func parallelUndosNeverOverbook(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let (event, cancelled) = try await Self.twoFreeSeatsFiveCancelled(db)
            let statuses = try await withLiveServer(app) { port in
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for person in cancelled {
                        for _ in 0..<2 {
                            group.addTask { Int(try await send(port, .post, "/manage/\(person.manageToken)/restore").status.code) }
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }
            #expect(statuses.allSatisfy { $0 == 303 || $0 == 409 })
            let occupancy = try await db.events.occupancy(of: event)
            #expect(occupancy.confirmed == 5)
            let back = try await db.registrations.registrations(of: event.id).filter { cancelled.map(\.id).contains($0.id) && $0.status == .confirmed }
            #expect(back.count == 2)
            #expect(try await StatusTransitionTests.invariantProblems(db, event.id).filter { !$0.contains("messages queued twice") } == [])
        }
    }

    /// Tests the test: undo without the guard, fired the same way, overbooks.
    @Test(arguments: DatabaseKind.available)
    func theUndoTestCatchesAMissingGuard(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { db in
            let (event, cancelled) = try await Self.twoFreeSeatsFiveCancelled(db)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for person in cancelled { group.addTask { try? await db.registrations.restoreWithoutGuard(person.id, now: Fixture.start) } }
                try await group.waitForAll()
            }
            #expect(try await db.events.occupancy(of: event).confirmed > 5, "without the guard parallel undos should overbook")
        }
    }

    /// Capacity 5: five registered and cancelled (by themselves), then three newcomers took seats.
    static func twoFreeSeatsFiveCancelled(_ db: Persistence) async throws -> (Event, [Registration]) {
        let chapter = try await Fixture.chapter(db)
        let event = try await Fixture.event(db, chapter: chapter, capacity: 5)
        var cancelled: [Registration] = []
        for index in 0..<5 {
            let person = try await db.registrations.register(Fixture.profile(index), for: event.id, now: Fixture.start).registration
            _ = try await db.registrations.cancel(person.id, token: person.manageToken, now: Fixture.start)
            cancelled.append(person)
        }
        for index in 5..<8 { _ = try await db.registrations.register(Fixture.profile(index), for: event.id, now: Fixture.start) }
        return (event, cancelled)
    }

    /// An organiser is asked before cancelling an attendee or the whole meetup.
    @Test(arguments: DatabaseKind.available)
    func organisersAreAskedBeforeCancelling(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 5)
            let person = try await db.registrations.register(Fixture.profile(0), for: event.id, now: Fixture.start).registration
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: [chapter.slug])
            try await app.application.test(.router) { client in
                func post(_ uri: String, _ fields: [String: String] = [:]) async throws -> TestResponse {
                    var (headers, body) = organizer.form(fields)
                    headers[.acceptLanguage] = "en"
                    return try await client.execute(uri: uri, method: .post, headers: headers, body: body)
                }
                let askedAttendee = try await post("/organize/events/\(event.id)/attendees/\(person.id)/cancel")
                #expect(askedAttendee.status == .ok)
                #expect(askedAttendee.text.contains("Cancel the registration of Marie Quinquies 0?"))
                #expect(try await db.registrations.registration(id: person.id)?.status == .confirmed)
                let askedEvent = try await post("/organize/events/\(event.id)/cancel")
                #expect(askedEvent.status == .ok)
                #expect(askedEvent.text.contains("Cancel this meetup?"))
                #expect(askedEvent.text.contains("1 person will be told"))
                #expect(try await db.events.event(id: event.id)?.status == .published)
                let done = try await post("/organize/events/\(event.id)/cancel", ["confirm": "yes"])
                #expect(done.status == .seeOther)
                #expect(try await db.events.event(id: event.id)?.status == .cancelled)
                // A meetup cancelled by its organisers offers its attendees no undo.
                let page = try await client.execute(uri: "/manage/\(person.manageToken)", method: .get, headers: Self.en)
                #expect(!page.text.contains("/restore"))
            }
        }
    }

    /// "Send me my link again": the same answer whether or not the address is registered; the link
    /// goes to the address on file only, once per ten minutes; a bad address is an error on the field.
    @Test(arguments: DatabaseKind.available)
    func sendMyLinkAgain(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 5)
            let person = try await db.registrations.register(Fixture.profile(0), for: event.id, now: Fixture.start).registration
            var formHeaders = PageTests.formHeaders
            formHeaders[.acceptLanguage] = "en"
            let headers = formHeaders
            try await app.application.test(.router) { client in
                let known = try await client.execute(uri: "/events/\(event.id)/link", method: .post, headers: headers, body: PageTests.form(["email": " PERSON0@example.org "]))
                let unknown = try await client.execute(uri: "/events/\(event.id)/link", method: .post, headers: headers, body: PageTests.form(["email": "nobody@example.org"]))
                #expect(known.status == .ok && unknown.status == .ok)
                func stripped(_ text: String) -> String {
                    text.replacingOccurrences(of: "PERSON0@example.org", with: "X").replacingOccurrences(of: "nobody@example.org", with: "X")
                        .replacingOccurrences(of: "person0@example.org", with: "X")
                }
                #expect(stripped(known.text) == stripped(unknown.text))
                #expect(known.text.contains("a message with the link to your registration is on its way"))
                #expect(try await Self.outbox(db, person.id).filter { $0 == "manageLink" }.count == 1)
                // Asked again at once: still the same answer, no second mail.
                _ = try await client.execute(uri: "/events/\(event.id)/link", method: .post, headers: headers, body: PageTests.form(["email": "person0@example.org"]))
                #expect(try await Self.outbox(db, person.id).filter { $0 == "manageLink" }.count == 1)
                let bad = try await client.execute(uri: "/events/\(event.id)/link", method: .post, headers: headers, body: PageTests.form(["email": "not an address"]))
                #expect(bad.status == .unprocessableContent)
                #expect(bad.text.contains("f-email-error"))
            }
        }
    }

    /// "Send me my link again" pressed many times at once: one mail, on each database (and, without
    /// the event's lock, PostgreSQL queued one per request).
    @Test(arguments: DatabaseKind.available)
    func parallelLinkRequestsSendOneMail(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { db in
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 5)
            let person = try await db.registrations.register(Fixture.profile(0), for: event.id, now: Fixture.start).registration
            let queued = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<8 { group.addTask { try await db.registrations.sendManageLink(event: event.id, email: "person0@example.org", now: Fixture.start) } }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(queued == 1)
            #expect(try await Self.outbox(db, person.id).filter { $0 == "manageLink" }.count == 1)
        }
    }
}
