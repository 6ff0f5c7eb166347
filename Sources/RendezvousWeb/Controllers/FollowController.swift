import Foundation
import Hummingbird
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// Following a chapter with an address, no account: the form (chapter and event pages, or its own
/// page), the confirmation link (double opt-in: one button, so a mail scanner opening the link
/// follows nothing), and the one-click unsubscribe of the chapter's news (RFC 8058). The answer to
/// a follow request is the same whether or not the address already follows.
struct FollowController {
    let services: AppServices

    func addRoutes(to router: Router<AppRequestContext>, writes: RouterGroup<AppRequestContext>) {
        router.get(PublicRoute.follow(slug: .any).routerPath, use: followForm)
        writes.post(PublicRoute.follow(slug: .any).routerPath, use: follow)
        router.get(PublicRoute.confirmFollow(token: .any).routerPath, use: confirmForm)
        writes.post(PublicRoute.confirmFollow(token: .any).routerPath, use: confirm)
        router.get(PublicRoute.audienceUnsubscribe(token: .any).routerPath, use: unsubscribeForm)
        router.post(PublicRoute.audienceUnsubscribe(token: .any).routerPath, use: unsubscribe)
    }

    func chapter(_ context: AppRequestContext) async throws -> Chapter {
        guard let slug = context.parameters.get("slug"), ChapterInput.isValidSlug(slug),
              let chapter = try await services.persistence.chapters.chapter(slug: slug) else { throw AppError.notFound }
        return chapter
    }

    func page(_ page: SimpleFormPage, _ context: AppRequestContext, status: HTTPResponse.Status = .ok) -> Response {
        services.renderer.privateResponse(page, status: status, language: context.language)
    }

    @Sendable func followForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        page(.follow(try await chapter(context), language: context.language), context)
    }

    @Sendable func follow(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let form = FormFields(String(buffer: try await request.body.collect(upTo: 16 * 1024)))
        var errors = ValidationErrors()
        let email = TextRules.clean(form["email"], field: "email", required: true, maxLength: 254, into: &errors)
        if !email.isEmpty, errors["email"] == nil, !EmailAddress.isValid(email) { errors.add("email", .invalidEmail) }
        if let problem = errors["email"] {
            return page(.follow(chapter, language: context.language, email: form.text("email"), error: Strings.message(for: problem, context.language)),
                        context, status: .unprocessableContent)
        }
        try await services.persistence.audience.requestFollow(chapter: chapter.id, email: email, language: context.language, now: services.clock.now())
        return page(.followRequested(chapter, language: context.language), context)
    }

    @Sendable func confirmForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard let member = try await services.persistence.audience.member(token: token, .follow),
              let chapter = try await services.persistence.chapters.chapter(id: member.chapterID) else { throw AppError.notFound }
        return page(.confirmFollow(chapter, member: member, token: token, language: context.language, done: member.status == .following), context)
    }

    @Sendable func confirm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard let member = try await services.persistence.audience.confirmFollow(token: token, now: services.clock.now()),
              let chapter = try await services.persistence.chapters.chapter(id: member.chapterID) else { throw AppError.notFound }
        return page(.confirmFollow(chapter, member: member, token: token, language: context.language, done: true), context)
    }

    @Sendable func unsubscribeForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard let member = try await services.persistence.audience.member(token: token, .audienceUnsubscribe),
              let chapter = try await services.persistence.chapters.chapter(id: member.chapterID) else { throw AppError.notFound }
        return page(.audienceUnsubscribe(chapter, member: member, token: token, language: context.language, done: member.status == .unsubscribed), context)
    }

    /// One-click unsubscribe (RFC 8058): mail clients post here without a page in between.
    @Sendable func unsubscribe(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard let member = try await services.persistence.audience.unsubscribe(token: token, now: services.clock.now()),
              let chapter = try await services.persistence.chapters.chapter(id: member.chapterID) else { throw AppError.notFound }
        return page(.audienceUnsubscribe(chapter, member: member, token: token, language: context.language, done: true), context)
    }
}
