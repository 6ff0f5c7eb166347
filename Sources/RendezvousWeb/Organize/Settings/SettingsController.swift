import Foundation
import Hummingbird
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// The chapter's settings: its description, the waitlist offer window, the reminder delay, the
/// address replies to its mail go to.
struct SettingsController: OrganizeController {
    let services: AppServices

    var routes: [OrganizeEndpoint] {
        [
            .get(.settings(slug: .any), settings),
            .post(.settings(slug: .any), saveSettings),
        ]
    }

    func settingsPage(_ chapter: Chapter, values: ChapterStore.ChapterSettings, replyTo: String, context: AppRequestContext, errors: [String: String] = [:],
                      notice: String? = nil) async throws -> SimpleFormPage {
        let organizers = try await persistence.chapters.organizers(of: chapter.id).filter { $0.memberships[chapter.id] == .organizer }.map(\.email).sorted()
        return .chapterSettings(chapter, values: values, replyTo: replyTo, organizers: organizers,
                                chrome: try chrome(t("org.settings", context), context, path: OrganizeRoute.settings(slug: chapter.slug).path),
                                language: context.language, csrf: try session(context).csrfToken, errors: errors, notice: notice)
    }

    @Sendable func settings(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        guard let values = try await persistence.chapters.settings(of: chapter.id) else { throw AppError.notFound }
        return html(try await settingsPage(chapter, values: values, replyTo: try await persistence.audience.replyTo(of: chapter.id), context: context), context)
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
        // Left out (an older form or script): the chapter's current threshold stays.
        let current = try await persistence.chapters.waitlistThreshold(of: chapter.id)
        let threshold = form["waitlistThreshold"] == nil ? current : Int(form.text("waitlistThreshold").trimmingCharacters(in: .whitespaces)) ?? -1
        let thresholds = OverflowRules.thresholdRange
        if !thresholds.contains(threshold) {
            errors["waitlistThreshold"] = Strings.message(for: .outOfRange(min: thresholds.lowerBound, max: thresholds.upperBound), context.language)
        }
        // Where replies go: empty means the organisers.
        let replyTo = TextRules.clean(form["replyTo"], field: "replyTo", required: false, maxLength: 254, into: &problems)
        if let problem = problems["replyTo"] {
            errors["replyTo"] = Strings.message(for: problem, context.language)
        } else if !replyTo.isEmpty, !EmailAddress.isValid(replyTo) {
            errors["replyTo"] = Strings.message(for: .invalidEmail, context.language)
        }
        let values = ChapterStore.ChapterSettings(description: description, offerHours: offer, reminderHours: reminder, waitlistThreshold: threshold)
        guard errors.isEmpty else {
            return html(try await settingsPage(chapter, values: values, replyTo: form.text("replyTo"), context: context, errors: errors), context, status: .unprocessableContent)
        }
        try await persistence.chapters.updateSettings(of: chapter.id, values)
        try await persistence.audience.setReplyTo(of: chapter.id, replyTo)
        try await log(context, chapter: chapter.id, "chapter.settings", "\(offer) h / \(reminder) h")
        services.cache.invalidate(prefixes: ["chapter:\(chapter.slug):", "home:"])
        return html(try await settingsPage(chapter, values: values, replyTo: replyTo, context: context, notice: t("manage.saved", context)), context)
    }
}
