import Foundation

/// An ice-breaker quiz or poll, kept per chapter; a chapter may share it with the whole network as
/// a template. A poll is a quiz whose questions have no right answer.
public struct Quiz: Sendable, Equatable, Codable, Identifiable {
    public typealias ID = Identifier<Quiz>

    public var id: ID
    /// Nil for the network's own templates (loaded with the demo network or by an admin).
    public var chapterID: Chapter.ID?
    public var title: String
    public var language: Language
    /// Offered to every chapter of the network as a template.
    public var shared: Bool
    public var questions: [QuizQuestion]
    public var updatedAt: Date

    public init(id: ID = ID(), chapterID: Chapter.ID?, title: String, language: Language, shared: Bool = false,
                questions: [QuizQuestion] = [], updatedAt: Date = Date()) {
        self.id = id
        self.chapterID = chapterID
        self.title = title
        self.language = language
        self.shared = shared
        self.questions = questions
        self.updatedAt = updatedAt
    }

    /// A poll: every question asks for opinions, none has a right answer.
    public var isPoll: Bool { !questions.isEmpty && questions.allSatisfy { !$0.hasRightAnswer } }

    public static let maxQuestions = 50
}

public struct QuizQuestion: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// One choice among two to six.
        case single
        /// Every right choice, and only those, among two to six.
        case multiple
        /// "True" or "False" (the choices are the interface's words, in the player's language).
        case trueFalse
        /// A number; the closest guesses win.
        case number
        /// One open word, shown as a word cloud; right if it is one of `accepted`, when there are any.
        case word
    }

    public var kind: Kind
    public var prompt: String
    /// The choices of `single` and `multiple`; empty for the other kinds.
    public var choices: [String]
    /// Indices of the right choices (`trueFalse`: 0 is true, 1 is false). Empty: a poll question.
    public var correct: [Int]
    /// The answer of a `number` question; nil makes it a poll ("how many meetups have you been to?").
    public var answer: Double?
    /// Right words of a `word` question, compared without case or accents; empty: a word cloud only.
    public var accepted: [String]
    /// Seconds to answer, 5 to 240.
    public var seconds: Int
    /// Points for a right answer given at once; half of them for one given at the last moment. 0 to 2,000.
    public var points: Int
    /// An uploaded picture shown with the question.
    public var imageID: String?

    public init(kind: Kind, prompt: String, choices: [String] = [], correct: [Int] = [], answer: Double? = nil,
                accepted: [String] = [], seconds: Int = 20, points: Int = 1000, imageID: String? = nil) {
        self.kind = kind
        self.prompt = prompt
        self.choices = choices
        self.correct = correct
        self.answer = answer
        self.accepted = accepted
        self.seconds = seconds
        self.points = points
        self.imageID = imageID
    }

    public var hasRightAnswer: Bool {
        switch kind {
        case .single, .multiple, .trueFalse: !correct.isEmpty
        case .number: answer != nil
        case .word: !accepted.isEmpty
        }
    }

    /// How many choices a phone shows (0 for a number or a word).
    public var choiceCount: Int {
        switch kind {
        case .single, .multiple: choices.count
        case .trueFalse: 2
        case .number, .word: 0
        }
    }

    public static let secondsRange = 5...240
    public static let pointsRange = 0...2000
    public static let choicesRange = 2...6
    public static let maxPromptLength = 300
    public static let maxChoiceLength = 120
    public static let maxWordLength = 40
}

/// What a phone sends: the choices it ticked, a number, or a word. In JSON, an object with one
/// member: `{"choices":[1]}`, `{"number":1969}` or `{"word":"réseau"}`.
public enum QuizAnswer: Sendable, Equatable, Codable {
    case choices([Int])
    case number(Double)
    case word(String)

    private enum Key: String, CodingKey { case choices, number, word }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        if let choices = try container.decodeIfPresent([Int].self, forKey: .choices) {
            self = .choices(choices)
        } else if let number = try container.decodeIfPresent(Double.self, forKey: .number) {
            self = .number(number)
        } else if let word = try container.decodeIfPresent(String.self, forKey: .word) {
            self = .word(word)
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "choices, number or word"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch self {
        case .choices(let choices): try container.encode(choices, forKey: .choices)
        case .number(let number): try container.encode(number, forKey: .number)
        case .word(let word): try container.encode(word, forKey: .word)
        }
    }

    /// The answer if it fits the question, nil otherwise (an out-of-range choice, a word too long).
    public func validated(for question: QuizQuestion) -> QuizAnswer? {
        switch (self, question.kind) {
        case (.choices(let picked), .single), (.choices(let picked), .trueFalse):
            guard picked.count == 1, let only = picked.first, (0..<question.choiceCount).contains(only) else { return nil }
            return .choices([only])
        case (.choices(let picked), .multiple):
            let set = Set(picked)
            guard !set.isEmpty, set.allSatisfy({ (0..<question.choiceCount).contains($0) }) else { return nil }
            return .choices(set.sorted())
        case (.number(let value), .number):
            guard value.isFinite, abs(value) < 1e15 else { return nil }
            return .number(value)
        case (.word(let text), .word):
            let word = text.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !word.isEmpty, word.count <= QuizQuestion.maxWordLength, word.unicodeScalars.count <= 2 * QuizQuestion.maxWordLength,
                  !TextRules.containsForbiddenCharacters(word, allowNewlines: false) else { return nil }
            return .word(word)
        default:
            return nil
        }
    }
}

// MARK: - The editor's form

/// One question as the organiser types it: choices one per line, the right ones marked with a
/// leading `*`; the number and the accepted words as text.
public struct QuizQuestionInput: Sendable, Equatable, Codable {
    public var kind: String
    public var prompt: String
    public var choices: String
    /// `trueFalse`: "true" or "false"; empty for a poll question.
    public var truth: String
    public var answer: String
    public var accepted: String
    public var seconds: String
    public var points: String

    public init(kind: String = "single", prompt: String = "", choices: String = "", truth: String = "", answer: String = "",
                accepted: String = "", seconds: String = "20", points: String = "1000") {
        self.kind = kind
        self.prompt = prompt
        self.choices = choices
        self.truth = truth
        self.answer = answer
        self.accepted = accepted
        self.seconds = seconds
        self.points = points
    }

    /// The form showing a stored question.
    public init(_ question: QuizQuestion) {
        kind = question.kind.rawValue
        prompt = question.prompt
        choices = question.choices.enumerated().map { (question.correct.contains($0.offset) ? "*" : "") + $0.element }.joined(separator: "\n")
        truth = question.kind == .trueFalse ? (question.correct.first.map { $0 == 0 ? "true" : "false" } ?? "") : ""
        answer = question.answer.map(QuizQuestionInput.format) ?? ""
        accepted = question.accepted.joined(separator: ", ")
        seconds = String(question.seconds)
        points = String(question.points)
    }

    static func format(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }

    /// The question (keeping `imageID`), or the problems per field: `kind`, `prompt`, `choices`,
    /// `truth`, `answer`, `accepted`, `seconds`, `points`.
    public func validated(imageID: String? = nil) -> Result<QuizQuestion, ValidationErrors> {
        var errors = ValidationErrors()
        guard let kind = QuizQuestion.Kind(rawValue: kind) else {
            errors.add("kind", .required)
            return .failure(errors)
        }
        let prompt = TextRules.clean(prompt, field: "prompt", required: true, maxLength: QuizQuestion.maxPromptLength, into: &errors)
        func number(_ text: String, _ field: String, _ range: ClosedRange<Int>) -> Int {
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
                errors.add(field, .outOfRange(min: range.lowerBound, max: range.upperBound))
                return range.lowerBound
            }
            return value
        }
        let seconds = number(seconds, "seconds", QuizQuestion.secondsRange)
        let points = number(points, "points", QuizQuestion.pointsRange)
        var question = QuizQuestion(kind: kind, prompt: prompt, seconds: seconds, points: points, imageID: imageID)
        switch kind {
        case .single, .multiple:
            var lines: [String] = []
            var right: [Int] = []
            for raw in choices.split(whereSeparator: \.isNewline) {
                var line = raw.trimmingCharacters(in: .whitespaces)
                if line.isEmpty { continue }
                if line.hasPrefix("*") {
                    line = line.dropFirst().trimmingCharacters(in: .whitespaces)
                    right.append(lines.count)
                }
                lines.append(line)
            }
            if !QuizQuestion.choicesRange.contains(lines.count) {
                errors.add("choices", .outOfRange(min: QuizQuestion.choicesRange.lowerBound, max: QuizQuestion.choicesRange.upperBound))
            } else if lines.contains(where: \.isEmpty) {
                errors.add("choices", .required)
            } else if lines.contains(where: { $0.count > QuizQuestion.maxChoiceLength }) {
                errors.add("choices", .tooLong(max: QuizQuestion.maxChoiceLength))
            } else if lines.contains(where: { TextRules.containsForbiddenCharacters($0, allowNewlines: false) }) {
                errors.add("choices", .controlCharacters)
            } else if kind == .single, right.count > 1 {
                errors.add("choices", .format(example: "*Paris"))
            }
            question.choices = lines.map { $0.precomposedStringWithCanonicalMapping }
            question.correct = right
        case .trueFalse:
            switch truth.trimmingCharacters(in: .whitespaces).lowercased() {
            case "true": question.correct = [0]
            case "false": question.correct = [1]
            case "": question.correct = []
            default: errors.add("truth", .format(example: "true"))
            }
        case .number:
            let text = answer.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
                .replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\u{202F}", with: "").replacingOccurrences(of: "\u{00A0}", with: "")
            if !text.isEmpty {
                if let value = Double(text), value.isFinite, abs(value) < 1e15 { question.answer = value } else { errors.add("answer", .format(example: "1969")) }
            }
        case .word:
            var words: [String] = []
            for raw in accepted.split(whereSeparator: { $0 == "," || $0.isNewline }) {
                let word = raw.trimmingCharacters(in: .whitespaces)
                if word.isEmpty { continue }
                if TextRules.containsForbiddenCharacters(word, allowNewlines: false) {
                    errors.add("accepted", .controlCharacters)
                    break
                }
                if word.count > QuizQuestion.maxWordLength {
                    errors.add("accepted", .tooLong(max: QuizQuestion.maxWordLength))
                    break
                }
                words.append(word.precomposedStringWithCanonicalMapping)
            }
            question.accepted = words
        }
        return errors.isEmpty ? .success(question) : .failure(errors)
    }
}
