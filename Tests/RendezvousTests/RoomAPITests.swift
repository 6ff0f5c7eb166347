import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RendezvousDomain
@testable import RendezvousPersistence
@testable import RendezvousWeb
import Testing

/// The room over the JSON API: setup, plan, move, rounds; chapter isolation; errors per field.
@Suite("Rooms: the JSON API")
struct RoomAPITests {
    @Test(arguments: DatabaseKind.available)
    func planMoveAndRunTheRoundsOverJSON(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let accounts = try await APITests.accounts(app)
            let organizer: String? = accounts.organizer
            let chapter = accounts.chapter
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 30)
            for index in 0..<14 {
                var profile = Fixture.profile(index)
                profile.company = index < 3 ? ["Airbus", "AIRBUS SAS", "airbus"][index] : "Société \(index)"
                _ = try await app.persistence.registrations.register(profile, for: event.id, now: Fixture.start)
            }
            let room = "/api/v1/events/\(event.id)/room"
            try await app.application.test(.router) { client in
                func call(_ method: HTTPRequest.Method, _ uri: String, _ json: String? = nil, token: String?? = nil) async throws -> TestResponse {
                    var headers = jsonHeaders(token ?? organizer)
                    headers[.acceptLanguage] = "en"
                    return try await client.execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
                }
                // Nothing set up yet: 404; planning first: 409 with a sentence.
                #expect(try await call(.get, room).status == .notFound)
                let early = try await call(.post, room + "/plan")
                #expect(early.status == .conflict)
                #expect(early.text.contains("Save the tables and rounds first."))

                // Field errors name the field.
                let bad = try await call(.put, room, #"{"tables":0,"seats":6,"rounds":3,"roundMinutes":500}"#)
                #expect(bad.status == .unprocessableContent)
                let fields = try #require(try bad.json()["fields"] as? [String: String])
                #expect(fields["tables"] != nil)
                #expect(fields["roundMinutes"] != nil)
                #expect(fields["minutes"] == nil, "the API's own field names")
                #expect(fields["seats"] == nil, "only the wrong fields are named")

                let saved = try await call(.put, room, #"{"tables":4,"seats":4,"names":["Window","Bar"],"smaller":{"4":3},"rounds":3,"roundMinutes":12,"priorities":{"spreadTopics":false}}"#)
                #expect(saved.status == .ok)
                let setup = try saved.json()
                let priorities = try #require(setup["priorities"] as? [String: Bool])
                #expect(priorities == ["mixNewcomers": true, "mixJobs": true, "spreadTopics": false, "avoidMetBefore": true])
                let tables = try #require(setup["tables"] as? [[String: Any]])
                #expect(tables.map { $0["name"] as? String } == ["Window", "Bar", "3", "4"])
                #expect(tables.map { $0["seats"] as? Int } == [4, 4, 4, 3])

                // Another chapter's organiser, or no token: nothing.
                let lyon = try await Fixture.chapter(app.persistence, slug: "lyon")
                _ = lyon
                let stranger = try await app.persistence.accounts.createUser(
                    email: "lyon@example.org", name: "Lyon", role: .organizer, passwordHash: "x", chapterSlugs: ["lyon"], now: Fixture.start)
                let strangerToken = try await app.persistence.accounts.issueToken(for: stranger.id, now: Fixture.start)
                #expect(try await call(.get, room, token: strangerToken).status == .notFound)
                #expect(try await call(.post, room + "/plan", token: strangerToken).status == .notFound)
                #expect(try await call(.get, room, token: .some(nil)).status == .unauthorized)

                let planned = try await call(.post, room + "/plan")
                #expect(planned.status == .ok)
                let plan = try #require(try planned.json()["plan"] as? [String: Any])
                let rounds = try #require(plan["rounds"] as? [[[String]]])
                #expect(rounds.count == 3)
                // Dates as ISO 8601, as the OpenAPI document says.
                #expect((plan["plannedAt"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) } != nil, "\(plan["plannedAt"] ?? "none")")
                for round in rounds { #expect(round.flatMap { $0 }.count == 14, "everyone seated in every round") }
                let quality = try #require(plan["quality"] as? [String: Any])
                #expect(quality["repeatedPairs"] as? Int == 0)
                #expect(quality["colleaguePairs"] as? Int == 0, "the three Airbus people never share a table")

                // Move someone in round 2 to table 1; they are pinned there.
                let person = try #require(rounds[1].first(where: { !$0.isEmpty && rounds[1].firstIndex(of: $0) != 0 })?.first)
                let moved = try await call(.post, room + "/moves", #"{"registration":"\#(person)","round":2,"table":1}"#)
                #expect(moved.status == .ok)
                let after = try #require((try moved.json()["plan"] as? [String: Any])?["rounds"] as? [[[String]]])
                #expect(after[1][0].contains(person))
                let pins = try #require(try moved.json()["pins"] as? [[String: Any]])
                #expect(pins.contains { $0["registration"] as? String == person && $0["round"] as? Int == 2 && $0["table"] as? Int == 1 })
                #expect(try await call(.post, room + "/moves", #"{"registration":"nobody","round":2,"table":1}"#).status == .unprocessableContent)

                // The presenter: next (twice from two tools that saw the same version: one round), pause, resume.
                let version = try #require(try await call(.get, room).json()["version"] as? Int)
                let first = try await call(.post, room + "/rounds", #"{"action":"next","version":\#(version)}"#)
                let second = try await call(.post, room + "/rounds", #"{"action":"next","version":\#(version)}"#)
                #expect(try first.json()["round"] as? Int == 1)
                #expect(try second.json()["round"] as? Int == 1, "a stale press changes nothing")
                #expect(try first.json()["phase"] as? String == "running")
                let running = try #require(try first.json()["version"] as? Int)
                #expect(try await call(.post, room + "/rounds", #"{"action":"pause","version":\#(running)}"#).json()["phase"] as? String == "paused")
                #expect(try await call(.post, room + "/rounds", #"{"action":"resume","version":\#(running + 1)}"#).json()["phase"] as? String == "running")
                #expect(try await call(.post, room + "/rounds", #"{"action":"dance","version":\#(running + 2)}"#).status == .badRequest)
                // Without the version it saw, a tool cannot press (fifty at once would move fifty rounds).
                let blind = try await call(.post, room + "/rounds", #"{"action":"next"}"#)
                #expect(blind.status == .unprocessableContent)
                #expect((try blind.json()["fields"] as? [String: String])?["version"] != nil)
                // A round out of range is named as such.
                #expect(try await call(.post, room + "/moves", #"{"registration":"\#(person)","round":99,"table":1}"#).status == .unprocessableContent)
                // A table name cannot hold a line break (it would become two tables).
                #expect(try await call(.put, room, #"{"tables":4,"seats":4,"names":["A\nB"],"rounds":3,"roundMinutes":12}"#).status == .unprocessableContent)
                // A started round cannot be moved into.
                #expect(try await call(.post, room + "/moves", #"{"registration":"\#(person)","round":1,"table":2}"#).status == .conflict)
            }
        }
    }
}
