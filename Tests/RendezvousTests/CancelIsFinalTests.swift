import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RendezvousDomain
@testable import RendezvousPersistence
@testable import RendezvousWeb
import Testing

/// Cancelling a meetup is final, as its confirmation says ("This cannot be undone"): it is never
/// published again nor resized, whether through the API, a stale workspace tab or two tabs at once.
@Suite("Cancelling is final")
struct CancelIsFinalTests {
    @Test(arguments: DatabaseKind.available)
    func theAPIRefusesToBringItBack(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let (_, organizer, chapter) = try await APITests.accounts(app)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 1)
            _ = try await app.persistence.registrations.register(Fixture.profile(1), for: event.id, now: Fixture.start)
            let waiting = try await app.persistence.registrations.register(Fixture.profile(2), for: event.id, now: Fixture.start)
            try await app.application.test(.router) { client in
                func patch(_ body: String, language: String = "en") async throws -> TestResponse {
                    var headers = jsonHeaders(organizer)
                    headers[.acceptLanguage] = language
                    return try await client.execute(uri: "/api/v1/events/\(event.id)", method: .patch, headers: headers, body: ByteBuffer(string: body))
                }
                #expect(try await patch(#"{"status":"cancelled"}"#).status == .ok)
                let mails = try await app.persistence.outbox.outboxCount(status: .pending)
                let waitingStatus = try await app.persistence.registrations.registration(id: waiting.registration.id)?.status
                #expect(waitingStatus != RegistrationStatus.offered)
                #expect(mails > 0)

                let published = try await patch(#"{"status":"published"}"#)
                #expect(published.status == .conflict)
                #expect(try published.json()["error"] as? String == "This meetup is cancelled: it cannot be published again, and its capacity no longer changes.")
                let french = try await patch(#"{"status":"draft"}"#, language: "fr")
                #expect(french.status == .conflict)
                #expect(try french.json()["error"] as? String == "Cette rencontre est annulée\u{202F}: elle ne peut plus être republiée, et sa capacité ne change plus.")
                #expect(try await patch(#"{"capacity":5}"#).status == .conflict)
                #expect(try await patch(#"{"title":"Back again","status":"published","capacity":1}"#).status == .conflict)

                // Nothing changed: still cancelled, same size and title, nobody offered a seat, no mail queued.
                let stored = try #require(try await app.persistence.events.event(id: event.id))
                #expect(stored.status == .cancelled)
                #expect(stored.capacity == 1)
                #expect(stored.title == event.title)
                #expect(try await app.persistence.registrations.registration(id: waiting.registration.id)?.status == waitingStatus)
                #expect(try await app.persistence.outbox.outboxCount(status: .pending) == mails)

                // Cancelling again (or keeping the same capacity) stays a harmless no-op: no second cancellation mail.
                #expect(try await patch(#"{"status":"cancelled"}"#).status == .ok)
                #expect(try await patch(#"{"capacity":1,"title":"Corrected title"}"#).status == .ok)
                #expect(try await app.persistence.outbox.outboxCount(status: .pending) == mails)
                #expect(try await app.persistence.events.event(id: event.id)?.status == .cancelled)
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aStaleTabIsToldNothingChanged(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 1)
            _ = try await app.persistence.registrations.register(Fixture.profile(1), for: event.id, now: Fixture.start)
            let waiting = try await app.persistence.registrations.register(Fixture.profile(2), for: event.id, now: Fixture.start)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            try await app.application.test(.router) { client in
                // Before: the workspace offers unpublishing and the capacity form.
                let before = try await client.get("/organize/events/\(event.id)", as: organizer)
                #expect(before.text.contains("action=\"/organize/events/\(event.id)/unpublish\""))
                #expect(before.text.contains("action=\"/organize/events/\(event.id)/capacity\""))

                #expect(try await client.post("/organize/events/\(event.id)/cancel", as: organizer, ["confirm": "yes"]).status == .seeOther)
                let mails = try await app.persistence.outbox.outboxCount(status: .pending)
                let waitingStatus = try await app.persistence.registrations.registration(id: waiting.registration.id)?.status
                #expect(waitingStatus != RegistrationStatus.offered)

                // Presses from a tab opened before the cancellation: back to the page, saying nothing changed.
                for (path, fields) in [("publish", [:]), ("unpublish", [:]), ("capacity", ["capacity": "5"])] as [(String, [String: String])] {
                    let stale = try await client.post("/organize/events/\(event.id)/\(path)", as: organizer, fields)
                    #expect(stale.status == .seeOther, "\(path)")
                    #expect(stale.headers[.location] == "/organize/events/\(event.id)?done=cancelledFinal", "\(path)")
                }
                let stored = try #require(try await app.persistence.events.event(id: event.id))
                #expect(stored.status == .cancelled)
                #expect(stored.capacity == 1)
                #expect(try await app.persistence.registrations.registration(id: waiting.registration.id)?.status == waitingStatus)
                #expect(try await app.persistence.outbox.outboxCount(status: .pending) == mails)

                let page = try await client.get("/organize/events/\(event.id)?done=cancelledFinal", as: organizer)
                #expect(page.status == .ok)
                #expect(page.text.contains("Nothing changed: this meetup is cancelled, which is final (perhaps from another tab)."))
                #expect(page.text.contains("This meetup is cancelled, which is final: it cannot be published again, and its capacity no longer changes."))
                #expect(!page.text.contains("/organize/events/\(event.id)/publish\""))
                #expect(!page.text.contains("/organize/events/\(event.id)/unpublish\""))
                #expect(!page.text.contains("action=\"/organize/events/\(event.id)/capacity\""))
                let french = try await client.get("/organize/events/\(event.id)?done=cancelledFinal", as: organizer, language: "fr")
                #expect(french.text.contains("Rien n’a changé\u{202F}: cette rencontre est annulée, c’est définitif"))

                // The edit form keeps the stored capacity of a cancelled meetup (its words may still be corrected).
                let day = EventForm.localDay(event.startsAt, chapter.zone)
                let edited = try await client.post("/organize/events/\(event.id)/edit", as: organizer, [
                    "title": "Rencontre annulée", "date": day, "startTime": EventForm.localTime(event.startsAt, chapter.zone),
                    "endTime": EventForm.localTime(event.endsAt, chapter.zone), "capacity": "40", "status": "published"])
                #expect(edited.status == .seeOther)
                let after = try #require(try await app.persistence.events.event(id: event.id))
                #expect(after.status == .cancelled)
                #expect(after.capacity == 1)
                #expect(after.title == "Rencontre annulée")
            }
        }
    }

    /// Two tabs at once, one cancelling and one publishing again: whatever the order, the meetup ends
    /// cancelled and each person gets exactly one cancellation mail.
    @Test(arguments: DatabaseKind.available)
    func cancelAndPublishAtOnceEndCancelled(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 2)
            for index in 0..<3 { _ = try await app.persistence.registrations.register(Fixture.profile(index), for: event.id, now: Fixture.start) }
            let events = app.persistence.events
            try await withThrowingTaskGroup(of: Void.self) { group in
                for round in 0..<8 {
                    group.addTask {
                        do {
                            _ = try await events.updateEvent(event.id, title: nil, description: nil, capacity: nil,
                                                             status: round % 2 == 0 ? .cancelled : .published, now: Fixture.start)
                        } catch RegistrationActionError.eventCancelled {}
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await app.persistence.events.event(id: event.id)?.status == .cancelled)
            // Brought back and cancelled again, people would have had two cancellation mails each.
            let records = try await app.persistence.outbox.outbox(of: chapter.id)
            #expect(records.filter { $0.kind == .eventCancelled }.count == 3)
        }
    }
}
