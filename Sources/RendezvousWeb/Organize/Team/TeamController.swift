import Foundation
import Hummingbird
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// The chapter's team (members, invitations: send, send again, withdraw; removals) and its audit log.
struct TeamController: OrganizeController {
    let services: AppServices

    var routes: [OrganizeEndpoint] {
        [
            .get(.team(slug: .any), team),
            .post(.invite(slug: .any), invite),
            .post(.removeMember(slug: .any, user: .any), removeMember),
            .post(.revokeInvitation(slug: .any, invitation: .any), revoke),
            .post(.resendInvitation(slug: .any, invitation: .any), resend),
            .get(.audit(slug: .any), audit),
        ]
    }

    func roleLabel(_ role: ChapterRole, _ context: AppRequestContext) -> String {
        t(role == .door ? "team.door" : "team.organizer", context)
    }

    func teamPage(_ chapter: Chapter, context: AppRequestContext, email: String = "", error: String? = nil, notice: String? = nil, newLink: String? = nil) async throws -> TeamPage {
        let members = try await persistence.team.team(of: chapter.id)
        let invitations = try await persistence.team.unansweredInvitations(of: chapter.id)
        let f = Presenter(language: context.language, chapter: chapter).formatter
        let me = try session(context).user.id
        return TeamPage(
            chrome: try chrome(t("team.title", context), context, path: OrganizeRoute.team(slug: chapter.slug).path), csrf: try session(context).csrfToken,
            name: chapter.name, dashboardURL: OrganizeRoute.dashboard(slug: chapter.slug).path, auditURL: OrganizeRoute.audit(slug: chapter.slug).path,
            members: members.map { .init(name: $0.user.name, email: $0.user.email, role: roleLabel($0.role, context),
                                         removeURL: OrganizeRoute.removeMember(slug: chapter.slug, user: $0.user.id).path, canRemove: $0.user.id != me || members.count > 1) },
            pending: invitations.map { invitation in
                .init(id: invitation.id.uuidString.lowercased(), email: invitation.email, name: invitation.name, hasName: !invitation.name.isEmpty, role: roleLabel(invitation.role, context),
                      invitedBy: invitation.invitedBy, sent: f.shortDate(invitation.createdAt), expires: f.shortDate(invitation.expiresAt),
                      expired: invitation.expiresAt <= now(),
                      link: services.configuration.baseURL + AccountRoute.invitation(token: invitation.token).path,
                      resendURL: OrganizeRoute.resendInvitation(slug: chapter.slug, invitation: invitation.id).path,
                      revokeURL: OrganizeRoute.revokeInvitation(slug: chapter.slug, invitation: invitation.id).path)
            },
            inviteURL: OrganizeRoute.invite(slug: chapter.slug).path,
            roles: [.init(value: "organizer", label: t("team.organizer", context), selected: true), .init(value: "door", label: t("team.door", context), selected: false)],
            email: email, error: error, notice: notice, newLink: newLink)
    }

    @Sendable func team(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let done = request.uri.queryParameters.get("done").map { String($0) }
        let notices = ["revoked": "team.revoked", "resent": "team.resent"]
        let who = request.uri.queryParameters.get("email").map { String($0) } ?? ""
        return html(try await teamPage(chapter, context: context, notice: done.flatMap { notices[$0] }.map { t($0, context, ["email": who]) }), context)
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
        try await enqueueMail(invitation, chapter: chapter)
        return html(try await teamPage(chapter, context: context, notice: t("team.invited", context, ["email": invitation.email]),
                                       newLink: services.configuration.baseURL + AccountRoute.invitation(token: invitation.token).path), context)
    }

    func enqueueMail(_ invitation: Invitation, chapter: Chapter) async throws {
        var payload = ["invitation": invitation.id.uuidString, "invitedBy": invitation.invitedBy, "role": invitation.role.rawValue]
        if !invitation.name.isEmpty { payload["name"] = invitation.name }
        try await persistence.outbox.enqueueMessage(.invitation, chapter: chapter.id, recipient: invitation.email, payload: payload, now: now())
    }

    /// The chapter's invitation named by `:invitation`, whatever its state; 404 for another chapter's.
    func invitation(_ context: AppRequestContext, chapter: Chapter) async throws -> Invitation {
        guard let id = context.parameters.get("invitation").flatMap(UUID.init(uuidString:)),
              let invitation = try await persistence.team.invitation(id, chapter: chapter.id) else { throw AppError.notFound }
        return invitation
    }

    /// Withdraws a pending invitation, after asking (the first post shows the question, a page that
    /// works without JavaScript; the second, with `confirm=yes`, withdraws).
    @Sendable func revoke(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let invitation = try await invitation(context, chapter: chapter)
        guard invitation.acceptedAt == nil, invitation.revokedAt == nil else {
            return html(try await teamPage(chapter, context: context, error: t("team.notPending", context)), context, status: .conflict)
        }
        let path = OrganizeRoute.revokeInvitation(slug: chapter.slug, invitation: invitation.id).path
        guard try await self.form(request, context)["confirm"] == "yes" else {
            let heading = t("team.revokeTitle", context, ["email": invitation.email])
            let f = Presenter(language: context.language, chapter: chapter).formatter
            let page = ConfirmStepPage(
                chrome: try chrome(heading, context, path: OrganizeRoute.team(slug: chapter.slug).path), heading: heading,
                lines: [t("team.revokeConsequence", context)],
                facts: [invitation.email, roleLabel(invitation.role, context),
                        t("team.sentBy", context, ["name": invitation.invitedBy, "date": f.shortDate(invitation.createdAt)])],
                action: path, csrf: try session(context).csrfToken, confirmLabel: t("team.revokeConfirm", context),
                backURL: OrganizeRoute.team(slug: chapter.slug).path, backLabel: t("team.keepInvitation", context))
            return html(page, context)
        }
        guard let revoked = try await persistence.team.revokeInvitation(invitation.id, chapter: chapter.id, by: try session(context).user.name, now: now()) else {
            return html(try await teamPage(chapter, context: context, error: t("team.notPending", context)), context, status: .conflict)
        }
        try await log(context, chapter: chapter.id, "team.revoked", "\(revoked.email) (\(revoked.role.rawValue))")
        return .redirect(to: OrganizeRoute.team(slug: chapter.slug).path(query: [.init(name: "done", value: "revoked"), .init(name: "email", value: revoked.email)]), type: .normal)
    }

    /// Sends the same link again, valid for 14 more days (also an expired invitation).
    @Sendable func resend(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let invitation = try await invitation(context, chapter: chapter)
        guard let renewed = try await persistence.team.renewInvitation(invitation.id, chapter: chapter.id, now: now()) else {
            return html(try await teamPage(chapter, context: context, error: t("team.notPending", context)), context, status: .conflict)
        }
        try await enqueueMail(renewed, chapter: chapter)
        try await log(context, chapter: chapter.id, "team.resent", "\(renewed.email) (\(renewed.role.rawValue))")
        return .redirect(to: OrganizeRoute.team(slug: chapter.slug).path(query: [.init(name: "done", value: "resent"), .init(name: "email", value: renewed.email)]), type: .normal)
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

    /// The audit log, newest first, a hundred lines a page.
    @Sendable func audit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chapter = try await chapter(context)
        let f = Presenter(language: context.language, chapter: chapter).formatter
        let total = try await persistence.team.auditCount(of: chapter.id)
        let page = Pager.page(request.uri.queryParameters.get("page").map { String($0) }, total: total)
        let entries = try await persistence.team.auditLog(of: chapter.id, limit: Pager.pageSize, offset: (page - 1) * Pager.pageSize)
        let path = OrganizeRoute.audit(slug: chapter.slug).path
        let view = AuditPage(
            chrome: try chrome(t("audit.title", context), context, path: path, wide: true), name: chapter.name,
            dashboardURL: OrganizeRoute.dashboard(slug: chapter.slug).path,
            entries: entries.map { .init(when: "\(f.shortDate($0.createdAt)) \(f.time($0.createdAt))", who: $0.userName,
                                         action: Strings.auditAction($0.action, context.language), subject: $0.subject) },
            pager: Pager(total: total, page: page, path: path, keeping: [], language: context.language))
        return html(view, context)
    }
}
