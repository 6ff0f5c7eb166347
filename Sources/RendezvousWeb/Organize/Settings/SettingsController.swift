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
        .chapterSettings(chapter, values: values, chrome: try chrome(t("org.settings", context), context, path: OrganizeRoute.settings(slug: chapter.slug).path),
                         language: context.language, csrf: try session(context).csrfToken, errors: errors, notice: notice)
    }

    @Sendable func settings(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        guard let values = try await persistence.chapters.settings(of: chapter.id) else { throw AppError.notFound }
        return html(try settingsPage(chapter, values: values, context: context), context)
    }

    @Sendable func saveSettings(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let form = try await self.form(request, context)
        var errors: [String: String] = [:]
        var problems = ValidationErrors()
        let description = TextRules.clean(form["description"], field: "description", required: false, maxLength: 5000, multiline: true, into: &problems)
        if let problem = problems["description"] { errors["description"] = Strings.message(for: problem, context.language) }
        let offer = Int(form.text("offerHours").trimmingCharacters(in: .whitespaces)) ?? -1
        let range = WaitlistRules.offerHoursRange
        if !range.contains(offer) { errors["offerHours"] = Strings.message(for: .outOfRange(min: range.lowerBound, max: range.upperBound), context.language) }
        let reminder = Int(form.text("reminderHours").trimmingCharacters(in: .whitespaces)) ?? -1
        if !(0...168).contains(reminder) { errors["reminderHours"] = Strings.message(for: .outOfRange(min: 0, max: 168), context.language) }
        let values = ChapterStore.ChapterSettings(description: description, offerHours: offer, reminderHours: reminder)
        guard errors.isEmpty else {
            return html(try settingsPage(chapter, values: values, context: context, errors: errors), context, status: .unprocessableContent)
        }
        try await persistence.chapters.updateSettings(of: chapter.id, values)
        try await log(context, chapter: chapter.id, "chapter.settings", "\(offer) h / \(reminder) h")
        services.cache.invalidate(prefixes: ["chapter:\(chapter.slug):", "home:"])
        return html(try settingsPage(chapter, values: values, context: context, notice: t("manage.saved", context)), context)
    }
}
