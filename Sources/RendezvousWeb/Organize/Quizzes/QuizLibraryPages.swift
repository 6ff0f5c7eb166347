import Foundation

// Every optional a template reads is stored as a flag and a text: swift-mustache reads a nil
// value from the enclosing context, so a row's missing picture would show the page's.

/// The chapter's quiz library: its quizzes and polls, the network's templates, a new quiz.
struct QuizLibraryPage: Page {
    static let template = "organize/quiz-library"

    struct Row {
        var title: String
        var url: String
        var language: String
        var questions: String
        var poll: Bool
        var shared: Bool
    }

    struct Template {
        var title: String
        var source: String
        var language: String
        var questions: String
        var poll: Bool
        var copyURL: String
    }

    var chrome: Chrome
    var csrf: String
    var chapterName: String
    var dashboardURL: String
    var notice: String?
    var error: String?
    var quizzes: [Row]
    var templates: [Template]
    var createURL: String
    var titleField: FormField
    var languages: [SelectField.Option]
    var shared: Bool
}

/// The form of one question, for adding one (on the quiz's page) or editing one (its own page).
/// Everything shows without JavaScript: each kind's fields say which kind they are for.
struct QuizQuestionForm {
    var action: String
    var csrf: String
    /// The quiz's version as the organiser saw it: a form posted twice, or after someone else's
    /// change, is refused instead of changing the wrong question.
    var stamp: String
    var submit: String
    var kinds: [SelectField.Option]
    var prompt: TextAreaField
    var choices: TextAreaField
    var truthOptions: [SelectField.Option]
    let hasTruthError: Bool
    let truthError: String
    var answer: FormField
    var accepted: FormField
    var seconds: FormField
    var points: FormField
    let hasPicture: Bool
    let pictureURL: String
    let hasPictureError: Bool
    let pictureError: String
    let maxPictureSize: String

    init(action: String, csrf: String, stamp: String, submit: String, kinds: [SelectField.Option], prompt: TextAreaField,
         choices: TextAreaField, truthOptions: [SelectField.Option], truthError: String?, answer: FormField, accepted: FormField,
         seconds: FormField, points: FormField, pictureURL: String?, pictureError: String?, maxPictureSize: String) {
        self.action = action
        self.csrf = csrf
        self.stamp = stamp
        self.submit = submit
        self.kinds = kinds
        self.prompt = prompt
        self.choices = choices
        self.truthOptions = truthOptions
        self.hasTruthError = truthError != nil
        self.truthError = truthError ?? ""
        self.answer = answer
        self.accepted = accepted
        self.seconds = seconds
        self.points = points
        self.hasPicture = pictureURL != nil
        self.pictureURL = pictureURL ?? ""
        self.hasPictureError = pictureError != nil
        self.pictureError = pictureError ?? ""
        self.maxPictureSize = maxPictureSize
    }
}

/// One quiz: its settings, its questions in order (edit, delete, move), and a new question.
struct QuizEditPage: Page {
    static let template = "organize/quiz-edit"

    struct Choice {
        var text: String
        var right: Bool
    }

    struct Question {
        var number: Int
        var kind: String
        var prompt: String
        var choices: [Choice]
        let hasSolution: Bool
        let solution: String
        var timing: String
        let hasPicture: Bool
        let pictureURL: String
        var editURL: String
        var deleteURL: String
        var moveURL: String
        var canMoveUp: Bool
        var canMoveDown: Bool

        init(number: Int, kind: String, prompt: String, choices: [Choice], solution: String?, timing: String, pictureURL: String?,
             editURL: String, deleteURL: String, moveURL: String, canMoveUp: Bool, canMoveDown: Bool) {
            self.number = number
            self.kind = kind
            self.prompt = prompt
            self.choices = choices
            self.hasSolution = solution != nil
            self.solution = solution ?? ""
            self.timing = timing
            self.hasPicture = pictureURL != nil
            self.pictureURL = pictureURL ?? ""
            self.editURL = editURL
            self.deleteURL = deleteURL
            self.moveURL = moveURL
            self.canMoveUp = canMoveUp
            self.canMoveDown = canMoveDown
        }
    }

    var chrome: Chrome
    var csrf: String
    var libraryURL: String
    var title: String
    var notice: String?
    var error: String?
    var poll: Bool
    var shared: Bool
    var settingsURL: String
    var stamp: String
    var titleField: FormField
    var languages: [SelectField.Option]
    var count: String
    var questions: [Question]
    /// Fewer than the maximum: the add form shows.
    var canAdd: Bool
    var form: QuizQuestionForm
    var deleteURL: String
}

/// One question's own page: its form, filled in.
struct QuizQuestionPage: Page {
    static let template = "organize/quiz-question"

    var chrome: Chrome
    var quizURL: String
    var quizTitle: String
    var heading: String
    var error: String?
    var form: QuizQuestionForm
}

/// "Delete this quiz?": the confirmation a form without JavaScript needs.
struct QuizDeletePage: Page {
    static let template = "organize/quiz-delete"

    var chrome: Chrome
    var csrf: String
    var title: String
    var consequence: String
    var action: String
    var cancelURL: String
}
