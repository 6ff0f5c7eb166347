import Foundation
import RendezvousDomain
import SQLKit

/// Organisers' registration questions and the answers to them.
public struct QuestionStore: Store { public let persistence: Persistence }

extension Persistence {
    public var questions: QuestionStore { .init(persistence: self) }
}

struct QuestionRow: Decodable {
    var id: UUID
    var chapterId: UUID
    var eventId: UUID?
    var position: Int
    var kind: String
    var label: String
    var choices: String
    var required: Bool

    static let columns = "id, chapter_id, event_id, position, kind, label, choices, required"

    var question: RegistrationQuestion {
        RegistrationQuestion(id: .init(id), chapterID: .init(chapterId), eventID: eventId.map { .init($0) }, position: position,
                             kind: RegistrationQuestion.Kind(rawValue: kind) ?? .text, label: label,
                             choices: choices.split(separator: "\n").map(String.init), required: required)
    }
}

extension QuestionStore {
    /// What a meetup's registration form asks: the chapter's questions first, then the meetup's own.
    public func questions(forEvent event: Event.ID) async throws -> [RegistrationQuestion] {
        try await sql.raw("""
            SELECT \(unsafeRaw: QuestionRow.columns.split(separator: ",").map { "q." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", "))
            FROM registration_questions q JOIN events e ON e.chapter_id = q.chapter_id
            WHERE e.id = \(bind: event.uuid) AND (q.event_id IS NULL OR q.event_id = \(bind: event.uuid))
            ORDER BY CASE WHEN q.event_id IS NULL THEN 0 ELSE 1 END, q.position, q.created_at
            """).rows(QuestionRow.self).map(\.question)
    }

    public func question(_ id: RegistrationQuestion.ID) async throws -> RegistrationQuestion? {
        try await sql.raw("SELECT \(unsafeRaw: QuestionRow.columns) FROM registration_questions WHERE id = \(bind: id.uuid)").row(QuestionRow.self)?.question
    }

    /// Adds a question at the end of its list (the chapter's, or the meetup's).
    public func add(_ valid: RegistrationQuestion.Input.Valid, chapter: Chapter.ID, event: Event.ID, now: Date) async throws -> RegistrationQuestion {
        try await write { sql in
            let scope = valid.chapterWide ? nil : event.uuid
            let siblings = try await sql.raw("SELECT \(unsafeRaw: QuestionRow.columns) FROM registration_questions WHERE chapter_id = \(bind: chapter.uuid)")
                .rows(QuestionRow.self).filter { $0.eventId == scope }
            let last = siblings.map(\.position).max() ?? -1
            let question = RegistrationQuestion(id: .init(), chapterID: chapter, eventID: scope.map { .init($0) }, position: last + 1, kind: valid.kind,
                                                label: valid.label, choices: valid.choices, required: valid.required)
            try await sql.insert(into: "registration_questions")
                .columns("id", "chapter_id", "event_id", "position", "kind", "label", "choices", "required", "created_at")
                .values([question.id.uuid, chapter.uuid, scope, question.position, valid.kind.rawValue, valid.label,
                         valid.choices.joined(separator: "\n"), valid.required, now] as [any Encodable & Sendable])
                .run()
            return question
        }
    }

    /// Removes a question of this chapter, and its answers.
    public func remove(_ id: RegistrationQuestion.ID, chapter: Chapter.ID) async throws {
        try await write { sql in
            try await sql.raw("DELETE FROM registration_answers WHERE question_id = \(bind: id.uuid) AND question_id IN (SELECT id FROM registration_questions WHERE chapter_id = \(bind: chapter.uuid))").run()
            try await sql.raw("DELETE FROM registration_questions WHERE id = \(bind: id.uuid) AND chapter_id = \(bind: chapter.uuid)").run()
        }
    }

    /// Moves a question one place up (-1) or down (+1) in its list.
    public func move(_ id: RegistrationQuestion.ID, chapter: Chapter.ID, by step: Int) async throws {
        try await write { sql in
            guard let row = try await sql.raw("SELECT \(unsafeRaw: QuestionRow.columns) FROM registration_questions WHERE id = \(bind: id.uuid) AND chapter_id = \(bind: chapter.uuid)")
                .row(QuestionRow.self) else { return }
            let siblings = try await sql.raw("SELECT \(unsafeRaw: QuestionRow.columns) FROM registration_questions WHERE chapter_id = \(bind: chapter.uuid)")
                .rows(QuestionRow.self).filter { $0.eventId == row.eventId }.sorted { $0.position < $1.position }
            guard let index = siblings.firstIndex(where: { $0.id == row.id }), siblings.indices.contains(index + step) else { return }
            var order = siblings.map(\.id)
            order.swapAt(index, index + step)
            for (position, question) in order.enumerated() {
                try await sql.raw("UPDATE registration_questions SET position = \(bind: position) WHERE id = \(bind: question)").run()
            }
        }
    }

    /// One registration's answers.
    public func answers(of registration: Registration.ID) async throws -> QuestionAnswers {
        struct Row: Decodable { var questionId: UUID; var answer: String }
        let rows = try await sql.raw("SELECT question_id, answer FROM registration_answers WHERE registration_id = \(bind: registration.uuid)").rows(Row.self)
        return Dictionary(rows.map { (RegistrationQuestion.ID($0.questionId), $0.answer) }, uniquingKeysWith: { a, _ in a })
    }

    /// Every answer given for a meetup, by registration.
    /// `activeOnly`: only people holding a seat, an offer or a waitlist place (what to order food for).
    public func answers(ofEvent event: Event.ID, activeOnly: Bool = false) async throws -> [Registration.ID: QuestionAnswers] {
        struct Row: Decodable { var registrationId: UUID; var questionId: UUID; var answer: String }
        let rows = try await sql.raw("""
            SELECT a.registration_id, a.question_id, a.answer FROM registration_answers a JOIN registrations r ON r.id = a.registration_id
            WHERE r.event_id = \(bind: event.uuid)\(unsafeRaw: activeOnly ? " AND r.status IN ('confirmed', 'offered', 'waitlisted')" : "")
            """).rows(Row.self)
        var result: [Registration.ID: QuestionAnswers] = [:]
        for row in rows { result[.init(row.registrationId), default: [:]][.init(row.questionId)] = row.answer }
        return result
    }

    /// Replaces a registration's answers (the manage page's form).
    public func setAnswers(_ answers: QuestionAnswers, of registration: Registration.ID) async throws {
        try await write { sql in try await Self.replaceAnswers([registration.uuid: answers], on: sql) }
    }

    /// The answers of new registrations, in one INSERT.
    static func insertAnswers(_ answers: [(UUID, QuestionAnswers)], on sql: any SQLDatabase) async throws {
        let rows = answers.flatMap { registration, answers in answers.map { [registration, $0.key.uuid, $0.value] as [any Encodable & Sendable] } }
        guard !rows.isEmpty else { return }
        var insert = sql.insert(into: "registration_answers").columns("registration_id", "question_id", "answer")
        for row in rows { insert = insert.values(row) }
        try await insert.run()
    }

    static func replaceAnswers(_ byRegistration: [UUID: QuestionAnswers], on sql: any SQLDatabase) async throws {
        for (registration, answers) in byRegistration {
            try await sql.raw("DELETE FROM registration_answers WHERE registration_id = \(bind: registration)").run()
            guard !answers.isEmpty else { continue }
            var insert = sql.insert(into: "registration_answers").columns("registration_id", "question_id", "answer")
            for (question, answer) in answers.sorted(by: { $0.key.uuid.uuidString < $1.key.uuid.uuidString }) {
                insert = insert.values([registration, question.uuid, answer] as [any Encodable & Sendable])
            }
            try await insert.run()
        }
    }
}
