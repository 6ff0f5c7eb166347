import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RendezvousDomain
@testable import RendezvousPersistence
@testable import RendezvousWeb
import SQLKit
import Testing

/// Table rotations: the setup form, planning, adjusting, the presenter's rounds under
/// concurrency, re-planning live, isolation between chapters, and the printed plan.
@Suite("Table rotations")
struct RoomTests {
    struct Room {
        var app: TestApp
        var event: Event
        var organizer: SignedIn
        var people: [Registration.ID]
        var path: String { "/organize/events/\(event.id)/room" }
    }

    /// A chapter, an event with `count` confirmed people (two of them colleagues), a signed-in organiser.
    static func room(_ app: TestApp, people count: Int = 10) async throws -> Room {
        let chapter = try await Fixture.chapter(app.persistence)
        let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 100)
        let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
        var ids: [Registration.ID] = []
        for index in 1...count {
            var profile = Fixture.profile(index, first: ["Zoé", "Karim", "Дмитрий", "王芳", "Léa", "Tom"][index % 6])
            profile.company = index <= 2 ? "Airbus SAS" : "Company \(index)"
            profile.jobTitle = ["Developer", "Designer", "Founder", "Consultant"][index % 4]
            ids.append(try await app.persistence.registrations.register(profile, for: event.id, now: Fixture.start).registration.id)
        }
        return Room(app: app, event: event, organizer: organizer, people: ids)
    }

    static let setup = ["tables": "3", "seats": "4", "names": "", "smaller": "", "rounds": "3", "minutes": "10"]

    /// Every present person exactly once per round, no table over its seats.
    static func checkSeating(_ plan: RotationPlan, people: Set<String>, seats: [Int]) {
        for round in plan.rounds {
            let seated = round.flatMap { $0 }
            #expect(Set(seated) == people)
            #expect(seated.count == people.count)
            for (index, table) in round.enumerated() { #expect(table.count <= seats[index]) }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func setupProblemsShowOnTheirField(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let room = try await Self.room(app, people: 2)
            try await app.application.test(.router) { client in
                var fields = Self.setup
                fields["seats"] = "40"
                fields["smaller"] = "9:4"
                fields["minutes"] = ""
                let response = try await client.post(room.path + "/setup", as: room.organizer, fields)
                #expect(response.status == .unprocessableContent)
                let html = response.text
                #expect(html.contains(#"<p class="error" id="f-seats-error">"#))
                #expect(html.contains(#"<p class="error" id="f-smaller-error">"#))
                #expect(html.contains(#"<p class="error" id="f-minutes-error">"#))
                #expect(!html.contains(#"id="f-tables-error""#))
                #expect(!html.contains(#"id="f-rounds-error""#))
                #expect(html.contains(#"value="40""#), "what was typed comes back")
                #expect(try await app.persistence.room.state(event: room.event.id) == nil)
            }
        }
    }

    @Test func setupValidation() throws {
        let ok = try RoomSetupInput(tables: "4", seats: "6", names: "Window\n\nBar", smaller: "2:4, 4:3", rounds: "3", minutes: "20").validated().get()
        #expect(ok.tables.map(\.name) == ["Window", "2", "Bar", "4"])
        #expect(ok.tables.map(\.seats) == [6, 4, 6, 3])
        #expect(RoomSetupInput(ok).validated() == .success(ok))
        let bad = RoomSetupInput(tables: "201", seats: "1", names: "", smaller: "x", rounds: "13", minutes: "0").validated()
        guard case .failure(let errors) = bad else { Issue.record("accepted"); return }
        #expect(Set(errors.problems.map(\.field)) == ["tables", "seats", "smaller", "rounds", "minutes"])
        guard case .failure(let names) = RoomSetupInput(tables: "1", seats: "6", names: "A\nB", rounds: "1", minutes: "5").validated() else { Issue.record("accepted"); return }
        #expect(names["names"] == .outOfRange(min: 0, max: 1))
    }

    @Test(arguments: DatabaseKind.available)
    func planSeatsEveryoneOncePerRoundAndTheOrganiserAdjusts(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let room = try await Self.room(app, people: 10)
            let everyone = Set(room.people.map(\.description))
            try await app.application.test(.router) { client in
                #expect(try await client.post(room.path + "/setup", as: room.organizer, Self.setup).status == .seeOther)
                #expect(try await client.post(room.path + "/plan", as: room.organizer).status == .seeOther)
                let state = try #require(try await app.persistence.room.state(event: room.event.id))
                let plan = try #require(state.plan)
                #expect(plan.rounds.count == 3)
                Self.checkSeating(plan, people: everyone, seats: [4, 4, 4])
                #expect(plan.quality.colleaguePairs == 0)
                let page = try await client.get(room.path, as: room.organizer)
                #expect(page.status == .ok)
                #expect(page.text.contains("pairs of colleagues at one table"))
                #expect(page.text.contains("Round 3 of 3"))

                // Move someone in round 2 to another table: a full table, so a swap; then pinned there.
                let person = plan.rounds[1][0][0]
                let moved = try await client.post(room.path + "/move", as: room.organizer, ["round": "1", "person": person, "table": "2"])
                #expect(moved.status == .seeOther)
                let after = try #require(try await app.persistence.room.state(event: room.event.id))
                #expect(after.seat(of: person, round: 1)?.table == 2)
                Self.checkSeating(try #require(after.plan), people: everyone, seats: [4, 4, 4])
                #expect(after.plan?.rounds[0] == plan.rounds[0], "other rounds do not change")
                #expect(after.setup.pins.contains(RotationPin(person: person, round: 1, table: 2)))

                // Unpin, then pin someone else where they sit.
                _ = try await client.post(room.path + "/pin", as: room.organizer, ["round": "1", "person": person, "pin": "0"])
                let other = plan.rounds[2][1][0]
                _ = try await client.post(room.path + "/pin", as: room.organizer, ["round": "2", "person": other, "pin": "1"])
                let pinned = try #require(try await app.persistence.room.state(event: room.event.id))
                #expect(pinned.setup.pins == [RotationPin(person: other, round: 2, table: 1)])

                // A re-plan keeps the pin.
                _ = try await client.post(room.path + "/plan", as: room.organizer)
                let replanned = try #require(try await app.persistence.room.state(event: room.event.id))
                #expect(replanned.seat(of: other, round: 2)?.table == 1)

                // Keep two apart, mark someone gone.
                _ = try await client.post(room.path + "/apart", as: room.organizer, ["first": room.people[0].description, "second": room.people[5].description])
                _ = try await client.post(room.path + "/left", as: room.organizer, ["person": room.people[9].description, "left": "1"])
                _ = try await client.post(room.path + "/plan", as: room.organizer)
                let final = try #require(try await app.persistence.room.state(event: room.event.id))
                #expect(final.setup.keepApart == [PersonPair(room.people[0].description, room.people[5].description)])
                Self.checkSeating(try #require(final.plan), people: everyone.subtracting([room.people[9].description]), seats: [4, 4, 4])
                #expect(final.plan?.quality.keptApartTogether == 0)
            }
        }
    }

    /// The presenter's "next" as it would be without the version condition: read, then write.
    static func unguardedNext(_ persistence: Persistence, _ event: Event.ID) async throws {
        try await persistence.write { sql in
            try await sql.raw("""
                UPDATE event_rooms SET current_round = COALESCE(current_round, -1) + 1, phase = 'running', version = version + 1
                WHERE event_id = \(bind: event.uuid)
                """).run()
        }
    }

    @Test(arguments: DatabaseKind.available)
    func eightPhonesPressingNextAtOnceAdvanceOneRound(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let room = try await Self.room(app, people: 8)
            let store = app.persistence.room
            let id = room.event.id
            let setup = try RoomSetupInput(tables: "2", seats: "4", rounds: "4", minutes: "10").validated().get()
            try await store.saveSetup(event: id, setup: setup, now: Fixture.start)
            let people = try await store.people(event: id)
            let plan = try RotationPlanner.plan(RotationRequest(people: people.map(\.rotationPerson), tables: setup.tables, rounds: 4, timeLimit: 0.5))
            let planned = try await store.savePlan(event: id, plan: plan, now: Fixture.start)

            for expectedRound in 0..<2 {
                let before = try #require(try await store.state(event: id))
                let presses = try await withThrowingTaskGroup(of: RoomState.self) { group in
                    for _ in 0..<8 { group.addTask { try await store.startNextRound(event: id, now: Fixture.start, expectedVersion: before.version) } }
                    return try await group.reduce(into: [RoomState]()) { $0.append($1) }
                }
                let after = try #require(try await store.state(event: id))
                #expect(after.currentRound == expectedRound)
                #expect(after.phase == .running)
                #expect(after.version == before.version + 1, "one press won")
                #expect(presses.allSatisfy { $0.currentRound == expectedRound })
            }
            #expect(planned.version > 0)

            // Without the condition, the same eight presses run the evening on by several rounds.
            let before = try #require(try await store.state(event: id))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 { group.addTask { try await Self.unguardedNext(app.persistence, id) } }
                try await group.waitForAll()
            }
            let unguarded = try #require(try await store.state(event: id))
            #expect(unguarded.currentRound! > before.currentRound! + 1)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func pauseResumeAndFinishKeepTheClock(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let room = try await Self.room(app, people: 6)
            let store = app.persistence.room
            let id = room.event.id
            let setup = try RoomSetupInput(tables: "2", seats: "3", rounds: "2", minutes: "10").validated().get()
            try await store.saveSetup(event: id, setup: setup, now: Fixture.start)
            await #expect(throws: RoomError.noPlan) { try await store.startNextRound(event: id, now: Fixture.start) }
            let people = try await store.people(event: id)
            try await store.savePlan(event: id, plan: try RotationPlanner.plan(RotationRequest(people: people.map(\.rotationPerson), tables: setup.tables, rounds: 2, timeLimit: 0.3)), now: Fixture.start)
            let t0 = Fixture.start
            let running = try await store.startNextRound(event: id, now: t0)
            #expect(running.secondsLeft(now: t0.addingTimeInterval(60)) == 540)
            let paused = try await store.pause(event: id, now: t0.addingTimeInterval(100))
            #expect(paused.phase == .paused)
            #expect(paused.secondsLeft(now: t0.addingTimeInterval(1000)) == 500)
            let resumed = try await store.resume(event: id, now: t0.addingTimeInterval(1000))
            #expect(resumed.secondsLeft(now: t0.addingTimeInterval(1100)) == 400)
            let second = try await store.startNextRound(event: id, now: t0.addingTimeInterval(1200))
            #expect(second.currentRound == 1)
            let over = try await store.startNextRound(event: id, now: t0.addingTimeInterval(1900))
            #expect(over.phase == .finished)
            #expect(over.secondsLeft(now: t0) == nil)
            let again = try await store.finish(event: id, now: t0.addingTimeInterval(2000))
            #expect(again.version == over.version, "nothing to do changes nothing")
        }
    }

    @Test(arguments: DatabaseKind.available)
    func changingTheSetupKeepsWhatHasStarted(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let room = try await Self.room(app, people: 6)
            let store = app.persistence.room
            let id = room.event.id
            let setup = try RoomSetupInput(tables: "2", seats: "3", rounds: "3", minutes: "10").validated().get()
            try await store.saveSetup(event: id, setup: setup, now: Fixture.start)
            let people = try await store.people(event: id)
            try await store.savePlan(event: id, plan: try RotationPlanner.plan(RotationRequest(people: people.map(\.rotationPerson), tables: setup.tables, rounds: 3, timeLimit: 0.3)), now: Fixture.start)
            _ = try await store.startNextRound(event: id, now: Fixture.start)
            _ = try await store.startNextRound(event: id, now: Fixture.start)
            var fewer = setup
            fewer.rounds = 1
            await #expect(throws: RoomError.tablesInUse) { try await store.saveSetup(event: id, setup: fewer, now: Fixture.start) }
            var more = setup
            more.tables.append(RoomTable(name: "3", seats: 3))
            await #expect(throws: RoomError.tablesInUse) { try await store.saveSetup(event: id, setup: more, now: Fixture.start) }
            fewer.rounds = 2
            fewer.roundMinutes = 12
            let cut = try await store.saveSetup(event: id, setup: fewer, now: Fixture.start)
            #expect(cut.plan?.rounds.count == 2 && cut.currentRound == 1 && cut.setup.roundMinutes == 12)
            #expect(try await store.startNextRound(event: id, now: Fixture.start).phase == .finished)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aStartedRoundIsNeverReplannedAndAWalkInMovesFewPeople(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let room = try await Self.room(app, people: 11)
            let store = app.persistence.room
            let id = room.event.id
            for (index, person) in room.people.enumerated() {
                _ = try await app.persistence.door.checkIn(event: id, target: .registration(person), nonce: "n\(index)", device: "d", by: "Door",
                                                           happenedAt: Fixture.start, offline: false, now: Fixture.start)
            }
            try await app.application.test(.router) { client in
                _ = try await client.post(room.path + "/setup", as: room.organizer, ["tables": "4", "seats": "4", "rounds": "3", "minutes": "10"])
                _ = try await client.post(room.path + "/plan", as: room.organizer)
                let first = try #require(try await store.state(event: id))
                let version = String(first.version)
                #expect(try await client.post(room.path + "/next", as: room.organizer, ["version": version]).status == .seeOther)
                let started = try #require(try await store.state(event: id))
                #expect(started.currentRound == 0)
                // A second phone that saw the same page: nothing moves, and it is told why.
                let late = try await client.post(room.path + "/next", as: room.organizer, ["version": version])
                #expect(late.headers[.location]?.contains("done=stale") == true)
                #expect(try await store.state(event: id)?.currentRound == 0)

                // The started round cannot change, whatever plan is offered.
                var tampered = try #require(started.plan)
                tampered.rounds[0].swapAt(0, 1)
                await #expect(throws: RoomError.startedRoundChanged) { try await store.savePlan(event: id, plan: tampered, now: Fixture.start) }
                let move = try await client.post(room.path + "/move", as: room.organizer, ["round": "0", "person": room.people[0].description, "table": "3"])
                #expect(move.status == .badRequest)

                // A walk-in: confirmed and checked in. Re-planning seats them in the rounds to come.
                let walkIn = try await app.persistence.registrations.register(Fixture.profile(99, first: "Walk"), for: id, now: Fixture.start).registration.id
                _ = try await app.persistence.door.checkIn(event: id, target: .registration(walkIn), nonce: "walk", device: "d", by: "Door",
                                                           happenedAt: Fixture.start, offline: false, now: Fixture.start)
                #expect(try await client.post(room.path + "/plan", as: room.organizer).status == .seeOther)
                let replanned = try #require(try await store.state(event: id))
                let plan = try #require(replanned.plan)
                #expect(plan.rounds[0] == first.plan?.rounds[0], "the running round is kept as it was")
                #expect(replanned.seat(of: walkIn.description, round: 0) == nil)
                let everyone = Set((room.people + [walkIn]).map(\.description))
                for round in plan.rounds.dropFirst() { #expect(Set(round.flatMap { $0 }) == everyone) }
                #expect(plan.quality.moved <= 6, "few people move: \(plan.quality.moved)")
                #expect(plan.quality.repeatedPairs == 0)
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func newcomersAndWhoMetAtAnEarlierMeetupOfTheNetwork(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let lyon = try await Fixture.chapter(db, slug: "lyon")
            let toulouse = try await Fixture.chapter(db)
            let earlier = try await Fixture.event(db, chapter: lyon, capacity: 10, startsIn: 10)
            let tonight = try await Fixture.event(db, chapter: toulouse, capacity: 10, startsIn: 30)
            var before: [String] = []
            for index in 1...4 { before.append(try await db.registrations.register(Fixture.profile(index), for: earlier.id, now: Fixture.start).registration.id.description) }
            let setup = RoomSetup(tables: [RoomTable(name: "1", seats: 2), RoomTable(name: "2", seats: 2)], rounds: 1, roundMinutes: 10)
            try await db.room.saveSetup(event: earlier.id, setup: setup, now: Fixture.start)
            var plan = try RotationPlanner.plan(RotationRequest(people: before.map { RotationPerson(key: $0) }, tables: setup.tables, rounds: 1, timeLimit: 0.2))
            plan.rounds = [[[before[0], before[1]], [before[2], before[3]]]]
            try await db.room.savePlan(event: earlier.id, plan: plan, now: Fixture.start)

            var now: [String: String] = [:]
            for index in [1, 2, 3, 5] {
                var profile = Fixture.profile(index)
                profile.email = profile.email.uppercased()
                now["\(index)"] = try await db.registrations.register(profile, for: tonight.id, now: Fixture.start).registration.id.description
            }
            let people = try await db.room.people(event: tonight.id)
            #expect(people.count == 4)
            #expect(Dictionary(uniqueKeysWithValues: people.map { ($0.registrationID, $0.newcomer) })
                    == [now["1"]!: false, now["2"]!: false, now["3"]!: false, now["5"]!: true])
            #expect(try await db.room.metBefore(event: tonight.id) == [PersonPair(now["1"]!, now["2"]!)])
            #expect(try await db.room.metBefore(event: earlier.id).isEmpty, "only earlier evenings count")
            #expect(try await db.room.people(event: earlier.id).allSatisfy(\.newcomer))
        }
    }

    @Test(arguments: DatabaseKind.available)
    func anotherChaptersOrganiserFindsNothing(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let room = try await Self.room(app, people: 3)
            _ = try await Fixture.chapter(app.persistence, slug: "lyon")
            let stranger = try await Accounts.signIn(app, email: "lyon@example.org", chapters: ["lyon"])
            try await app.application.test(.router) { client in
                _ = try await client.post(room.path + "/setup", as: room.organizer, Self.setup)
                #expect(try await client.get(room.path, as: stranger).status == .notFound)
                #expect(try await client.get(room.path + "/plan.pdf", as: stranger).status == .notFound)
                for action in ["setup", "plan", "move", "pin", "apart", "left", "next", "pause", "resume", "finish"] {
                    #expect(try await client.post(room.path + "/" + action, as: stranger, Self.setup).status == .notFound, "\(action)")
                }
                let state = try #require(try await app.persistence.room.state(event: room.event.id))
                #expect(state.plan == nil && state.phase == .notStarted)
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func thePrintedPlanAndTheBadgesNameEveryTable(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let room = try await Self.room(app, people: 7)
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("tables-\(UUID().uuidString)").path
            defer {
                try? FileManager.default.removeItem(atPath: path + ".pdf")
                try? FileManager.default.removeItem(atPath: path + "-badges.pdf")
            }
            try await app.application.test(.router) { client in
                #expect(try await client.get(room.path + "/plan.pdf", as: room.organizer).status == .notFound, "no plan yet")
                _ = try await client.post(room.path + "/setup", as: room.organizer,
                                          ["tables": "2", "seats": "4", "names": "Fenêtre", "rounds": "2", "minutes": "15"])
                _ = try await client.post(room.path + "/plan", as: room.organizer)
                let pdf = try await client.get(room.path + "/plan.pdf", as: room.organizer)
                #expect(pdf.status == .ok)
                #expect(pdf.headers[.contentType] == "application/pdf")
                try Data(pdf.body.readableBytesView).write(to: URL(fileURLWithPath: path + ".pdf"))
                let text = try BadgeTests.run("pdftotext", [path + ".pdf", "-"])
                for index in 1...7 { #expect(text.contains("Quinquies \(index)"), "\(index)") }
                for name in ["Zoé", "Дмитрий", "王芳", "Table 2", "Fenêtre", "Round 1 of 2", "Who sits where"] { #expect(text.contains(name), "\(name)") }

                let badges = try await client.get("/organize/events/\(room.event.id)/badges.pdf?layout=a4-8&include=confirmed", as: room.organizer)
                try Data(badges.body.readableBytesView).write(to: URL(fileURLWithPath: path + "-badges.pdf"))
                let badgeText = try BadgeTests.run("pdftotext", [path + "-badges.pdf", "-"])
                #expect(badgeText.contains("Table "), "round 1's table on the badge")
                #expect(badgeText.contains("Tables "), "every round's, small")
            }
        }
    }
}
