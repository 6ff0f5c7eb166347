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
    var submit: String
    var hasErrors: Bool

    init(action: String, input: RegistrationInput, errors: ValidationErrors, submit: String, language: Language) {
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
        ]
        let facts = Set(input.bingoFacts ?? [])
        self.bingoFacts = BingoFact.allCases.map {
            CheckboxField(id: "f-fact-\($0.rawValue)", name: "bingoFacts[]", value: $0.rawValue, label: Strings.bingoFact($0, language), checked: facts.contains($0))
        }
        self.gamesConsent = CheckboxField(id: "f-gamesConsent", name: "gamesConsent", label: t("bingo.form.consent"), checked: input.gamesConsent ?? false)
    }
}
