import Foundation
import RendezvousDomain
import SQLKit

/// Ice-breaker quizzes and polls: the chapters' library and the network's templates, their
/// pictures, and the games played on an evening (players, answers, scores).
public struct QuizStore: Store { public let persistence: Persistence }

extension Persistence {
    public var quizzes: QuizStore { .init(persistence: self) }
}

/// A quiz in a list: no questions, only their count.
public struct QuizSummary: Sendable, Equatable {
    public var id: Quiz.ID
    public var chapterID: Chapter.ID?
    public var chapterName: String?
    public var title: String
    public var language: Language
    public var shared: Bool
    public var questionCount: Int
    public var isPoll: Bool
    public var updatedAt: Date
}

public struct QuizPlayer: Sendable, Equatable {
    public var id: UUID
    public var sessionID: QuizSession.ID
    public var registrationID: Registration.ID?
    public var name: String
    public var team: String?
    public var joinedMillis: Int64
}

/// What became of an answer.
public enum QuizAnswerOutcome: Sendable, Equatable {
    /// Counted now.
    case accepted(points: Int, right: Bool)
    /// This player had already answered this question: the first answer stands.
    case duplicate(QuizAnswer)
    /// The question is closed (or another one is open).
    case closed
    /// Not an answer to this question (a choice it does not have, a word too long).
    case invalid
}

/// One answer as the results export shows it.
public struct QuizAnswerRecord: Sendable, Equatable {
    public var playerID: UUID
    public var index: Int
    public var answer: QuizAnswer
    public var right: Bool
    public var points: Int
    public var elapsedMillis: Int64
}

struct QuizAnswerRequest: Sendable {
    var session: QuizSession.ID
    var player: UUID
    var index: Int
    var answer: QuizAnswer
    var right: Bool
    var points: Int
    var elapsedMillis: Int64
    var receivedMillis: Int64
}

extension Date {
    /// Milliseconds since 1970, the unit in which quiz deadlines are stored and compared.
    public var millis: Int64 { Int64((timeIntervalSince1970 * 1000).rounded(.down)) }
    public init(millis: Int64) { self.init(timeIntervalSince1970: Double(millis) / 1000) }
}

extension QuizStore {
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    // MARK: The library

    struct QuizRow: Decodable {
        var id: UUID
        var chapterId: UUID?
        var title: String
        var language: String
        var shared: Bool
        var questions: String
        var updatedAt: Date

        func quiz() throws -> Quiz {
            Quiz(id: .init(id), chapterID: chapterId.map(Chapter.ID.init), title: title, language: Language(rawValue: language) ?? .en,
                 shared: shared, questions: try QuizStore.decode([QuizQuestion].self, questions), updatedAt: updatedAt)
        }
    }

    struct SummaryRow: Decodable {
        var id: UUID
        var chapterId: UUID?
        var chapterName: String?
        var title: String
        var language: String
        var shared: Bool
        var questions: String
        var updatedAt: Date

        func summary() -> QuizSummary {
            let questions = (try? QuizStore.decode([QuizQuestion].self, self.questions)) ?? []
            let quiz = Quiz(chapterID: nil, title: title, language: .en, questions: questions)
            return QuizSummary(id: .init(id), chapterID: chapterId.map(Chapter.ID.init), chapterName: chapterName, title: title,
                               language: Language(rawValue: language) ?? .en, shared: shared, questionCount: questions.count,
                               isPoll: quiz.isPoll, updatedAt: updatedAt)
        }
    }

    /// A chapter's own quizzes, most recently edited first.
    public func library(chapter: Chapter.ID) async throws -> [QuizSummary] {
        try await sql.raw("""
            SELECT q.id, q.chapter_id, c.name AS chapter_name, q.title, q.language, q.shared, q.questions, q.updated_at
            FROM quizzes q LEFT JOIN chapters c ON c.id = q.chapter_id
            WHERE q.chapter_id = \(bind: chapter.uuid) ORDER BY q.updated_at DESC, q.title
            """).rows(SummaryRow.self).map { $0.summary() }
    }

    /// Quizzes shared with the whole network (and the network's own), other chapters' included.
    public func templates() async throws -> [QuizSummary] {
        try await sql.raw("""
            SELECT q.id, q.chapter_id, c.name AS chapter_name, q.title, q.language, q.shared, q.questions, q.updated_at
            FROM quizzes q LEFT JOIN chapters c ON c.id = q.chapter_id
            WHERE q.shared = \(bind: true) OR q.chapter_id IS NULL ORDER BY q.language, q.title
            """).rows(SummaryRow.self).map { $0.summary() }
    }

    public func quiz(id: Quiz.ID) async throws -> Quiz? {
        try await sql.raw("SELECT id, chapter_id, title, language, shared, questions, updated_at FROM quizzes WHERE id = \(bind: id.uuid)")
            .row(QuizRow.self)?.quiz()
    }

    /// Inserts or replaces the quiz whole.
    public func save(_ quiz: Quiz) async throws {
        let questions = try Self.json(quiz.questions)
        try await write { sql in
            let updated = try await sql.raw("""
                UPDATE quizzes SET title = \(bind: quiz.title), language = \(bind: quiz.language.rawValue), shared = \(bind: quiz.shared),
                    questions = \(bind: questions), updated_at = \(bind: quiz.updatedAt)
                WHERE id = \(bind: quiz.id.uuid) RETURNING id
                """).all()
            if updated.isEmpty {
                try await sql.raw("""
                    INSERT INTO quizzes (id, chapter_id, title, language, shared, questions, updated_at)
                    VALUES (\(bind: quiz.id.uuid), \(bind: quiz.chapterID?.uuid), \(bind: quiz.title), \(bind: quiz.language.rawValue),
                            \(bind: quiz.shared), \(bind: questions), \(bind: quiz.updatedAt))
                    """).run()
            }
        }
    }

    /// Deletes a chapter's quiz (and its pictures). Games already played keep their copy.
    public func delete(_ id: Quiz.ID, chapter: Chapter.ID) async throws -> Bool {
        try await write { sql in
            !(try await sql.raw("DELETE FROM quizzes WHERE id = \(bind: id.uuid) AND chapter_id = \(bind: chapter.uuid) RETURNING id").all()).isEmpty
        }
    }

    /// A copy of a quiz (a template, or one of the chapter's) in `chapter`'s library, pictures included.
    public func copy(_ source: Quiz, to chapter: Chapter.ID, title: String, now: Date) async throws -> Quiz {
        var copy = source
        copy.id = Quiz.ID()
        copy.chapterID = chapter
        copy.title = title
        copy.shared = false
        copy.updatedAt = now
        let images = try await sql.raw("SELECT id, content_type, bytes FROM quiz_images WHERE quiz_id = \(bind: source.id.uuid)").rows(ImageRow.self)
        var renamed: [String: String] = [:]
        for image in images { renamed[image.id.uuidString.lowercased()] = UUID().uuidString.lowercased() }
        for index in copy.questions.indices {
            if let old = copy.questions[index].imageID { copy.questions[index].imageID = renamed[old] }
        }
        let quiz = copy
        try await save(quiz)
        for image in images {
            guard let id = renamed[image.id.uuidString.lowercased()].flatMap(UUID.init(uuidString:)) else { continue }
            try await write { sql in
                try await sql.raw("""
                    INSERT INTO quiz_images (id, quiz_id, content_type, bytes, created_at)
                    VALUES (\(bind: id), \(bind: quiz.id.uuid), \(bind: image.contentType), \(bind: image.bytes), \(bind: now))
                    """).run()
            }
        }
        return quiz
    }

    struct ImageRow: Decodable {
        var id: UUID
        var contentType: String
        var bytes: Data
    }

    /// Stores a picture for one of the quiz's questions; returns its id.
    public func addImage(quiz: Quiz.ID, contentType: String, bytes: Data, now: Date) async throws -> String {
        let id = UUID()
        try await write { sql in
            try await sql.raw("""
                INSERT INTO quiz_images (id, quiz_id, content_type, bytes, created_at)
                VALUES (\(bind: id), \(bind: quiz.uuid), \(bind: contentType), \(bind: bytes), \(bind: now))
                """).run()
        }
        return id.uuidString.lowercased()
    }

    public func image(id: String) async throws -> (contentType: String, bytes: Data)? {
        guard let uuid = UUID(uuidString: id) else { return nil }
        return try await sql.raw("SELECT id, content_type, bytes FROM quiz_images WHERE id = \(bind: uuid)").row(ImageRow.self)
            .map { ($0.contentType, $0.bytes) }
    }

    // MARK: Games

    struct SessionRow: Decodable {
        var id: UUID
        var eventId: UUID
        var quizId: UUID
        var code: String
        var title: String
        var questions: String
        var teams: Bool
        var phase: String
        var questionIndex: Int
        var openedMs: Int64?
        var deadlineMs: Int64?
        var version: Int

        static let columns = "id, event_id, quiz_id, code, title, questions, teams, phase, question_index, opened_ms, deadline_ms, version"

        func session() throws -> QuizSession {
            QuizSession(id: .init(id), eventID: .init(eventId), quizID: .init(quizId), code: code, title: title,
                        questions: try QuizStore.questions(of: id, json: questions), teams: teams,
                        phase: QuizSession.Phase(rawValue: phase) ?? .finished, index: questionIndex,
                        openedAt: openedMs.map(Date.init(millis:)), deadline: deadlineMs.map(Date.init(millis:)), version: version)
        }
    }

    /// Starts a game of `quiz` for the event; a game still under way for the event ends.
    public func start(_ quiz: Quiz, event: Event.ID, teams: Bool, now: Date) async throws -> QuizSession {
        let questions = try Self.json(quiz.questions)
        return try await write { sql in
            try await sql.raw("UPDATE quiz_sessions SET phase = 'finished', version = version + 1 WHERE event_id = \(bind: event.uuid) AND phase <> 'finished'").run()
            let used = Set(try await sql.raw("SELECT code FROM quiz_sessions WHERE phase <> 'finished'").rows(CodeRow.self).map(\.code))
            var generator = SystemRandomNumberGenerator()
            let session = QuizSession(eventID: event, quizID: quiz.id, code: QuizRules.joinCode(avoiding: used, using: &generator),
                                      title: quiz.title, questions: quiz.questions, teams: teams)
            try await sql.raw("""
                INSERT INTO quiz_sessions (id, event_id, quiz_id, code, title, questions, teams, phase, question_index, version, created_at)
                VALUES (\(bind: session.id.uuid), \(bind: event.uuid), \(bind: quiz.id.uuid), \(bind: session.code), \(bind: session.title),
                        \(bind: questions), \(bind: teams), \(bind: session.phase.rawValue), \(bind: session.index), \(bind: session.version), \(bind: now))
                """).run()
            return session
        }
    }

    struct CodeRow: Decodable { var code: String }

    /// A game's questions never change once it starts: decoded once per game and process.
    private static let questionCache = QuestionCache()

    final class QuestionCache: @unchecked Sendable {
        private let lock = NSLock()
        private var byGame: [UUID: [QuizQuestion]] = [:]

        func get(_ id: UUID, json: String) throws -> [QuizQuestion] {
            if let cached = lock.withLock({ byGame[id] }) { return cached }
            let questions = try QuizStore.decode([QuizQuestion].self, json)
            lock.withLock {
                if byGame.count > 500 { byGame.removeAll() }
                byGame[id] = questions
            }
            return questions
        }
    }

    static func questions(of game: UUID, json: String) throws -> [QuizQuestion] {
        try questionCache.get(game, json: json)
    }

    public func session(id: QuizSession.ID) async throws -> QuizSession? {
        try await sql.raw("SELECT \(unsafeRaw: SessionRow.columns) FROM quiz_sessions WHERE id = \(bind: id.uuid)").row(SessionRow.self)?.session()
    }

    /// The game people join with this code: one not finished.
    public func session(code: String) async throws -> QuizSession? {
        try await sql.raw("""
            SELECT \(unsafeRaw: SessionRow.columns) FROM quiz_sessions WHERE code = \(bind: code) AND phase <> 'finished'
            ORDER BY created_at DESC LIMIT 1
            """).row(SessionRow.self)?.session()
    }

    /// The event's latest game (finished ones too: the screen keeps the podium up).
    public func latestSession(event: Event.ID) async throws -> QuizSession? {
        try await sql.raw("""
            SELECT \(unsafeRaw: SessionRow.columns) FROM quiz_sessions WHERE event_id = \(bind: event.uuid)
            ORDER BY created_at DESC LIMIT 1
            """).row(SessionRow.self)?.session()
    }

    /// The event's games, newest first.
    public func sessions(event: Event.ID) async throws -> [QuizSession] {
        try await sql.raw("SELECT \(unsafeRaw: SessionRow.columns) FROM quiz_sessions WHERE event_id = \(bind: event.uuid) ORDER BY created_at DESC")
            .rows(SessionRow.self).map { try $0.session() }
    }

    /// Applies the presenter's command if the game is still where the presenter saw it (or
    /// anywhere `command` applies, without `expectedVersion`). A closed number question's closest
    /// guesses get their points in the same transaction.
    public func apply(_ command: QuizCommand, session id: QuizSession.ID, expectedVersion: Int? = nil, now: Date) async throws -> Result<QuizSession, QuizRuleError> {
        try await write { sql in
            guard let current = try await Self.readForUpdate(id, kind: persistence.kind, on: sql) else { return .failure(.notNow) }
            if let expectedVersion, expectedVersion != current.version { return .failure(.notNow) }
            // A question whose time is up is closed whatever was asked: "next" then opens the next one.
            var base = current
            if command != .close, current.phase == .question, let deadline = current.deadline, now > deadline {
                base.phase = .results
                try await Self.scoreClosedQuestion(current, on: sql)
            }
            switch QuizRules.apply(command, to: base, now: now) {
            case .failure(let error): return .failure(error)
            case .success(let next):
                // Closing or ending while a question is open decides it (a number question's closest guesses).
                if current.phase == .question, base.phase == .question, command == .close || command == .finish {
                    try await Self.scoreClosedQuestion(current, on: sql)
                }
                try await Self.store(next, on: sql)
                return .success(next)
            }
        }
    }

    /// Closes question `index` if its deadline has passed and it is still open. Every instance
    /// with phones of the game calls this at the deadline; one of them closes it (and gets the session).
    public func closeIfDue(_ id: QuizSession.ID, index: Int, now: Date) async throws -> QuizSession? {
        try await write { sql in
            guard var current = try await Self.readForUpdate(id, kind: persistence.kind, on: sql),
                  current.phase == .question, current.index == index, let deadline = current.deadline, now > deadline else { return nil }
            try await Self.scoreClosedQuestion(current, on: sql)
            current.phase = .results
            current.version += 1
            try await Self.store(current, on: sql)
            return current
        }
    }

    static func readForUpdate(_ id: QuizSession.ID, kind: Persistence.Kind, on sql: any SQLDatabase) async throws -> QuizSession? {
        // SQLite's writer already holds the whole database; PostgreSQL locks the row, which waits
        // for the answers being written under their share lock.
        let lock = kind == .postgres ? " FOR UPDATE" : ""
        return try await sql.raw("SELECT \(unsafeRaw: SessionRow.columns) FROM quiz_sessions WHERE id = \(bind: id.uuid)\(unsafeRaw: lock)")
            .row(SessionRow.self)?.session()
    }

    static func store(_ session: QuizSession, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            UPDATE quiz_sessions SET phase = \(bind: session.phase.rawValue), question_index = \(bind: session.index),
                opened_ms = \(bind: session.openedAt?.millis), deadline_ms = \(bind: session.deadline?.millis), version = \(bind: session.version)
            WHERE id = \(bind: session.id.uuid)
            """).run()
    }

    /// Number questions are decided when they close: the closest guesses get their points.
    static func scoreClosedQuestion(_ session: QuizSession, on sql: any SQLDatabase) async throws {
        guard let question = session.question, question.kind == .number, question.answer != nil else { return }
        let rows = try await sql.raw("""
            SELECT id, answer, elapsed_ms FROM quiz_answers WHERE session_id = \(bind: session.id.uuid) AND question_index = \(bind: session.index)
            """).rows(GuessRow.self)
        let guesses = rows.compactMap { row -> (UUID, Double, Int64)? in
            guard case .number(let value)? = try? decode(QuizAnswer.self, row.answer) else { return nil }
            return (row.id, value, row.elapsedMs)
        }
        guard let best = QuizRules.closest(guesses.map(\.1), to: question) else { return }
        for (id, value, elapsed) in guesses where QuizRules.isClosest(value, best: best, question: question) {
            let points = QuizRules.points(for: question, elapsed: Double(elapsed) / 1000)
            try await sql.raw("UPDATE quiz_answers SET is_right = \(bind: true), points = \(bind: points) WHERE id = \(bind: id)").run()
        }
    }

    struct GuessRow: Decodable {
        var id: UUID
        var answer: String
        var elapsedMs: Int64
    }

    // MARK: Players

    struct PlayerRow: Decodable {
        var id: UUID
        var sessionId: UUID
        var registrationId: UUID?
        var name: String
        var team: String?
        var joinedMs: Int64

        var player: QuizPlayer {
            QuizPlayer(id: id, sessionID: .init(sessionId), registrationID: registrationId.map(Registration.ID.init), name: name, team: team, joinedMillis: joinedMs)
        }
    }

    /// Adds a player; an attendee who joins again (another phone) is the same player.
    public func join(session: QuizSession.ID, registration: Registration.ID?, name: String, team: String?, now: Date) async throws -> QuizPlayer {
        try await write { sql in
            if let registration, let existing = try await sql.raw("""
                SELECT id, session_id, registration_id, name, team, joined_ms FROM quiz_players
                WHERE session_id = \(bind: session.uuid) AND registration_id = \(bind: registration.uuid)
                """).row(PlayerRow.self) {
                return existing.player
            }
            let player = QuizPlayer(id: UUID(), sessionID: session, registrationID: registration, name: name, team: team, joinedMillis: now.millis)
            try await sql.raw("""
                INSERT INTO quiz_players (id, session_id, registration_id, name, team, joined_ms)
                VALUES (\(bind: player.id), \(bind: session.uuid), \(bind: registration?.uuid), \(bind: name), \(bind: team), \(bind: player.joinedMillis))
                """).run()
            return player
        }
    }

    public func player(id: UUID) async throws -> QuizPlayer? {
        try await sql.raw("SELECT id, session_id, registration_id, name, team, joined_ms FROM quiz_players WHERE id = \(bind: id)").row(PlayerRow.self)?.player
    }

    public func players(session: QuizSession.ID) async throws -> [QuizPlayer] {
        try await sql.raw("""
            SELECT id, session_id, registration_id, name, team, joined_ms FROM quiz_players WHERE session_id = \(bind: session.uuid) ORDER BY joined_ms, id
            """).rows(PlayerRow.self).map(\.player)
    }

    public func playerCount(session: QuizSession.ID) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS count FROM quiz_players WHERE session_id = \(bind: session.uuid)").row(CountRow.self)?.count ?? 0
    }

    // MARK: Answers

    /// Records an answer once, if its question is still open when it is written (the deadline is
    /// compared with the time it was received). Concurrent answers are written together.
    public func answer(session: QuizSession, player: UUID, index: Int, answer: QuizAnswer, received: Date) async throws -> QuizAnswerOutcome {
        guard let question = session.questions.indices.contains(index) ? session.questions[index] : nil,
              let opened = session.openedAt else { return .closed }
        guard let answer = answer.validated(for: question) else { return .invalid }
        let elapsed = max(0, received.millis - opened.millis)
        let right = QuizRules.isRight(answer, for: question)
        let points = right ? QuizRules.points(for: question, elapsed: Double(elapsed) / 1000) : 0
        return try await persistence.quizAnswerQueue.submit(QuizAnswerRequest(
            session: session.id, player: player, index: index, answer: answer, right: right, points: points,
            elapsedMillis: elapsed, receivedMillis: received.millis))
    }

    struct OpenRow: Decodable {
        var phase: String
        var questionIndex: Int
        var deadlineMs: Int64?
    }

    struct ExistingRow: Decodable {
        var playerId: UUID
        var questionIndex: Int
        var answer: String
    }

    /// Writes a batch of answers in one transaction. On PostgreSQL the game's row is read under a
    /// share lock, so closing the question (which updates the row) waits for answers in flight,
    /// and answers after it see the question closed.
    func answerBatch(_ batch: [QuizAnswerRequest]) async -> [Result<QuizAnswerOutcome, any Error>] {
        do {
            let kind = persistence.kind
            return try await write { sql in
                var open: [UUID: OpenRow] = [:]
                for id in Set(batch.map(\.session.uuid)) {
                    let lock = kind == .postgres ? " FOR SHARE" : ""
                    open[id] = try await sql.raw("SELECT phase, question_index, deadline_ms FROM quiz_sessions WHERE id = \(bind: id)\(unsafeRaw: lock)").row(OpenRow.self)
                }
                var outcomes: [QuizAnswerOutcome?] = Array(repeating: nil, count: batch.count)
                var insert: [(Int, QuizAnswerRequest)] = []
                var seen = Set<String>()
                for (offset, request) in batch.enumerated() {
                    guard let row = open[request.session.uuid], row.phase == QuizSession.Phase.question.rawValue, row.questionIndex == request.index,
                          let deadline = row.deadlineMs, request.receivedMillis <= deadline else {
                        outcomes[offset] = .closed
                        continue
                    }
                    // The same answer twice in one batch: the first one is written.
                    if !seen.insert("\(request.player)/\(request.index)").inserted { continue }
                    insert.append((offset, request))
                }
                var written = Set<String>()
                for chunk in stride(from: 0, to: insert.count, by: 200).map({ Array(insert[$0..<min($0 + 200, insert.count)]) }) {
                    var query = SQLQueryString("INSERT INTO quiz_answers (id, session_id, player_id, question_index, answer, elapsed_ms, received_ms, is_right, points) VALUES ")
                    for (position, (_, request)) in chunk.enumerated() {
                        if position > 0 { query.appendLiteral(", ") }
                        query.appendInterpolation(unsafeRaw: "(")
                        query.appendInterpolation(bind: UUID())
                        query.appendLiteral(", ")
                        query.appendInterpolation(bind: request.session.uuid)
                        query.appendLiteral(", ")
                        query.appendInterpolation(bind: request.player)
                        query.appendLiteral(", ")
                        query.appendInterpolation(bind: request.index)
                        query.appendLiteral(", ")
                        query.appendInterpolation(bind: try Self.json(request.answer))
                        query.appendLiteral(", ")
                        query.appendInterpolation(bind: request.elapsedMillis)
                        query.appendLiteral(", ")
                        query.appendInterpolation(bind: request.receivedMillis)
                        query.appendLiteral(", ")
                        query.appendInterpolation(bind: request.right)
                        query.appendLiteral(", ")
                        query.appendInterpolation(bind: request.points)
                        query.appendLiteral(")")
                    }
                    query.appendLiteral(" ON CONFLICT (player_id, question_index) DO NOTHING RETURNING player_id, question_index, answer")
                    for row in try await sql.raw(query).rows(ExistingRow.self) { written.insert("\(row.playerId)/\(row.questionIndex)") }
                }
                // Everything not written was there already: its stored answer is the one that counts.
                for (offset, request) in batch.enumerated() where outcomes[offset] == nil {
                    let key = "\(request.player)/\(request.index)"
                    if written.remove(key) != nil {
                        outcomes[offset] = .accepted(points: request.points, right: request.right)
                    } else {
                        let stored = try await sql.raw("""
                            SELECT player_id, question_index, answer FROM quiz_answers
                            WHERE player_id = \(bind: request.player) AND question_index = \(bind: request.index)
                            """).row(ExistingRow.self)
                        outcomes[offset] = .duplicate(try stored.map { try Self.decode(QuizAnswer.self, $0.answer) } ?? request.answer)
                    }
                }
                return outcomes.map { .success($0 ?? .closed) }
            }
        } catch {
            return batch.map { _ in .failure(error) }
        }
    }

    public func answerCount(session: QuizSession.ID, index: Int) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS count FROM quiz_answers WHERE session_id = \(bind: session.uuid) AND question_index = \(bind: index)")
            .row(CountRow.self)?.count ?? 0
    }

    /// Every answer of the game (or of one player, or of one question), for the results export and a phone coming back.
    public func records(session: QuizSession.ID, player: UUID? = nil, index: Int? = nil) async throws -> [QuizAnswerRecord] {
        var query = SQLQueryString("SELECT player_id, question_index, answer, is_right, points, elapsed_ms FROM quiz_answers WHERE session_id = ")
        query.appendInterpolation(bind: session.uuid)
        if let player {
            query.appendLiteral(" AND player_id = ")
            query.appendInterpolation(bind: player)
        }
        if let index {
            query.appendLiteral(" AND question_index = ")
            query.appendInterpolation(bind: index)
        }
        query.appendLiteral(" ORDER BY question_index, player_id")
        // Thousands of rows after a question: read columns by name, and one JSON decoder for all.
        let decoder = JSONDecoder()
        return try await sql.raw(query).all().compactMap { row in
            guard let answer = try? decoder.decode(QuizAnswer.self, from: Data(try row.decode(column: "answer", as: String.self).utf8)) else { return nil }
            return QuizAnswerRecord(playerID: try row.decode(column: "player_id", as: UUID.self), index: try row.decode(column: "question_index", as: Int.self),
                                    answer: answer, right: try row.decode(column: "is_right", as: Bool.self), points: try row.decode(column: "points", as: Int.self),
                                    elapsedMillis: try row.decode(column: "elapsed_ms", as: Int64.self))
        }
    }

    /// Every player's score so far, for the standings.
    public func scores(session: QuizSession.ID) async throws -> [QuizStanding.Player] {
        try await sql.raw("""
            SELECT p.id, p.name, p.team, p.joined_ms, CAST(SUM(a.points) AS BIGINT) AS points,
                   CAST(SUM(CASE WHEN a.is_right THEN a.elapsed_ms ELSE 0 END) AS BIGINT) AS right_ms,
                   CAST(SUM(CASE WHEN a.is_right THEN 1 ELSE 0 END) AS BIGINT) AS rights
            FROM quiz_players p LEFT JOIN quiz_answers a ON a.player_id = p.id
            WHERE p.session_id = \(bind: session.uuid)
            GROUP BY p.id, p.name, p.team, p.joined_ms
            """).all().map { row in
            QuizStanding.Player(id: try row.decode(column: "id", as: UUID.self).uuidString.lowercased(), name: try row.decode(column: "name", as: String.self),
                                team: try row.decode(column: "team", as: String?.self), points: Int(try row.decode(column: "points", as: Int64?.self) ?? 0),
                                rightMillis: Int(try row.decode(column: "right_ms", as: Int64?.self) ?? 0),
                                rightAnswers: Int(try row.decode(column: "rights", as: Int64?.self) ?? 0),
                                joinOrder: Int(try row.decode(column: "joined_ms", as: Int64.self)))
        }
    }
}
