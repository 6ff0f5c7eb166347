import Foundation
import HTTPTypes
import HummingbirdBcrypt
import HummingbirdTesting
import NIOCore
import RendezvousDomain
@testable import RendezvousPersistence
@testable import RendezvousWeb
import Testing

/// The door, attendance and badges through the JSON API: the door page's rules, with a bearer token.
@Suite("JSON API: door, attendance, badges")
struct APIDoorTests {
    struct Tokens { var organizer: String; var door: String; var other: String }

    /// An organiser and door staff of Toulouse, an organiser of Paris: their bearer tokens.
    static func tokens(_ app: TestApp, toulouse: Chapter) async throws -> Tokens {
        _ = try await Fixture.chapter(app.persistence, slug: "paris")
        let hash = Bcrypt.hash("correct horse battery", cost: 4)
        let accounts = app.persistence.accounts
        let organizer = try await accounts.createUser(email: "orga@example.org", name: "Natalajia", role: .organizer, passwordHash: hash, chapterSlugs: ["toulouse"], now: Fixture.start)
        let door = try await accounts.createUser(email: "door@example.org", name: "Dorian", role: .organizer, passwordHash: hash, chapterSlugs: [], now: Fixture.start)
        try await app.persistence.team.setMembership(user: door.id, chapter: toulouse.id, role: .door, now: Fixture.start)
        let other = try await accounts.createUser(email: "paris@example.org", name: "Paris", role: .organizer, passwordHash: hash, chapterSlugs: ["paris"], now: Fixture.start)
        return Tokens(organizer: try await accounts.issueToken(for: organizer.id, now: Fixture.start), door: try await accounts.issueToken(for: door.id, now: Fixture.start),
                      other: try await accounts.issueToken(for: other.id, now: Fixture.start))
    }

    static func call(_ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, _ token: String?, _ body: String? = nil) async throws -> TestResponse {
        var headers = jsonHeaders(token)
        headers[.acceptLanguage] = "en"
        return try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    @Test(arguments: DatabaseKind.available)
    func theDoorKeepsItsRulesOverTheAPI(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let tokens = try await Self.tokens(app, toulouse: chapter)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 1, startsIn: 7) // within the tokens’ 30 days
            let later = try await Fixture.event(app.persistence, chapter: chapter, capacity: 5, startsIn: 60, title: "Rencontre suivante")
            let zoe = try await app.persistence.registrations.register(Fixture.profile(1, first: "Zoé"), for: event.id, now: Fixture.start)
            let waiting = try await app.persistence.registrations.register(Fixture.profile(2, first: "Waiting"), for: event.id, now: Fixture.start)
            let elsewhere = try await app.persistence.registrations.register(Fixture.profile(3, first: "Léa"), for: later.id, now: Fixture.start)
            let ticket = try #require(try await app.persistence.door.ticketToken(of: zoe.registration.id))
            let waitingTicket = try #require(try await app.persistence.door.ticketToken(of: waiting.registration.id))
            let laterTicket = try #require(try await app.persistence.door.ticketToken(of: elsewhere.registration.id))
            let door = "/api/v1/events/\(event.id)/door"
            try await app.application.test(.router) { client in
                // A month before the evening the door admits nobody, and no correction is possible yet.
                let early = try await Self.call(client, .post, door + "/check-ins", tokens.door, #"{"ticket":"\#(ticket)"}"#)
                #expect(early.status == .ok)
                #expect(try early.json()["result"] as? String == "notToday")
                let tooSoon = try await Self.call(client, .put, "/api/v1/events/\(event.id)/attendance/\(zoe.registration.id)", tokens.organizer, #"{"came":true}"#)
                #expect(tooSoon.status == .conflict)
                #expect(try tooSoon.json()["error"] as? String == "The evening has not begun: people are checked in at the door.")

                app.clock.set(event.startsAt)
                // Door staff scan the whole ticket address; the retry (same nonce) gets the same answer.
                let body = #"{"ticket":"https://rendezvous.test/t/\#(ticket)","nonce":"phone-1-0001","device":"phone-1"}"#
                let first = try await Self.call(client, .post, door + "/check-ins", tokens.door, body)
                #expect(first.status == .ok)
                let welcome = try first.json()
                #expect(welcome["result"] as? String == "admitted")
                #expect(welcome["message"] as? String == "Welcome, Zoé!")
                #expect(welcome["checkedInBy"] as? String == "Dorian")
                let retry = try await Self.call(client, .post, door + "/check-ins", tokens.door, body)
                #expect(try retry.json()["result"] as? String == "admitted", "a retried nonce gets its first answer")
                let again = try await Self.call(client, .post, door + "/check-ins", tokens.organizer, #"{"registrationId":"\#(zoe.registration.id)","nonce":"phone-2-0001"}"#)
                #expect(try again.json()["result"] as? String == "already")
                #expect(try await Self.call(client, .post, door + "/check-ins", tokens.door, #"{"ticket":"\#(laterTicket)"}"#).json()["result"] as? String == "otherEvent")
                #expect(try await Self.call(client, .post, door + "/check-ins", tokens.door, #"{"ticket":"\#(waitingTicket)"}"#).json()["result"] as? String == "notConfirmed")
                #expect(try await Self.call(client, .post, door + "/check-ins", tokens.door, #"{"ticket":"not-a-ticket"}"#).json()["result"] as? String == "unknown")
                let neither = try await Self.call(client, .post, door + "/check-ins", tokens.door, #"{"nonce":"x"}"#)
                #expect(neither.status == .unprocessableContent)
                #expect((try neither.json()["fields"] as? [String: String])?["ticket"] == "This field is required.")
                let longNonce = try await Self.call(client, .post, door + "/check-ins", tokens.door, #"{"ticket":"\#(ticket)","nonce":"\#(String(repeating: "n", count: 101))"}"#)
                #expect(longNonce.status == .unprocessableContent)
                #expect((try longNonce.json()["fields"] as? [String: String])?["nonce"] != nil)
                var state = try await Self.call(client, .get, door, tokens.door).json()
                #expect(state["checkedIn"] as? Int == 1)
                #expect(state["expected"] as? Int == 1)
                #expect((state["window"] as? [String: Any])?["open"] as? Bool == true)

                // The door's search, accents and case aside; the undo.
                let found = try await Self.call(client, .get, door + "/people?q=zoe%20QUINQUIES", tokens.door).json()
                let people = try #require(found["items"] as? [[String: Any]])
                #expect(people.map { $0["firstName"] as? String } == ["Zoé"])
                #expect(people.first?["checkedInBy"] as? String == "Dorian")
                let undone = try await Self.call(client, .post, door + "/undo", tokens.door, #"{"registrationId":"\#(zoe.registration.id)"}"#)
                #expect(try undone.json()["result"] as? String == "undone")
                #expect(try await Self.call(client, .post, door + "/undo", tokens.door, "{}").status == .unprocessableContent)

                // A walk-in: the first name is required; then admitted past capacity, counted apart.
                let nameless = try await Self.call(client, .post, door + "/walk-ins", tokens.door, #"{"company":"Acme"}"#)
                #expect(nameless.status == .unprocessableContent)
                #expect((try nameless.json()["fields"] as? [String: String])?["firstName"] != nil)
                let walkIn = try await Self.call(client, .post, door + "/walk-ins", tokens.door, #"{"firstName":"Hugo","company":"Acme"}"#)
                #expect(walkIn.status == .created)
                #expect(try walkIn.json()["result"] as? String == "admitted")
                state = try await Self.call(client, .get, door, tokens.door).json()
                #expect(state["walkIns"] as? Int == 1)
                #expect(state["checkedIn"] as? Int == 0)

                // Chapter isolation, and no token at all.
                for (method, path, body) in [(HTTPRequest.Method.get, door, nil), (.get, door + "/people", nil), (.post, door + "/check-ins", #"{"ticket":"\#(ticket)"}"#),
                                             (.post, door + "/walk-ins", #"{"firstName":"Eve"}"#), (.get, "/api/v1/events/\(event.id)/attendance", nil)] as [(HTTPRequest.Method, String, String?)] {
                    #expect(try await Self.call(client, method, path, tokens.other, body).status == .notFound, "\(method) \(path) for another chapter")
                    #expect(try await Self.call(client, method, path, nil, body).status == .unauthorized, "\(method) \(path) anonymous")
                }

                // The hours: organisers only, among the door page's choices.
                #expect(try await Self.call(client, .put, door + "/window", tokens.door, #"{"hours":72}"#).status == .notFound)
                let five = try await Self.call(client, .put, door + "/window", tokens.organizer, #"{"hours":5}"#)
                #expect(five.status == .unprocessableContent)
                let wide = try await Self.call(client, .put, door + "/window", tokens.organizer, #"{"hours":72}"#)
                #expect(((try wide.json()["window"] as? [String: Any])?["hours"] as? Double) == 72)

                // Three days after the evening the door is closed; an organiser still corrects who came.
                app.clock.set(event.endsAt.addingTimeInterval(80 * 3600))
                #expect(try await Self.call(client, .post, door + "/check-ins", tokens.door, #"{"ticket":"\#(ticket)"}"#).json()["result"] as? String == "notToday")
                #expect(try await Self.call(client, .get, "/api/v1/events/\(event.id)/attendance", tokens.door).status == .notFound)
                let entry = "/api/v1/events/\(event.id)/attendance/\(zoe.registration.id)"
                #expect(try await Self.call(client, .put, entry, tokens.door, #"{"came":true}"#).status == .notFound)
                #expect(try await Self.call(client, .put, entry, tokens.organizer, "{}").status == .unprocessableContent)
                let came = try await Self.call(client, .put, entry, tokens.organizer, #"{"came":true}"#)
                #expect(came.status == .ok)
                #expect(try came.json()["came"] as? Bool == true)
                #expect((try came.json()["checkedInAt"] as? String).flatMap(ISO8601.parse) == event.startsAt)
                let held = try await Self.call(client, .put, "/api/v1/events/\(event.id)/attendance/\(waiting.registration.id)", tokens.organizer, #"{"came":true}"#)
                #expect(held.status == .conflict, "someone who held no seat cannot have come")
                #expect(try await Self.call(client, .put, "/api/v1/events/\(event.id)/attendance/\(elsewhere.registration.id)", tokens.organizer, #"{"came":true}"#).status == .notFound)
                let attendance = try await Self.call(client, .get, "/api/v1/events/\(event.id)/attendance", tokens.organizer).json()
                #expect(attendance["expected"] as? Int == 1)
                #expect(attendance["showed"] as? Int == 1)
                #expect(attendance["came"] as? Int == 2)
                #expect(attendance["noShowRate"] as? Double == 0)
                let cameNot = try await Self.call(client, .put, entry, tokens.organizer, #"{"came":false}"#)
                #expect(try cameNot.json()["came"] as? Bool == false)
                #expect(try await Self.call(client, .get, "/api/v1/events/\(event.id)/attendance", tokens.organizer).json()["noShowRate"] as? Double == 1)
                let log = try await app.persistence.team.auditLog(of: chapter.id)
                #expect(log.filter { $0.action == "attendance.corrected" }.count == 2)
                #expect(log.contains { $0.action == "door.window" })
            }
        }
    }

    /// Five phones scan one ticket through the API at the same moment, each on its own connection:
    /// one welcome, four "already in" (on PostgreSQL, five transactions really race).
    @Test(arguments: DatabaseKind.available)
    func parallelCheckInsAdmitATicketOnce(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let tokens = try await Self.tokens(app, toulouse: chapter)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10, startsIn: 7)
            let zoe = try await app.persistence.registrations.register(Fixture.profile(1, first: "Zoé"), for: event.id, now: Fixture.start)
            let ticket = try #require(try await app.persistence.door.ticketToken(of: zoe.registration.id))
            app.clock.set(event.startsAt)
            let results = try await withLiveServer(app) { port in
                try await withThrowingTaskGroup(of: String.self) { group in
                    for index in 0..<5 {
                        group.addTask {
                            let token = index.isMultiple(of: 2) ? tokens.door : tokens.organizer
                            let response = try await send(port, .post, "/api/v1/events/\(event.id)/door/check-ins",
                                                          json: #"{"ticket":"\#(ticket)","nonce":"phone-\#(index)","device":"phone-\#(index)"}"#,
                                                          headers: [.authorization: "Bearer \(token)"])
                            return try #require(try response.json()["result"] as? String)
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }
            #expect(results.filter { $0 == "admitted" }.count == 1)
            #expect(results.filter { $0 == "already" }.count == 4)
            #expect(try await app.persistence.door.doorState(of: event.id).checkedIn == 1)
        }
    }

    /// Two phones add the same walk-in (same address) at the same moment: one registration, admitted
    /// once; the other phone is told they are already in, never a 500 (on PostgreSQL the two
    /// transactions really race for the one-registration-per-address rule).
    @Test(arguments: DatabaseKind.available)
    func parallelWalkInsWithOneAddressMakeOneRegistration(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let tokens = try await Self.tokens(app, toulouse: chapter)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10, startsIn: 7)
            app.clock.set(event.startsAt)
            let statuses = try await withLiveServer(app) { port in
                try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                    for index in 0..<4 {
                        group.addTask {
                            let response = try await send(port, .post, "/api/v1/events/\(event.id)/door/walk-ins",
                                                          json: #"{"firstName":"Hugo","email":"hugo@example.org"}"#,
                                                          headers: [.authorization: "Bearer \(index.isMultiple(of: 2) ? tokens.door : tokens.organizer)"])
                            return (Int(response.status.code), try? response.json()["result"] as? String)
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }
            #expect(statuses.filter { $0 == (201, "admitted") }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == (200, "already") }.count == 3, "\(statuses)")
            let people = try await app.persistence.door.doorList(of: event.id)
            #expect(people.count == 1)
            #expect(try await app.persistence.door.doorState(of: event.id).walkIns == 1)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func badgesComeAsPDF(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let tokens = try await Self.tokens(app, toulouse: chapter)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 2)
            let other = try await Fixture.event(app.persistence, chapter: chapter, capacity: 2, title: "Autre soirée")
            let zoe = try await app.persistence.registrations.register(Fixture.profile(1, first: "Zoé"), for: event.id, now: Fixture.start)
            _ = try await app.persistence.registrations.register(Fixture.profile(2, first: "Дмитрий"), for: event.id, now: Fixture.start)
            let waiting = try await app.persistence.registrations.register(Fixture.profile(3, first: "Waiting"), for: event.id, now: Fixture.start)
            let stranger = try await app.persistence.registrations.register(Fixture.profile(4, first: "Léa"), for: other.id, now: Fixture.start)
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("api-badges-\(UUID().uuidString).pdf").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            @Sendable func text(_ response: TestResponse) throws -> String {
                try Data(response.body.readableBytesView).write(to: URL(fileURLWithPath: path))
                return try BadgeTests.run("pdftotext", [path, "-"])
            }
            try await app.application.test(.router) { client in
                let all = try await Self.call(client, .get, "/api/v1/events/\(event.id)/badges?layout=a4-8", tokens.organizer)
                #expect(all.status == .ok)
                #expect(all.headers[.contentType] == "application/pdf")
                let printed = try text(all)
                for name in ["Zoé", "Дмитрий", "Quinquies 1"] { #expect(printed.contains(name), "\(name)") }
                #expect(!printed.contains("Waiting"), "waitlisted people get no badge")
                let chosen = try text(try await Self.call(client, .get, "/api/v1/events/\(event.id)/badges?include=selection&ids=\(waiting.registration.id)", tokens.organizer))
                #expect(chosen.contains("Waiting") && !chosen.contains("Zoé"))
                #expect(try await Self.call(client, .get, "/api/v1/events/\(event.id)/badges?layout=poster", tokens.organizer).status == .badRequest)
                #expect(try await app.persistence.team.auditLog(of: chapter.id).contains { $0.action == "badges.printed" })
                // The print run is the organisers'; one label is the door's too.
                #expect(try await Self.call(client, .get, "/api/v1/events/\(event.id)/badges", tokens.door).status == .notFound)
                let one = try await Self.call(client, .get, "/api/v1/events/\(event.id)/badges/\(zoe.registration.id)?layout=roll-62", tokens.door)
                #expect(one.status == .ok)
                #expect(one.headers[.contentType] == "application/pdf")
                let label = try text(one)
                #expect(label.contains("Zoé") && !label.contains("Дмитрий"))
                #expect(try await Self.call(client, .get, "/api/v1/events/\(event.id)/badges/\(stranger.registration.id)", tokens.door).status == .notFound)
                #expect(try await Self.call(client, .get, "/api/v1/events/\(event.id)/badges/\(zoe.registration.id)?layout=poster", tokens.door).status == .badRequest)
                #expect(try await Self.call(client, .get, "/api/v1/events/\(event.id)/badges/\(zoe.registration.id)", tokens.other).status == .notFound)
                #expect(try await Self.call(client, .get, "/api/v1/events/\(event.id)/badges", tokens.other).status == .notFound)
                #expect(try await Self.call(client, .get, "/api/v1/events/\(event.id)/badges", nil).status == .unauthorized)
            }
        }
    }
}
