import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RendezvousDomain
@testable import RendezvousPersistence
@testable import RendezvousWeb
import Testing

/// What Schemathesis found the handlers refusing (or failing on) although the OpenAPI document
/// allows it; each case is fixed in the handler, and `Tests/browser/test_openapi_schemathesis.py`
/// keeps the document and the handlers agreeing (positive_data_acceptance).
@Suite("JSON API: the document's promises")
struct APIContractTests {
    @Test(arguments: DatabaseKind.available)
    func schemaValidRequestsThatFailedAreAnsweredRightly(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let (_, organizer, chapter) = try await APITests.accounts(app)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 3)
            _ = try await app.persistence.registrations.register(Fixture.profile(1), for: event.id, now: Fixture.start)
            _ = try await app.persistence.registrations.register(Fixture.profile(2), for: event.id, now: Fixture.start)
            try await app.application.test(.router) { client in
                var headers = jsonHeaders(organizer)
                headers[.acceptLanguage] = "en"
                // The same speaker twice was a 500 (the event's speaker list is unique): now listed once.
                let twice = #"{"title":"Rencontre","startsAt":"2099-04-20T18:30:00+02:00","endsAt":"2099-04-20T21:30:00+02:00","capacity":40,"speakers":[{"name":"Ada"},{"name":"Ada","bio":""},{"name":"Ada","jobTitle":"Speaker"}]}"#
                let created = try await client.execute(uri: "/api/v1/chapters/toulouse/events", method: .post, headers: headers, body: ByteBuffer(string: twice))
                #expect(created.status == .created)
                #expect((try created.json()["speakers"] as? [[String: Any]])?.count == 2)
                let overflow = try await client.execute(uri: "/api/v1/events/\(event.id)/overflow", method: .post, headers: headers, body: ByteBuffer(string: twice))
                #expect(overflow.status == .created)

                // Lowering the capacity below the seats held conflicts with what is stored: 409, naming the field.
                let lower = try await client.execute(uri: "/api/v1/events/\(event.id)", method: .patch, headers: headers, body: ByteBuffer(string: #"{"capacity":1}"#))
                #expect(lower.status == .conflict)
                #expect((try lower.json()["fields"] as? [String: String])?["capacity"] == "Must be between 2 and 100,000.")

                // Registering for a cancelled meetup: 409 (the request is fine, the meetup is closed).
                _ = try await client.execute(uri: "/api/v1/events/\(event.id)", method: .patch, headers: headers, body: ByteBuffer(string: #"{"status":"cancelled"}"#))
                let late = try await client.execute(uri: "/api/v1/events/\(event.id)/registrations", method: .post, headers: headers, body: ByteBuffer(string: """
                    {"firstName":"Zoé","lastName":"Late","email":"late@example.org","jobTitle":"Consultante","acceptCodeOfConduct":true}
                    """))
                #expect(late.status == .conflict)
                #expect(try late.json()["error"] as? String == "Registration is closed for this meetup.")
            }
        }
    }
}
