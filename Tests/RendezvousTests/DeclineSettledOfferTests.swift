import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RendezvousDomain
@testable import RendezvousPersistence
@testable import RendezvousWeb
import SQLKit
import Testing

/// The JSON API's decline of a second evening's offer that was settled meanwhile (issue 15): the
/// person took their seat on the first evening, or the second evening was cancelled. It answers
/// 409 with the API's conflict shape and changes nothing, as the web page says "no longer open";
/// declining one's own open offer twice still answers 200 both times.
@Suite("Declining a settled offer")
struct DeclineSettledOfferTests {
    static func decline(_ client: some TestClientProtocol, _ registration: Registration, language: String = "en") async throws -> TestResponse {
        try await client.execute(uri: "/api/v1/registrations/\(registration.id)/decline", method: .post,
                                 headers: [HTTPField.Name("X-Manage-Token")!: registration.manageToken, .acceptLanguage: language])
    }

    @Test(arguments: DatabaseKind.available)
    func aSeatTakenOnTheFirstEveningIsNotDeclinedAfterwards(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let first = try await Fixture.event(db, chapter: chapter, capacity: 1)
            let holder = try await db.registrations.register(Fixture.profile(0), for: first.id, now: Fixture.start).registration
            let waiting = try await db.registrations.register(Fixture.profile(1), for: first.id, now: Fixture.start).registration
            let behind = try await db.registrations.register(Fixture.profile(2), for: first.id, now: Fixture.start).registration
            let (second, _) = try await db.events.createOverflow(of: first.id, try OverflowTests.input(capacity: 1), now: Fixture.start)
            let offer = try #require(try await OverflowTests.offer(db, from: waiting.id))
            #expect(offer.status == .offered && offer.eventID == second.id)
            try await app.application.test(.router) { client in
                // A seat frees on the first evening: it is offered to the first in line, who takes it;
                // the second evening's offer lapses and passes to the next.
                _ = try await db.registrations.cancel(holder.id, token: holder.manageToken, now: Fixture.start)
                let accepted = try await client.execute(uri: "/api/v1/registrations/\(waiting.id)/accept", method: .post,
                                                        headers: [HTTPField.Name("X-Manage-Token")!: waiting.manageToken])
                #expect(accepted.status == .ok)
                #expect(try await OverflowTests.status(db, offer.id) == .cancelled)
                let before = try await OverflowTests.rows(db, [first.id, second.id]).map { "\($0.id) \($0.status)" }
                let outbox = try await db.sql.raw("SELECT COUNT(*) AS count FROM outbox").row(CountRow.self)?.count

                // The app left open on the second evening's offer declines it now: refused, nothing changes.
                let refused = try await Self.decline(client, offer)
                #expect(refused.status == .conflict)
                let body = try refused.json()
                #expect(body["error"] as? String == "There is no open seat offer on this registration.")
                #expect((body["fields"] as? [String: Any])?.isEmpty == true, "the shape of every API conflict")
                let french = try await Self.decline(client, offer, language: "fr")
                #expect(french.status == .conflict)
                #expect(try french.json()["error"] as? String == "Aucune place n’est proposée sur cette inscription.")
                #expect(try await OverflowTests.rows(db, [first.id, second.id]).map { "\($0.id) \($0.status)" } == before)
                #expect(try await db.sql.raw("SELECT COUNT(*) AS count FROM outbox").row(CountRow.self)?.count == outbox)
                #expect(try await OverflowTests.status(db, waiting.id) == .confirmed)
                #expect(try await OverflowTests.offer(db, from: behind.id)?.status == .offered, "the lapsed seat went to the next, once")
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aCancelledSecondEveningsOfferIsNotDeclinedButOnesOwnDeclineRepeats(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let first = try await Fixture.event(db, chapter: chapter, capacity: 1)
            _ = try await db.registrations.register(Fixture.profile(0), for: first.id, now: Fixture.start)
            let one = try await db.registrations.register(Fixture.profile(1), for: first.id, now: Fixture.start).registration
            let two = try await db.registrations.register(Fixture.profile(2), for: first.id, now: Fixture.start).registration
            let (second, _) = try await db.events.createOverflow(of: first.id, try OverflowTests.input(capacity: 2), now: Fixture.start)
            let declining = try #require(try await OverflowTests.offer(db, from: one.id))
            let withdrawn = try #require(try await OverflowTests.offer(db, from: two.id))
            try await app.application.test(.router) { client in
                // One's own decline, sent twice (a retry): 200 both times, one seat passed on.
                let declined = try await Self.decline(client, declining)
                #expect(declined.status == .ok)
                #expect(try declined.json()["status"] as? String == "cancelled")
                let again = try await Self.decline(client, declining)
                #expect(again.status == .ok)
                #expect(try again.json()["status"] as? String == "cancelled")
                #expect(try await OverflowTests.status(db, one.id) == .waitlisted, "a declined second evening keeps the first one's place")

                // The second evening is cancelled: its open offer is withdrawn, not declinable afterwards.
                _ = try await db.events.updateEvent(second.id, title: nil, description: nil, capacity: nil, status: .cancelled, now: Fixture.start)
                #expect(try await OverflowTests.status(db, withdrawn.id) == .cancelled)
                let refused = try await Self.decline(client, withdrawn)
                #expect(refused.status == .conflict)
                #expect(try refused.json()["error"] as? String == "There is no open seat offer on this registration.")
                #expect(try await OverflowTests.status(db, two.id) == .waitlisted)
            }
        }
    }
}
