import Foundation
import Hummingbird
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// Sign-in, sign-out, password change, and accepting an invitation.
struct AuthController {
    let services: AppServices
    /// Password attempts per address and per email, invitation and reset posts per address:
    /// ten a quarter-hour, then a clear wait message. Shared with the API's token endpoint.
    var limiter: RateLimiter { services.authLimiter }

    /// The keys one password attempt counts against: the client's address and the account.
    var secureCookies: Bool { services.configuration.baseURL.hasPrefix("https://") }

    func addRoutes(to router: Router<AppRequestContext>, signedIn: RouterGroup<AppRequestContext>) {
        router.get(AccountRoute.signIn.routerPath, use: signInForm)
        router.post(AccountRoute.signIn.routerPath, use: signIn)
        router.get(AccountRoute.forgotPassword.routerPath, use: forgotForm)
        router.post(AccountRoute.forgotPassword.routerPath, use: forgot)
        router.get(AccountRoute.resetPassword(token: .any).routerPath, use: resetForm)
        router.post(AccountRoute.resetPassword(token: .any).routerPath, use: reset)
        router.get(AccountRoute.invitation(token: .any).routerPath, use: invitationForm)
        router.post(AccountRoute.invitation(token: .any).routerPath, use: acceptInvitation)
        signedIn.post(AccountRoute.signOut.routerPath, use: signOut)
        signedIn.get(AccountRoute.password.routerPath, use: passwordForm)
        signedIn.post(AccountRoute.password.routerPath, use: changePassword)
    }

    func t(_ key: String, _ context: AppRequestContext) -> String { Strings.text(key, context.language) }

    // MARK: Sign-in

    @Sendable func signInForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        if context.session != nil { return .redirect(to: WorkspaceLinks.home, type: .normal) }
        let next = request.uri.queryParameters.get("next").map { String($0) }
        return renderSignIn(context: context, email: "", next: next, error: nil, notice: request.uri.queryParameters.get("signedout") != nil ? t("auth.signedOut", context) : nil, status: .ok)
    }

    func renderSignIn(context: AppRequestContext, email: String, next: String?, error: String?, notice: String?, status: HTTPResponse.Status) -> Response {
        // Double-submit token: the form carries the value of a cookie only this site can set.
        let csrf = Secret.random()
        let page = SignInPage(language: context.language, csrf: csrf, email: email, next: next.flatMap(Self.safeNext), notice: notice, error: error)
        var response = services.renderer.response(page, status: status, language: context.language)
        response.setCookie(Cookie(name: SessionCookie.preSignIn, value: csrf, expires: nil, maxAge: 3600, domain: nil, path: AccountRoute.signIn.path,
                                  secure: secureCookies, httpOnly: true, sameSite: .strict))
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// Only a plain path of this site is followed after sign-in: one leading `/`, no scheme, no
    /// host, no backslash, no whitespace or control character, before or after percent-decoding.
    /// Browsers drop tabs and line breaks from an address and read `\\` as `/`, so `/\t/evil.example`
    /// would otherwise leave for evil.example.
    static func safeNext(_ next: String) -> String? {
        var text = next
        for _ in 0..<4 {
            guard text.hasPrefix("/"), !text.hasPrefix("//"),
                  !text.unicodeScalars.contains(where: { $0 == "\\" || $0.properties.isWhitespace || isControl($0) }) else { return nil }
            guard let decoded = text.removingPercentEncoding else { return nil }
            if decoded == text { break }
            text = decoded
        }
        guard let components = URLComponents(string: next), components.scheme == nil, components.host == nil,
              components.path.hasPrefix("/") else { return nil }
        return next
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }

    func tooManyAttempts(_ wait: Int, context: AppRequestContext, email: String, next: String?) -> Response {
        var response = renderSignIn(context: context, email: email, next: next,
                                    error: Strings.plural("auth.tooMany", count: max(1, wait / 60), context.language), notice: nil, status: .tooManyRequests)
        response.headers[.retryAfter] = String(wait)
        return response
    }

    @Sendable func signIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let form = FormFields(String(buffer: body))
        let email = form.text("email").trimmingCharacters(in: .whitespaces)
        let next = form["next"].flatMap(Self.safeNext)
        guard let cookie = request.cookies[SessionCookie.preSignIn]?.value, let sent = form["_csrf"], constantTimeEquals(cookie, sent) else {
            return renderSignIn(context: context, email: email, next: next, error: t("error.csrf", context), notice: nil, status: .forbidden)
        }
        // The attempt is counted before the password is checked, so parallel guesses cannot all
        // pass the limit; a right password gives its attempt back.
        if let wait = await services.passwordAttempts.reserve(email: email, client: context.limitKey) {
            return tooManyAttempts(wait, context: context, email: email, next: next)
        }
        let credentials = try await services.persistence.accounts.credentials(email: email)
        guard try await Passwords.verify(form.text("password"), hash: credentials?.passwordHash), let user = credentials?.user else {
            return renderSignIn(context: context, email: email, next: next, error: t("auth.invalid", context), notice: nil, status: .unauthorized)
        }
        await services.passwordAttempts.refund(email: email, client: context.limitKey)
        let token = try await services.persistence.sessions.createSession(for: user.id, now: services.clock.now())
        var response = Response.redirect(to: next ?? WorkspaceLinks.home, type: .normal)
        response.setCookie(SessionCookie.make(token, secure: secureCookies))
        return response
    }

    @Sendable func signOut(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let token = request.cookies[SessionCookie.name]?.value { try await services.persistence.sessions.deleteSession(token: token) }
        var response = Response.redirect(to: AccountRoute.signIn.path("signedout", "1"), type: .normal)
        response.setCookie(SessionCookie.make("", secure: secureCookies, maxAge: 0))
        // The door page keeps its attendee list in localStorage and its pages in the service
        // worker's cache: a shared phone must not keep them after its person signs out.
        response.headers[.clearSiteData] = "\"cache\", \"storage\""
        return response
    }

    // MARK: Password

    func passwordPage(_ context: AppRequestContext, session: WebSession, errors: [String: String] = [:], notice: String? = nil) -> SimpleFormPage {
        .changePassword(language: context.language, session: SessionNav(session), email: session.user.email, errors: errors, notice: notice)
    }

    @Sendable func passwordForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let session = context.session else { throw AppError.unauthorized }
        let notice = request.uri.queryParameters.get("done") != nil ? t("auth.passwordChanged", context) : nil
        return services.renderer.response(passwordPage(context, session: session, notice: notice), language: context.language)
    }

    @Sendable func changePassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let session = context.session else { throw AppError.unauthorized }
        let form = FormFields(String(buffer: try await request.body.collect(upTo: context.maxUploadSize)))
        let current = form.text("current"), new = form.text("password")
        var errors: [String: String] = [:]
        // A borrowed session must not become a way to guess the password: same limit as sign-in.
        if let wait = await services.passwordAttempts.reserve(email: session.user.email, client: context.limitKey) { throw AppError.rateLimited(retryAfter: wait) }
        let stored = try await services.persistence.accounts.passwordHash(of: session.user.id)
        if try await Passwords.verify(current, hash: stored) {
            await services.passwordAttempts.refund(email: session.user.email, client: context.limitKey)
        } else { errors["current"] = t("auth.invalidPassword", context) }
        if let problem = Self.passwordProblem(new, context: context) { errors["password"] = problem }
        guard errors.isEmpty else {
            return services.renderer.response(passwordPage(context, session: session, errors: errors), status: .unprocessableContent, language: context.language)
        }
        let hash = try await Passwords.hash(new)
        try await services.persistence.accounts.changePassword(of: session.user.id, to: hash, keepingSession: request.cookies[SessionCookie.name]?.value)
        return .redirect(to: AccountRoute.password.path("done", "1"), type: .normal)
    }

    static func passwordProblem(_ password: String, context: AppRequestContext) -> String? {
        if password.count < 10 { return Strings.text("v.tooShort", context.language, ["min": "10"]) }
        if password.utf8.count > 72 { return Strings.text("v.tooLong", context.language, ["max": "72"]) }
        return nil
    }

    // MARK: Invitations

    func visitor(of invitation: Invitation, context: AppRequestContext) async throws -> InvitationVisitor {
        guard try await services.persistence.team.userExists(email: invitation.email) else { return .newAccount }
        guard let session = context.session else { return .signInFirst }
        return EmailAddress.normalize(session.user.email) == invitation.email ? .invitedAccount(session) : .otherAccount(session)
    }

    func invitationPage(_ invitation: Invitation, token: String, chapter: Chapter, visitor: InvitationVisitor, context: AppRequestContext,
                        name: String = "", errors: [String: String] = [:]) -> SimpleFormPage {
        .invitation(invitation, token: token, chapterName: chapter.name, visitor: visitor, language: context.language, name: name, errors: errors)
    }

    func invitationResponse(_ page: SimpleFormPage, status: HTTPResponse.Status = .ok, context: AppRequestContext) -> Response {
        services.renderer.privateResponse(page, status: status, language: context.language)
    }

    /// An invitation the chapter's organisers withdrew: its link answers with a page that says so.
    struct InvitationWithdrawn: Error { var chapter: Chapter }

    func withdrawnResponse(_ withdrawn: InvitationWithdrawn, token: String, context: AppRequestContext) -> Response {
        invitationResponse(.invitationWithdrawn(chapterName: withdrawn.chapter.name, path: AccountRoute.invitation(token: token).path, language: context.language),
                           status: .gone, context: context)
    }

    /// The invitation if the link is still open: 404 for an unknown link, 409 for a used or expired
    /// one, `InvitationWithdrawn` for one the organisers withdrew.
    func openInvitation(_ token: String) async throws -> (Invitation, Chapter) {
        guard let invitation = try await services.persistence.team.invitation(token: token),
              let chapter = try await services.persistence.chapters.chapter(id: invitation.chapterID) else { throw AppError.notFound }
        if invitation.revokedAt != nil, invitation.acceptedAt == nil { throw InvitationWithdrawn(chapter: chapter) }
        guard invitation.isOpen(at: services.clock.now()) else { throw AppError.conflict(messageKey: "error.invitationClosed") }
        return (invitation, chapter)
    }

    @Sendable func invitationForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        let invitation: Invitation, chapter: Chapter
        do { (invitation, chapter) = try await openInvitation(token) } catch let withdrawn as InvitationWithdrawn { return withdrawnResponse(withdrawn, token: token, context: context) }
        let visitor = try await visitor(of: invitation, context: context)
        return invitationResponse(invitationPage(invitation, token: token, chapter: chapter, visitor: visitor, context: context), context: context)
    }

    /// Accepting: rate-limited, the link checked first, and never a sign-in. An existing account
    /// accepts while signed in as itself (with its session's CSRF token); only a new account is
    /// created here, with the password typed now, and signed in.
    @Sendable func acceptInvitation(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        if let wait = await limiter.hit("invitation:" + context.limitKey) { throw AppError.rateLimited(retryAfter: wait) }
        let invitation: Invitation, chapter: Chapter
        do { (invitation, chapter) = try await openInvitation(token) } catch let withdrawn as InvitationWithdrawn { return withdrawnResponse(withdrawn, token: token, context: context) }
        let form = FormFields(String(buffer: try await request.body.collect(upTo: context.maxUploadSize)))
        let now = services.clock.now()
        let user: User
        var newSession: String?
        let visitor = try await visitor(of: invitation, context: context)
        do {
            switch visitor {
            case .signInFirst, .otherAccount:
                return invitationResponse(invitationPage(invitation, token: token, chapter: chapter, visitor: visitor, context: context), status: .forbidden, context: context)
            case .invitedAccount(let session):
                guard let sent = form["_csrf"], constantTimeEquals(sent, session.csrfToken) else { throw AppError.forbidden(messageKey: "error.csrf") }
                user = try await services.persistence.team.acceptInvitation(token: token, existingUser: session.user.id, now: now)
            case .newAccount:
                var errors = ValidationErrors()
                let name = TextRules.clean(form["name"], field: "name", required: true, maxLength: 80, into: &errors)
                var problems = Dictionary(errors.problems.map { ($0.field, Strings.message(for: $0.problem, context.language)) }, uniquingKeysWith: { a, _ in a })
                let password = form.text("password")
                if let problem = Self.passwordProblem(password, context: context) { problems["password"] = problem }
                guard problems.isEmpty else {
                    let page = invitationPage(invitation, token: token, chapter: chapter, visitor: .newAccount, context: context, name: form.text("name"), errors: problems)
                    return invitationResponse(page, status: .unprocessableContent, context: context)
                }
                let hash = try await Passwords.hash(password)
                user = try await services.persistence.team.acceptInvitation(token: token, newAccountName: name, passwordHash: hash, now: now)
                newSession = try await services.persistence.sessions.createSession(for: user.id, now: now)
            }
        } catch TeamStore.TeamError.invitationClosed {
            throw AppError.conflict(messageKey: "error.invitationClosed")
        } catch TeamStore.TeamError.wrongAccount {
            throw AppError.forbidden(messageKey: "error.forbidden")
        } catch TeamStore.TeamError.accountExists {
            // Someone created the account meanwhile: it must sign in, like any existing account.
            let page = invitationPage(invitation, token: token, chapter: chapter, visitor: .signInFirst, context: context)
            return invitationResponse(page, status: .conflict, context: context)
        }
        try await services.persistence.team.audit(chapter: chapter.id, by: user, action: "team.joined", subject: invitation.role.rawValue, now: now)
        // Door staff have no chapter dashboard: the workspace's home sends them to their door.
        var response = Response.redirect(to: invitation.role == .door ? WorkspaceLinks.home : WorkspaceLinks.chapter(chapter.slug), type: .normal)
        if let newSession { response.setCookie(SessionCookie.make(newSession, secure: secureCookies)) }
        return response
    }

    // MARK: Forgotten passwords

    @Sendable func forgotForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        services.renderer.response(SimpleFormPage.forgotPassword(language: context.language), language: context.language)
    }

    /// Always the same answer, whether or not the email has an account.
    @Sendable func forgot(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = FormFields(String(buffer: try await request.body.collect(upTo: context.maxUploadSize)))
        let email = form.text("email").trimmingCharacters(in: .whitespaces)
        if let wait = await limiter.hit("forgot:" + context.limitKey) { throw AppError.rateLimited(retryAfter: wait) }
        if EmailAddress.isValid(email) { try await services.persistence.accounts.requestPasswordReset(email: email, now: services.clock.now()) }
        return services.renderer.response(SimpleFormPage.forgotPassword(language: context.language, notice: t("auth.linkSent", context)), language: context.language)
    }

    @Sendable func resetForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard try await services.persistence.accounts.passwordResetUser(token: token, now: services.clock.now()) != nil else { throw AppError.conflict(messageKey: "auth.linkExpired") }
        return services.renderer.privateResponse(SimpleFormPage.resetPassword(token: token, language: context.language), language: context.language)
    }

    @Sendable func reset(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        // Counted, then the link looked up, and only for a live link is a password hashed.
        if let wait = await limiter.hit("reset:" + context.limitKey) { throw AppError.rateLimited(retryAfter: wait) }
        guard try await services.persistence.accounts.passwordResetUser(token: token, now: services.clock.now()) != nil else {
            throw AppError.conflict(messageKey: "auth.linkExpired")
        }
        let form = FormFields(String(buffer: try await request.body.collect(upTo: context.maxUploadSize)))
        let password = form.text("password")
        if let problem = Self.passwordProblem(password, context: context) {
            return services.renderer.response(SimpleFormPage.resetPassword(token: token, language: context.language, error: problem),
                                              status: .unprocessableContent, language: context.language)
        }
        let hash = try await Passwords.hash(password)
        guard let user = try await services.persistence.accounts.completePasswordReset(token: token, hash: hash, now: services.clock.now()) else {
            throw AppError.conflict(messageKey: "auth.linkExpired")
        }
        let session = try await services.persistence.sessions.createSession(for: user.id, now: services.clock.now())
        var response = Response.redirect(to: WorkspaceLinks.home, type: .normal)
        response.setCookie(SessionCookie.make(session, secure: secureCookies))
        return response
    }
}
