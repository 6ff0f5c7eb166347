import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RendezvousDomain
@testable import RendezvousPersistence
@testable import RendezvousWeb
import Testing

/// The evening's live pages: the big screen and each attendee's table on their phone.
@Suite("Rooms: the big screen and the attendee's table")
struct RoomLiveTests {
    struct Room: Sendable {
        var event: Event
        var tokens: [String: String]   // registration id → manage token
        var plan: RotationPlan
    }

    /// Twelve confirmed people, three tables of four, three rounds, planned.
    func plannedRoom(_ app: TestApp) async throws -> Room {
        let chapter = try await Fixture.chapter(app.persistence)
        let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 20)
        var tokens: [String: String] = [:]
        for index in 0..<12 {
            var profile = Fixture.profile(index, first: ["Marie", "Karim", "Zoé", "Léa"][index % 4])
            profile.jobTitle = ["Consultante", "Fondateur", "Développeuse", "Recruteuse"][index % 4]
            let outcome = try await app.persistence.registrations.register(profile, for: event.id, now: Fixture.start)
            tokens[outcome.registration.id.description] = outcome.registration.manageToken
        }
        let setup = RoomSetup(tables: (1...3).map { RoomTable(name: "\($0)", seats: 4) }, rounds: 3, roundMinutes: 15)
        _ = try await app.persistence.room.saveSetup(event: event.id, setup: setup, now: Fixture.start)
        let people = try await app.persistence.room.people(event: event.id)
        #expect(people.count == 12)
        let plan = try RotationPlanner.plan(RotationRequest(people: people.map(\.rotationPerson), tables: setup.tables, rounds: 3, seed: 1))
        _ = try await app.persistence.room.savePlan(event: event.id, plan: plan, now: Fixture.start)
        return Room(event: event, tokens: tokens, plan: plan)
    }

    struct ScreenJSON: Decodable {
        struct Announcement: Decodable { var text: String }
        var room: RoomLive?
        var announcements: [Announcement]
    }

    struct SeatJSON: Decodable {
        struct Text: Decodable { var headline: String; var detail: String }
        var seat: SeatLive?
        var text: Text?
    }

    @Test func shortNamesTellPeopleApart() {
        func person(_ id: String, _ first: String, _ last: String) -> RoomPerson {
            RoomPerson(registrationID: id, firstName: first, lastName: last, jobTitle: "", company: "", askMeAbout: "", newcomer: false, checkedIn: false)
        }
        let names = RoomLive.shortNames([person("1", "Karim", "Dubois"), person("2", "Karim", "Durand"), person("3", "Zoé", "Martin"),
                                         person("4", "伟", "王"), person("5", "Léa", "Li"), person("6", "Léa", "Li")])
        #expect(names["1"] == "Karim Dub.")
        #expect(names["2"] == "Karim Dur.")
        #expect(names["3"] == "Zoé M.")
        #expect(names["4"] == "伟 王", "no initial in a script without initials")
        #expect(names["5"] == "Léa Li", "the whole name when even that clashes")
    }

    @Test(arguments: DatabaseKind.available)
    func theScreenIsForTheTeamOrItsLink(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let room = try await plannedRoom(app)
            let id = room.event.id
            let key = RoomLiveController.screenKey(id, vault: app.persistence.tokens)
            let organiser = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            _ = try await Fixture.chapter(app.persistence, slug: "lyon")
            let stranger = try await Accounts.signIn(app, email: "lyon@example.org", chapters: ["lyon"])
            try await app.application.test(.router) { client in
                // Signed out, no key: sign in first. A wrong key, or another chapter's organiser: 404.
                let signedOut = try await client.execute(uri: "/screen/\(id)", method: .get)
                #expect(signedOut.status == .seeOther)
                #expect(signedOut.headers[.location]?.hasPrefix("/signin") == true)
                #expect(try await client.execute(uri: "/screen/\(id)?key=\(key.dropLast(2) + (key.hasSuffix("xx") ? "yy" : "xx"))", method: .get).status == .notFound)
                #expect(try await client.execute(uri: "/screen/\(id)/state.json", method: .get).status == .notFound)
                #expect(try await client.get("/screen/\(id)", as: stranger).status == .notFound)
                #expect(try await client.get("/screen/\(id)/state.json", as: stranger).status == .notFound)
                // Another event's key opens nothing.
                let other = try await Fixture.event(app.persistence, chapter: try #require(try await app.persistence.chapters.chapter(slug: "toulouse")), capacity: 5)
                let otherKey = RoomLiveController.screenKey(other.id, vault: app.persistence.tokens)
                #expect(try await client.execute(uri: "/screen/\(id)/state.json?key=\(otherKey)", method: .get).status == .notFound)

                let page = try await client.get("/screen/\(id)", as: organiser)
                #expect(page.status == .ok)
                #expect(page.text.contains("data-screen-state=\"/screen/\(id)/state.json\""))
                let linked = try await client.execute(uri: "/screen/\(id)?key=\(key)", method: .get, headers: [.acceptLanguage: "fr"])
                #expect(linked.status == .ok)
                #expect(linked.text.contains("state.json?key=\(key)"))

                // The link serves the evening: twelve hours after its end it opens nothing; the team still can.
                app.clock.set(room.event.endsAt.addingTimeInterval(12 * 3600 + 60))
                #expect(try await client.execute(uri: "/screen/\(id)/state.json?key=\(key)", method: .get).status == .notFound)
                let later = try await Accounts.signIn(app, email: "orga2@example.org", chapters: ["toulouse"])
                #expect(try await client.get("/screen/\(id)/state.json", as: later).status == .ok)
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func theScreenShowsEveryTableOfTheRoundOnNow(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let room = try await plannedRoom(app)
            let id = room.event.id
            let key = RoomLiveController.screenKey(id, vault: app.persistence.tokens)
            try await app.application.test(.router) { client in
                let before = try await client.execute(uri: "/screen/\(id)/state.json?key=\(key)", method: .get, headers: [.acceptLanguage: "en"])
                let waiting = try JSONDecoder.iso.decode(ScreenJSON.self, from: Data(buffer: before.body))
                let live = try #require(waiting.room)
                #expect(live.phase == .notStarted)
                #expect(live.round == 1)
                #expect(live.tables.count == 3)
                #expect(live.tables.flatMap(\.people).count == 12, "everyone on the screen once")
                let shown = live.tables.flatMap(\.people).map(\.name)
                #expect(Set(shown).count == 12, "names on the screen tell everyone apart: \(shown)")
                #expect(shown.allSatisfy { !$0.contains("@") })

                // The organiser starts round 1, then round 2: the screen follows, with a countdown.
                _ = try await app.persistence.room.startNextRound(event: id, now: app.clock.now())
                app.clock.advance(by: 60)
                let running = try JSONDecoder.iso.decode(ScreenJSON.self, from: Data(buffer: try await client.execute(uri: "/screen/\(id)/state.json?key=\(key)", method: .get).body))
                #expect(running.room?.phase == .running)
                #expect(running.room?.secondsLeft == 15 * 60 - 60)
                _ = try await app.persistence.room.startNextRound(event: id, now: app.clock.now())
                let second = try JSONDecoder.iso.decode(ScreenJSON.self, from: Data(buffer: try await client.execute(uri: "/screen/\(id)/state.json?key=\(key)", method: .get).body))
                #expect(second.room?.round == 2)
                let names = Set(try #require(second.room).tables.map { $0.people.map(\.name).sorted() })
                let people = Dictionary(uniqueKeysWithValues: try await app.persistence.room.people(event: id).map { ($0.registrationID, $0) })
                let short = RoomLive.shortNames(Array(people.values))
                let planned = Set(room.plan.rounds[1].map { $0.compactMap { short[$0] }.sorted() })
                #expect(names == planned, "round 2's tables as planned")
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func eachPhoneKnowsItsTableAndFollowsTheRounds(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let room = try await plannedRoom(app)
            let id = room.event.id
            let (registration, token) = try #require(room.tokens.first)
            let table = try #require(room.plan.rounds[0].firstIndex { $0.contains(registration) })
            let mates = room.plan.rounds[0][table].filter { $0 != registration }
            let people = Dictionary(uniqueKeysWithValues: try await app.persistence.room.people(event: id).map { ($0.registrationID, $0) })
            try await app.application.test(.router) { client in
                let first = try await client.execute(uri: "/manage/\(token)/room.json", method: .get, headers: [.acceptLanguage: "en"])
                let seat = try JSONDecoder.iso.decode(SeatJSON.self, from: Data(buffer: first.body))
                #expect(seat.text?.headline == "Round 1 of 3 will start soon: your table is \(table + 1)")
                for mate in mates { #expect(seat.text?.detail.contains(try #require(people[mate]).firstName) == true) }
                #expect(seat.seat?.allTables.count == 3)

                // The same version again: 304. After the organiser starts the round: the new text.
                let etag = try #require(first.headers[.eTag])
                #expect(try await client.execute(uri: "/manage/\(token)/room.json", method: .get, headers: [.ifNoneMatch: etag]).status == .notModified)
                _ = try await app.persistence.room.startNextRound(event: id, now: app.clock.now())
                let started = try await client.execute(uri: "/manage/\(token)/room.json", method: .get, headers: [.ifNoneMatch: etag, .acceptLanguage: "fr"])
                #expect(started.status == .ok)
                let now = try JSONDecoder.iso.decode(SeatJSON.self, from: Data(buffer: started.body))
                #expect(now.text?.headline == "Tour 1 sur 3\u{202F}: rendez-vous à la table \(table + 1)")
                let next = try #require(room.plan.rounds[1].firstIndex { $0.contains(registration) })
                #expect(now.text?.detail.contains("Tour suivant\u{202F}: table \(next + 1).") == true)

                // The manage page shows it too, and loads the script that keeps it current.
                let page = try await client.execute(uri: "/manage/\(token)", method: .get, headers: [.acceptLanguage: "en"])
                #expect(page.text.contains("Your table"))
                #expect(page.text.contains("Round 1 of 3: go to table \(table + 1)"))
                #expect(page.text.contains("/static/room.js"))
                #expect(try await client.execute(uri: "/static/room.js", method: .get).status == .ok)

                // Marked as gone: off her tablemates' list at once, and no table on her own phone.
                let mate = try #require(mates.first)
                _ = try await app.persistence.room.markLeft(event: id, registration: mate, left: true, now: app.clock.now())
                let without = try JSONDecoder.iso.decode(SeatJSON.self, from: Data(buffer: try await client.execute(uri: "/manage/\(token)/room.json", method: .get).body))
                #expect(without.seat?.mates.count == mates.count - 1)
                let mateToken = try #require(room.tokens[mate])
                let gone = try JSONDecoder.iso.decode(SeatJSON.self, from: Data(buffer: try await client.execute(uri: "/manage/\(mateToken)/room.json", method: .get, headers: [.acceptLanguage: "en"]).body))
                #expect(gone.seat?.table == nil)
                #expect(gone.text?.headline == "You have no table in this round yet: see an organiser.")

                // A bad token: 404, never someone else's table.
                // Changed for sure (a token may already end in "AA"): its last two characters replaced by others.
                let forged = token.dropLast(2) + (token.hasSuffix("AA") ? "BB" : "AA")
                #expect(try await client.execute(uri: "/manage/\(forged)/room.json", method: .get).status == .notFound)
            }
        }
    }
}

extension JSONDecoder {
    static var iso: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
