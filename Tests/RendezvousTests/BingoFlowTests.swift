import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RendezvousDomain
import RendezvousLocalization
@testable import RendezvousPersistence
@testable import RendezvousWeb
import SQLKit
import Testing

@Suite("Human bingo: registration, cards, ticks, the phone, organisers")
struct BingoFlowTests {
    static let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .acceptLanguage: "en"]

    /// A form body; a registration form (a first name and an email) accepts the code of conduct.
    static func body(_ pairs: [(String, String)]) -> ByteBuffer {
        var pairs = pairs
        let names = Set(pairs.map(\.0))
        if names.contains("firstName"), names.contains("email"), !names.contains("acceptCodeOfConduct") { pairs.append(("acceptCodeOfConduct", "on")) }
        var components = URLComponents()
        components.queryItems = pairs.map { URLQueryItem(name: $0.0, value: $0.1) }
        return ByteBuffer(string: (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B"))
    }

    /// A room where every square has several owners: 14 opted-in people (three of them regulars,
    /// seen at an earlier meetup) and two who did not opt in, sharing a company and a fact nobody
    /// else has.
    struct Room {
        var event: Event
        var chapter: Chapter
        var people: [Registration]
        var hidden: [Registration]
    }

    static func room(_ app: TestApp) async throws -> Room {
        let persistence = app.persistence
        let chapter = try await Fixture.chapter(persistence)
        let earlier = try await Fixture.event(persistence, chapter: chapter, capacity: 10, startsIn: 10, title: "Avant")
        let event = try await Fixture.event(persistence, chapter: chapter, capacity: 30)
        let titles = ["Software engineer", "Data analyst", "UX designer", "Product manager", "Marketing lead"]
        let companies = ["Airbus", "Capgemini", "Thales", "Orange"]
        let topics = ["cycling", "jazz", "gardening", "chess"]
        let facts = BingoFact.allCases.filter { $0 != .runsMarathons } + [.livedAbroad]
        var people: [Registration] = []
        for index in 0 ..< 14 {
            var profile = Fixture.profile(index, first: "P\(index)")
            profile.jobTitle = titles[index % titles.count]
            profile.company = companies[index % companies.count]
            profile.askMeAbout = topics[index % topics.count]
            profile.bingoFacts = Set((0 ..< 3).map { facts[(index * 3 + $0) % facts.count] })
            profile.gamesConsent = true
            if index < 3 { _ = try await persistence.registrations.register(profile, for: earlier.id, now: Fixture.start) }
            people.append(try await persistence.registrations.register(profile, for: event.id, now: Fixture.start).registration)
        }
        var hidden: [Registration] = []
        for index in 20 ..< 22 {
            var profile = Fixture.profile(index, first: "Hidden\(index)")
            profile.jobTitle = "Nurse"
            profile.company = "Secretco"
            profile.askMeAbout = "origami"
            profile.bingoFacts = [.runsMarathons]
            profile.gamesConsent = false
            hidden.append(try await persistence.registrations.register(profile, for: event.id, now: Fixture.start).registration)
        }
        return Room(event: event, chapter: chapter, people: people, hidden: hidden)
    }

    // MARK: Registration

    @Test(arguments: DatabaseKind.available)
    func registrationStoresFactsAndConsent(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10)
            try await app.application.test(.router) { client in
                let page = try await client.execute(uri: "/events/\(event.id)", method: .get, headers: [.acceptLanguage: "en"])
                #expect(page.text.contains("For the evening’s games (optional)"))
                #expect(page.text.contains("I have lived abroad"))

                let posted = try await client.execute(uri: "/events/\(event.id)/register", method: .post, headers: Self.formHeaders, body: Self.body([
                    ("firstName", "Ana"), ("lastName", "Form"), ("email", "ana@example.org"), ("jobTitle", "Founder"),
                    ("bingoFacts[]", "livedAbroad"), ("bingoFacts[]", "hasPet"), ("bingoFacts[]", "notAFact"), ("gamesConsent", "on"),
                ]))
                #expect(posted.status == .seeOther)
                let manage = try #require(posted.headers[.location]).components(separatedBy: "?")[0]
                let token = String(manage.dropFirst("/manage/".count))
                let stored = try #require(try await app.persistence.registrations.registration(manageToken: token))
                #expect(stored.profile.bingoFacts == [.livedAbroad, .hasPet])
                #expect(stored.profile.gamesConsent)

                // The manage page shows them ticked, and the profile form changes them.
                let shown = try await client.execute(uri: manage, method: .get, headers: [.acceptLanguage: "en"])
                #expect(shown.text.contains(#"value="livedAbroad" checked"#))
                #expect(shown.text.contains(#"id="f-gamesConsent" name="gamesConsent" value="on" checked"#))
                let saved = try await client.execute(uri: "\(manage)/profile", method: .post, headers: Self.formHeaders, body: Self.body([
                    ("firstName", "Ana"), ("lastName", "Form"), ("email", "ana@example.org"), ("jobTitle", "Founder"), ("bingoFacts[]", "playsMusic"),
                ]))
                #expect(saved.status == .seeOther)
                let changed = try #require(try await app.persistence.registrations.registration(manageToken: token))
                #expect(changed.profile.bingoFacts == [.playsMusic])
                #expect(!changed.profile.gamesConsent)

                // JSON: the same fields; an unknown fact is refused.
                let json = try await client.execute(uri: "/api/v1/events/\(event.id)/registrations", method: .post, headers: jsonHeaders(), body: ByteBuffer(string: """
                    {"firstName":"Bo","lastName":"Json","email":"bo@example.org","jobTitle":"Engineer","bingoFacts":["volunteers","cooksWell"],"gamesConsent":true,"acceptCodeOfConduct":true}
                    """))
                #expect(json.status == .created)
                let createdToken = try #require(try json.json()["manageToken"] as? String)
                let created = try #require(try await app.persistence.registrations.registration(manageToken: createdToken))
                #expect(created.profile.bingoFacts == [.volunteers, .cooksWell])
                #expect(created.profile.gamesConsent)
                let unknown = try await client.execute(uri: "/api/v1/events/\(event.id)/registrations", method: .post, headers: jsonHeaders(), body: ByteBuffer(string: """
                    {"firstName":"Cy","lastName":"Json","email":"cy@example.org","jobTitle":"Engineer","bingoFacts":["flies"],"acceptCodeOfConduct":true}
                    """))
                #expect(unknown.status == .badRequest)
            }
        }
    }

    // MARK: Cards

    @Test(arguments: DatabaseKind.available)
    func cardsFollowTheRulesAgainstStoredData(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let room = try await Self.room(app)
            let bingo = app.persistence.bingo
            let playable = try await bingo.generate(event: room.event.id, size: 4, now: Fixture.start, seed: 7)
            #expect(playable == room.people.count + room.hidden.count)
            let everyone = try await bingo.people(of: room.event.id)
            #expect(Set(everyone.map(\.id)) == Set(room.people.map(\.id)), "only opted-in people can be picked")
            let regulars = everyone.filter { !$0.player.firstMeetup }.map(\.id)
            #expect(Set(regulars) == Set(room.people.prefix(3).map(\.id)), "first meetup read from earlier confirmed registrations")
            let hiddenSquares: Set<String> = ["company:secretco", "fact:runsMarathons", "topic:origami", "jobFamily:health"]
            for holder in room.people + room.hidden {
                let state = try #require(try await bingo.card(of: holder.id, now: Fixture.start))
                #expect(state.card.size == 4)
                #expect(state.card.squares.count == 16)
                let me = everyone.first { $0.id == holder.id }
                for square in state.card.squares {
                    #expect(!hiddenSquares.contains(square.id), "\(square.id) comes from people who did not opt in")
                    let owners = everyone.filter { $0.id != holder.id && BingoGenerator.satisfies($0.player, square) }
                    #expect(owners.count >= 2, "\(square.id) on \(holder.profile.firstName)'s card")
                    if let me { #expect(!BingoGenerator.satisfies(me.player, square)) }
                }
            }
            // Stable: reading again gives the same card.
            let first = try await bingo.card(of: room.people[0].id, now: Fixture.start)
            #expect(try await bingo.card(of: room.people[0].id, now: Fixture.start) == first)
        }
    }

    /// A person for each of `squares`, all different, none the holder (backtracking).
    static func assign(_ squares: [Int], card: BingoCard, holder: Registration.ID, people: [BingoPerson]) -> [Int: BingoPerson]? {
        func go(_ rest: ArraySlice<Int>, _ used: Set<Registration.ID>) -> [Int: BingoPerson]? {
            guard let square = rest.first else { return [:] }
            for person in people where person.id != holder && !used.contains(person.id) && BingoGenerator.satisfies(person.player, card.squares[square]) {
                if var found = go(rest.dropFirst(), used.union([person.id])) {
                    found[square] = person
                    return found
                }
            }
            return nil
        }
        return go(squares[...], [])
    }

    // MARK: Ticking

    @Test(arguments: DatabaseKind.available)
    func ticksAreCheckedAndALineIsAnnouncedOnce(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let room = try await Self.room(app)
            let bingo = app.persistence.bingo
            try await bingo.generate(event: room.event.id, size: 4, now: Fixture.start, seed: 11)
            let everyone = try await bingo.people(of: room.event.id)
            let holder = room.people[5]
            let state = try #require(try await bingo.card(of: holder.id, now: Fixture.start))
            let card = state.card
            // A row (or any line) that distinct people can fill.
            let size = card.size
            let lines = (0 ..< size).map { row in (0 ..< size).map { row * size + $0 } } + (0 ..< size).map { column in (0 ..< size).map { $0 * size + column } }
            let (line, assignment) = try #require(lines.lazy.compactMap { line in Self.assign(line, card: card, holder: holder.id, people: everyone).map { (line, $0) } }.first)

            // Wrong people: the holder, a person who does not match, a person who did not opt in.
            let square = line[0]
            await #expect(throws: BingoError.holderThemselves) {
                try await bingo.tick(holder: holder.id, square: square, matched: holder.id, now: Fixture.start)
            }
            let nonMatching = try #require(everyone.first { $0.id != holder.id && !BingoGenerator.satisfies($0.player, card.squares[square]) })
            await #expect(throws: BingoError.doesNotMatch) {
                try await bingo.tick(holder: holder.id, square: square, matched: nonMatching.id, now: Fixture.start)
            }
            await #expect(throws: BingoError.notPlaying) {
                try await bingo.tick(holder: holder.id, square: square, matched: room.hidden[0].id, now: Fixture.start)
            }

            // The line, square by square; the repeated tick answers the same.
            var announced: [BingoAnnouncementKind] = []
            for (offset, index) in line.enumerated() {
                let person = assignment[index]!
                let outcome = try await bingo.tick(holder: holder.id, square: index, matched: person.id, now: Fixture.start.addingTimeInterval(Double(offset)))
                #expect(outcome.state.ticks[index]?.matched == person.id)
                announced += outcome.announced
                let again = try await bingo.tick(holder: holder.id, square: index, matched: person.id, now: Fixture.start.addingTimeInterval(100))
                #expect(again.announced.isEmpty)
                #expect(again.state.ticks.count == offset + 1)
            }
            #expect(announced == [.line])

            // The same person cannot fill a second square of this card.
            let used = assignment[line[0]]!
            if let other = card.squares.indices.first(where: { !line.contains($0) && BingoGenerator.satisfies(used.player, card.squares[$0]) }) {
                await #expect(throws: BingoError.alreadyUsed) {
                    try await bingo.tick(holder: holder.id, square: other, matched: used.id, now: Fixture.start)
                }
            }
            // Another square after the line: no second line announcement.
            let others = card.squares.indices.filter { !line.contains($0) }
            let taken = Set(assignment.values.map(\.id))
            if let (index, person) = others.lazy.compactMap({ index in everyone.first { !taken.contains($0.id) && $0.id != holder.id && BingoGenerator.satisfies($0.player, card.squares[index]) }.map { (index, $0) } }).first {
                let outcome = try await bingo.tick(holder: holder.id, square: index, matched: person.id, now: Fixture.start.addingTimeInterval(200))
                #expect(!outcome.announced.contains(.line))
            }
            let news = try await bingo.recentAnnouncements(event: room.event.id, since: Fixture.start.addingTimeInterval(-1))
            #expect(news.count == 1)
            #expect(news.first?.firstName == holder.profile.firstName)
            #expect(news.first?.kind == .line)
            #expect(try await bingo.recentAnnouncements(event: room.event.id, since: Fixture.start.addingTimeInterval(1000)).isEmpty)
        }
    }

    /// An evening may play bingo without tables: the big screen still announces a line.
    @Test(arguments: DatabaseKind.available)
    func aLineShowsOnTheBigScreenWithoutTables(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let room = try await Self.room(app)
            let bingo = app.persistence.bingo
            try await bingo.generate(event: room.event.id, size: 4, now: Fixture.start, seed: 5)
            let holder = room.people[3]
            let card = try #require(try await bingo.card(of: holder.id, now: Fixture.start)).card
            let everyone = try await bingo.people(of: room.event.id)
            let size = card.size
            let rows = (0 ..< size).map { row in (0 ..< size).map { row * size + $0 } }
            let (line, assignment) = try #require(rows.lazy.compactMap { row in
                Self.assign(row, card: card, holder: holder.id, people: everyone).map { (row, $0) }
            }.first)
            let key = RoomLiveController.screenKey(room.event.id, vault: app.persistence.tokens)
            let state = "/screen/\(room.event.id)/state.json?key=\(key)"
            try await app.application.test(.router) { client in
                let before = try await client.execute(uri: state, method: .get, headers: [.acceptLanguage: "en"])
                #expect(before.status == .ok)
                #expect((try before.json()["announcements"] as? [Any])?.isEmpty == true)
                for index in line {
                    _ = try await bingo.tick(holder: holder.id, square: index, matched: assignment[index]!.id, now: app.clock.now())
                }
                let after = try await client.execute(uri: state, method: .get, headers: [.acceptLanguage: "en"])
                let texts = (try after.json()["announcements"] as? [[String: Any]])?.compactMap { $0["text"] as? String }
                #expect(texts == ["\(holder.profile.firstName) has a bingo line!"])
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func parallelTicksOfOneSquareRecordOne(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let room = try await Self.room(app)
            let bingo = app.persistence.bingo
            try await bingo.generate(event: room.event.id, size: 4, now: Fixture.start, seed: 3)
            let everyone = try await bingo.people(of: room.event.id)
            let holder = room.people[2]
            let card = try #require(try await bingo.card(of: holder.id, now: Fixture.start)).card
            let square = try #require(card.squares.indices.max { a, b in
                everyone.filter { BingoGenerator.satisfies($0.player, card.squares[a]) }.count < everyone.filter { BingoGenerator.satisfies($0.player, card.squares[b]) }.count
            })
            let matching = everyone.filter { $0.id != holder.id && BingoGenerator.satisfies($0.player, card.squares[square]) }
            #expect(matching.count >= 2)
            // Each matching person twice, all at once.
            let results = await withTaskGroup(of: Registration.ID?.self) { group in
                for person in matching + matching {
                    group.addTask { try? await bingo.tick(holder: holder.id, square: square, matched: person.id, now: Fixture.start).state.ticks[square]?.matched }
                }
                return await group.reduce(into: [Registration.ID?]()) { $0.append($1) }
            }
            struct Count: Decodable { var count: Int }
            let rows = try await app.persistence.sql.raw("""
                SELECT COUNT(*) AS count FROM bingo_ticks WHERE registration_id = \(bind: holder.id.uuid) AND square_index = \(bind: square)
                """).first(decoding: Count.self)
            #expect(rows?.count == 1)
            let winner = try #require(try await bingo.card(of: holder.id, now: Fixture.start)?.ticks[square]?.matched)
            #expect(results.compactMap { $0 }.allSatisfy { $0 == winner }, "every success names the one recorded tick")
            #expect(results.compactMap { $0 }.count == 2, "the winner's two requests both succeed; the others are refused")
        }
    }

    // MARK: The phone and the contact card

    @Test(arguments: DatabaseKind.available)
    func thePhoneTicksByNameAndFromAScannedBadge(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let room = try await Self.room(app)
            let bingo = app.persistence.bingo
            try await bingo.generate(event: room.event.id, size: 4, now: Fixture.start, seed: 5)
            let everyone = try await bingo.people(of: room.event.id)
            let holder = room.people[4]
            let card = try #require(try await bingo.card(of: holder.id, now: Fixture.start)).card
            let tokens = try await app.persistence.registrations.contactTokens(of: room.event.id)
            try await app.application.test(.router) { client in
                let page = try await client.execute(uri: "/manage/\(holder.manageToken)/bingo", method: .get, headers: [.acceptLanguage: "en"])
                #expect(page.status == .ok)
                #expect(page.text.contains(Strings.bingoSquareShort(card.squares[0], .en)), "squares without the \"Find someone who\" said once above the grid")
                #expect(page.text.contains("Find someone who…"))
                #expect(!page.text.contains("Hidden20"), "people who did not opt in are not offered")
                let setCookie = try #require(page.headers[.setCookie])
                #expect(setCookie.contains("HttpOnly"))
                #expect(!setCookie.contains(holder.id.description), "the cookie is a signed token, not an id")
                let cookie = String(setCookie.split(separator: ";")[0])
                let cookieValue = String(cookie.dropFirst("rv_bingo=".count))

                // By name: a wrong person is refused in the visitor's language.
                let square = 0
                let wrong = try #require(everyone.first { $0.id != holder.id && !BingoGenerator.satisfies($0.player, card.squares[square]) })
                let refused = try await client.execute(uri: "/manage/\(holder.manageToken)/bingo/tick", method: .post, headers: Self.formHeaders,
                                                       body: Self.body([("square", "0"), ("person", wrong.id.description)]))
                #expect(refused.status == .unprocessableContent)
                #expect(refused.text.contains("\(wrong.firstName) \(wrong.lastName) does not match this square."))
                var french = Self.formHeaders
                french[.acceptLanguage] = "fr"
                let refusedFR = try await client.execute(uri: "/manage/\(holder.manageToken)/bingo/tick", method: .post, headers: french,
                                                         body: Self.body([("square", "0"), ("person", holder.id.description)]))
                #expect(refusedFR.text.contains("Vous ne pouvez pas cocher une case avec vous-même."))
                let right = try #require(everyone.first { $0.id != holder.id && BingoGenerator.satisfies($0.player, card.squares[square]) })
                let ticked = try await client.execute(uri: "/manage/\(holder.manageToken)/bingo/tick", method: .post, headers: Self.formHeaders,
                                                      body: Self.body([("square", "0"), ("person", right.id.description)]))
                #expect(ticked.status == .seeOther)
                let after = try await client.execute(uri: "/manage/\(holder.manageToken)/bingo", method: .get, headers: [.acceptLanguage: "en"])
                #expect(after.text.contains("Ticked with \(right.firstName) \(right.lastName)"))

                // From a badge: the contact card offers the squares that person fills.
                let candidates = card.squares.indices.dropFirst()
                let (index, person) = try #require(candidates.lazy.compactMap { index in
                    everyone.first { $0.id != holder.id && $0.id != right.id && BingoGenerator.satisfies($0.player, card.squares[index]) }.map { (index, $0) }
                }.first)
                let contact = "/c/\(tokens[person.id]!)"
                var headers: HTTPFields = [.acceptLanguage: "en", .cookie: cookie]
                let shown = try await client.execute(uri: contact, method: .get, headers: headers)
                #expect(shown.text.contains("Tick a bingo square with \(person.firstName) \(person.lastName)"))
                let anonymous = try await client.execute(uri: contact, method: .get, headers: [.acceptLanguage: "en"])
                #expect(!anonymous.text.contains("Tick a bingo square"))
                headers[.contentType] = "application/x-www-form-urlencoded"
                let forged = try await client.execute(uri: "\(contact)/bingo", method: .post, headers: headers, body: Self.body([("square", String(index))]))
                #expect(forged.status == .notFound, "the form must repeat the cookie")
                let fromBadge = try await client.execute(uri: "\(contact)/bingo", method: .post, headers: headers,
                                                         body: Self.body([("square", String(index)), ("card", cookieValue)]))
                #expect(fromBadge.status == .seeOther)
                #expect(try await bingo.card(of: holder.id, now: Fixture.start)?.ticks[index]?.matched == person.id)
                // The same person again, for another square: refused, and said so on the card.
                if let other = card.squares.indices.first(where: { $0 != index && $0 != square && BingoGenerator.satisfies(person.player, card.squares[$0]) }) {
                    let again = try await client.execute(uri: "\(contact)/bingo", method: .post, headers: headers,
                                                         body: Self.body([("square", String(other)), ("card", cookieValue)]))
                    #expect(again.status == .seeOther)
                    let location = try #require(again.headers[.location])
                    let explained = try await client.execute(uri: location, method: .get, headers: [.acceptLanguage: "en", .cookie: cookie])
                    #expect(explained.text.contains("already filled another square of your card"))
                }
            }
        }
    }

    /// A whole room plays behind the venue's one address: ticks are not under the public writes'
    /// per-address limit (each needs the manage token or the signed cookie).
    @Test func ticksAreNotLimitedPerAddress() async throws {
        try await withApp(.sqlite, rateLimit: RateLimit(requests: 2, window: 60)) { app in
            let room = try await Self.room(app)
            try await app.persistence.bingo.generate(event: room.event.id, size: 4, now: Fixture.start, seed: 1)
            try await app.application.test(.router) { client in
                for holder in room.people.prefix(5) {
                    let response = try await client.execute(uri: "/manage/\(holder.manageToken)/bingo/tick", method: .post, headers: Self.formHeaders,
                                                            body: Self.body([("square", "0"), ("person", holder.id.description)]))
                    #expect(response.status == .unprocessableContent, "refused as the holder themselves, not rate-limited")
                }
            }
        }
    }

    // MARK: Organisers

    @Test(arguments: DatabaseKind.available)
    func organisersGenerateAndPrintAndOtherChaptersSeeNothing(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let room = try await Self.room(app)
            _ = try await Fixture.chapter(app.persistence, slug: "lyon")
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            let stranger = try await Accounts.signIn(app, email: "other@example.org", chapters: ["lyon"])
            let id = room.event.id
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("bingo-\(UUID().uuidString).pdf").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            try await app.application.test(.router) { client in
                #expect(try await client.get("/organize/events/\(id)/bingo", as: stranger).status == .notFound)
                #expect(try await client.post("/organize/events/\(id)/bingo/generate", as: stranger, ["size": "4"]).status == .notFound)
                #expect(try await client.get("/organize/events/\(id)/bingo.pdf", as: stranger).status == .notFound)
                #expect(try await app.persistence.bingo.summary(of: id).cards == 0)

                let overview = try await client.get("/organize/events/\(id)/bingo", as: organizer)
                #expect(overview.status == .ok)
                #expect(overview.text.contains("Confirmed: 16 (opted in to the games: 14)."))
                let generated = try await client.post("/organize/events/\(id)/bingo/generate", as: organizer, ["size": "4"])
                #expect(generated.status == .seeOther)
                let summary = try await app.persistence.bingo.summary(of: id)
                #expect(summary.cards == 16)
                #expect(summary.game?.size == 4)
                let event = try await client.get("/organize/events/\(id)", as: organizer)
                #expect(event.text.contains("/organize/events/\(id)/bingo"))

                // Cards in play: new ones only with the box ticked (they erase every tick).
                let unconfirmed = try await client.post("/organize/events/\(id)/bingo/generate", as: organizer, ["size": "5"])
                #expect(unconfirmed.headers[.location]?.contains("error=confirm") == true)
                #expect(try await app.persistence.bingo.summary(of: id).game?.size == 4, "nothing replaced without the box")
                #expect(try await client.get("/organize/events/\(id)/bingo?error=confirm", as: organizer).text.contains("Tick the box first"))
                #expect(try await client.post("/organize/events/\(id)/bingo/generate", as: organizer, ["size": "4", "replace": "on"]).status == .seeOther)

                let pdf = try await client.get("/organize/events/\(id)/bingo.pdf", as: organizer)
                #expect(pdf.status == .ok)
                #expect(pdf.headers[.contentType] == "application/pdf")
                try Data(pdf.body.readableBytesView).write(to: URL(fileURLWithPath: path))
                let text = try BadgeTests.run("pdftotext", [path, "-"]).replacingOccurrences(of: "\n", with: " ")
                let holder = room.people[0]
                #expect(text.contains("\(holder.profile.firstName) \(holder.profile.lastName)"))
                // Under the name: the evening's title and date, in the chapter's time zone and language.
                #expect(text.contains(room.event.title))
                let formatter = DisplayFormatter(language: room.chapter.locale, timeZone: room.chapter.zone, region: room.chapter.countryCode)
                #expect(text.contains(formatter.longDate(room.event.startsAt)), "\(formatter.longDate(room.event.startsAt))")
                #expect(text.contains(formatter.time(room.event.startsAt)))
                let card = try #require(try await app.persistence.bingo.card(of: holder.id, now: Fixture.start)).card
                let short = card.squares.map { Strings.bingoSquare($0, .en) }.min { $0.count < $1.count }!
                #expect(text.contains(short), "\(short)")
            }
        }
    }
}
