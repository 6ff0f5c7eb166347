import Foundation
import Hummingbird
import RendezvousDomain
import RendezvousPersistence

enum SessionCookie {
    static let name = "rv_session"
    static let preSignIn = "rv_csrf"

    static func make(_ value: String, secure: Bool, maxAge: Int = Int(SessionStore.sessionLifetime)) -> Cookie {
        Cookie(name: name, value: value, expires: nil, maxAge: maxAge, domain: nil, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}

/// Reads the session cookie; organiser and admin pages then find `context.session` set.
/// Not under /api/: the API authenticates by bearer token only, so a browser's cookie, which
/// any site can make it send, never authorises an API call.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let services: AppServices

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !request.uri.path.hasPrefix(APIRoute.areaPrefix), let token = request.cookies[SessionCookie.name]?.value, !token.isEmpty,
              let session = try await services.persistence.sessions.session(token: token, now: services.clock.now()) else {
            return try await next(request, context)
        }
        var context = context
        context.session = session
        if context.user == nil { context.user = session.user }
        return try await next(request, context)
    }
}

/// Every state-changing form of a signed-in person carries the session's CSRF token in `_csrf`;
/// a post without it, or with another, is refused before it reaches a controller.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post else { return try await next(request, context) }
        guard let session = context.session else { throw AppError.unauthorized }
        // Scripts send the token in a header; forms in the `_csrf` field.
        if let header = request.headers[.xCSRFToken] {
            guard constantTimeEquals(header, session.csrfToken) else { throw AppError.forbidden(messageKey: "error.csrf") }
            return try await next(request, context)
        }
        var request = request
        // A form with a file input (a quiz question's picture) posts multipart/form-data.
        let boundary = MultipartForm.boundary(contentType: request.headers[.contentType])
        let body = try await request.body.collect(upTo: boundary == nil ? 2 * 1024 * 1024 : MultipartForm.maxBodySize)
        request.body = .init(buffer: body)
        let sent = boundary == nil ? FormFields(String(buffer: body))["_csrf"] : (try? MultipartForm(body, contentType: request.headers[.contentType]))?["_csrf"]
        guard let token = sent, constantTimeEquals(token, session.csrfToken) else {
            throw AppError.forbidden(messageKey: "error.csrf")
        }
        return try await next(request, context)
    }
}

/// A url-encoded form body as a dictionary (last value wins) plus repeated keys in order.
struct FormFields {
    private(set) var values: [String: String] = [:]
    private(set) var all: [(String, String)] = []

    init(_ body: String) {
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let key = decode(parts[0])
            let value = parts.count > 1 ? decode(parts[1]) : ""
            values[key] = value
            all.append((key, value))
        }
    }

    subscript(_ key: String) -> String? { values[key] }

    func text(_ key: String) -> String { values[key] ?? "" }
}

/// Pages for signed-in people: a visitor without a session is sent to sign in, then brought back.
struct RequireSessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.session != nil else {
            // A script (the door page) asking for JSON learns that the session is gone.
            let wantsJSON = request.headers[.accept]?.contains("application/json") == true
            if (request.method == .get || request.method == .head) && !wantsJSON {
                let target = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
                return .redirect(to: AccountRoute.signIn.path("next", target), type: .normal)
            }
            throw AppError.unauthorized
        }
        return try await next(request, context)
    }
}

/// Network admin pages: anyone else gets 404.
struct RequireAdminMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.session?.user.isNetworkAdmin == true else { throw AppError.notFound }
        return try await next(request, context)
    }
}
