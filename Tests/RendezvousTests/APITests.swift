import Foundation
import HTTPTypes
import HummingbirdBcrypt
import HummingbirdTesting
import NIOCore
import RendezvousDomain
@testable import RendezvousPersistence
@testable import RendezvousWeb
import Testing

@Suite("JSON API")
struct APITests {
    /// Creates an admin and a Toulouse organiser, returns their bearer tokens.
    static func accounts(_ app: TestApp) async throws -> (admin: String, organizer: String, chapter: Chapter) {
        let chapter = try await Fixture.chapter(app.persistence)
        let hash = Bcrypt.hash("correct horse battery", cost: 4)
        let admin = try await app.persistence.accounts.createUser(email: "admin@example.org", name: "Admin", role: .networkAdmin, passwordHash: hash, chapterSlugs: [], now: Fixture.start)
        let organizer = try await app.persistence.accounts.createUser(email: "orga@example.org", name: "Natalajia", role: .organizer, passwordHash: hash, chapterSlugs: ["toulouse"], now: Fixture.start)
        return (try await app.persistence.accounts.issueToken(for: admin.id, now: Fixture.start),
                try await app.persistence.accounts.issueToken(for: organizer.id, now: Fixture.start), chapter)
    }

    static let eventJSON = """
        {"title":"Rencontre de janvier","startsAt":"2027-01-20T18:30:00+01:00","endsAt":"2027-01-20T21:30:00+01:00","capacity":2,
         "description":"Une soirée.","venue":{"name":"La Mêlée","address":"27 rue d'Aubuisson, 31000 Toulouse"},
         "speakers":[{"name":"Jean-Christophe Boussion","jobTitle":"Fondateur, PowerPitch"}]}
        """

    @Test(arguments: DatabaseKind.available)
    func healthAndTokens(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            _ = try await Self.accounts(app)
            try await app.application.test(.router) { client in
                #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
                let good = try await client.execute(uri: "/api/v1/tokens", method: .post, headers: jsonHeaders(),
                                                    body: ByteBuffer(string: #"{"email":"ORGA@example.org","password":"correct horse battery"}"#))
                #expect(good.status == .created)
                let token = try #require(try good.json()["token"] as? String)
                #expect(token.count >= 40)
                let bad = try await client.execute(uri: "/api/v1/tokens", method: .post, headers: jsonHeaders(),
                                                   body: ByteBuffer(string: #"{"email":"orga@example.org","password":"wrong"}"#))
                #expect(bad.status == .unauthorized)
                let forged = try await client.execute(uri: "/api/v1/events/\(UUID())/registrations", method: .get, headers: jsonHeaders("forged"))
                #expect(forged.status == .unauthorized)
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func chaptersAndEventsLifecycle(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let (admin, organizer, _) = try await Self.accounts(app)
            try await app.application.test(.router) { client in
                let chapterBody = ByteBuffer(string: ##"{"slug":"bordeaux","name":"#LinkedInLocal Bordeaux","city":"Bordeaux","countryCode":"fr","timeZone":"Europe/Paris","locale":"fr"}"##)
                #expect(try await client.execute(uri: "/api/v1/chapters", method: .post, headers: jsonHeaders(), body: chapterBody).status == .unauthorized)
                #expect(try await client.execute(uri: "/api/v1/chapters", method: .post, headers: jsonHeaders(organizer), body: chapterBody).status == .forbidden)
                let created = try await client.execute(uri: "/api/v1/chapters", method: .post, headers: jsonHeaders(admin), body: chapterBody)
                #expect(created.status == .created)
                #expect(try created.json()["url"] as? String == "https://rendezvous.test/chapters/bordeaux")
                #expect(try created.json()["countryCode"] as? String == "FR")
                let again = try await client.execute(uri: "/api/v1/chapters", method: .post, headers: jsonHeaders(admin), body: chapterBody)
                #expect(again.status == .unprocessableContent)
                #expect((try again.json()["fields"] as? [String: String])?["slug"] != nil)

                let list = try await client.execute(uri: "/api/v1/chapters", method: .get)
                #expect((try list.json()["items"] as? [[String: Any]])?.count == 2)

                let event = try await client.execute(uri: "/api/v1/chapters/toulouse/events", method: .post, headers: jsonHeaders(organizer), body: ByteBuffer(string: Self.eventJSON))
                #expect(event.status == .created)
                let eventBody = try event.json()
                let id = try #require(eventBody["id"] as? String)
                #expect(eventBody["startsAt"] as? String == "2027-01-20T18:30:00+01:00")
                #expect(eventBody["seatsLeft"] as? Int == 2)
                #expect(eventBody["url"] as? String == "https://rendezvous.test/events/\(id)")
                #expect((eventBody["speakers"] as? [[String: Any]])?.first?["jobTitle"] as? String == "Fondateur, PowerPitch")

                // Two seats, then the waitlist.
                var outcomes: [[String: Any]] = []
                for index in 0..<3 {
                    let response = try await client.execute(uri: "/api/v1/events/\(id)/registrations", method: .post, headers: jsonHeaders(), body: ByteBuffer(string: Fixture.registrationJSON(index)))
                    #expect(response.status == .created)
                    outcomes.append(try response.json())
                }
                #expect(outcomes.map { $0["status"] as? String } == ["confirmed", "confirmed", "waitlisted"])
                #expect(outcomes[2]["waitlistPosition"] as? Int == 1)
                #expect((outcomes[0]["manageUrl"] as? String)?.hasPrefix("https://rendezvous.test/manage/") == true)
                let duplicate = try await client.execute(uri: "/api/v1/events/\(id)/registrations", method: .post, headers: jsonHeaders(), body: ByteBuffer(string: Fixture.registrationJSON(0)))
                #expect(duplicate.status == .conflict)

                let shown = try await client.execute(uri: "/api/v1/events/\(id)", method: .get).json()
                #expect(shown["confirmedCount"] as? Int == 2)
                #expect(shown["waitlistCount"] as? Int == 1)
                #expect(shown["seatsLeft"] as? Int == 0)

                // Cancel the first: the waitlisted person is offered the seat and accepts it.
                let firstID = try #require(outcomes[0]["id"] as? String)
                let firstToken = try #require(outcomes[0]["manageToken"] as? String)
                #expect(try await client.execute(uri: "/api/v1/registrations/\(firstID)/cancel", method: .post, headers: [HTTPField.Name("X-Manage-Token")!: "nope"]).status == .notFound)
                let cancelled = try await client.execute(uri: "/api/v1/registrations/\(firstID)/cancel", method: .post, headers: [HTTPField.Name("X-Manage-Token")!: firstToken])
                #expect(try cancelled.json()["status"] as? String == "cancelled")
                let thirdID = try #require(outcomes[2]["id"] as? String)
                let thirdToken = try #require(outcomes[2]["manageToken"] as? String)
                let accepted = try await client.execute(uri: "/api/v1/registrations/\(thirdID)/accept", method: .post, headers: jsonHeaders(),
                                                        body: ByteBuffer(string: #"{"manageToken":"\#(thirdToken)"}"#))
                #expect(accepted.status == .ok)
                #expect(try accepted.json()["status"] as? String == "confirmed")

                // Organiser list: three registrations; the public cannot read it.
                #expect(try await client.execute(uri: "/api/v1/events/\(id)/registrations", method: .get).status == .unauthorized)
                let registrations = try await client.execute(uri: "/api/v1/events/\(id)/registrations", method: .get, headers: jsonHeaders(organizer))
                #expect((try registrations.json()["items"] as? [[String: Any]])?.count == 3)

                // Raising capacity through PATCH; lowering below the held seats conflicts with them (409).
                let raised = try await client.execute(uri: "/api/v1/events/\(id)", method: .patch, headers: jsonHeaders(organizer), body: ByteBuffer(string: #"{"capacity":5}"#))
                #expect(try raised.json()["seatsLeft"] as? Int == 3)
                let lowered = try await client.execute(uri: "/api/v1/events/\(id)", method: .patch, headers: jsonHeaders(organizer), body: ByteBuffer(string: #"{"capacity":1}"#))
                #expect(lowered.status == .conflict)

                let upcoming = try await client.execute(uri: "/api/v1/chapters/toulouse/events", method: .get).json()
                #expect((upcoming["items"] as? [[String: Any]])?.count == 1)
            }
        }
    }

    /// Chapter isolation: every organiser route answers 404 for another chapter's resources.
    @Test(arguments: DatabaseKind.available)
    func organiserOfAnotherChapterSeesNothing(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let (_, organizer, _) = try await Self.accounts(app)
            let paris = try await Fixture.chapter(app.persistence, slug: "paris")
            let event = try await Fixture.event(app.persistence, chapter: paris, capacity: 10)
            let draft = try await Fixture.event(app.persistence, chapter: paris, capacity: 10, status: .draft)
            try await app.application.test(.router) { client in
                let attempts: [(String, HTTPRequest.Method, String?)] = [
                    ("/api/v1/chapters/paris/events", .post, Self.eventJSON),
                    ("/api/v1/events/\(event.id)/registrations", .get, nil),
                    ("/api/v1/events/\(event.id)", .patch, #"{"capacity":500}"#),
                    ("/api/v1/events/\(draft.id)", .get, nil),
                ]
                for (uri, method, body) in attempts {
                    let response = try await client.execute(uri: uri, method: method, headers: jsonHeaders(organizer), body: body.map { ByteBuffer(string: $0) })
                    #expect(response.status == .notFound, "\(method) \(uri)")
                }
            }
            #expect(try await app.persistence.events.event(id: event.id)?.capacity == 10)
            #expect(try await app.persistence.events.upcomingEvents(of: paris.id, now: Fixture.start).count == 1)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func badInputGetsClear4xx(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10)
            let uri = "/api/v1/events/\(event.id)/registrations"
            try await app.application.test(.router) { client in
                let malformed = try await client.execute(uri: uri, method: .post, headers: jsonHeaders(), body: ByteBuffer(string: "{\"firstName\": "))
                #expect(malformed.status == .badRequest)
                #expect(try malformed.json()["error"] is String)
                let wrongType = try await client.execute(uri: uri, method: .post, headers: jsonHeaders(), body: ByteBuffer(string: #"{"firstName": 12}"#))
                #expect(wrongType.status == .badRequest)
                #expect((try wrongType.json()["fields"] as? [String: String])?["firstName"] != nil)
                let form = try await client.execute(uri: uri, method: .post, headers: [.contentType: "text/plain"], body: ByteBuffer(string: "hello"))
                #expect(form.status == .unsupportedMediaType)
                let huge = try await client.execute(uri: uri, method: .post, headers: jsonHeaders(), body: ByteBuffer(string: "{\"firstName\":\"" + String(repeating: "a", count: 200_000) + "\"}"))
                #expect(huge.status == .contentTooLarge)
                let invalid = try await client.execute(uri: uri, method: .post, headers: [.contentType: "application/json", .acceptLanguage: "fr-FR,fr;q=0.9"],
                    body: ByteBuffer(string: #"{"firstName":"Zoé\u0007","lastName":"","email":"zoe@@example","jobTitle":"Coach","linkedinUrl":"https://evil.example/in/zoe"}"#))
                #expect(invalid.status == .unprocessableContent)
                let fields = try #require(try invalid.json()["fields"] as? [String: String])
                #expect(fields["firstName"] == "Contient des caractères invisibles ou de contrôle\u{202F}; merci de le ressaisir.")
                #expect(fields["lastName"] == "Ce champ est obligatoire.")
                #expect(fields["email"] == "Cette adresse e-mail n’est pas valide.")
                #expect(fields["linkedinUrl"] != nil)
                #expect(try await client.execute(uri: "/api/v1/events/not-a-uuid", method: .get).status == .notFound)
                #expect(try await client.execute(uri: "/api/v1/events/\(UUID())/registrations", method: .post, headers: jsonHeaders(), body: ByteBuffer(string: Fixture.registrationJSON(1))).status == .notFound)
            }
            #expect(try await app.persistence.registrations.registrations(of: event.id).isEmpty)
        }
    }

    @Test func consentsMayBeSentAlone() async throws {
        try await withApp(.sqlite) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 5)
            try await app.application.test(.router) { client in
                let body = #"{"firstName":"Zoé","lastName":"Prinčeva","email":"zoe@example.org","jobTitle":"Coach","consents":{"attendeeList":true},"acceptCodeOfConduct":true}"#
                let response = try await client.execute(uri: "/api/v1/events/\(event.id)/registrations", method: .post, headers: jsonHeaders(), body: ByteBuffer(string: body))
                #expect(response.status == .created)
            }
            let stored = try #require(try await app.persistence.registrations.registrations(of: event.id).first)
            #expect(stored.profile.consents == Consents(attendeeList: true, profileSharing: false))
        }
    }

    @Test func publicWritesAreRateLimited() async throws {
        try await withApp(.sqlite, rateLimit: RateLimit(requests: 3, window: 60)) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10)
            try await withLiveServer(app) { port in
                var statuses: [Int] = []
                var retryAfter: String?
                for index in 0..<5 {
                    let response = try await send(port, .post, "/api/v1/events/\(event.id)/registrations", json: Fixture.registrationJSON(index))
                    statuses.append(Int(response.status.code))
                    if response.status == .tooManyRequests { retryAfter = response.headers[.retryAfter] }
                }
                #expect(statuses == [201, 201, 201, 429, 429])
                #expect(Int(retryAfter ?? "") ?? 0 >= 1)
                // Reads are never limited.
                #expect(try await send(port, .get, "/api/v1/events/\(event.id)").status == .ok)
            }
        }
    }

    @Test func rateLimitSettingParses() {
        #expect(RateLimit(parsing: "30/min") == RateLimit(requests: 30, window: 60))
        #expect(RateLimit(parsing: "5/sec") == RateLimit(requests: 5, window: 1))
        #expect(RateLimit(parsing: "off")?.enabled == false)
        #expect(RateLimit(parsing: "lots") == nil)
    }
}
