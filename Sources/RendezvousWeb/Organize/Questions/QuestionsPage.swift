import Foundation

/// A meetup's registration questions: the chapter's (asked at every meetup) and its own, what
/// people answered so far, and the form that adds one.
struct QuestionsPage: Page {
    static let template = "organize/questions"

    struct Item {
        var label: String
        /// "Choice · required · every meetup of the chapter".
        var details: String
        var options: String?
        /// What people answered, for a choice or yes/no ("Vegetarian: 12 · None: 40"), or how many answered.
        var answered: String
        var upURL: String?
        var downURL: String?
        var removeURL: String
    }

    var chrome: Chrome
    var csrf: String
    var title: String
    var eventURL: String
    var notice: String?
    var error: String?
    let chapterQuestions: [Item]
    let hasChapterQuestions: Bool
    let eventQuestions: [Item]
    let hasEventQuestions: Bool
    var addURL: String
    var label: FormField
    var kinds: [SelectField.Option]
    var choices: TextAreaField
    var required: Bool
    var scopeEvent: Bool
    let hasScopeError: Bool
    let scopeError: String
    /// Twelve questions already: the form is replaced by a note.
    var full: Bool

    init(chrome: Chrome, csrf: String, title: String, eventURL: String, notice: String?, error: String?, chapterQuestions: [Item], eventQuestions: [Item],
         addURL: String, label: FormField, kinds: [SelectField.Option], choices: TextAreaField, required: Bool, scopeEvent: Bool, scopeError: String?, full: Bool) {
        self.chrome = chrome
        self.csrf = csrf
        self.title = title
        self.eventURL = eventURL
        self.notice = notice
        self.error = error
        self.chapterQuestions = chapterQuestions
        self.hasChapterQuestions = !chapterQuestions.isEmpty
        self.eventQuestions = eventQuestions
        self.hasEventQuestions = !eventQuestions.isEmpty
        self.addURL = addURL
        self.label = label
        self.kinds = kinds
        self.choices = choices
        self.required = required
        self.scopeEvent = scopeEvent
        self.hasScopeError = scopeError != nil
        self.scopeError = scopeError ?? ""
        self.full = full
    }
}
