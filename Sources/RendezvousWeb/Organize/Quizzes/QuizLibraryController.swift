import Foundation
import Hummingbird
import NIOCore
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// The chapter's quiz library: quizzes and polls for the evening's ice-breaker, the network's
/// templates to start from, each quiz's questions and pictures, and a game's results as CSV.
/// Every quiz is loaded through `quiz(_:chapter:)`: one of another chapter answers 404.
struct QuizLibraryController: OrganizeController {
    let services: AppServices

    var routes: [OrganizeEndpoint] {
        [
            .get(.quizzes(slug: .any), library),
            .post(.quizzes(slug: .any), create),
            .post(.copyQuiz(slug: .any, .any), copy),
            .get(.quiz(slug: .any, .any), show),
            .post(.quiz(slug: .any, .any), saveSettings),
            .get(.deleteQuiz(slug: .any, .any), confirmDelete),
            .post(.deleteQuiz(slug: .any, .any), delete),
            .post(.addQuizQuestion(slug: .any, .any), addQuestion),
            .get(.quizQuestion(slug: .any, .any, index: 0), showQuestion),
            .post(.quizQuestion(slug: .any, .any, index: 0), saveQuestion),
            .post(.deleteQuizQuestion(slug: .any, .any, index: 0), deleteQuestion),
            .post(.moveQuizQuestion(slug: .any, .any, index: 0), moveQuestion),
            .get(.quizResults(.any, game: .any), resultsCSV),
        ]
    }

    static let maxTitleLength = 120

    // MARK: Loading

    /// The quiz named by `:quiz`, if it belongs to `chapter`; 404 otherwise (another chapter's, a template).
    func quiz(_ context: AppRequestContext, chapter: Chapter) async throws -> Quiz {
        guard let id = context.parameters.get("quiz").flatMap(Quiz.ID.init(string:)),
              let quiz = try await persistence.quizzes.quiz(id: id), quiz.chapterID == chapter.id else { throw AppError.notFound }
        return quiz
    }

    /// A quiz's version, as its forms carry it.
    static func stamp(_ quiz: Quiz) -> String { String(quiz.updatedAt.millis) }

    /// The time to save a change at: later than the previous save, so every change has its own stamp.
    func saveTime(after quiz: Quiz) -> Date {
        max(now(), quiz.updatedAt.addingTimeInterval(0.001))
    }

    func languageOptions(_ selected: Language) -> [SelectField.Option] {
        Language.allCases.map { .init(value: $0.rawValue, label: $0.nativeName, selected: $0 == selected) }
    }

    func questionCount(_ count: Int, _ context: AppRequestContext) -> String {
        Strings.plural("quizLibrary.questionCount", count: count, context.language)
    }

    // MARK: The library

    func libraryPage(_ chapter: Chapter, context: AppRequestContext, notice: String? = nil, title: String = "", language: Language? = nil,
                     shared: Bool = false, errors: ValidationErrors = .init()) async throws -> QuizLibraryPage {
        let own = try await persistence.quizzes.library(chapter: chapter.id)
        let templates = try await persistence.quizzes.templates().filter { $0.chapterID != chapter.id }
        return QuizLibraryPage(
            chrome: try chrome(t("quizLibrary.title", context), context, path: OrganizeRoute.quizzes(slug: chapter.slug).path),
            csrf: try session(context).csrfToken, chapterName: chapter.name, dashboardURL: OrganizeRoute.dashboard(slug: chapter.slug).path,
            notice: notice, error: errors.isEmpty ? nil : t("form.errors", context),
            quizzes: own.map {
                .init(title: $0.title, url: OrganizeRoute.quiz(slug: chapter.slug, $0.id).path, language: $0.language.nativeName,
                      questions: questionCount($0.questionCount, context), poll: $0.isPoll, shared: $0.shared)
            },
            templates: templates.map {
                .init(title: $0.title, source: $0.chapterName ?? t("quizLibrary.network", context), language: $0.language.nativeName,
                      questions: questionCount($0.questionCount, context), poll: $0.isPoll,
                      copyURL: OrganizeRoute.copyQuiz(slug: chapter.slug, $0.id).path)
            },
            createURL: OrganizeRoute.quizzes(slug: chapter.slug).path,
            titleField: FormField(name: "title", label: t("quizLibrary.quizTitle", context), value: title, required: true,
                                  error: errors["title"].map { Strings.message(for: $0, context.language) }, maxLength: Self.maxTitleLength, autocomplete: "off"),
            languages: languageOptions(language ?? chapter.locale), shared: shared)
    }

    @Sendable func library(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let notice = request.uri.queryParameters.get("done") == "deleted" ? t("quizLibrary.deleted", context) : nil
        return html(try await libraryPage(chapter, context: context, notice: notice), context)
    }

    /// The title, language and sharing of a quiz as posted, or the problems per field.
    func settings(_ fields: FormFields) -> Result<(title: String, language: Language, shared: Bool), ValidationErrors> {
        var errors = ValidationErrors()
        let title = TextRules.clean(fields["title"], field: "title", required: true, maxLength: Self.maxTitleLength, into: &errors)
        let language = Language(rawValue: fields.text("language"))
        if language == nil { errors.add("language", .invalidLocale) }
        guard errors.isEmpty, let language else { return .failure(errors) }
        return .success((title, language, fields["shared"] == "on"))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let fields = try await form(request, context)
        switch settings(fields) {
        case .failure(let errors):
            let page = try await libraryPage(chapter, context: context, title: fields.text("title"), language: Language(rawValue: fields.text("language")),
                                             shared: fields["shared"] == "on", errors: errors)
            return html(page, context, status: .unprocessableContent)
        case .success(let value):
            let quiz = Quiz(chapterID: chapter.id, title: value.title, language: value.language, shared: value.shared, updatedAt: now())
            try await persistence.quizzes.save(quiz)
            try await log(context, chapter: chapter.id, "quiz.created", quiz.title)
            return Response.redirect(to: OrganizeRoute.quiz(slug: chapter.slug, quiz.id).path("done", "created"), type: .normal)
        }
    }

    /// Copies a network template (or one of the chapter's own quizzes) into the chapter's library.
    @Sendable func copy(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        guard let id = context.parameters.get("quiz").flatMap(Quiz.ID.init(string:)),
              let source = try await persistence.quizzes.quiz(id: id),
              source.chapterID == chapter.id || source.chapterID == nil || source.shared else { throw AppError.notFound }
        let copy = try await persistence.quizzes.copy(source, to: chapter.id, title: source.title, now: now())
        try await log(context, chapter: chapter.id, "quiz.copied", copy.title)
        return Response.redirect(to: OrganizeRoute.quiz(slug: chapter.slug, copy.id).path("done", "copied"), type: .normal)
    }

    // MARK: One quiz

    static let notices = ["created": "quizLibrary.created", "copied": "quizLibrary.copied", "saved": "quizLibrary.saved",
                          "added": "quizLibrary.added", "removed": "quizLibrary.removed", "moved": "quizLibrary.moved"]

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let quiz = try await quiz(context, chapter: chapter)
        let notice = request.uri.queryParameters.get("done").flatMap { Self.notices[$0] }.map { t($0, context) }
        let error = request.uri.queryParameters.get("error") == "stale" ? t("quizLibrary.stale", context) : nil
        return html(try quizPage(quiz, chapter: chapter, context: context, notice: notice, error: error), context)
    }

    @Sendable func saveSettings(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        var quiz = try await quiz(context, chapter: chapter)
        let fields = try await form(request, context)
        switch settings(fields) {
        case .failure(let errors):
            var page = try quizPage(quiz, chapter: chapter, context: context, error: t("form.errors", context))
            page.titleField = FormField(name: "title", label: t("quizLibrary.quizTitle", context), value: fields.text("title"), required: true,
                                        error: errors["title"].map { Strings.message(for: $0, context.language) }, maxLength: Self.maxTitleLength,
                                        autocomplete: "off")
            return html(page, context, status: .unprocessableContent)
        case .success(let value):
            quiz.title = value.title
            quiz.language = value.language
            quiz.shared = value.shared
            quiz.updatedAt = saveTime(after: quiz)
            try await persistence.quizzes.save(quiz)
            return Response.redirect(to: OrganizeRoute.quiz(slug: chapter.slug, quiz.id).path("done", "saved"), type: .normal)
        }
    }

    @Sendable func confirmDelete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let quiz = try await quiz(context, chapter: chapter)
        let page = QuizDeletePage(
            chrome: try chrome(t("quizLibrary.deleteTitle", context, ["title": quiz.title]), context, path: OrganizeRoute.deleteQuiz(slug: chapter.slug, quiz.id).path),
            csrf: try session(context).csrfToken, title: t("quizLibrary.deleteTitle", context, ["title": quiz.title]),
            consequence: t("quizLibrary.deleteConsequence", context, ["questions": questionCount(quiz.questions.count, context)]),
            action: OrganizeRoute.deleteQuiz(slug: chapter.slug, quiz.id).path, cancelURL: OrganizeRoute.quiz(slug: chapter.slug, quiz.id).path)
        return html(page, context)
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let quiz = try await quiz(context, chapter: chapter)
        guard try await persistence.quizzes.delete(quiz.id, chapter: chapter.id) else { throw AppError.notFound }
        try await log(context, chapter: chapter.id, "quiz.deleted", quiz.title)
        return Response.redirect(to: OrganizeRoute.quizzes(slug: chapter.slug).path("done", "deleted"), type: .normal)
    }

    // MARK: Results

    /// One game's results, one row per player in rank order, one column per question.
    @Sendable func resultsCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        guard let id = context.parameters.get("game").flatMap(QuizSession.ID.init(string:)),
              let session = try await persistence.quizzes.session(id: id), session.eventID == detail.event.id else { throw AppError.notFound }
        let results = try await QuizResults.load(session, persistence: persistence, language: context.language)
        try await log(context, chapter: detail.chapter.id, "quiz.exported", "\(detail.event.title): \(session.title)")
        return DownloadName.csv(results.csv(language: context.language),
                                name: [detail.chapter.slug, EventForm.localDay(detail.event.startsAt, detail.chapter.zone), session.title, session.code])
    }
}
