import Foundation

/// A question organisers add to the registration form: for one meetup, or for every meetup of
/// the chapter ("Dietary needs?", "How did you hear of us?"). Answers are shown to organisers and
/// in their CSV export, never on a public page.
public struct RegistrationQuestion: Sendable, Equatable, Identifiable {
    public typealias ID = Identifier<RegistrationQuestion>

    public enum Kind: String, Sendable, CaseIterable {
        /// A short text answer.
        case text
        /// One of the organiser's options.
        case choice
        /// Yes or no.
        case yesNo = "yes-no"
    }

    public var id: ID
    public var chapterID: Chapter.ID
    /// Nil: asked for every meetup of the chapter.
    public var eventID: Event.ID?
    public var position: Int
    public var kind: Kind
    public var label: String
    public var choices: [String]
    public var required: Bool

    public init(id: ID, chapterID: Chapter.ID, eventID: Event.ID?, position: Int, kind: Kind, label: String, choices: [String], required: Bool) {
        self.id = id
        self.chapterID = chapterID
        self.eventID = eventID
        self.position = position
        self.kind = kind
        self.label = label
        self.choices = choices
        self.required = required
    }

    /// The form field's name for this question's answer.
    public var fieldName: String { "q-\(id.description.lowercased())" }

    public static let labelLimit = 200
    public static let choiceLimit = 100
    public static let choicesRange = 2...20
    public static let answerLimit = 500
    /// How many questions one meetup may ask, chapter-wide ones included.
    public static let perEventLimit = 12

    /// The organiser's form for a question, as typed.
    public struct Input: Sendable, Equatable {
        public var label: String?
        public var kind: String?
        /// One option per line.
        public var choices: String?
        public var required: Bool
        /// "event" (this meetup) or "chapter" (every meetup of the chapter).
        public var scope: String?

        public init(label: String? = nil, kind: String? = nil, choices: String? = nil, required: Bool = false, scope: String? = nil) {
            self.label = label
            self.kind = kind
            self.choices = choices
            self.required = required
            self.scope = scope
        }

        public struct Valid: Sendable, Equatable {
            public var label: String
            public var kind: Kind
            public var choices: [String]
            public var required: Bool
            public var chapterWide: Bool
        }

        public func validated() -> Result<Valid, ValidationErrors> {
            var errors = ValidationErrors()
            let label = TextRules.clean(self.label, field: "label", required: true, maxLength: RegistrationQuestion.labelLimit, into: &errors)
            guard let kind = Kind(rawValue: self.kind ?? "") else {
                errors.add("kind", .notAChoice)
                return .failure(errors)
            }
            var choices: [String] = []
            if kind == .choice {
                var seen = Set<String>()
                for line in (self.choices ?? "").split(whereSeparator: \.isNewline) {
                    var lineErrors = ValidationErrors()
                    let option = TextRules.clean(String(line), field: "choices", required: false, maxLength: RegistrationQuestion.choiceLimit, into: &lineErrors)
                    if let problem = lineErrors.problems.first { errors.add("choices", problem.problem); break }
                    if option.isEmpty || !seen.insert(option.lowercased()).inserted { continue }
                    choices.append(option)
                }
                if errors["choices"] == nil, !RegistrationQuestion.choicesRange.contains(choices.count) {
                    errors.add("choices", .outOfRange(min: RegistrationQuestion.choicesRange.lowerBound, max: RegistrationQuestion.choicesRange.upperBound))
                }
            }
            guard let scope = self.scope, scope == "event" || scope == "chapter" else {
                errors.add("scope", .notAChoice)
                return .failure(errors)
            }
            guard errors.isEmpty else { return .failure(errors) }
            return .success(Valid(label: label, kind: kind, choices: choices, required: required, chapterWide: scope == "chapter"))
        }
    }
}

/// The answers of one registration, by question.
public typealias QuestionAnswers = [RegistrationQuestion.ID: String]

extension RegistrationQuestion {
    /// Checks the answers typed in a form (`fieldName` → text) against the questions asked:
    /// required ones answered, an option among the options, yes or no, text clean and short. An
    /// unanswered optional question stores nothing. Errors are on each question's field name.
    public static func answers(to questions: [RegistrationQuestion], from form: [String: String]) -> Result<QuestionAnswers, ValidationErrors> {
        var errors = ValidationErrors()
        var answers: QuestionAnswers = [:]
        for question in questions {
            let field = question.fieldName
            let text = TextRules.clean(form[field], field: field, required: question.required, maxLength: answerLimit, into: &errors)
            guard errors[field] == nil, !text.isEmpty else { continue }
            switch question.kind {
            case .text:
                answers[question.id] = text
            case .choice:
                guard let option = question.choices.first(where: { $0 == text }) else { errors.add(field, .notAChoice); continue }
                answers[question.id] = option
            case .yesNo:
                guard text == "yes" || text == "no" else { errors.add(field, .notAChoice); continue }
                answers[question.id] = text
            }
        }
        return errors.isEmpty ? .success(answers) : .failure(errors)
    }
}
