import Foundation
import RendezvousDomain
import RendezvousLocalization

extension SimpleFormPage {
    /// A message to an event's attendees: its subject and text, and who gets it.
    static func eventMessage(_ event: Event, chrome: Chrome, language: Language, csrf: String, subject: String = "", body: String = "",
                             errors: [String: String] = [:], notice: String? = nil) -> SimpleFormPage {
        func t(_ key: String) -> String { Strings.text(key, language) }
        return SimpleFormPage(
            chrome: chrome,
            heading: t("org.message") + " · " + event.title, intro: t("org.messageIntro"), notice: notice,
            error: errors.isEmpty ? nil : t("form.errors"), action: OrganizeRoute.message(event.id).path, csrf: csrf,
            fields: [FormField(name: "subject", label: t("org.messageSubject"), value: subject, required: true, error: errors["subject"], maxLength: 150, autocomplete: "off")],
            textareas: [TextAreaField(id: "f-body", name: "body", label: t("org.messageBody"), value: body, hint: nil, error: errors["body"], maxLength: 5000)],
            selects: [SelectField(id: "f-audience", name: "audience", label: t("org.messageTo"), options: [
                .init(value: "confirmed", label: t("org.toConfirmed"), selected: true),
                .init(value: "waitlisted", label: t("org.toWaitlisted"), selected: false),
                .init(value: "both", label: t("org.toConfirmed") + " + " + t("org.toWaitlisted"), selected: false),
                .init(value: "checkedin", label: t("org.toCheckedIn"), selected: false),
            ])],
            submit: t("org.message"))
    }
}
