import Foundation
import HTTPTypes
import Hummingbird
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// The quiz library over JSON (a chapter's quizzes and polls: list, read, create, replace,
/// delete) and the results of the games played at an event. Organisers only (bearer token); a
/// quiz or game of a chapter the caller does not organise answers 404.
extension APIController {
    struct QuizQuestionJSON: Codable {
        var kind: QuizQuestion.Kind
        var prompt: String
        var choices: [String]?
        /// Indices of the right choices (trueFalse: 0 is true, 1 is false); empty for a poll question.
        var correct: [Int]?
        var answer: Double?
        var accepted: [String]?
        var seconds: Int?
        var points: Int?
        var imageId: String?
        /// Where the picture is served (read only).
        var imageUrl: String?

        init(_ question: QuizQuestion) {
            kind = question.kind
            prompt = question.prompt
            choices = question.choices
            correct = question.correct
            answer = question.answer
            accepted = question.accepted
            seconds = question.seconds
            points = question.points
            imageId = question.imageID
            imageUrl = question.imageID.map { PublicRoute.quizImage(id: $0).path }
        }
    }

    /// Right words a word question may list through the API (the document's `accepted` maxItems).
    static let maxAcceptedWords = 20

    struct QuizBody: Decodable {
        var title: String?
        var language: String?
        var shared: Bool?
        var questions: [QuizQuestionJSON]?
    }

    struct QuizJSON: Encodable {
        var id: String
        var chapter: String
        var title: String
        var language: String
        var shared: Bool
        var poll: Bool
        var updatedAt: String
        var questions: [QuizQuestionJSON]
    }

    struct QuizSummaryJSON: Encodable {
        var id: String
        var title: String
        var language: String
        var shared: Bool
        var poll: Bool
        var questionCount: Int
        var updatedAt: String
    }

    struct QuizGameJSON: Encodable {
        var id: String
        var eventId: String
        var quizId: String
        var title: String
        var code: String
        var phase: String
        var teams: Bool
        var questionCount: Int
    }

    struct QuizResultsJSON: Encodable {
        struct Question: Encodable { var index: Int; var kind: QuizQuestion.Kind; var prompt: String }
        struct Answer: Encodable {
            var question: Int
            var answer: String
            var right: Bool
            var points: Int
            var elapsedMs: Int64
        }
        struct Player: Encodable {
            var id: String
            var rank: Int
            var name: String
            var team: String?
            var points: Int
            var rightAnswers: Int
            var answers: [Answer]
        }
        var game: QuizGameJSON
        var questions: [Question]
        var players: [Player]
    }

    func quizJSON(_ quiz: Quiz, chapter: Chapter) -> QuizJSON {
        QuizJSON(id: quiz.id.description, chapter: chapter.slug, title: quiz.title, language: quiz.language.rawValue, shared: quiz.shared,
                 poll: quiz.isPoll, updatedAt: ISO8601.format(quiz.updatedAt), questions: quiz.questions.map(QuizQuestionJSON.init))
    }

    static func gameJSON(_ session: QuizSession) -> QuizGameJSON {
        QuizGameJSON(id: session.id.description, eventId: session.eventID.description, quizId: session.quizID.description, title: session.title,
                     code: session.code, phase: session.phase.rawValue, teams: session.teams, questionCount: session.questions.count)
    }

    /// The quiz named by `:id`, if the caller organises its chapter.
    func organizedQuiz(_ context: AppRequestContext) async throws -> (Quiz, Chapter) {
        let user = try requireUser(context)
        guard let id = context.parameters.get("id").flatMap(Quiz.ID.init(string:)),
              let quiz = try await services.persistence.quizzes.quiz(id: id), let chapterID = quiz.chapterID, user.mayOrganize(chapterID),
              let chapter = try await services.persistence.chapters.chapter(id: chapterID) else { throw AppError.notFound }
        return (quiz, chapter)
    }

    /// A quiz as posted, checked with the editor's rules; problems per field (`questions[2].choices`).
    /// A question may keep a picture the quiz already has (`imageId`), not name another.
    static func validatedQuiz(_ body: QuizBody, base: Quiz) -> Result<Quiz, ValidationErrors> {
        var errors = ValidationErrors()
        var quiz = base
        quiz.title = TextRules.clean(body.title, field: "title", required: true, maxLength: QuizLibraryController.maxTitleLength, into: &errors)
        if let language = body.language.flatMap(Language.init(rawValue:)) { quiz.language = language } else { errors.add("language", .invalidLocale) }
        quiz.shared = body.shared ?? false
        let posted = body.questions ?? []
        if posted.count > Quiz.maxQuestions { errors.add("questions", .outOfRange(min: 0, max: Quiz.maxQuestions)) }
        let pictures = Set(base.questions.compactMap(\.imageID))
        quiz.questions = []
        for (index, question) in posted.prefix(Quiz.maxQuestions).enumerated() {
            let field = "questions[\(index)]"
            let choices = question.choices ?? []
            let correct = question.correct ?? []
            // The editor's text form marks right choices with "*" and splits lines: a choice must not look like either.
            if choices.contains(where: { $0.contains(where: \.isNewline) || $0.trimmingCharacters(in: .whitespaces).hasPrefix("*") }) {
                errors.add("\(field).choices", .format(example: "Paris"))
                continue
            }
            if correct.contains(where: { !(0..<max(question.kind == .trueFalse ? 2 : choices.count, 0)).contains($0) })
                || (question.kind == .trueFalse && correct.count > 1) || correct.count > QuizQuestion.choicesRange.upperBound {
                errors.add("\(field).correct", .outOfRange(min: 0, max: max((question.kind == .trueFalse ? 2 : choices.count) - 1, 0)))
                continue
            }
            // The document's limits hold whatever the kind: a list the kind does not use is still refused when it breaks them.
            if choices.count > QuizQuestion.choicesRange.upperBound || choices.contains(where: { $0.count > QuizQuestion.maxChoiceLength }) {
                errors.add("\(field).choices", .outOfRange(min: 0, max: QuizQuestion.choicesRange.upperBound))
                continue
            }
            let accepted = question.accepted ?? []
            if accepted.count > Self.maxAcceptedWords || accepted.contains(where: { $0.count > QuizQuestion.maxWordLength }) {
                errors.add("\(field).accepted", .outOfRange(min: 0, max: Self.maxAcceptedWords))
                continue
            }
            if let image = question.imageId, !pictures.contains(image) {
                errors.add("\(field).imageId", .format(example: "an imageId of this quiz"))
                continue
            }
            let input = QuizQuestionInput(
                kind: question.kind.rawValue, prompt: question.prompt,
                choices: choices.enumerated().map { (correct.contains($0.offset) ? "*" : "") + $0.element }.joined(separator: "\n"),
                truth: question.kind == .trueFalse ? (correct.first.map { $0 == 0 ? "true" : "false" } ?? "") : "",
                answer: question.answer.map { QuizResults.number($0) } ?? "",
                accepted: (question.accepted ?? []).joined(separator: ", "),
                seconds: String(question.seconds ?? 20), points: String(question.points ?? 1000))
            if (question.accepted ?? []).contains(where: { $0.contains(",") }) {
                errors.add("\(field).accepted", .format(example: "Paris"))
                continue
            }
            switch input.validated(imageID: question.imageId) {
            case .success(let valid): quiz.questions.append(valid)
            case .failure(let problems):
                for problem in problems.problems { errors.add("\(field).\(problem.field == "truth" ? "correct" : problem.field)", problem.problem) }
            }
        }
        return errors.isEmpty ? .success(quiz) : .failure(errors)
    }

    @Sendable func listQuizzes(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await organizedChapter(slug: context.parameters.get("slug") ?? "", context: context)
        let quizzes = try await services.persistence.quizzes.library(chapter: chapter.id)
        return JSONBody.response(status: .ok, API.ListResponse(items: quizzes.map {
            QuizSummaryJSON(id: $0.id.description, title: $0.title, language: $0.language.rawValue, shared: $0.shared, poll: $0.isPoll,
                            questionCount: $0.questionCount, updatedAt: ISO8601.format($0.updatedAt))
        }))
    }

    @Sendable func createQuiz(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await organizedChapter(slug: context.parameters.get("slug") ?? "", context: context)
        let body = try await Self.decode(QuizBody.self, from: request, context: context)
        let base = Quiz(chapterID: chapter.id, title: "", language: chapter.locale, updatedAt: services.clock.now())
        switch Self.validatedQuiz(body, base: base) {
        case .failure(let errors): throw AppError.validation(errors)
        case .success(let quiz):
            try await services.persistence.quizzes.save(quiz)
            try await services.persistence.team.audit(chapter: chapter.id, by: try requireUser(context), action: "quiz.created", subject: quiz.title,
                                                      now: services.clock.now())
            return JSONBody.response(status: .created, quizJSON(quiz, chapter: chapter))
        }
    }

    @Sendable func showQuiz(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (quiz, chapter) = try await organizedQuiz(context)
        return JSONBody.response(status: .ok, quizJSON(quiz, chapter: chapter))
    }

    @Sendable func replaceQuiz(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (stored, chapter) = try await organizedQuiz(context)
        let body = try await Self.decode(QuizBody.self, from: request, context: context)
        switch Self.validatedQuiz(body, base: stored) {
        case .failure(let errors): throw AppError.validation(errors)
        case .success(var quiz):
            quiz.updatedAt = max(services.clock.now(), stored.updatedAt.addingTimeInterval(0.001))
            try await services.persistence.quizzes.save(quiz)
            return JSONBody.response(status: .ok, quizJSON(quiz, chapter: chapter))
        }
    }

    @Sendable func deleteQuiz(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (quiz, chapter) = try await organizedQuiz(context)
        guard try await services.persistence.quizzes.delete(quiz.id, chapter: chapter.id) else { throw AppError.notFound }
        try await services.persistence.team.audit(chapter: chapter.id, by: try requireUser(context), action: "quiz.deleted", subject: quiz.title,
                                                  now: services.clock.now())
        return Response(status: .noContent, headers: [.cacheControl: "no-store"])
    }

    @Sendable func listQuizGames(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (event, _) = try await organizedEvent(context)
        let sessions = try await services.persistence.quizzes.sessions(event: event.id)
        return JSONBody.response(status: .ok, API.ListResponse(items: sessions.map(Self.gameJSON)))
    }

    @Sendable func showQuizGameResults(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (event, _) = try await organizedEvent(context)
        guard let id = context.parameters.get("game").flatMap(QuizSession.ID.init(string:)),
              let session = try await services.persistence.quizzes.session(id: id), session.eventID == event.id else { throw AppError.notFound }
        let results = try await QuizResults.load(session, persistence: services.persistence, language: context.language)
        return JSONBody.response(status: .ok, QuizResultsJSON(
            game: Self.gameJSON(session),
            questions: session.questions.enumerated().map { .init(index: $0.offset, kind: $0.element.kind, prompt: $0.element.prompt) },
            players: results.players.map { player in
                .init(id: player.id, rank: player.rank, name: player.name, team: player.team, points: player.points, rightAnswers: player.rightAnswers,
                      answers: player.answers.compactMap { $0 }.map {
                          .init(question: $0.index, answer: $0.text, right: $0.right, points: $0.points, elapsedMs: $0.elapsedMillis)
                      })
            }))
    }
}
