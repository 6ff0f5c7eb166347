import FluentKit
import SQLKit

/// Ice-breaker quizzes and polls: the library (per chapter, some shared with the network as
/// templates; questions kept as one JSON document), their pictures, and the evening's games.
///
/// A game (`quiz_sessions`) copies the questions when it starts, so editing the quiz does not
/// change a game under way. Times that decide scores are integers (milliseconds since 1970),
/// compared exactly on both databases. Exactness lives in the unique constraint: one answer per
/// player and question, whatever the phone sends twice.
struct CreateQuizzes: AsyncMigration {
    var name: String { "028_create_quizzes" }

    func prepare(on database: any Database) async throws {
        try await database.schema("quizzes")
            .field("id", .uuid, .identifier(auto: false))
            .field("chapter_id", .uuid, .references("chapters", "id", onDelete: .cascade))
            .field("title", .string, .required)
            .field("language", .string, .required)
            .field("shared", .bool, .required)
            .field("questions", .string, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.schema("quiz_images")
            .field("id", .uuid, .identifier(auto: false))
            .field("quiz_id", .uuid, .required, .references("quizzes", "id", onDelete: .cascade))
            .field("content_type", .string, .required)
            .field("bytes", .data, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema("quiz_sessions")
            .field("id", .uuid, .identifier(auto: false))
            .field("event_id", .uuid, .required, .references("events", "id", onDelete: .cascade))
            .field("quiz_id", .uuid, .required)
            .field("code", .string, .required)
            .field("title", .string, .required)
            .field("questions", .string, .required)
            .field("teams", .bool, .required)
            .field("phase", .string, .required)
            .field("question_index", .int, .required)
            .field("opened_ms", .int64)
            .field("deadline_ms", .int64)
            .field("version", .int, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema("quiz_players")
            .field("id", .uuid, .identifier(auto: false))
            .field("session_id", .uuid, .required, .references("quiz_sessions", "id", onDelete: .cascade))
            .field("registration_id", .uuid, .references("registrations", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("team", .string)
            .field("joined_ms", .int64, .required)
            .unique(on: "session_id", "registration_id")
            .create()
        try await database.schema("quiz_answers")
            .field("id", .uuid, .identifier(auto: false))
            .field("session_id", .uuid, .required, .references("quiz_sessions", "id", onDelete: .cascade))
            .field("player_id", .uuid, .required, .references("quiz_players", "id", onDelete: .cascade))
            .field("question_index", .int, .required)
            .field("answer", .string, .required)
            .field("elapsed_ms", .int64, .required)
            .field("received_ms", .int64, .required)
            .field("is_right", .bool, .required)
            .field("points", .int, .required)
            .unique(on: "player_id", "question_index")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "quizzes_chapter").on("quizzes").column("chapter_id").run()
        try await sql.create(index: "quiz_images_quiz").on("quiz_images").column("quiz_id").run()
        try await sql.create(index: "quiz_sessions_event").on("quiz_sessions").column("event_id").column("created_at").run()
        try await sql.create(index: "quiz_sessions_code").on("quiz_sessions").column("code").run()
        try await sql.create(index: "quiz_players_session").on("quiz_players").column("session_id").run()
        try await sql.create(index: "quiz_answers_question").on("quiz_answers").column("session_id").column("question_index").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("quiz_answers").delete()
        try await database.schema("quiz_players").delete()
        try await database.schema("quiz_sessions").delete()
        try await database.schema("quiz_images").delete()
        try await database.schema("quizzes").delete()
    }
}
