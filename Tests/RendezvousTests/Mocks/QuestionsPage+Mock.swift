import Foundation
import RendezvousDomain
@testable import RendezvousWeb

extension QuestionsPage {
    static let mockQuestion = UUID(uuidString: "4D5E6F7A-8B9C-4DAE-8F01-2B3C4D5E6F7A")!

    static func mock(error: Bool = false) -> QuestionsPage {
        let question = RegistrationQuestion.ID(mockQuestion)
        let move = OrganizeRoute.moveQuestion(Mock.event, question: question).path
        let remove = OrganizeRoute.removeQuestion(Mock.event, question: question).path
        return QuestionsPage(
            chrome: .organizer("Registration questions", path: OrganizeRoute.questions(Mock.event).path), csrf: Mock.csrf,
            title: "Rencontre trimestrielle", eventURL: OrganizeRoute.event(Mock.event).path, notice: error ? nil : "The question is on the registration form.",
            error: error ? "Please correct the fields marked below." : nil,
            chapterQuestions: [.init(label: "How did you hear of us?", details: "Short text · optional · every meetup", options: nil, answered: "31 answers",
                                     upURL: nil, downURL: nil, removeURL: remove)],
            eventQuestions: [
                .init(label: "Dietary needs?", details: "One option from a list · required · this meetup", options: "None · Vegetarian · Vegan",
                      answered: "40 answers · None: 28 · Vegetarian: 9 · Vegan: 3", upURL: nil, downURL: move, removeURL: remove),
                .init(label: "Parking?", details: "Yes or no · optional · this meetup", options: nil, answered: "12 answers · Yes: 4 · No: 8",
                      upURL: move, downURL: nil, removeURL: remove),
            ],
            addURL: OrganizeRoute.questions(Mock.event).path,
            label: FormField(name: "label", label: "Question", value: error ? "Dietary needs?" : "", required: true,
                             hint: "As people will read it, for example “Any dietary needs?”", error: nil, maxLength: 200, autocomplete: "off"),
            kinds: [.init(value: "text", label: "Short text", selected: !error), .init(value: "choice", label: "One option from a list", selected: error),
                    .init(value: "yes-no", label: "Yes or no", selected: false)],
            choices: TextAreaField(id: "f-choices", name: "choices", label: "Options", value: error ? "Vegetarian" : "",
                                   hint: "For a list: one option per line, 2 to 20.", error: error ? "Between 2 and 20." : nil, maxLength: 2_500),
            required: error, scopeEvent: true, scopeError: nil, full: false)
    }
}
