import FluentKit
import SQLKit

/// Organisers' own registration questions (for one meetup, or every meetup of a chapter when
/// `event_id` is NULL) and the answers of each registration, one row per answered question.
struct CreateRegistrationQuestions: AsyncMigration {
    var name: String { "033_create_registration_questions" }

    func prepare(on database: any Database) async throws {
        try await database.schema("registration_questions")
            .field("id", .uuid, .identifier(auto: false))
            .field("chapter_id", .uuid, .required, .references("chapters", "id", onDelete: .cascade))
            .field("event_id", .uuid, .references("events", "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("kind", .string, .required)
            .field("label", .string, .required)
            /// The options of a choice, one per line.
            .field("choices", .string, .required)
            .field("required", .bool, .required)
            .field("created_at", .datetime, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "registration_questions_chapter").on("registration_questions").column("chapter_id").column("event_id").run()
        try await database.schema("registration_answers")
            .field("registration_id", .uuid, .required, .references("registrations", "id", onDelete: .cascade))
            .field("question_id", .uuid, .required, .references("registration_questions", "id", onDelete: .cascade))
            .field("answer", .string, .required)
            .unique(on: "registration_id", "question_id")
            .create()
        try await sql.create(index: "registration_answers_question").on("registration_answers").column("question_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("registration_answers").delete()
        try await database.schema("registration_questions").delete()
    }
}
