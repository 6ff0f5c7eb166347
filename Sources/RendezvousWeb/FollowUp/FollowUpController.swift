import Foundation
import Hummingbird
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// After the evening, for its organisers: the evening's real result (how people rated it, the
/// contacts made, who met at least three people), when the follow-up mails go, and the speaker's
/// slides and links for the morning-after mail.
struct FollowUpController: OrganizeController {
    let services: AppServices

    var routes: [OrganizeEndpoint] {
        [
            .get(.followUp(.any), show),
            .post(.followUp(.any), saveResources),
            .post(.followUpSend(.any), sendNow),
        ]
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let text = try await persistence.followUp.resourcesText(of: detail.event.id)
        let notices = ["saved": "followUp.org.saved", "sent": "followUp.org.sentNotice", "already": "followUp.org.alreadySent"]
        let notice = request.uri.queryParameters.get("done").flatMap { notices[String($0)] }.map { t($0, context) }
        return try await page(detail, context: context, resources: text, errors: ValidationErrors(), notice: notice)
    }

    @Sendable func saveResources(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let form = try await form(request, context)
        let text = form.text("resources").replacingOccurrences(of: "\r\n", with: "\n")
        switch EventResource.parse(text) {
        case .failure(let errors):
            return try await page(detail, context: context, resources: text, errors: errors, notice: nil, status: .unprocessableContent)
        case .success:
            _ = try await persistence.followUp.setResources(text.trimmingCharacters(in: .whitespacesAndNewlines), of: detail.event.id, chapter: detail.chapter.id)
            try await log(context, chapter: detail.chapter.id, "event.resources", detail.event.title)
            return .redirect(to: OrganizeRoute.followUp(detail.event.id).path("done", "saved"), type: .normal)
        }
    }

    /// "Send the morning-after mail now": asks first (how many will get it), then queues it once.
    @Sendable func sendNow(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let form = try await form(request, context)
        let id = detail.event.id
        if form["confirm"] != "yes" {
            let came = try await persistence.followUp.result(of: id).checkedIn
            let page = ConfirmStepPage(
                chrome: try chrome(t("followUp.org.sendNow", context), context, path: OrganizeRoute.followUpSend(id).path),
                heading: t("followUp.org.sendNow", context),
                lines: [t("followUp.org.sendNowExplain", context), Strings.plural("followUp.org.came", count: came, context.language)],
                facts: [detail.event.title], action: OrganizeRoute.followUpSend(id).path, csrf: try session(context).csrfToken,
                confirmLabel: t("followUp.org.sendNowConfirm", context), confirmStyle: "primary",
                backURL: OrganizeRoute.followUp(id).path, backLabel: t("followUp.org.back", context))
            return html(page, context)
        }
        guard let count = try await persistence.followUp.sendMorningAfterNow(event: id, chapter: detail.chapter.id, now: now()) else {
            return .redirect(to: OrganizeRoute.followUp(id).path("done", "already"), type: .normal)
        }
        try await log(context, chapter: detail.chapter.id, "event.followUpSent", "\(detail.event.title) (\(count))")
        return .redirect(to: OrganizeRoute.followUp(id).path("done", "sent"), type: .normal)
    }

    func page(_ detail: EventDetail, context: AppRequestContext, resources: String, errors: ValidationErrors, notice: String?,
              status: HTTPResponse.Status = .ok) async throws -> Response {
        let id = detail.event.id
        let result = try await persistence.followUp.result(of: id)
        let runs = try await persistence.followUp.runs(of: id)
        let page = FollowUpPage(
            chrome: try chrome(t("followUp.org.title", context), context, path: OrganizeRoute.followUp(id).path),
            csrf: try session(context).csrfToken, detail: detail, result: result, runs: runs, now: now(), resources: resources,
            errors: errors, notice: notice, language: context.language)
        return html(page, context, status: status)
    }
}
