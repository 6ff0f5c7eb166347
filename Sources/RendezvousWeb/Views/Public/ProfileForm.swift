import Foundation
import RendezvousDomain
import RendezvousLocalization

/// The registration form (`partials/profile-form.mustache`), shared by the event page and the
/// manage page.
struct ProfileForm {
    var action: String
    var fields: [FormField]
    var consents: [CheckboxField]
    /// The optional fieldset for the evening's games: first-person facts, then the consent.
    var bingoFacts: [CheckboxField]
    var gamesConsent: CheckboxField
    /// "Any date works for me": only on a full event's form (only people who will wait need it).
    var anyDate: CheckboxField? = nil
    /// "I accept the code of conduct" (linked): required on the registration form only.
    var conduct: ConductBox? = nil
    /// "How did you hear about us?" (optional): on the registration form only.
    var heardFrom: HeardFromField? = nil

    struct HeardFromField {
        var options: [SelectField.Option]
        var hasError: Bool
        var errorText: String

        init(input: RegistrationInput, errors: ValidationErrors, language: Language) {
            let chosen = input.heardFrom ?? ""
            options = [.init(value: "", label: Strings.text("form.heardFromNone", language), selected: chosen.isEmpty)]
                + HeardFrom.allCases.map { .init(value: $0.rawValue, label: Strings.heardFrom($0, language), selected: $0.rawValue == chosen) }
            let problem = errors["heardFrom"]
            hasError = problem != nil
            errorText = problem.map { Strings.message(for: $0, language) } ?? ""
        }
    }

    struct ConductBox {
        var checked: Bool
        var url = PublicRoute.codeOfConduct.path
        var hasError: Bool
        var errorText: String

        init(input: RegistrationInput, errors: ValidationErrors, language: Language) {
            checked = input.acceptCodeOfConduct ?? false
            let problem = errors["acceptCodeOfConduct"]
            hasError = problem != nil
            errorText = problem.map { Strings.message(for: $0, language) } ?? ""
        }
    }
    var submit: String
    var hasErrors: Bool
    /// The organisers' own questions (`RegistrationQuestion`), after the profile fields.
    let questions: [QuestionField]
    let hasQuestions: Bool

    /// One organiser's question: a text field, or a group of radio buttons (a choice, yes or no).
    /// Every value stored, never optional, for the reason `FormField` gives.
    struct QuestionField {
        struct Option { var id: String; var value: String; var label: String; var checked: Bool }
        let id: String
        let name: String
        let label: String
        let required: Bool
        let isText: Bool
        let value: String
        let options: [Option]
        let hasError: Bool
        let errorText: String
        let maxLength = RegistrationQuestion.answerLimit
    }

    init(action: String, input: RegistrationInput, errors: ValidationErrors, submit: String, language: Language,
         questions: [RegistrationQuestion] = [], answers: [String: String] = [:]) {
        func t(_ key: String) -> String { Strings.text(key, language) }
        func error(_ field: String) -> String? { errors[field].map { Strings.message(for: $0, language) } }
        typealias L = RegistrationInput.Limits
        self.action = action
        self.submit = submit
        self.hasErrors = !errors.isEmpty
        self.fields = [
            FormField(name: "firstName", label: t("form.firstName"), value: input.firstName ?? "", required: true, error: error("firstName"), maxLength: L.name, autocomplete: "given-name"),
            FormField(name: "lastName", label: t("form.lastName"), value: input.lastName ?? "", required: true, error: error("lastName"), maxLength: L.name, autocomplete: "family-name"),
            FormField(name: "email", label: t("form.email"), value: input.email ?? "", type: "email", required: true, hint: t("form.emailHint"), error: error("email"), maxLength: EmailAddress.maxLength, autocomplete: "email"),
            FormField(name: "jobTitle", label: t("form.jobTitle"), value: input.jobTitle ?? "", required: true, hint: t("form.jobTitleHint"), error: error("jobTitle"), maxLength: L.jobTitle, autocomplete: "organization-title"),
            FormField(name: "company", label: t("form.company"), value: input.company ?? "", required: false, error: error("company"), maxLength: L.company, autocomplete: "organization"),
            FormField(name: "linkedinUrl", label: t("form.linkedin"), value: input.linkedinUrl ?? "", type: "url", required: false, hint: t("form.linkedinHint"), error: error("linkedinUrl"), maxLength: L.linkedin, autocomplete: "url"),
            FormField(name: "askMeAbout", label: t("form.askMeAbout"), value: input.askMeAbout ?? "", required: false, hint: t("form.askMeAboutHint"), error: error("askMeAbout"), maxLength: L.askMeAbout, autocomplete: "off"),
        ]
        self.consents = [
            CheckboxField(id: "f-consentList", name: "consentList", label: t("form.consentList"), checked: input.consents?.attendeeList ?? false),
            CheckboxField(id: "f-consentProfile", name: "consentProfile", label: t("form.consentProfile"), checked: input.consents?.profileSharing ?? false),
            CheckboxField(id: "f-consentNews", name: "consentNews", label: t("form.consentNews"), checked: input.consents?.news ?? false),
        ]
        let facts = Set(input.bingoFacts ?? [])
        self.bingoFacts = BingoFact.allCases.map {
            CheckboxField(id: "f-fact-\($0.rawValue)", name: "bingoFacts[]", value: $0.rawValue, label: Strings.bingoFact($0, language), checked: facts.contains($0))
        }
        self.gamesConsent = CheckboxField(id: "f-gamesConsent", name: "gamesConsent", label: t("bingo.form.consent"), checked: input.gamesConsent ?? false)
        self.questions = questions.map { question in
            let name = question.fieldName
            let value = answers[name] ?? ""
            let choices: [(String, String)] = switch question.kind {
            case .text: []
            case .choice: question.choices.map { ($0, $0) }
            case .yesNo: [("yes", t("form.yes")), ("no", t("form.no"))]
            }
            let problem = error(name)
            return QuestionField(
                id: "f-\(name)", name: name, label: question.label, required: question.required, isText: question.kind == .text, value: value,
                options: choices.enumerated().map { .init(id: "f-\(name)-\($0.offset)", value: $0.element.0, label: $0.element.1, checked: $0.element.0 == value) },
                hasError: problem != nil, errorText: problem ?? "")
        }
        self.hasQuestions = !questions.isEmpty
    }
}
