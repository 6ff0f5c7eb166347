import Foundation
import HTTPTypes
import Hummingbird
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// A chapter's audience over JSON. Anyone: follow a chapter (the confirmation link goes by mail;
/// the answer is the same whether or not the address already follows) and unsubscribe with the
/// token of a mail's link. Organisers (bearer token): the follower count, how many each audience
/// reaches, the messages; write to the audience now or at a time; change or cancel a scheduled one.
extension APIController {
    struct FollowBody: Decodable { var email: String?; var language: String? }
    struct UnsubscribeBody: Decodable { var token: String? }
    struct AudienceMessageBody: Decodable { var subject: String?; var body: String?; var audience: String?; var sendAt: String? }

    struct AudienceMessageJSON: Encodable {
        var id: String; var subject: String; var body: String; var audience: String; var sendAt: String; var status: String
        var author: String; var recipients: Int; var sentAt: String?
        init(_ message: ScheduledMessage) {
            id = message.id.uuidString.lowercased()
            subject = message.subject
            body = message.body
            audience = message.audience.rawValue
            sendAt = ISO8601.format(message.sendAt)
            status = message.status.rawValue
            author = message.author
            recipients = message.recipients
            sentAt = message.sentAt.map { ISO8601.format($0) }
        }
    }

    struct AudienceJSON: Encodable {
        var followers: Int
        var reach: [String: Int]
        var messages: [AudienceMessageJSON]
    }

    struct AcceptedJSON: Encodable { var status: String }

    func publicChapter(_ context: AppRequestContext) async throws -> Chapter {
        guard let slug = context.parameters.get("slug"), ChapterInput.isValidSlug(slug),
              let chapter = try await services.persistence.chapters.chapter(slug: slug) else { throw AppError.notFound }
        return chapter
    }

    @Sendable func followChapter(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await publicChapter(context)
        let body = try await Self.decode(FollowBody.self, from: request, context: context)
        var errors = ValidationErrors()
        let email = TextRules.clean(body.email, field: "email", required: true, maxLength: 254, into: &errors)
        if !email.isEmpty, errors["email"] == nil, !EmailAddress.isValid(email) { errors.add("email", .invalidEmail) }
        let language = body.language.map { Language(rawValue: $0) } ?? context.language
        if language == nil { errors.add("language", .invalidLocale) }
        guard errors.isEmpty, let language else { throw AppError.validation(errors) }
        try await services.persistence.audience.requestFollow(chapter: chapter.id, email: email, language: language, now: services.clock.now())
        return JSONBody.response(status: .accepted, AcceptedJSON(status: "confirmation-sent-unless-following"))
    }

    @Sendable func unsubscribeAudience(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await Self.decode(UnsubscribeBody.self, from: request, context: context)
        guard let token = body.token, !token.isEmpty else { throw AppError.validation(ValidationErrors([("token", .required)])) }
        guard try await services.persistence.audience.unsubscribe(token: token, now: services.clock.now()) != nil else { throw AppError.notFound }
        return Response(status: .noContent, headers: [.cacheControl: "no-store"])
    }

    @Sendable func showAudience(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await organizedChapter(slug: context.parameters.get("slug") ?? "", context: context)
        let audience = services.persistence.audience
        var reach: [String: Int] = [:]
        for choice in AudienceChoice.allCases { reach[choice.rawValue] = try await audience.audienceSize(of: chapter.id, choice, now: services.clock.now()) }
        return JSONBody.response(status: .ok, AudienceJSON(followers: try await audience.followerCount(of: chapter.id), reach: reach,
                                                           messages: try await audience.audienceMessages(of: chapter.id).map(AudienceMessageJSON.init)))
    }

    /// Subject, body, audience and (optional, in the future) send time, checked field by field.
    func validatedAudienceMessage(_ body: AudienceMessageBody, sendAtRequired: Bool) throws -> (String, String, AudienceChoice, Date?) {
        var errors = ValidationErrors()
        let subject = TextRules.clean(body.subject, field: "subject", required: true, maxLength: 150, into: &errors)
        let text = TextRules.clean(body.body, field: "body", required: true, maxLength: 5000, multiline: true, into: &errors)
        let choice = AudienceChoice(rawValue: body.audience ?? AudienceChoice.followers.rawValue)
        if choice == nil { errors.add("audience", .format(example: "followers, attendees, both")) }
        var sendAt: Date?
        if let raw = body.sendAt, !raw.isEmpty {
            sendAt = EventInput.parseDate(raw, field: "sendAt", into: &errors)
            if let date = sendAt, date <= services.clock.now() { errors.add("sendAt", .inThePast) }
        } else if sendAtRequired {
            errors.add("sendAt", .required)
        }
        guard errors.isEmpty, let choice else { throw AppError.validation(errors) }
        return (subject, text, choice, sendAt)
    }

    @Sendable func createAudienceMessage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await organizedChapter(slug: context.parameters.get("slug") ?? "", context: context)
        let user = try requireUser(context)
        let (subject, text, choice, sendAt) = try validatedAudienceMessage(try await Self.decode(AudienceMessageBody.self, from: request, context: context),
                                                                           sendAtRequired: false)
        let audience = services.persistence.audience
        let now = services.clock.now()
        if let sendAt {
            let id = try await audience.scheduleMessage(chapter: chapter.id, choice: choice, subject: subject, body: text, author: user.name, sendAt: sendAt, now: now)
            try await services.persistence.team.audit(chapter: chapter.id, by: user, action: "audience.scheduled", subject: subject, now: now)
            guard let message = try await audience.scheduledMessage(id, chapter: chapter.id) else { throw AppError.notFound }
            return JSONBody.response(status: .created, AudienceMessageJSON(message))
        }
        let id = UUID()
        let count = try await audience.sendAudienceMessage(id, chapter: chapter.id, choice: choice, subject: subject, body: text, author: user.name, now: now)
        try await services.persistence.team.audit(chapter: chapter.id, by: user, action: "audience.sent", subject: "\(subject) (\(count))", now: now)
        guard let message = try await audience.scheduledMessage(id, chapter: chapter.id) else { throw AppError.notFound }
        return JSONBody.response(status: .created, AudienceMessageJSON(message))
    }

    func organizedAudienceMessage(_ context: AppRequestContext) async throws -> (ScheduledMessage, Chapter) {
        let chapter = try await organizedChapter(slug: context.parameters.get("slug") ?? "", context: context)
        guard let id = context.parameters.get("message").flatMap(UUID.init(uuidString:)),
              let message = try await services.persistence.audience.scheduledMessage(id, chapter: chapter.id) else { throw AppError.notFound }
        return (message, chapter)
    }

    @Sendable func updateAudienceMessage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (message, chapter) = try await organizedAudienceMessage(context)
        let (subject, text, choice, sendAt) = try validatedAudienceMessage(try await Self.decode(AudienceMessageBody.self, from: request, context: context),
                                                                           sendAtRequired: true)
        guard let sendAt, try await services.persistence.audience.updateScheduledMessage(message.id, chapter: chapter.id, choice: choice, subject: subject,
                                                                                         body: text, sendAt: sendAt) else {
            throw AppError.conflict(messageKey: "audience.lateNotice")
        }
        try await services.persistence.team.audit(chapter: chapter.id, by: try requireUser(context), action: "audience.rescheduled", subject: subject,
                                                  now: services.clock.now())
        guard let saved = try await services.persistence.audience.scheduledMessage(message.id, chapter: chapter.id) else { throw AppError.notFound }
        return JSONBody.response(status: .ok, AudienceMessageJSON(saved))
    }

    @Sendable func cancelAudienceMessage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (message, chapter) = try await organizedAudienceMessage(context)
        guard try await services.persistence.audience.cancelScheduledMessage(message.id, chapter: chapter.id) else {
            throw AppError.conflict(messageKey: "audience.lateNotice")
        }
        try await services.persistence.team.audit(chapter: chapter.id, by: try requireUser(context), action: "audience.cancelled", subject: message.subject,
                                                  now: services.clock.now())
        return Response(status: .noContent, headers: [.cacheControl: "no-store"])
    }
}
