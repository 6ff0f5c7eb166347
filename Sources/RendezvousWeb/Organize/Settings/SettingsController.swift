import Foundation
import Hummingbird
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// The chapter's settings: its description, the waitlist offer window, the reminder delay.
struct SettingsController: OrganizeController {
    let services: AppServices

    var routes: [OrganizeEndpoint] {
        [
            .get(.settings(slug: .any), settings),
            .post(.settings(slug: .any), saveSettings),
        ]
    }

    func settingsPage(_ chapter: Chapter, values: ChapterStore.ChapterSettings, context: AppRequestContext, errors: [String: String] = [:], notice: String? = nil) throws -> SimpleFormPage {
        SimpleFormPage(
            chrome: try chrome(t("org.settings", context), context, path: OrganizeRoute.settings(slug: chapter.slug).path),
            heading: t("org.settings", context) + " · " + chapter.name, notice: notice, error: errors.isEmpty ? nil : t("form.errors", context),
            action: OrganizeRoute.settings(slug: chapter.slug).path, csrf: try session(context).csrfToken,
            fields: [
                FormField(name: "offerHours", label: t("settings.offerHours", context), value: String(values.offerHours), type: "number", required: true,
                          hint: t("settings.offerHoursHint", context), error: errors["offerHours"], maxLength: 3, autocomplete: "off"),
                FormField(name: "reminderHours", label: t("settings.reminderHours", context), value: String(values.reminderHours), type: "number", required: true,
                          hint: t("settings.reminderHoursHint", context), error: errors["reminderHours"], maxLength: 3, autocomplete: "off"),
            ],
            textareas: [TextAreaField(id: "f-description", name: "description", label: t("event.about", context), value: values.description, hint: nil,
                                      error: errors["description"], maxLength: 5000)],
            submit: t("manage.save", context))
    }

    @Sendable func settings(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        guard let values = try await persistence.chapters.settings(of: chapter.id) else { throw AppError.notFound }
        return html(try settingsPage(chapter, values: values, context: context), "simple-form", context)
    }

    @Sendable func saveSettings(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let form = try await self.form(request, context)
        var errors: [String: String] = [:]
        var problems = ValidationErrors()
        let description = TextRules.clean(form["description"], field: "description", required: false, maxLength: 5000, multiline: true, into: &problems)
        if let problem = problems["description"] { errors["description"] = Strings.message(for: problem, context.language) }
        let offer = Int(form.text("offerHours").trimmingCharacters(in: .whitespaces)) ?? -1
        if !(1...336).contains(offer) { errors["offerHours"] = Strings.message(for: .outOfRange(min: 1, max: 336), context.language) }
        let reminder = Int(form.text("reminderHours").trimmingCharacters(in: .whitespaces)) ?? -1
        if !(0...168).contains(reminder) { errors["reminderHours"] = Strings.message(for: .outOfRange(min: 0, max: 168), context.language) }
        let values = ChapterStore.ChapterSettings(description: description, offerHours: offer, reminderHours: reminder)
        guard errors.isEmpty else {
            return html(try settingsPage(chapter, values: values, context: context, errors: errors), "simple-form", context, status: .unprocessableContent)
        }
        try await persistence.chapters.updateSettings(of: chapter.id, values)
        try await log(context, chapter: chapter.id, "chapter.settings", "\(offer) h / \(reminder) h")
        services.cache.invalidate(prefixes: ["chapter:\(chapter.slug):", "home:"])
        return html(try settingsPage(chapter, values: values, context: context, notice: t("manage.saved", context)), "simple-form", context)
    }
}
