import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RendezvousDomain
import RendezvousLocalization
@testable import RendezvousPersistence
@testable import RendezvousWeb
import Testing

/// Human bingo over the JSON API: organisers generate and read every card; an attendee reads and
/// ticks their own card with their manage token only; refusals in the attendee's language.
@Suite("Human bingo: the JSON API")
struct BingoAPITests {
    @Test(arguments: DatabaseKind.available)
    func generateReadAndTickOverJSON(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let room = try await BingoFlowTests.room(app)
            let accounts = app.persistence.accounts
            let organizer = try await accounts.createUser(
                email: "orga@example.org", name: "Orga", role: .organizer, passwordHash: "x", chapterSlugs: ["toulouse"], now: Fixture.start)
            let organizerToken: String? = try await accounts.issueToken(for: organizer.id, now: Fixture.start)
            _ = try await Fixture.chapter(app.persistence, slug: "lyon")
            let stranger = try await accounts.createUser(
                email: "lyon@example.org", name: "Lyon", role: .organizer, passwordHash: "x", chapterSlugs: ["lyon"], now: Fixture.start)
            let strangerToken = try await accounts.issueToken(for: stranger.id, now: Fixture.start)
            let bingo = "/api/v1/events/\(room.event.id)/bingo"

            try await app.application.test(.router) { client in
                func call(_ method: HTTPRequest.Method, _ uri: String, _ json: String? = nil, token: String?? = nil, manage: String? = nil,
                          language: String = "en") async throws -> TestResponse {
                    var headers = jsonHeaders(token ?? organizerToken)
                    headers[.acceptLanguage] = language
                    if let manage { headers[.xManageToken] = manage }
                    return try await client.execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
                }

                // Another chapter's organiser sees nothing; no token is 401.
                #expect(try await call(.get, bingo, token: strangerToken).status == .notFound)
                #expect(try await call(.post, bingo, #"{"size":4}"#, token: strangerToken).status == .notFound)
                #expect(try await call(.get, bingo, token: .some(nil)).status == .unauthorized)

                // Before any card: no size, no cards.
                let empty = try await call(.get, bingo)
                #expect(empty.status == .ok)
                #expect(try empty.json()["size"] == nil)
                #expect((try empty.json()["cards"] as? [Any])?.isEmpty == true)

                // A wrong size is refused per field.
                for body in [#"{"size":6}"#, #"{}"#] {
                    let bad = try await call(.post, bingo, body)
                    #expect(bad.status == .unprocessableContent)
                    #expect((try bad.json()["fields"] as? [String: String])?["size"] != nil)
                }
                #expect(try await call(.post, bingo, #"{"size":"big"}"#).status == .badRequest)
                #expect(try await app.persistence.bingo.summary(of: room.event.id).cards == 0)

                // Generate 4×4: every confirmed person has a card, squares worded in the caller's language.
                let generated = try await call(.post, bingo, #"{"size":4}"#)
                #expect(generated.status == .ok)
                #expect(try generated.json()["size"] as? Int == 4)
                let overview = try await call(.get, bingo)
                let all = try overview.json()
                let counts = try #require(all["counts"] as? [String: Int])
                #expect(counts["players"] == 16)
                #expect(counts["optedIn"] == 14)
                #expect(counts["cards"] == 16)
                let cards = try #require(all["cards"] as? [[String: Any]])
                #expect(cards.count == 16)
                let holder = room.people[5]
                let listed = try #require(cards.first { $0["holder"] as? String == holder.id.description })
                #expect(listed["holderName"] as? String == "\(holder.profile.firstName) \(holder.profile.lastName)")
                #expect(listed["size"] as? Int == 4)
                let stored = try #require(try await app.persistence.bingo.card(of: holder.id, now: Fixture.start)).card
                let squares = try #require(listed["squares"] as? [[String: Any]])
                #expect(squares.count == 16)
                #expect(squares.map { $0["text"] as? String } == stored.squares.map { Strings.bingoSquare($0, .en) })
                #expect(squares.map { $0["kind"] as? String } == stored.squares.map(\.kind.rawValue))
                #expect(squares.map { $0["index"] as? Int } == Array(0 ..< 16))
                #expect((listed["ticked"] as? [Int]) == [])
                #expect(listed["lines"] as? Int == 0)
                #expect(listed["full"] as? Bool == false)

                // The attendee's own card: with their token only.
                let own = "/api/v1/registrations/\(holder.id)/bingo"
                #expect(try await call(.get, own, token: .some(nil)).status == .notFound)
                #expect(try await call(.get, own, token: .some(nil), manage: room.people[6].manageToken).status == .notFound)
                #expect(try await call(.get, own, token: .some(nil), manage: holder.manageToken + "x").status == .notFound)
                let mine = try await call(.get, own, token: .some(nil), manage: holder.manageToken, language: "fr")
                #expect(mine.status == .ok)
                let card = try #require(try mine.json()["card"] as? [String: Any])
                #expect((card["squares"] as? [[String: Any]])?.map { $0["text"] as? String } == stored.squares.map { Strings.bingoSquare($0, .fr) })
                let people = try #require(try mine.json()["people"] as? [[String: Any]])
                #expect(people.count == 13, "the other opted-in people, never the holder nor those who did not opt in")
                #expect(!people.contains { $0["id"] as? String == holder.id.description })

                // A right tick, then the same again, then a wrong one.
                let everyone = try await app.persistence.bingo.people(of: room.event.id)
                let (square, match) = try #require(stored.squares.indices.lazy.compactMap { index in
                    everyone.first { $0.id != holder.id && BingoGenerator.satisfies($0.player, stored.squares[index]) }.map { (index, $0) }
                }.first)
                let ticks = own + "/ticks"
                let tick = #"{"square":\#(square),"person":"\#(match.id)"}"#
                #expect(try await call(.post, ticks, tick, token: .some(nil), manage: room.people[6].manageToken).status == .notFound)
                let ticked = try await call(.post, ticks, tick, token: .some(nil), manage: holder.manageToken)
                #expect(ticked.status == .ok)
                let after = try #require(try ticked.json()["card"] as? [String: Any])
                #expect(after["ticked"] as? [Int] == [square])
                let filled = try #require((after["squares"] as? [[String: Any]])?[square]["tickedBy"] as? [String: Any])
                #expect(filled["firstName"] as? String == match.firstName)
                #expect(filled["registration"] as? String == match.id.description)
                #expect(!(try ticked.json()["people"] as? [[String: Any]] ?? []).contains { $0["id"] as? String == match.id.description })
                let again = try await call(.post, ticks, tick, token: .some(nil), manage: holder.manageToken)
                #expect(again.status == .ok)
                #expect((try again.json()["announced"] as? [String]) == [])
                #expect((try again.json()["card"] as? [String: Any])?["ticked"] as? [Int] == [square])

                let other = try #require(stored.squares.indices.first { $0 != square })
                let wrong = try #require(everyone.first {
                    $0.id != holder.id && $0.id != match.id && !BingoGenerator.satisfies($0.player, stored.squares[other])
                })
                let refused = try await call(.post, ticks, #"{"square":\#(other),"person":"\#(wrong.id)"}"#, token: .some(nil), manage: holder.manageToken)
                #expect(refused.status == .unprocessableContent)
                #expect(try refused.json()["error"] as? String == "\(wrong.firstName) \(wrong.lastName) does not match this square.")
                #expect((try refused.json()["fields"] as? [String: String])?["person"] != nil)
                let refusedFR = try await call(.post, ticks, #"{"square":\#(other),"person":"\#(wrong.id)"}"#, token: .some(nil),
                                               manage: holder.manageToken, language: "fr")
                #expect(try refusedFR.json()["error"] as? String == "\(wrong.firstName) \(wrong.lastName) ne correspond pas à cette case.")
                let themselves = try await call(.post, ticks, #"{"square":\#(other),"person":"\#(holder.id)"}"#, token: .some(nil), manage: holder.manageToken)
                #expect(themselves.status == .unprocessableContent)
                #expect(try themselves.json()["error"] as? String == "You cannot tick a square with yourself.")
                let offCard = try await call(.post, ticks, #"{"square":99,"person":"\#(match.id)"}"#, token: .some(nil), manage: holder.manageToken)
                #expect(offCard.status == .unprocessableContent)
                #expect((try offCard.json()["fields"] as? [String: String])?["square"] != nil)
                for stranger in ["nobody", UUID().uuidString] {
                    let unknown = try await call(.post, ticks, #"{"square":\#(other),"person":"\#(stranger)"}"#, token: .some(nil), manage: holder.manageToken)
                    #expect(unknown.status == .unprocessableContent)
                    #expect(try unknown.json()["error"] as? String == "This person is not among tonight’s players.")
                }
                let missing = try await call(.post, ticks, #"{"square":1}"#, token: .some(nil), manage: holder.manageToken)
                #expect(missing.status == .unprocessableContent)
                #expect((try missing.json()["fields"] as? [String: String])?["person"] != nil)

                // The organiser sees the tick, without the names.
                let seen = try #require((try await call(.get, bingo).json()["cards"] as? [[String: Any]])?.first { $0["holder"] as? String == holder.id.description })
                #expect(seen["ticked"] as? [Int] == [square])
                #expect((seen["squares"] as? [[String: Any]])?[square]["tickedBy"] == nil)
            }
        }
    }

    /// A late arrival's card is drawn on first read, as on the phone; a waitlisted person has none (409).
    @Test(arguments: DatabaseKind.available)
    func aCardOnDemandAndNoneBeforeConfirmation(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let room = try await BingoFlowTests.room(app)
            let holder = room.people[2]
            try await app.application.test(.router) { client in
                var headers = jsonHeaders()
                headers[.xManageToken] = holder.manageToken
                headers[.acceptLanguage] = "en"
                let read = try await client.execute(uri: "/api/v1/registrations/\(holder.id)/bingo", method: .get, headers: headers)
                #expect(read.status == .ok)
                let card = try #require(try read.json()["card"] as? [String: Any])
                let size = try #require(card["size"] as? Int)
                #expect(size >= 3, "the largest card the room allows, up to 5")
                #expect((card["squares"] as? [Any])?.count == size * size)
                #expect(try await app.persistence.bingo.game(of: room.event.id)?.size == 5, "no size chosen: 5, as on the phone")

                let full = try await Fixture.event(app.persistence, chapter: room.chapter, capacity: 1, title: "Complet")
                _ = try await app.persistence.registrations.register(Fixture.profile(40), for: full.id, now: Fixture.start)
                let waiting = try await app.persistence.registrations.register(Fixture.profile(41), for: full.id, now: Fixture.start).registration
                #expect(waiting.status == .waitlisted)
                headers[.xManageToken] = waiting.manageToken
                let none = try await client.execute(uri: "/api/v1/registrations/\(waiting.id)/bingo", method: .get, headers: headers)
                #expect(none.status == .conflict)
                #expect(try none.json()["error"] as? String == "Your bingo card is ready once your registration is confirmed.")
            }
        }
    }

    /// Guessing who has which fact takes many refused ticks: after 12 on one card in ten minutes
    /// the card rests (429), whatever the address; accepted ticks do not count.
    @Test(arguments: DatabaseKind.available)
    func guessingIsSlowedPerCard(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let room = try await BingoFlowTests.room(app)
            let holder = room.people[0]
            try await app.application.test(.router) { client in
                var headers = jsonHeaders()
                headers[.xManageToken] = holder.manageToken
                headers[.acceptLanguage] = "en"
                let card = try #require(try await client.execute(uri: "/api/v1/registrations/\(holder.id)/bingo", method: .get, headers: headers).json()["card"] as? [String: Any])
                #expect((card["size"] as? Int ?? 0) > 0)
                // The holder themselves never matches: a refusal every time.
                var statuses: [Int] = []
                for attempt in 0 ..< 13 {
                    let body = #"{"square":\#(attempt % 9),"person":"\#(holder.id)"}"#
                    statuses.append(Int(try await client.execute(uri: "/api/v1/registrations/\(holder.id)/bingo/ticks", method: .post,
                                                                 headers: headers, body: ByteBuffer(string: body)).status.code))
                }
                #expect(statuses.prefix(12).allSatisfy { $0 == 422 })
                #expect(statuses.last == 429)
                // Another card is not slowed by this one.
                var other = jsonHeaders()
                other[.xManageToken] = room.people[1].manageToken
                let theirs = try await client.execute(uri: "/api/v1/registrations/\(room.people[1].id)/bingo/ticks", method: .post, headers: other,
                                                      body: ByteBuffer(string: #"{"square":0,"person":"\#(room.people[1].id)"}"#))
                #expect(theirs.status == .unprocessableContent)
            }
        }
    }
}
