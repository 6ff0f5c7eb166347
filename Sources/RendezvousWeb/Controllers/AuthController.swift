import Foundation
import Hummingbird
import HummingbirdBcrypt
import NIOPosix
import RendezvousDomain
import RendezvousPersistence

/// A select box in a simple form.
struct SelectField {
    struct Option { var value: String; var label: String; var selected: Bool }
    var id: String
    var name: String
    var label: String
    var options: [Option]
}

struct TextAreaField {
    var id: String
    var name: String
    var label: String
    var value: String
    var hint: String?
    var error: String?
    var maxLength: Int
}

/// The page of a form with a few fields, used by sign-in, password change, invitations, applications.
struct SimpleFormPage {
    var chrome: Chrome
    var heading: String
    var intro: String? = nil
    var notice: String? = nil
    var error: String? = nil
    var action: String
    var csrf: String
    var fields: [FormField]
    var textareas: [TextAreaField] = []
    var selects: [SelectField] = []
    var submit: String
}

struct SignInPage {
    var chrome: Chrome
    var action = "/signin"
    var csrf: String
    var next: String?
    var notice: String?
    var error: String?
    var fields: [FormField]
}

/// Sign-in, sign-out, password change, and accepting an invitation.
struct AuthController {
    let services: AppServices
    /// Failed sign-ins per address and per email: ten a quarter-hour, then a clear wait message.
    let signInLimiter = RateLimiter(limit: RateLimit(requests: 10, window: 900))

    var secureCookies: Bool { services.configuration.baseURL.hasPrefix("https://") }

    func addRoutes(to router: Router<AppRequestContext>, signedIn: RouterGroup<AppRequestContext>) {
        router.get("/signin", use: signInForm)
        router.post("/signin", use: signIn)
        router.get("/password/forgot", use: forgotForm)
        router.post("/password/forgot", use: forgot)
        router.get("/password/reset/:token", use: resetForm)
        router.post("/password/reset/:token", use: reset)
        router.get("/invitations/:token", use: invitationForm)
        router.post("/invitations/:token", use: acceptInvitation)
        signedIn.post("/signout", use: signOut)
        signedIn.get("/account/password", use: passwordForm)
        signedIn.post("/account/password", use: changePassword)
    }

    func t(_ key: String, _ context: AppRequestContext) -> String { Strings.text(key, context.language) }

    // MARK: Sign-in

    @Sendable func signInForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        if context.session != nil { return .redirect(to: "/organize", type: .normal) }
        let next = request.uri.queryParameters.get("next").map { String($0) }
        return renderSignIn(context: context, email: "", next: next, error: nil, notice: request.uri.queryParameters.get("signedout") != nil ? t("auth.signedOut", context) : nil, status: .ok)
    }

    func renderSignIn(context: AppRequestContext, email: String, next: String?, error: String?, notice: String?, status: HTTPResponse.Status) -> Response {
        // Double-submit token: the form carries the value of a cookie only this site can set.
        let csrf = Secret.random()
        let page = SignInPage(
            chrome: Chrome(title: t("auth.signIn", context), language: context.language, path: "/signin"),
            csrf: csrf, next: next.flatMap(Self.safeNext), notice: notice, error: error,
            fields: [
                FormField(name: "email", label: t("form.email", context), value: email, type: "email", required: true, error: nil, maxLength: 254, autocomplete: "username"),
                FormField(name: "password", label: t("auth.password", context), value: "", type: "password", required: true, error: nil, maxLength: 200, autocomplete: "current-password"),
            ])
        var response = services.renderer.htmlResponse(services.renderer.render(page, template: "signin"), status: status, language: context.language)
        response.setCookie(Cookie(name: SessionCookie.preSignIn, value: csrf, expires: nil, maxAge: 3600, domain: nil, path: "/signin",
                                  secure: secureCookies, httpOnly: true, sameSite: .strict))
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// Only same-site paths are followed after sign-in.
    static func safeNext(_ next: String) -> String? {
        next.hasPrefix("/") && !next.hasPrefix("//") && !next.contains("\\") ? next : nil
    }

    @Sendable func signIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let form = FormFields(String(buffer: body))
        let email = form.text("email").trimmingCharacters(in: .whitespaces)
        let next = form["next"].flatMap(Self.safeNext)
        guard let cookie = request.cookies[SessionCookie.preSignIn]?.value, let sent = form["_csrf"], constantTimeEquals(cookie, sent) else {
            return renderSignIn(context: context, email: email, next: next, error: t("error.csrf", context), notice: nil, status: .forbidden)
        }
        if let wait = signInLimiter.check(context.clientKey) ?? signInLimiter.check("email:" + EmailAddress.normalize(email)) {
            var response = renderSignIn(context: context, email: email, next: next,
                                        error: Strings.text("auth.tooMany", context.language, ["minutes": String(max(1, wait / 60))]), notice: nil, status: .tooManyRequests)
            response.headers[.retryAfter] = String(wait)
            return response
        }
        let password = form.text("password")
        let credentials = try await services.persistence.credentials(email: email)
        let hash = credentials?.passwordHash ?? APIController.dummyHash
        let valid = password.utf8.count <= 256 ? try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) } : false
        guard valid, let user = credentials?.user else {
            _ = signInLimiter.hit(context.clientKey)
            _ = signInLimiter.hit("email:" + EmailAddress.normalize(email))
            return renderSignIn(context: context, email: email, next: next, error: t("auth.invalid", context), notice: nil, status: .unauthorized)
        }
        let token = try await services.persistence.createSession(for: user.id, now: services.clock.now())
        var response = Response.redirect(to: next ?? "/organize", type: .normal)
        response.setCookie(SessionCookie.make(token, secure: secureCookies))
        return response
    }

    @Sendable func signOut(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let token = request.cookies[SessionCookie.name]?.value { try await services.persistence.deleteSession(token: token) }
        var response = Response.redirect(to: "/signin?signedout=1", type: .normal)
        response.setCookie(SessionCookie.make("", secure: secureCookies, maxAge: 0))
        return response
    }

    // MARK: Password

    func passwordPage(_ context: AppRequestContext, session: WebSession, errors: [String: String] = [:], notice: String? = nil) -> SimpleFormPage {
        var chrome = Chrome(title: t("auth.changePassword", context), language: context.language, path: "/account/password")
        chrome.session = SessionNav(session)
        return SimpleFormPage(
            chrome: chrome, heading: t("auth.changePassword", context), intro: session.user.email, notice: notice,
            error: errors.isEmpty ? nil : t("form.errors", context), action: "/account/password", csrf: session.csrfToken,
            fields: [
                FormField(name: "current", label: t("auth.currentPassword", context), value: "", type: "password", required: true, error: errors["current"], maxLength: 200, autocomplete: "current-password"),
                FormField(name: "password", label: t("auth.newPassword", context), value: "", type: "password", required: true, hint: t("auth.passwordHint", context), error: errors["password"], maxLength: 200, autocomplete: "new-password"),
            ],
            submit: t("auth.changePassword", context))
    }

    @Sendable func passwordForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let session = context.session else { throw AppError.unauthorized }
        let notice = request.uri.queryParameters.get("done") != nil ? t("auth.passwordChanged", context) : nil
        return services.renderer.htmlResponse(services.renderer.render(passwordPage(context, session: session, notice: notice), template: "simple-form"), language: context.language)
    }

    @Sendable func changePassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let session = context.session else { throw AppError.unauthorized }
        let form = FormFields(String(buffer: try await request.body.collect(upTo: context.maxUploadSize)))
        let current = form.text("current"), new = form.text("password")
        var errors: [String: String] = [:]
        let stored = try await services.persistence.passwordHash(of: session.user.id) ?? APIController.dummyHash
        let currentValid = current.utf8.count <= 256 ? try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(current, hash: stored) } : false
        if !currentValid { errors["current"] = t("auth.invalidPassword", context) }
        if let problem = Self.passwordProblem(new, context: context) { errors["password"] = problem }
        guard errors.isEmpty else {
            return services.renderer.htmlResponse(services.renderer.render(passwordPage(context, session: session, errors: errors), template: "simple-form"),
                                                  status: .unprocessableContent, language: context.language)
        }
        let hash = try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(new, cost: 12) }
        try await services.persistence.changePassword(of: session.user.id, to: hash, keepingSession: request.cookies[SessionCookie.name]?.value)
        return .redirect(to: "/account/password?done=1", type: .normal)
    }

    static func passwordProblem(_ password: String, context: AppRequestContext) -> String? {
        if password.count < 10 { return Strings.text("v.tooShort", context.language, ["min": "10"]) }
        if password.utf8.count > 72 { return Strings.text("v.tooLong", context.language, ["max": "72"]) }
        return nil
    }

    // MARK: Invitations

    func invitationPage(_ invitation: Invitation, chapter: Chapter, context: AppRequestContext, name: String = "", errors: [String: String] = [:], exists: Bool) -> SimpleFormPage {
        let role = t(invitation.role == .organizer ? "team.organizer" : "team.door", context)
        var fields = [FormField(name: "name", label: t("team.yourName", context), value: name, required: true, error: errors["name"], maxLength: 80, autocomplete: "name")]
        fields.append(FormField(name: "password", label: exists ? t("auth.password", context) : t("auth.newPassword", context), value: "", type: "password", required: true,
                                hint: exists ? nil : t("auth.passwordHint", context), error: errors["password"], maxLength: 200, autocomplete: exists ? "current-password" : "new-password"))
        return SimpleFormPage(
            chrome: Chrome(title: t("team.invitation", context), language: context.language, path: "/invitations/\(invitation.token)"),
            heading: Strings.text("team.invitedTo", context.language, ["chapter": chapter.name, "role": role]),
            intro: Strings.text("team.invitedBy", context.language, ["name": invitation.invitedBy, "email": invitation.email]),
            error: errors.isEmpty ? nil : t("form.errors", context), action: "/invitations/\(invitation.token)", csrf: "",
            fields: fields, submit: t("team.accept", context))
    }

    @Sendable func invitationForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard let invitation = try await services.persistence.invitation(token: token),
              let chapter = try await services.persistence.chapter(id: invitation.chapterID) else { throw AppError.notFound }
        guard invitation.isOpen(at: services.clock.now()) else { throw AppError.conflict(messageKey: "error.invitationClosed") }
        let exists = try await services.persistence.userExists(email: invitation.email)
        var response = services.renderer.htmlResponse(services.renderer.render(invitationPage(invitation, chapter: chapter, context: context, exists: exists), template: "simple-form"), language: context.language)
        response.headers[.cacheControl] = "no-store"
        response.headers[.referrerPolicy] = "no-referrer"
        return response
    }

    @Sendable func acceptInvitation(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard let invitation = try await services.persistence.invitation(token: token),
              let chapter = try await services.persistence.chapter(id: invitation.chapterID) else { throw AppError.notFound }
        let form = FormFields(String(buffer: try await request.body.collect(upTo: context.maxUploadSize)))
        let exists = try await services.persistence.userExists(email: invitation.email)
        var errors = ValidationErrors()
        let name = TextRules.clean(form["name"], field: "name", required: true, maxLength: 80, into: &errors)
        var problems = Dictionary(errors.problems.map { ($0.field, Strings.message(for: $0.problem, context.language)) }, uniquingKeysWith: { a, _ in a })
        let password = form.text("password")
        var hash: String
        if exists {
            // An existing account proves it is theirs with its password.
            let stored = try await services.persistence.credentials(email: invitation.email)?.passwordHash ?? APIController.dummyHash
            let valid = password.utf8.count <= 256 ? try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: stored) } : false
            if !valid { problems["password"] = t("auth.invalidPassword", context) }
            hash = stored
        } else {
            if let problem = Self.passwordProblem(password, context: context) { problems["password"] = problem }
            hash = ""
        }
        guard problems.isEmpty else {
            return services.renderer.htmlResponse(
                services.renderer.render(invitationPage(invitation, chapter: chapter, context: context, name: form.text("name"), errors: problems, exists: exists), template: "simple-form"),
                status: .unprocessableContent, language: context.language)
        }
        if !exists { hash = try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: 12) } }
        let now = services.clock.now()
        let user: User
        do {
            user = try await services.persistence.acceptInvitation(token: token, name: name, passwordHash: hash, now: now)
        } catch Persistence.TeamError.invitationClosed {
            throw AppError.conflict(messageKey: "error.invitationClosed")
        }
        try await services.persistence.audit(chapter: chapter.id, by: user, action: "team.joined", subject: invitation.role.rawValue, now: now)
        let session = try await services.persistence.createSession(for: user.id, now: now)
        var response = Response.redirect(to: "/organize/\(chapter.slug)", type: .normal)
        response.setCookie(SessionCookie.make(session, secure: secureCookies))
        return response
    }

    // MARK: Forgotten passwords

    func forgotPage(_ context: AppRequestContext, notice: String? = nil) -> SimpleFormPage {
        SimpleFormPage(
            chrome: Chrome(title: t("auth.forgot", context), language: context.language, path: "/password/forgot"),
            heading: t("auth.forgot", context), intro: t("auth.forgotIntro", context), notice: notice, error: nil, action: "/password/forgot", csrf: "",
            fields: notice == nil ? [FormField(name: "email", label: t("form.email", context), value: "", type: "email", required: true, error: nil, maxLength: 254, autocomplete: "username")] : [],
            submit: t("auth.sendLink", context))
    }

    @Sendable func forgotForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        services.renderer.htmlResponse(services.renderer.render(forgotPage(context), template: "simple-form"), language: context.language)
    }

    /// Always the same answer, whether or not the email has an account.
    @Sendable func forgot(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = FormFields(String(buffer: try await request.body.collect(upTo: context.maxUploadSize)))
        let email = form.text("email").trimmingCharacters(in: .whitespaces)
        if let wait = signInLimiter.hit("reset:" + context.clientKey) { throw AppError.rateLimited(retryAfter: wait) }
        if EmailAddress.isValid(email) { try await services.persistence.requestPasswordReset(email: email, now: services.clock.now()) }
        return services.renderer.htmlResponse(services.renderer.render(forgotPage(context, notice: t("auth.linkSent", context)), template: "simple-form"), language: context.language)
    }

    func resetPage(_ token: String, context: AppRequestContext, error: String? = nil) -> SimpleFormPage {
        SimpleFormPage(
            chrome: Chrome(title: t("auth.changePassword", context), language: context.language, path: "/password/reset/\(token)"),
            heading: t("auth.changePassword", context), intro: nil, error: error, action: "/password/reset/\(token)", csrf: "",
            fields: [FormField(name: "password", label: t("auth.newPassword", context), value: "", type: "password", required: true, hint: t("auth.passwordHint", context), error: error, maxLength: 200, autocomplete: "new-password")],
            submit: t("auth.changePassword", context))
    }

    @Sendable func resetForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard try await services.persistence.passwordResetUser(token: token, now: services.clock.now()) != nil else { throw AppError.conflict(messageKey: "auth.linkExpired") }
        var response = services.renderer.htmlResponse(services.renderer.render(resetPage(token, context: context), template: "simple-form"), language: context.language)
        response.headers[.referrerPolicy] = "no-referrer"
        response.headers[.cacheControl] = "no-store"
        return response
    }

    @Sendable func reset(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        let form = FormFields(String(buffer: try await request.body.collect(upTo: context.maxUploadSize)))
        let password = form.text("password")
        if let problem = Self.passwordProblem(password, context: context) {
            return services.renderer.htmlResponse(services.renderer.render(resetPage(token, context: context, error: problem), template: "simple-form"),
                                                  status: .unprocessableContent, language: context.language)
        }
        let hash = try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: 12) }
        guard let user = try await services.persistence.completePasswordReset(token: token, hash: hash, now: services.clock.now()) else {
            throw AppError.conflict(messageKey: "auth.linkExpired")
        }
        let session = try await services.persistence.createSession(for: user.id, now: services.clock.now())
        var response = Response.redirect(to: "/organize", type: .normal)
        response.setCookie(SessionCookie.make(session, secure: secureCookies))
        return response
    }
}
