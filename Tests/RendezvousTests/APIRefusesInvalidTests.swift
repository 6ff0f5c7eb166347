import Foundation
import HTTPTypes
import HummingbirdTesting
import RendezvousDomain
@testable import RendezvousPersistence
@testable import RendezvousWeb
import Testing

/// Requests the OpenAPI document calls invalid are refused (422, 400 for a missing key), not read leniently (what
/// Schemathesis' negative_data_rejection found): a door window without `hours`, a registration id
/// that is not one beside a ticket, a phone name over 64 characters, badge ids that are not ids,
/// more speakers or agenda lines than an evening holds, more right words than a quiz question
/// holds (whatever its kind), a door search or a registration answer over its length.
@Suite("JSON API: invalid requests are refused")
struct APIRefusesInvalidTests {
    @Test(arguments: DatabaseKind.available)
    func invalidRequestsAreRefused(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let tokens = try await APIDoorTests.tokens(app, toulouse: chapter)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 5, startsIn: 7)
            let zoe = try await app.persistence.registrations.register(Fixture.profile(1, first: "Zoé"), for: event.id, now: Fixture.start)
            let ticket = try #require(try await app.persistence.door.ticketToken(of: zoe.registration.id))
            let door = "/api/v1/events/\(event.id)/door"
            try await app.application.test(.router) { client in
                func fields(_ method: HTTPRequest.Method, _ uri: String, _ body: String? = nil) async throws -> [String: String] {
                    let response = try await APIDoorTests.call(client, method, uri, tokens.organizer, body)
                    #expect(response.status == .unprocessableContent, "\(method) \(uri) \(body ?? "")")
                    return (try? response.json()["fields"] as? [String: String]) ?? [:]
                }
                // The door window: `hours` must be there (a body that is not the document's shape: 400); null (no window) is fine.
                let empty = try await APIDoorTests.call(client, .put, door + "/window", tokens.organizer, "{}")
                let emptyFields = try empty.json()["fields"] as? [String: String]
                #expect(empty.status == .badRequest && emptyFields?["hours"] != nil)
                #expect(try await APIDoorTests.call(client, .put, door + "/window", tokens.organizer, #"{"hours":null}"#).status == .ok)

                app.clock.set(event.startsAt)
                #expect(try await fields(.post, door + "/check-ins", #"{"registrationId":"g176606b-8ef3-50e7-a279-044616f03b57","ticket":"\#(ticket)"}"#)["registrationId"] != nil)
                #expect(try await fields(.post, door + "/check-ins", #"{"ticket":"\#(ticket)","device":"\#(String(repeating: "p", count: 65))"}"#)["device"] != nil)
                #expect(try await fields(.post, door + "/check-ins", #"{"ticket":"","registrationId":"\#(zoe.registration.id)"}"#)["ticket"] != nil)
                #expect(try await fields(.post, door + "/check-ins", #"{"ticket":"\#(String(repeating: "t", count: 501))"}"#)["ticket"] != nil)
                #expect(try await fields(.post, door + "/undo", #"{"registrationId":"\#(zoe.registration.id)","device":"\#(String(repeating: "p", count: 65))"}"#)["device"] != nil)
                // Nobody was let in by the refused requests; 64 characters are fine.
                let admitted = try await APIDoorTests.call(client, .post, door + "/check-ins", tokens.organizer, #"{"ticket":"\#(ticket)","device":"\#(String(repeating: "p", count: 64))"}"#)
                #expect(try admitted.json()["result"] as? String == "admitted")

                #expect(try await fields(.get, "/api/v1/events/\(event.id)/badges?ids=not-an-id")["ids"] != nil)
                // 200 characters as the document counts them (code points): 101 accented letters written with combining accents are 202.
                let accented = String(repeating: "e%CC%81", count: 101)
                #expect(try await fields(.get, door + "/people?q=\(accented)")["q"] != nil)
                // An answer over 500 characters, even to a question the evening does not ask.
                let registration = #"{"firstName":"Ada","lastName":"Fuzz","email":"ada@example.org","jobTitle":"Testeuse","company":"Acme","conductAccepted":true"#
                #expect(try await fields(.post, "/api/v1/events/\(event.id)/registrations", registration + #","answers":{"nope":"\#(String(repeating: "a", count: 501))"}}"#)["answers.nope"] != nil)

                let speakers = (1...21).map { #"{"name":"Oratrice \#($0)"}"# }.joined(separator: ",")
                let evening = #"{"title":"Rencontre","startsAt":"2099-04-20T18:30:00+02:00","endsAt":"2099-04-20T21:30:00+02:00","capacity":40"#
                #expect(try await fields(.post, "/api/v1/chapters/toulouse/events", evening + #","speakers":[\#(speakers)]}"#)["speakers"] != nil)
                let agenda = (1...51).map { _ in #"{"startsAt":"2099-04-20T18:30:00+02:00","title":"Accueil"}"# }.joined(separator: ",")
                #expect(try await fields(.post, "/api/v1/chapters/toulouse/events", evening + #","agenda":[\#(agenda)]}"#)["agenda"] != nil)
                let twenty = (1...20).map { #"{"name":"Oratrice \#($0)"}"# }.joined(separator: ",")
                #expect(try await APIDoorTests.call(client, .post, "/api/v1/chapters/toulouse/events", tokens.organizer, evening + #","speakers":[\#(twenty)]}"#).status == .created)

                let words = (1...21).map { #""mot\#($0)""# }.joined(separator: ",")
                for kind in ["word", "number"] {
                    let quiz = #"{"title":"Quiz","language":"fr","questions":[{"kind":"\#(kind)","prompt":"Combien ?","answer":3,"accepted":[\#(words)]}]}"#
                    #expect(try await fields(.post, "/api/v1/chapters/toulouse/quizzes", quiz)["questions[0].accepted"] != nil, "\(kind)")
                }
            }
        }
    }
}
