import Foundation
import Hummingbird
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// The two questions of the morning-after mail. Each score in the mail links here with that
/// score chosen; the answer is recorded when the form is sent (a mail scanner opening the link
/// records nothing). The link names one registration and can only answer these two questions.
struct FeedbackController {
    let services: AppServices

    func addRoutes(to router: Router<AppRequestContext>, writes: RouterGroup<AppRequestContext>) {
        router.get(PublicRoute.feedback(token: .any).routerPath, use: form)
        writes.post(PublicRoute.feedback(token: .any).routerPath, use: save)
    }

    func target(_ context: AppRequestContext) async throws -> (String, Registration, EventDetail) {
        let token = try context.parameters.require("token")
        guard let registration = try await services.persistence.followUp.registration(feedbackToken: token),
              let detail = try await services.persistence.events.eventDetail(id: registration.eventID) else { throw AppError.notFound }
        return (token, registration, detail)
    }

    func page(_ page: FeedbackPage, _ context: AppRequestContext, status: HTTPResponse.Status = .ok) -> Response {
        services.renderer.privateResponse(page, status: status, language: context.language)
    }

    @Sendable func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (token, registration, detail) = try await target(context)
        let saved = try await services.persistence.followUp.feedback(of: registration.id)
        let clicked = request.uri.queryParameters.get("score").flatMap(Int.init).flatMap { (0...10).contains($0) ? $0 : nil }
        let attended = try await services.persistence.followUp.attended(registration.id)
        return page(FeedbackPage(detail: detail, token: token, language: context.language, score: clicked ?? saved?.score,
                                 comment: saved?.comment ?? "", saved: request.uri.queryParameters.get("saved") == "1" && saved != nil,
                                 notAttended: !attended), context)
    }

    @Sendable func save(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (token, registration, detail) = try await target(context)
        let form = FormFields(String(buffer: try await request.body.collect(upTo: 32 * 1024)))
        switch FeedbackInput.validated(score: form["score"], comment: form["comment"]) {
        case .failure(let errors):
            return page(FeedbackPage(detail: detail, token: token, language: context.language, score: form["score"].flatMap { Int($0) },
                                     comment: form.text("comment"), saved: false, errors: errors), context, status: .unprocessableContent)
        case .success(let input):
            do {
                try await services.persistence.followUp.saveFeedback(input, registration: registration.id, now: services.clock.now())
            } catch FeedbackError.notAttended {
                return page(FeedbackPage(detail: detail, token: token, language: context.language, score: input.score, comment: input.comment,
                                         saved: false, notAttended: true), context, status: .forbidden)
            }
            return .redirect(to: PublicRoute.feedback(token: token).path + "?saved=1", type: .normal)
        }
    }
}
