import Foundation
import Hummingbird
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// The chapter's team (members, invitations, removals) and its audit log.
struct TeamController: OrganizeController {
    let services: AppServices

    var routes: [OrganizeEndpoint] {
        [
            .get(.team(slug: .any), team),
            .post(.invite(slug: .any), invite),
            .post(.removeMember(slug: .any, user: .any), removeMember),
            .get(.audit(slug: .any), audit),
        ]
    }

    func teamPage(_ chapter: Chapter, context: AppRequestContext, email: String = "", error: String? = nil, notice: String? = nil, newLink: String? = nil) async throws -> TeamPage {
        let members = try await persistence.team.team(of: chapter.id)
        let invitations = try await persistence.team.invitations(of: chapter.id, now: now())
        let f = Presenter(language: context.language, chapter: chapter).formatter
        let me = try session(context).user.id
        return TeamPage(
            chrome: try chrome(t("team.title", context), context, path: OrganizeRoute.team(slug: chapter.slug).path), csrf: try session(context).csrfToken,
            name: chapter.name, dashboardURL: OrganizeRoute.dashboard(slug: chapter.slug).path,
            members: members.map { .init(name: $0.user.name, email: $0.user.email, role: t($0.role == .door ? "team.door" : "team.organizer", context),
                                         removeURL: OrganizeRoute.removeMember(slug: chapter.slug, user: $0.user.id).path, canRemove: $0.user.id != me || members.count > 1) },
            pending: invitations.map { .init(email: $0.email, role: t($0.role == .door ? "team.door" : "team.organizer", context),
                                             link: services.configuration.baseURL + AccountRoute.invitation(token: $0.token).path, expires: f.shortDate($0.expiresAt)) },
            inviteURL: OrganizeRoute.invite(slug: chapter.slug).path,
            roles: [.init(value: "organizer", label: t("team.organizer", context), selected: true), .init(value: "door", label: t("team.door", context), selected: false)],
            email: email, error: error, notice: notice, newLink: newLink)
    }

    @Sendable func team(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        return html(try await teamPage(chapter, context: context), context)
    }

    @Sendable func invite(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let form = try await self.form(request, context)
        let email = form.text("email").trimmingCharacters(in: .whitespaces)
        guard EmailAddress.isValid(email) else {
            return html(try await teamPage(chapter, context: context, email: email, error: t("v.email", context)), context, status: .unprocessableContent)
        }
        let role = ChapterRole(rawValue: form.text("role")) ?? .door
        let invitation = try await persistence.team.createInvitation(chapter: chapter.id, email: email, role: role, invitedBy: try session(context).user.name, now: now())
        try await log(context, chapter: chapter.id, "team.invited", "\(invitation.email) (\(role.rawValue))")
        try await persistence.outbox.enqueueMessage(.invitation, chapter: chapter.id, recipient: invitation.email,
                                             payload: ["invitation": invitation.id.uuidString, "invitedBy": invitation.invitedBy, "role": invitation.role.rawValue], now: now())
        return html(try await teamPage(chapter, context: context, notice: t("team.invited", context, ["email": invitation.email]),
                                       newLink: services.configuration.baseURL + AccountRoute.invitation(token: invitation.token).path), context)
    }

    @Sendable func removeMember(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        guard let user = context.parameters.get("user").flatMap(User.ID.init(string:)),
              let member = try await persistence.team.team(of: chapter.id).first(where: { $0.user.id == user }) else { throw AppError.notFound }
        do {
            try await persistence.team.removeMembership(user: user, chapter: chapter.id)
        } catch TeamStore.TeamError.lastOrganizer {
            return html(try await teamPage(chapter, context: context, error: t("error.lastOrganizer", context)), context, status: .conflict)
        }
        try await log(context, chapter: chapter.id, "team.removed", member.user.email)
        return .redirect(to: OrganizeRoute.team(slug: chapter.slug).path, type: .normal)
    }

    @Sendable func audit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let f = Presenter(language: context.language, chapter: chapter).formatter
        let entries = try await persistence.team.auditLog(of: chapter.id)
        let page = AuditPage(
            chrome: try chrome(t("audit.title", context), context, path: OrganizeRoute.audit(slug: chapter.slug).path), name: chapter.name,
            dashboardURL: OrganizeRoute.dashboard(slug: chapter.slug).path,
            entries: entries.map { .init(when: "\(f.shortDate($0.createdAt)) \(f.time($0.createdAt))", who: $0.userName,
                                         action: Strings.auditAction($0.action, context.language), subject: $0.subject) })
        return html(page, context)
    }
}
