import Foundation
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

extension SimpleFormPage {
    /// The chapter's settings: the waitlist offer window, the reminder delay, the Reply-To
    /// address of its mail (empty: its organisers), its description.
    static func chapterSettings(_ chapter: Chapter, values: ChapterStore.ChapterSettings, replyTo: String, organizers: [String], chrome: Chrome,
                                language: Language, csrf: String, errors: [String: String] = [:], notice: String? = nil) -> SimpleFormPage {
        func t(_ key: String, _ arguments: [String: String] = [:]) -> String { Strings.text(key, language, arguments) }
        return SimpleFormPage(
            chrome: chrome,
            heading: t("org.settings") + " · " + chapter.name, notice: notice, error: errors.isEmpty ? nil : t("form.errors"),
            action: OrganizeRoute.settings(slug: chapter.slug).path, csrf: csrf,
            fields: [
                FormField(name: "offerHours", label: t("settings.offerHours"), value: String(values.offerHours), type: "number", required: true,
                          hint: t("settings.offerHoursHint"), error: errors["offerHours"], maxLength: 3, autocomplete: "off"),
                FormField(name: "reminderHours", label: t("settings.reminderHours"), value: String(values.reminderHours), type: "number", required: true,
                          hint: t("settings.reminderHoursHint"), error: errors["reminderHours"], maxLength: 3, autocomplete: "off"),
                FormField(name: "waitlistThreshold", label: t("settings.waitlistThreshold"), value: String(values.waitlistThreshold), type: "number", required: true,
                          hint: t("settings.waitlistThresholdHint"), error: errors["waitlistThreshold"], maxLength: 4, autocomplete: "off"),
                FormField(name: "replyTo", label: t("settings.replyTo"), value: replyTo, type: "email", required: false,
                          hint: t("settings.replyToHint", ["organizers": organizers.joined(separator: ", ")]), error: errors["replyTo"], maxLength: 254,
                          autocomplete: "email"),
            ],
            textareas: [TextAreaField(id: "f-description", name: "description", label: t("event.about"), value: values.description, hint: nil,
                                      error: errors["description"], maxLength: 5000)],
            submit: t("manage.save"))
    }
}
