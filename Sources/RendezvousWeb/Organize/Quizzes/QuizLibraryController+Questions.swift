import Foundation
import Hummingbird
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// A quiz's questions: add (with a picture), edit, delete, move. Question forms post
/// multipart/form-data (for the picture) and carry the quiz's stamp: a form posted twice, or
/// after another organiser's change, is shown again instead of changing the wrong question.
extension QuizLibraryController {
    // MARK: Pages

    func quizPage(_ quiz: Quiz, chapter: Chapter, context: AppRequestContext, notice: String? = nil, error: String? = nil,
                  input: QuizQuestionInput = .init(), errors: ValidationErrors = .init(), pictureError: String? = nil) throws -> QuizEditPage {
        let slug = chapter.slug
        let count = quiz.questions.count
        return QuizEditPage(
            chrome: try chrome(quiz.title, context, path: OrganizeRoute.quiz(slug: slug, quiz.id).path),
            csrf: try session(context).csrfToken, libraryURL: OrganizeRoute.quizzes(slug: slug).path, title: quiz.title,
            notice: notice, error: error, poll: quiz.isPoll, shared: quiz.shared,
            settingsURL: OrganizeRoute.quiz(slug: slug, quiz.id).path, stamp: Self.stamp(quiz),
            titleField: FormField(name: "title", label: t("quizLibrary.quizTitle", context), value: quiz.title, required: true, error: nil,
                                  maxLength: Self.maxTitleLength, autocomplete: "off"),
            languages: languageOptions(quiz.language),
            count: t("quizLibrary.countOfMax", context, ["count": questionCount(count, context), "max": String(Quiz.maxQuestions)]),
            questions: quiz.questions.enumerated().map { index, question in
                QuizEditPage.Question(
                    number: index + 1, kind: kindLabel(question.kind, context), prompt: question.prompt,
                    choices: question.kind == .single || question.kind == .multiple
                        ? question.choices.enumerated().map { .init(text: $0.element, right: question.correct.contains($0.offset)) } : [],
                    solution: solution(question, context),
                    timing: t("quizLibrary.timing", context, ["seconds": String(question.seconds), "points": String(question.points)]),
                    pictureURL: question.imageID.map { PublicRoute.quizImage(id: $0).path },
                    editURL: OrganizeRoute.quizQuestion(slug: slug, quiz.id, index: index).path,
                    deleteURL: OrganizeRoute.deleteQuizQuestion(slug: slug, quiz.id, index: index).path,
                    moveURL: OrganizeRoute.moveQuizQuestion(slug: slug, quiz.id, index: index).path,
                    canMoveUp: index > 0, canMoveDown: index < count - 1)
            },
            canAdd: count < Quiz.maxQuestions,
            form: try questionForm(action: OrganizeRoute.addQuizQuestion(slug: slug, quiz.id).path, quiz: quiz, submit: t("quizLibrary.addQuestion", context),
                                   input: input, errors: errors, pictureURL: nil, pictureError: pictureError, context: context),
            deleteURL: OrganizeRoute.deleteQuiz(slug: slug, quiz.id).path)
    }

    func questionPage(_ quiz: Quiz, index: Int, chapter: Chapter, context: AppRequestContext, error: String? = nil, input: QuizQuestionInput? = nil,
                      errors: ValidationErrors = .init(), pictureError: String? = nil) throws -> QuizQuestionPage {
        let question = quiz.questions[index]
        let heading = t("quizLibrary.questionNumber", context, ["number": String(index + 1)])
        return QuizQuestionPage(
            chrome: try chrome("\(heading) · \(quiz.title)", context, path: OrganizeRoute.quizQuestion(slug: chapter.slug, quiz.id, index: index).path),
            quizURL: OrganizeRoute.quiz(slug: chapter.slug, quiz.id).path, quizTitle: quiz.title, heading: heading, error: error,
            form: try questionForm(action: OrganizeRoute.quizQuestion(slug: chapter.slug, quiz.id, index: index).path, quiz: quiz,
                                   submit: t("manage.save", context), input: input ?? QuizQuestionInput(question), errors: errors,
                                   pictureURL: question.imageID.map { PublicRoute.quizImage(id: $0).path }, pictureError: pictureError, context: context))
    }

    func questionForm(action: String, quiz: Quiz, submit: String, input: QuizQuestionInput, errors: ValidationErrors, pictureURL: String?,
                      pictureError: String?, context: AppRequestContext) throws -> QuizQuestionForm {
        func message(_ field: String) -> String? {
            guard let problem = errors[field] else { return nil }
            switch (field, problem) {
            case ("choices", .outOfRange): return t("quizLibrary.error.choiceCount", context)
            case ("choices", .format): return t("quizLibrary.error.oneRight", context)
            case ("truth", _): return t("quizLibrary.error.truth", context)
            case ("answer", _): return t("quizLibrary.error.number", context)
            default: return Strings.message(for: problem, context.language)
            }
        }
        return QuizQuestionForm(
            action: action, csrf: try session(context).csrfToken, stamp: Self.stamp(quiz), submit: submit,
            kinds: QuizQuestion.Kind.allCases.map { .init(value: $0.rawValue, label: kindLabel($0, context), selected: $0.rawValue == input.kind) },
            prompt: TextAreaField(id: "f-prompt", name: "prompt", label: t("quizLibrary.prompt", context), value: input.prompt, hint: nil,
                                  error: message("prompt"), maxLength: QuizQuestion.maxPromptLength),
            choices: TextAreaField(id: "f-choices", name: "choices", label: t("quizLibrary.choices", context), value: input.choices,
                                   hint: t("quizLibrary.choicesHint", context), error: message("choices"), maxLength: 1000),
            truthOptions: [("", "quizLibrary.truthPoll"), ("true", "quizLibrary.true"), ("false", "quizLibrary.false")].map {
                .init(value: $0.0, label: t($0.1, context), selected: input.truth == $0.0)
            },
            truthError: message("truth"),
            answer: FormField(name: "answer", label: t("quizLibrary.answer", context), value: input.answer, required: false,
                              hint: t("quizLibrary.answerHint", context), error: message("answer"), maxLength: 40, autocomplete: "off"),
            accepted: FormField(name: "accepted", label: t("quizLibrary.accepted", context), value: input.accepted, required: false,
                                hint: t("quizLibrary.acceptedHint", context), error: message("accepted"), maxLength: 500, autocomplete: "off"),
            seconds: FormField(name: "seconds", label: t("quizLibrary.seconds", context), value: input.seconds, type: "number", required: true,
                               error: message("seconds"), maxLength: 3, autocomplete: "off"),
            points: FormField(name: "points", label: t("quizLibrary.points", context), value: input.points, type: "number", required: true,
                              hint: t("quizLibrary.pointsHint", context), error: message("points"), maxLength: 4, autocomplete: "off"),
            pictureURL: pictureURL, pictureError: pictureError, maxPictureSize: "2")
    }

    func kindLabel(_ kind: QuizQuestion.Kind, _ context: AppRequestContext) -> String {
        switch kind {
        case .single: t("quizLibrary.kind.single", context)
        case .multiple: t("quizLibrary.kind.multiple", context)
        case .trueFalse: t("quizLibrary.kind.trueFalse", context)
        case .number: t("quizLibrary.kind.number", context)
        case .word: t("quizLibrary.kind.word", context)
        }
    }

    /// The right answer as the list shows it, or "no right answer" for a poll question; nil for
    /// choices (each choice is marked in the list).
    func solution(_ question: QuizQuestion, _ context: AppRequestContext) -> String? {
        guard question.hasRightAnswer else { return t("quizLibrary.noRightAnswer", context) }
        switch question.kind {
        case .single, .multiple: return nil
        case .trueFalse: return t("quizLibrary.rightAnswer", context, ["answer": t(question.correct == [0] ? "quizLibrary.true" : "quizLibrary.false", context)])
        case .number: return t("quizLibrary.rightAnswer", context, ["answer": question.answer.map(QuizResults.number) ?? ""])
        case .word: return t("quizLibrary.rightAnswer", context, ["answer": question.accepted.joined(separator: ", ")])
        }
    }

    // MARK: Reading a question form

    /// The posted question form: url-encoded, or multipart with a picture.
    func questionFields(_ request: Request) async throws -> MultipartForm {
        try await MultipartForm.read(request)
    }

    static func input(_ fields: MultipartForm) -> QuizQuestionInput {
        QuizQuestionInput(kind: fields.text("kind"), prompt: fields.text("prompt"), choices: fields.text("choices"), truth: fields.text("truth"),
                          answer: fields.text("answer"), accepted: fields.text("accepted"), seconds: fields.text("seconds"), points: fields.text("points"))
    }

    enum QuestionOutcome {
        case question(QuizQuestion)
        case invalid(ValidationErrors, pictureError: String?)
    }

    /// Validates the question and its picture; stores the picture only when everything is right.
    func readQuestion(_ fields: MultipartForm, quiz: Quiz, keeping imageID: String?, context: AppRequestContext) async throws -> QuestionOutcome {
        var pictureError: String?
        var picture: (type: String, bytes: [UInt8])?
        if let file = fields.files["picture"] {
            switch QuizPicture.check(file.bytes) {
            case .success(let type): picture = (type, file.bytes)
            case .failure(.tooLarge): pictureError = t("quizLibrary.error.pictureSize", context, ["max": "2"])
            case .failure(.notAPicture): pictureError = t("quizLibrary.error.pictureType", context)
            }
        }
        switch Self.input(fields).validated(imageID: imageID) {
        case .failure(let errors):
            return .invalid(errors, pictureError: pictureError)
        case .success(var question):
            if let pictureError { return .invalid(.init(), pictureError: pictureError) }
            if fields["removePicture"] == "on" { question.imageID = nil }
            if let picture {
                question.imageID = try await persistence.quizzes.addImage(quiz: quiz.id, contentType: picture.type, bytes: Data(picture.bytes), now: now())
            }
            return .question(question)
        }
    }

    func index(_ context: AppRequestContext, in quiz: Quiz) throws -> Int {
        guard let text = context.parameters.get("index"), let index = Int(text), quiz.questions.indices.contains(index) else { throw AppError.notFound }
        return index
    }

    // MARK: Handlers

    @Sendable func addQuestion(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        var quiz = try await quiz(context, chapter: chapter)
        let fields = try await questionFields(request)
        let input = Self.input(fields)
        guard quiz.questions.count < Quiz.maxQuestions else {
            return html(try quizPage(quiz, chapter: chapter, context: context, error: t("quizLibrary.full", context, ["max": String(Quiz.maxQuestions)]), input: input),
                        context, status: .conflict)
        }
        guard fields["stamp"] == Self.stamp(quiz) else {
            return html(try quizPage(quiz, chapter: chapter, context: context, error: t("quizLibrary.stale", context), input: input), context, status: .conflict)
        }
        switch try await readQuestion(fields, quiz: quiz, keeping: nil, context: context) {
        case .invalid(let errors, let pictureError):
            let page = try quizPage(quiz, chapter: chapter, context: context, error: t("form.errors", context), input: input, errors: errors, pictureError: pictureError)
            return html(page, context, status: .unprocessableContent)
        case .question(let question):
            quiz.questions.append(question)
            quiz.updatedAt = saveTime(after: quiz)
            try await persistence.quizzes.save(quiz)
            return Response.redirect(to: OrganizeRoute.quiz(slug: chapter.slug, quiz.id).path("done", "added") + "#questions", type: .normal)
        }
    }

    @Sendable func showQuestion(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let quiz = try await quiz(context, chapter: chapter)
        return html(try questionPage(quiz, index: try index(context, in: quiz), chapter: chapter, context: context), context)
    }

    @Sendable func saveQuestion(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        var quiz = try await quiz(context, chapter: chapter)
        let index = try index(context, in: quiz)
        let fields = try await questionFields(request)
        let input = Self.input(fields)
        guard fields["stamp"] == Self.stamp(quiz) else {
            let page = try questionPage(quiz, index: index, chapter: chapter, context: context, error: t("quizLibrary.stale", context), input: input)
            return html(page, context, status: .conflict)
        }
        switch try await readQuestion(fields, quiz: quiz, keeping: quiz.questions[index].imageID, context: context) {
        case .invalid(let errors, let pictureError):
            let page = try questionPage(quiz, index: index, chapter: chapter, context: context, error: t("form.errors", context), input: input,
                                        errors: errors, pictureError: pictureError)
            return html(page, context, status: .unprocessableContent)
        case .question(let question):
            quiz.questions[index] = question
            quiz.updatedAt = saveTime(after: quiz)
            try await persistence.quizzes.save(quiz)
            return Response.redirect(to: OrganizeRoute.quiz(slug: chapter.slug, quiz.id).path("done", "saved") + "#q\(index + 1)", type: .normal)
        }
    }

    @Sendable func deleteQuestion(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        var quiz = try await quiz(context, chapter: chapter)
        let index = try index(context, in: quiz)
        guard try await form(request, context)["stamp"] == Self.stamp(quiz) else {
            return Response.redirect(to: OrganizeRoute.quiz(slug: chapter.slug, quiz.id).path("error", "stale"), type: .normal)
        }
        quiz.questions.remove(at: index)
        quiz.updatedAt = saveTime(after: quiz)
        try await persistence.quizzes.save(quiz)
        return Response.redirect(to: OrganizeRoute.quiz(slug: chapter.slug, quiz.id).path("done", "removed") + "#questions", type: .normal)
    }

    @Sendable func moveQuestion(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        var quiz = try await quiz(context, chapter: chapter)
        let index = try index(context, in: quiz)
        let fields = try await form(request, context)
        let target: Int
        switch fields["direction"] {
        case "up": target = index - 1
        case "down": target = index + 1
        default: throw AppError.badRequest(detail: nil)
        }
        guard quiz.questions.indices.contains(target) else { throw AppError.badRequest(detail: nil) }
        guard fields["stamp"] == Self.stamp(quiz) else {
            return Response.redirect(to: OrganizeRoute.quiz(slug: chapter.slug, quiz.id).path("error", "stale"), type: .normal)
        }
        quiz.questions.swapAt(index, target)
        quiz.updatedAt = saveTime(after: quiz)
        try await persistence.quizzes.save(quiz)
        return Response.redirect(to: OrganizeRoute.quiz(slug: chapter.slug, quiz.id).path("done", "moved") + "#q\(target + 1)", type: .normal)
    }
}
