import Foundation
import RendezvousDomain
@testable import RendezvousWeb

extension QuizLibraryPage {
    static let mockQuiz = Quiz.ID(UUID(uuidString: "3C4D5E6F-7A8B-4C9D-8E0F-1A2B3C4D5E6F")!)

    /// Two quizzes of the chapter (one a shared poll), two templates, and the new-quiz form in error.
    static let mock = QuizLibraryPage(
        chrome: .organizer("Quizzes and polls", path: OrganizeRoute.quizzes(slug: "toulouse").path), csrf: Mock.csrf,
        chapterName: "#LinkedInLocal Toulouse", dashboardURL: OrganizeRoute.dashboard(slug: "toulouse").path, notice: "Quiz deleted.",
        error: "Please correct the fields marked below.",
        quizzes: [
            .init(title: "Brise-glace <de la rentrée>", url: OrganizeRoute.quiz(slug: "toulouse", mockQuiz).path, language: "Français",
                  questions: "4 questions", poll: false, shared: false),
            .init(title: "Votre premier meetup ?", url: OrganizeRoute.quiz(slug: "toulouse", mockQuiz).path, language: "Français",
                  questions: "1 question", poll: true, shared: true),
        ],
        templates: [
            .init(title: "LinkedIn trivia", source: "The network", language: "English", questions: "8 questions", poll: false,
                  copyURL: OrganizeRoute.copyQuiz(slug: "toulouse", mockQuiz).path),
            .init(title: "Your sector?", source: "#LinkedInLocal Lyon", language: "English", questions: "2 questions", poll: true,
                  copyURL: OrganizeRoute.copyQuiz(slug: "toulouse", mockQuiz).path),
        ],
        createURL: OrganizeRoute.quizzes(slug: "toulouse").path,
        titleField: FormField(name: "title", label: "Title", value: "", required: true, error: "Required.", maxLength: 120, autocomplete: "off"),
        languages: [.init(value: "en", label: "English", selected: false), .init(value: "fr", label: "Français", selected: true)], shared: true)
}

extension QuizQuestionForm {
    static func mock(action: String, prompt: String = "", choices: String = "", kind: String = "single", choicesError: String? = nil,
                     pictureURL: String? = nil, pictureError: String? = nil, submit: String = "Add a question") -> QuizQuestionForm {
        QuizQuestionForm(
            action: action, csrf: Mock.csrf, stamp: "1800000000000", submit: submit,
            kinds: [("single", "Single choice"), ("multiple", "Multiple choice"), ("trueFalse", "True or false"), ("number", "Number"),
                    ("word", "Word (word cloud)")].map { .init(value: $0.0, label: $0.1, selected: $0.0 == kind) },
            prompt: TextAreaField(id: "f-prompt", name: "prompt", label: "Question", value: prompt, hint: nil, error: nil, maxLength: 300),
            choices: TextAreaField(id: "f-choices", name: "choices", label: "Choices", value: choices,
                                   hint: "One choice per line, 2 to 6. Start the right ones with * (for example *Paris). No * at all: a poll question.",
                                   error: choicesError, maxLength: 1000),
            truthOptions: [.init(value: "", label: "No right answer (poll)", selected: true), .init(value: "true", label: "True", selected: false),
                           .init(value: "false", label: "False", selected: false)],
            truthError: nil,
            answer: FormField(name: "answer", label: "Right number", value: "", required: false, hint: "The closest guesses win.", error: nil,
                              maxLength: 40, autocomplete: "off"),
            accepted: FormField(name: "accepted", label: "Accepted words", value: "", required: false, hint: "Separated by commas.", error: nil,
                                maxLength: 500, autocomplete: "off"),
            seconds: FormField(name: "seconds", label: "Seconds to answer (5 to 240)", value: "20", type: "number", required: true, error: nil,
                               maxLength: 3, autocomplete: "off"),
            points: FormField(name: "points", label: "Points", value: "1000", type: "number", required: true, hint: "0 to 2,000.", error: nil,
                              maxLength: 4, autocomplete: "off"),
            pictureURL: pictureURL, pictureError: pictureError, maxPictureSize: "2")
    }
}

extension QuizEditPage {
    /// Three questions (a picture on the first), the add form with errors on the choices and the picture.
    static let mock: QuizEditPage = {
        let quiz = QuizLibraryPage.mockQuiz
        func question(_ index: Int, _ kind: String, _ prompt: String, choices: [QuizEditPage.Choice] = [], solution: String?, picture: String? = nil,
                      count: Int = 3) -> QuizEditPage.Question {
            .init(number: index + 1, kind: kind, prompt: prompt, choices: choices, solution: solution, timing: "20 s · 1000 points",
                  pictureURL: picture.map { PublicRoute.quizImage(id: $0).path },
                  editURL: OrganizeRoute.quizQuestion(slug: "toulouse", quiz, index: index).path,
                  deleteURL: OrganizeRoute.deleteQuizQuestion(slug: "toulouse", quiz, index: index).path,
                  moveURL: OrganizeRoute.moveQuizQuestion(slug: "toulouse", quiz, index: index).path, canMoveUp: index > 0, canMoveDown: index < count - 1)
        }
        return QuizEditPage(
            chrome: .organizer("LinkedIn trivia", path: OrganizeRoute.quiz(slug: "toulouse", quiz).path), csrf: Mock.csrf,
            libraryURL: OrganizeRoute.quizzes(slug: "toulouse").path, title: "LinkedIn trivia <copy>", notice: nil,
            error: "Please correct the fields marked below.", poll: false, shared: true,
            settingsURL: OrganizeRoute.quiz(slug: "toulouse", quiz).path, stamp: "1800000000000",
            titleField: FormField(name: "title", label: "Title", value: "LinkedIn trivia <copy>", required: true, error: nil, maxLength: 120, autocomplete: "off"),
            languages: [.init(value: "en", label: "English", selected: true), .init(value: "fr", label: "Français", selected: false)],
            count: "3 questions (at most 50)",
            questions: [
                question(0, "Single choice", "In which year was LinkedIn launched?",
                         choices: [.init(text: "1999", right: false), .init(text: "2003", right: true), .init(text: "<2010>", right: false)],
                         solution: nil, picture: "5b8e2c1a-0f3d-4e6b-9a7c-2d1e0f9a8b7c"),
                question(1, "Number", "How many first-degree connections may one member have at most?", solution: "Right answer: 30000"),
                question(2, "Word (word cloud)", "In one word: what do you hope to get from tonight?", solution: "No right answer (poll)."),
            ],
            canAdd: true,
            form: .mock(action: OrganizeRoute.addQuizQuestion(slug: "toulouse", quiz).path, prompt: "Who co-founded LinkedIn?",
                        choices: "*Reid Hoffman\n*Allen Blue\nJack Dorsey", choicesError: "A single-choice question has one right choice: mark only one line with *.",
                        pictureError: "This file is not a PNG, JPEG, WebP or GIF picture."),
            deleteURL: OrganizeRoute.deleteQuiz(slug: "toulouse", quiz).path)
    }()
}

extension QuizQuestionPage {
    static let mock = QuizQuestionPage(
        chrome: .organizer("Question 1 · LinkedIn trivia", path: OrganizeRoute.quizQuestion(slug: "toulouse", QuizLibraryPage.mockQuiz, index: 0).path),
        quizURL: OrganizeRoute.quiz(slug: "toulouse", QuizLibraryPage.mockQuiz).path, quizTitle: "LinkedIn trivia", heading: "Question 1", error: nil,
        form: .mock(action: OrganizeRoute.quizQuestion(slug: "toulouse", QuizLibraryPage.mockQuiz, index: 0).path, prompt: "In which year was LinkedIn launched?",
                    choices: "1999\n*2003\n2010", pictureURL: PublicRoute.quizImage(id: "5b8e2c1a-0f3d-4e6b-9a7c-2d1e0f9a8b7c").path, submit: "Save changes"))
}

extension QuizDeletePage {
    static let mock = QuizDeletePage(
        chrome: .organizer("Delete “LinkedIn trivia”?", path: OrganizeRoute.deleteQuiz(slug: "toulouse", QuizLibraryPage.mockQuiz).path), csrf: Mock.csrf,
        title: "Delete “LinkedIn trivia”?", consequence: "Its 8 questions and their pictures will be deleted. Games already played keep their results.",
        action: OrganizeRoute.deleteQuiz(slug: "toulouse", QuizLibraryPage.mockQuiz).path,
        cancelURL: OrganizeRoute.quiz(slug: "toulouse", QuizLibraryPage.mockQuiz).path)
}
