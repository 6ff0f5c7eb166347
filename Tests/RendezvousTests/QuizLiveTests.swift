import Foundation
import HTTPTypes
import HummingbirdTesting
import HummingbirdWSClient
import Logging
import NIOConcurrencyHelpers
import NIOCore
import RendezvousDomain
@testable import RendezvousPersistence
@testable import RendezvousWeb
import Testing

/// The live quiz end to end: joining, the WebSocket channel, the server's deadlines and scores,
/// answers counted exactly once under concurrency, on both databases.
@Suite("Quiz: the live game")
struct QuizLiveTests {
    static func quiz(_ chapter: Chapter.ID) -> Quiz {
        Quiz(chapterID: chapter, title: "LinkedIn trivia", language: .en, questions: [
            QuizQuestion(kind: .single, prompt: "When was LinkedIn founded?", choices: ["1999", "2002", "2006"], correct: [1], seconds: 20, points: 1000),
            QuizQuestion(kind: .number, prompt: "How many cities hold a #LinkedInLocal?", answer: 600, seconds: 20, points: 1000),
            QuizQuestion(kind: .word, prompt: "One word for networking?", accepted: ["réseau", "network"], seconds: 20, points: 500),
        ])
    }

    struct Game: Sendable {
        var event: Event
        var organizer: SignedIn
        var session: QuizSession
    }

    func startedGame(_ app: TestApp) async throws -> Game {
        let chapter = try await Fixture.chapter(app.persistence)
        let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 50)
        let organizer = try await Accounts.signIn(app, email: "quiz-org@example.com", chapters: [chapter.slug])
        let quiz = Self.quiz(chapter.id)
        try await app.persistence.quizzes.save(quiz)
        try await app.application.test(.router) { client in
            let started = try await client.post(OrganizeRoute.startGame(event.id).path, as: organizer, ["quiz": quiz.id.description])
            #expect(started.status == .seeOther)
            let page = try await client.get(OrganizeRoute.game(event.id).path, as: organizer)
            #expect(String(buffer: page.body).contains("LinkedIn trivia"))
        }
        let session = try #require(try await app.persistence.quizzes.latestSession(event: event.id))
        #expect(session.phase == .lobby && session.code.count == 6)
        return Game(event: event, organizer: organizer, session: session)
    }

    /// Joins with a nickname through the join form; returns the phone's cookie header value.
    func join(_ app: TestApp, code: String, nickname: String) async throws -> String {
        try await app.application.test(.router) { client in
            let response = try await client.execute(uri: PublicRoute.quizJoin(code: code).path, method: .post,
                                                    headers: HTTPFields([HTTPField(name: .contentType, value: "application/x-www-form-urlencoded")]),
                                                    body: ByteBuffer(string: "nickname=" + (nickname.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")))
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == PublicRoute.quizPlay(code: code).path)
            let setCookie = try #require(response.headers[.setCookie])
            #expect(setCookie.contains("HttpOnly"))
            return String(setCookie.split(separator: ";")[0])
        }
    }

    /// What one phone saw.
    struct Seen: Sendable {
        var acks: [String] = []
        var lastRight: Bool?
        var lastPoints: Int?
        var rank: Int?
        var sawQuestion = false
    }

    struct TimedOut: Error {}

    /// Runs `body`, failing after `seconds` rather than hanging the suite (a phone that never hears).
    static func within<T: Sendable>(_ seconds: Int, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: .seconds(seconds))
                throw TimedOut()
            }
            let first = try await group.next()!
            group.cancelAll()
            return first
        }
    }

    static func object(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
    }

    /// A phone: connects, answers the first question with `choice` (twice, to prove the second
    /// does not count), then waits for the results of that question.
    func phone(port: Int, event: Event.ID, cookie: String, choice: Int, ready: @escaping @Sendable () -> Void) async throws -> Seen {
        let seen = NIOLockedValueBox(Seen())
        try await WebSocketClient.connect(
            url: "ws://127.0.0.1:\(port)\(PublicRoute.live(event).path)?as=player",
            configuration: .init(additionalHeaders: [.cookie: cookie]), logger: Logger(label: "phone")
        ) { inbound, outbound, _ in
            var answered = false
            for try await message in inbound.messages(maxSize: 1 << 20) {
                guard case .text(let text) = message else { continue }
                let object = Self.object(text)
                switch object["type"] as? String {
                case "quiz":
                    let phase = object["phase"] as? String
                    if phase == "lobby" { ready() }
                    if phase == "question", !answered {
                        answered = true
                        seen.withLockedValue { $0.sawQuestion = true }
                        // No right answer travels while the question is open.
                        #expect(object["results"] == nil)
                        try await outbound.write(.text("{\"type\":\"answer\",\"index\":0,\"answer\":{\"choices\":[\(choice)]}}"))
                        try await outbound.write(.text("{\"type\":\"answer\",\"index\":0,\"answer\":{\"choices\":[\((choice + 1) % 3)]}}"))
                    }
                    if phase == "results", let me = object["me"] as? [String: Any], let last = me["last"] as? [String: Any] {
                        seen.withLockedValue {
                            $0.lastRight = last["right"] as? Bool
                            $0.lastPoints = last["points"] as? Int
                            $0.rank = me["rank"] as? Int
                        }
                        return
                    }
                case "ack":
                    seen.withLockedValue { $0.acks.append(object["outcome"] as? String ?? "?") }
                default: break
                }
            }
        }
        return seen.withLockedValue { $0 }
    }

    @Test(arguments: DatabaseKind.available)
    func aQuestionPlayedOverWebSockets(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let game = try await startedGame(app)
            var joined: [String] = []
            for name in ["Karim", "Zoé", "Léa"] { joined.append(try await join(app, code: game.session.code, nickname: name)) }
            let cookies = joined
            #expect(try await app.persistence.quizzes.playerCount(session: game.session.id) == 3)
            try await withLiveServer(app) { port in
                let ready = NIOLockedValueBox(0)
                try await withThrowingTaskGroup(of: Seen.self) { group in
                    // Karim and Zoé right (2002 is choice 1), Léa wrong.
                    for (index, cookie) in cookies.enumerated() {
                        group.addTask {
                            try await Self.within(240) {
                                try await phone(port: port, event: game.event.id, cookie: cookie, choice: index < 2 ? 1 : 0, ready: { ready.withLockedValue { $0 += 1 } })
                            }
                        }
                    }
                    for _ in 0..<6000 where ready.withLockedValue({ $0 }) < 3 { try await Task.sleep(for: .milliseconds(20)) }
                    #expect(ready.withLockedValue { $0 } == 3)
                    // The presenter opens the first question over the JSON fallback (same rules as the socket).
                    let next = try await send(port, .post, PublicRoute.liveCommand(game.event.id).path,
                                              json: "{\"command\":\"next\",\"version\":\(game.session.version)}",
                                              headers: game.organizer.headers)
                    #expect(try next.json()["outcome"] as? String == "done")
                    for _ in 0..<6000 where try await app.persistence.quizzes.answerCount(session: game.session.id, index: 0) < 3 {
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    // Time is up on the server's clock: the question closes by itself.
                    app.clock.advance(by: 21)
                    await app.services.live.tick()
                    var seen: [Seen] = []
                    for try await phone in group { seen.append(phone) }
                    #expect(seen.count == 3)
                    for phone in seen {
                        #expect(phone.sawQuestion)
                        #expect(phone.acks.sorted() == ["accepted", "duplicate"], "a second answer does not count")
                    }
                    #expect(seen.filter { $0.lastRight == true }.count == 2)
                    #expect(seen.filter { $0.lastRight == true }.allSatisfy { $0.lastPoints == 1000 && $0.rank == 1 }, "answered at once: all the points, sharing first place")
                    #expect(seen.filter { $0.lastRight == false }.allSatisfy { $0.lastPoints == 0 && $0.rank == 3 })
                }
            }
            let scores = QuizRules.standings(try await app.persistence.quizzes.scores(session: game.session.id))
            #expect(scores.map(\.player.points) == [1000, 1000, 0])
            // A late answer after the close is refused.
            let player = try #require(try await app.persistence.quizzes.players(session: game.session.id).first)
            let closed = try #require(try await app.persistence.quizzes.session(id: game.session.id))
            #expect(closed.phase == .results)
            #expect(try await app.persistence.quizzes.answer(session: closed, player: player.id, index: 0, answer: .choices([1]), received: app.clock.now()) == .closed)
        }
    }

    /// Hundreds of phones answer at once, each twice, while the presenter closes the question in
    /// the middle: every acknowledged answer is stored once, and nothing lands after the close.
    /// (Without the share lock on the game's row, PostgreSQL lets answers in flight commit after
    /// the close, and the last check fails.)
    @Test(arguments: DatabaseKind.available)
    func answersCountExactlyOnceAcrossTheClose(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let game = try await startedGame(app)
            let store = app.persistence.quizzes
            var players: [UUID] = []
            for index in 0..<150 {
                players.append(try await store.join(session: game.session.id, registration: nil, name: "P\(index)", team: nil, now: app.clock.now()).id)
            }
            guard case .success(let open) = try await store.apply(.next, session: game.session.id, now: app.clock.now()) else {
                Issue.record("the first question did not open")
                return
            }
            let closedCount = NIOLockedValueBox<Int?>(nil)
            let outcomes = try await withThrowingTaskGroup(of: [QuizAnswerOutcome].self) { group in
                for (index, player) in players.enumerated() {
                    group.addTask {
                        let answer = QuizAnswer.choices([index % 3])
                        async let first = store.answer(session: open, player: player, index: 0, answer: answer, received: app.clock.now())
                        async let second = store.answer(session: open, player: player, index: 0, answer: .choices([(index + 1) % 3]), received: app.clock.now())
                        return try await [first, second]
                    }
                    if index == 75 {
                        group.addTask {
                            if case .success = try await store.apply(.close, session: open.id, now: app.clock.now()) {
                                closedCount.withLockedValue { $0 = -1 }
                                let count = try await store.answerCount(session: open.id, index: 0)
                                closedCount.withLockedValue { $0 = count }
                            }
                            return []
                        }
                    }
                }
                var all: [QuizAnswerOutcome] = []
                for try await outcome in group { all += outcome }
                return all
            }
            let accepted = outcomes.filter { if case .accepted = $0 { return true } else { return false } }.count
            let stored = try await store.answerCount(session: open.id, index: 0)
            #expect(accepted == stored, "every acknowledged answer is stored, once")
            #expect(accepted <= players.count)
            #expect(outcomes.count == players.count * 2)
            let atClose = try #require(closedCount.withLockedValue { $0 })
            #expect(atClose == stored, "no answer was written after the question closed")
            let records = try await store.records(session: open.id, index: 0)
            #expect(Set(records.map(\.playerID)).count == records.count, "one answer per player")
        }
    }

    /// Two instances on one PostgreSQL: the phone is on instance B, the game is run on instance A;
    /// the question and its results reach the phone through LISTEN/NOTIFY.
    @Test func twoInstancesShareTheGameThroughPostgreSQL() async throws {
        guard DatabaseKind.available.contains(.postgres) else { return }
        try await withApp(.postgres) { app in
            let game = try await startedGame(app)
            let cookie = try await join(app, code: game.session.code, nickname: "Karim")
            let other = try Persistence(url: app.persistence.url, logger: testLogger, tokens: app.persistence.tokens)
            let servicesB = try await AppServices(persistence: other, clock: app.clock,
                                                  configuration: WebConfiguration(baseURL: "https://rendezvous.test", rateLimit: .off, pageCacheTTL: 0),
                                                  logger: testLogger)
            let instanceB = TestApp(services: servicesB, clock: app.clock)
            // (Without the listeners, instance B never hears: the phone times out and the test fails.)
            let listening = NIOLockedValueBox(0)
            let listeners = [app.services.live, servicesB.live].map { live in
                Task { await live.persistence.listen(onListening: { listening.withLockedValue { $0 += 1 } }) { payload in await live.received(payload) } }
            }
            defer {
                for listener in listeners { listener.cancel() }
                servicesB.live.stop()
            }
            for _ in 0..<6000 where listening.withLockedValue({ $0 }) < 2 { try await Task.sleep(for: .milliseconds(20)) }
            #expect(listening.withLockedValue { $0 } == 2, "both instances listen")
            try await withLiveServer(instanceB) { port in
                let ready = NIOLockedValueBox(false)
                async let seen = Self.within(240) {
                    try await phone(port: port, event: game.event.id, cookie: cookie, choice: 1, ready: { ready.withLockedValue { $0 = true } })
                }
                for _ in 0..<6000 where !ready.withLockedValue({ $0 }) { try await Task.sleep(for: .milliseconds(20)) }
                // Instance A opens the question; only the bus can tell instance B.
                guard case .success = try await app.persistence.quizzes.apply(.next, session: game.session.id, now: app.clock.now()) else {
                    Issue.record("the question did not open")
                    return
                }
                await app.services.live.publish(game.event.id, .quiz)
                for _ in 0..<6000 where try await app.persistence.quizzes.answerCount(session: game.session.id, index: 0) < 1 {
                    try await Task.sleep(for: .milliseconds(20))
                }
                app.clock.advance(by: 21)
                #expect(await app.services.live.closeIfDue(game.session.id, index: 0, event: game.event.id), "instance A closes the question")
                let karim = try await seen
                #expect(karim.sawQuestion)
                #expect(karim.acks.sorted() == ["accepted", "duplicate"])
                #expect(karim.lastRight == true && karim.lastPoints == 1000 && karim.rank == 1)
            }
            await other.shutdown()
        }
    }

    /// Found in review: a phone's own score must not reveal, while the question is open, whether
    /// its answer was right; a phone of an earlier game is told where the new one is; a bad answer
    /// is `invalid`, not "too late"; ending the game decides an open number question.
    @Test(arguments: DatabaseKind.available)
    func reviewFindingsStayFixed(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let game = try await startedGame(app)
            let store = app.persistence.quizzes
            let player = try await store.join(session: game.session.id, registration: nil, name: "Spy", team: nil, now: app.clock.now())
            guard case .success(let open) = try await store.apply(.next, session: game.session.id, now: app.clock.now()) else {
                Issue.record("not opened")
                return
            }
            #expect(try await store.answer(session: open, player: player.id, index: 0, answer: .choices([7]), received: app.clock.now()) == .invalid)
            #expect(try await store.answer(session: open, player: player.id, index: 0, answer: .choices([1]), received: app.clock.now())
                    == .accepted(points: 1000, right: true))
            let whileOpen = Self.object(try await QuizStateBuilder.me(player: try #require(try await store.player(id: player.id)), session: open, persistence: app.persistence))
            #expect(whileOpen["points"] as? Int == 0, "the open question's points stay hidden")
            guard case .success(let closed) = try await store.apply(.close, session: open.id, now: app.clock.now()) else {
                Issue.record("not closed")
                return
            }
            let afterClose = Self.object(try await QuizStateBuilder.me(player: try #require(try await store.player(id: player.id)), session: closed, persistence: app.persistence))
            #expect(afterClose["points"] as? Int == 1000)

            // The number question, ended while open: the closest guess still scores.
            guard case .success(let second) = try await store.apply(.next, session: open.id, now: app.clock.now()) else {
                Issue.record("second question not opened")
                return
            }
            #expect(try await store.answer(session: second, player: player.id, index: 1, answer: .number(590), received: app.clock.now())
                    == .accepted(points: 0, right: false))
            guard case .success = try await store.apply(.finish, session: second.id, now: app.clock.now()) else {
                Issue.record("not finished")
                return
            }
            #expect(try await store.records(session: second.id, player: player.id, index: 1).first?.points == 1000)

            // A new game of the evening: the earlier game's phone is sent to it.
            let quiz = try #require(try await store.quiz(id: game.session.quizID))
            let next = try await store.start(quiz, event: game.event.id, teams: false, now: app.clock.now())
            let connection = LiveConnection(event: game.event.id, role: .player(player.id), topics: [.quiz], game: game.session.id)
            let greeting = try await LiveController(services: app.services).greeting(connection)
            #expect(greeting.contains { $0.contains("\"type\":\"moved\"") && $0.contains(next.code) })
            #expect(!greeting.contains { $0.contains("\"type\":\"quiz\"") })
            // Its join page offers the nickname it played under.
            try await app.application.test(.router) { client in
                let cookie = "rv_quiz=" + LiveController.playerCookieValue(player.id, vault: app.persistence.tokens)
                let page = try await client.execute(uri: PublicRoute.quizJoin(code: next.code).path, method: .get, headers: [.cookie: cookie])
                #expect(page.status == .ok)
                #expect(String(buffer: page.body).contains("value=\"Spy\""))
            }
        }
    }

    /// Without JavaScript, "End the game" asks on a second step before it ends anything.
    @Test func endingTheGameAsksFirstWithoutJavaScript() async throws {
        try await withApp(.sqlite) { app in
            let game = try await startedGame(app)
            try await app.application.test(.router) { client in
                let first = try await client.post(OrganizeRoute.gameCommand(game.event.id).path, as: game.organizer, ["command": "finish"])
                #expect(first.status == .seeOther)
                #expect(first.headers[.location]?.contains("confirm=finish") == true)
                #expect(try await app.persistence.quizzes.latestSession(event: game.event.id)?.phase == .lobby, "nothing ended yet")
                let page = try await client.get(OrganizeRoute.game(game.event.id).path + "?confirm=finish", as: game.organizer)
                #expect(String(buffer: page.body).contains("Yes, end the game"))
                let second = try await client.post(OrganizeRoute.gameCommand(game.event.id).path, as: game.organizer, ["command": "finish", "confirmed": "yes"])
                #expect(second.status == .seeOther)
                #expect(try await app.persistence.quizzes.latestSession(event: game.event.id)?.phase == .finished)
            }
        }
    }

    @Test func joiningHasARoomsBudgetAndCodesCannotBeGuessed() async throws {
        try await withApp(.sqlite, rateLimit: RateLimit(requests: 3, window: 60)) { app in
            let game = try await startedGame(app)
            // A room behind one address: far more than the public forms' three joins.
            for index in 0..<10 { _ = try await join(app, code: game.session.code, nickname: "P\(index)") }
            // A stacked-marks nickname is refused.
            try await app.application.test(.router) { client in
                let zalgo = "Z" + String(repeating: "\u{0301}", count: 60)
                let response = try await client.execute(uri: PublicRoute.quizJoin(code: game.session.code).path, method: .post,
                                                        headers: HTTPFields([HTTPField(name: .contentType, value: "application/x-www-form-urlencoded")]),
                                                        body: ByteBuffer(string: "nickname=" + zalgo.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!))
                #expect(response.status == .unprocessableContent)
                // Wrong codes: thirty, then 429.
                var statuses: [UInt] = []
                for guess in 0..<31 {
                    statuses.append(UInt(try await client.execute(uri: PublicRoute.quizEnter.path + "?code=\(String(format: "%06d", guess))", method: .get).status.code))
                }
                #expect(statuses.prefix(30).allSatisfy { $0 == 404 } && statuses.last == 429, "\(statuses)")
            }
        }
    }

    /// A phone's own part is written by hand for speed: it must say what the encoder would.
    @Test func aPhonesOwnPartIsTheEncodersJSON() throws {
        for name in ["Zoé \"Z\" B.", "back\\slash", "tab\tand\nline", "\u{2028}sep", "王伟", "\u{1}ctl"] {
            let player = QuizStanding.Player(id: UUID().uuidString.lowercased(), name: name, team: name == "王伟" ? nil : "Table \"3\"", points: 850)
            let fast = QuizMe.json(player: player, rank: 2, of: 70, last: (index: 3, right: true, points: 850, answered: true))
            var me = QuizMe(player: player.id, name: name, team: player.team, points: 850, rank: 2, of: 70)
            me.last = .init(index: 3, right: true, points: 850, answered: true)
            let encoded = LiveProtocol.encode(me)
            let a = try #require(try JSONSerialization.jsonObject(with: Data(fast.utf8)) as? NSDictionary)
            let b = try #require(try JSONSerialization.jsonObject(with: Data(encoded.utf8)) as? NSDictionary)
            #expect(a == b, "\(fast) vs \(encoded)")
        }
    }

    @Test(arguments: DatabaseKind.available)
    func joiningAndTheLiveChannelRefuseStrangers(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let game = try await startedGame(app)
            try await app.application.test(.router) { client in
                // An unknown code: a clear page, not a crash.
                let unknown = try await client.execute(uri: PublicRoute.quizEnter.path + "?code=000000", method: .get)
                #expect(unknown.status == .notFound)
                #expect(String(buffer: unknown.body).contains("No quiz is running with this code"))
                // A nickname of control characters is refused on its field.
                let bad = try await client.execute(uri: PublicRoute.quizJoin(code: game.session.code).path, method: .post,
                                                   headers: HTTPFields([HTTPField(name: .contentType, value: "application/x-www-form-urlencoded")]), body: ByteBuffer(string: "nickname=%E2%80%AE"))
                #expect(bad.status == .unprocessableContent)
                // The presenter's door is closed to everyone but the chapter's organisers.
                let stranger = try await Accounts.signIn(app, email: "other@example.com", chapters: [])
                let command = try await client.execute(uri: PublicRoute.liveCommand(game.event.id).path, method: .post,
                                                       headers: stranger.headers, body: ByteBuffer(string: "{\"command\":\"next\"}"))
                #expect(command.status == .notFound)
                // A forged player cookie is nobody.
                let forged = try await client.execute(uri: PublicRoute.liveAnswer(game.event.id).path, method: .post,
                                                      headers: [.cookie: "rv_quiz=\(UUID().uuidString.lowercased()).forged"],
                                                      body: ByteBuffer(string: "{\"index\":0,\"answer\":{\"choices\":[1]}}"))
                #expect(forged.status == .notFound)
                // The screen's stream needs the chapter's people or the screen link.
                let screen = try await client.execute(uri: PublicRoute.liveEvents(game.event.id).path + "?as=screen", method: .get)
                #expect(screen.status == .notFound)
            }
        }
    }
}
