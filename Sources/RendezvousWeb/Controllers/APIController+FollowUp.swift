import Foundation
import HTTPTypes
import Hummingbird
import RendezvousDomain
import RendezvousPersistence

/// After the evening over JSON. Organisers (bearer token): the evening's result, the speaker's
/// links for the morning-after mail, sending that mail now. Attendees: their feedback, with the
/// token of the mail's feedback link.
extension APIController {
    struct EveningResultJSON: Encodable {
        var checkedIn: Int
        var answers: Int
        var averageScore: Double?
        var netPromoterScore: Int?
        var scoreCounts: [Int]
        var comments: [String]
        var contacts: Int
        var acceptedContacts: Int
        var metAtLeastThree: Int
        var shareMetAtLeastThree: Double?
        var morningAfter: RunJSON
        var nudge: RunJSON
        var resources: [ResourceJSON]
    }
    struct RunJSON: Encodable { var due: String; var sentAt: String? }
    struct ResourceJSON: Encodable { var label: String; var url: String }
    struct FollowUpLinksBody: Decodable { var resources: String? }
    struct FollowUpLinksJSON: Encodable { var resources: [ResourceJSON] }
    struct SentJSON: Encodable { var queued: Int }
    struct FeedbackBody: Decodable { var token: String?; var score: Int?; var comment: String? }
    struct FeedbackJSON: Encodable { var score: Int; var comment: String }

    @Sendable func showEveningResult(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (event, chapter) = try await organizedEvent(context)
        let followUp = services.persistence.followUp
        let result = try await followUp.result(of: event.id)
        let runs = try await followUp.runs(of: event.id)
        let links = (try? EventResource.parse(try await followUp.resourcesText(of: event.id)).get()) ?? []
        func run(_ kind: FollowUpKind, _ sent: Date?) -> RunJSON {
            RunJSON(due: ISO8601.format(FollowUpSchedule.due(kind, startsAt: event.startsAt, timeZone: chapter.zone)), sentAt: sent.map { ISO8601.format($0) })
        }
        return JSONBody.response(status: .ok, EveningResultJSON(
            checkedIn: result.checkedIn, answers: result.answers, averageScore: result.averageScore, netPromoterScore: result.netPromoterScore,
            scoreCounts: result.scoreCounts, comments: result.comments, contacts: result.contacts, acceptedContacts: result.acceptedContacts,
            metAtLeastThree: result.metAtLeastThree, shareMetAtLeastThree: result.shareMetThree,
            morningAfter: run(.morningAfter, runs.morningAfter), nudge: run(.nudge, runs.nudge),
            resources: links.map { ResourceJSON(label: $0.label, url: $0.url) }))
    }

    @Sendable func saveFollowUpLinks(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (event, chapter) = try await organizedEvent(context)
        let body = try await Self.decode(FollowUpLinksBody.self, from: request, context: context)
        let text = (body.resources ?? "").replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        let links: [EventResource]
        switch EventResource.parse(text) {
        case .failure(let errors): throw AppError.validation(errors)
        case .success(let parsed): links = parsed
        }
        _ = try await services.persistence.followUp.setResources(text, of: event.id, chapter: chapter.id)
        try await services.persistence.team.audit(chapter: chapter.id, by: try requireUser(context), action: "event.resources", subject: event.title,
                                                  now: services.clock.now())
        return JSONBody.response(status: .ok, FollowUpLinksJSON(resources: links.map { ResourceJSON(label: $0.label, url: $0.url) }))
    }

    @Sendable func sendMorningAfterNow(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (event, chapter) = try await organizedEvent(context)
        guard let count = try await services.persistence.followUp.sendMorningAfterNow(event: event.id, chapter: chapter.id, now: services.clock.now()) else {
            throw AppError.conflict(messageKey: "followUp.api.notSent")
        }
        try await services.persistence.team.audit(chapter: chapter.id, by: try requireUser(context), action: "event.followUpSent",
                                                  subject: "\(event.title) (\(count))", now: services.clock.now())
        return JSONBody.response(status: .accepted, SentJSON(queued: count))
    }

    @Sendable func saveFeedback(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await Self.decode(FeedbackBody.self, from: request, context: context)
        guard let token = body.token, !token.isEmpty else { throw AppError.validation(ValidationErrors([("token", .required)])) }
        guard let registration = try await services.persistence.followUp.registration(feedbackToken: token) else { throw AppError.notFound }
        let input: FeedbackInput
        switch FeedbackInput.validated(score: body.score.map(String.init), comment: body.comment) {
        case .failure(let errors): throw AppError.validation(errors)
        case .success(let valid): input = valid
        }
        do {
            try await services.persistence.followUp.saveFeedback(input, registration: registration.id, now: services.clock.now())
        } catch FeedbackError.notAttended {
            throw AppError.forbidden(messageKey: "feedback.notAttended")
        }
        return JSONBody.response(status: .ok, FeedbackJSON(score: input.score, comment: input.comment))
    }
}
