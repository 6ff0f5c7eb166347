import Foundation
@testable import RendezvousDomain
import Testing

@Suite("Registration questions")
struct RegistrationQuestionTests {
    static let chapter = Chapter.ID(UUID())

    static func question(_ kind: RegistrationQuestion.Kind, required: Bool = false, choices: [String] = []) -> RegistrationQuestion {
        RegistrationQuestion(id: .init(), chapterID: chapter, eventID: nil, position: 0, kind: kind, label: "Q", choices: choices, required: required)
    }

    @Test func anOrganisersQuestionIsChecked() throws {
        let choice = RegistrationQuestion.Input(label: "  Dietary needs? ", kind: "choice", choices: "None\nVegetarian\r\nvegetarian\n\nVegan", required: true, scope: "event")
        #expect(try choice.validated().get() == .init(label: "Dietary needs?", kind: .choice, choices: ["None", "Vegetarian", "Vegan"], required: true, chapterWide: false))
        // One option is no choice; a label is required; the kind and the scope come from the list.
        #expect(RegistrationQuestion.Input(label: "Q", kind: "choice", choices: "Only one", scope: "event").validated() == .failure(ValidationErrors([("choices", .outOfRange(min: 2, max: 20))])))
        #expect(RegistrationQuestion.Input(label: " ", kind: "text", scope: "chapter").validated() == .failure(ValidationErrors([("label", .required)])))
        #expect(RegistrationQuestion.Input(label: "Q", kind: "essay", scope: "event").validated() == .failure(ValidationErrors([("kind", .notAChoice)])))
        #expect(RegistrationQuestion.Input(label: "Q", kind: "text", scope: "network").validated() == .failure(ValidationErrors([("scope", .notAChoice)])))
        #expect(RegistrationQuestion.Input(label: "Q\u{202E}", kind: "text", scope: "event").validated() == .failure(ValidationErrors([("label", .controlCharacters)])))
        #expect(try RegistrationQuestion.Input(label: "How did you hear of us?", kind: "text", scope: "chapter").validated().get().chapterWide)
    }

    @Test func answersAreCheckedAgainstTheirQuestion() throws {
        let diet = Self.question(.choice, required: true, choices: ["None", "Vegetarian"])
        let heard = Self.question(.text)
        let parking = Self.question(.yesNo)
        let questions = [diet, heard, parking]
        #expect(try RegistrationQuestion.answers(to: questions, from: [diet.fieldName: "Vegetarian", heard.fieldName: " A friend ", parking.fieldName: "no"]).get()
                == [diet.id: "Vegetarian", heard.id: "A friend", parking.id: "no"])
        // Optional ones may stay empty; a required one may not.
        #expect(try RegistrationQuestion.answers(to: questions, from: [diet.fieldName: "None"]).get() == [diet.id: "None"])
        #expect(RegistrationQuestion.answers(to: questions, from: [:]) == .failure(ValidationErrors([(diet.fieldName, .required)])))
        // Only the options offered, only yes or no, and text within limits: each on its own field.
        #expect(RegistrationQuestion.answers(to: questions, from: [diet.fieldName: "Pizza", parking.fieldName: "maybe", heard.fieldName: String(repeating: "x", count: 501)])
                == .failure(ValidationErrors([(diet.fieldName, .notAChoice), (heard.fieldName, .tooLong(max: 500)), (parking.fieldName, .notAChoice)])))
    }
}
