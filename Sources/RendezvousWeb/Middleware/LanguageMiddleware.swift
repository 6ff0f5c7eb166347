import Hummingbird
import RendezvousDomain

/// Chooses the answer's language per request: `?lang=` (remembered in a cookie), then the cookie,
/// then Accept-Language. Pages that belong to a chapter use its language as the last fallback.
struct LanguageMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let explicit = request.uri.queryParameters.get("lang").flatMap { Language(code: $0) }
        context.language = Self.choose(request, fallback: nil)
        var response = try await next(request, context)
        if let explicit {
            response.setCookie(Cookie(name: "lang", value: explicit.rawValue, expires: nil, maxAge: 365 * 24 * 3600, domain: nil, path: "/", secure: false, httpOnly: true, sameSite: Cookie.SameSite.lax))
        }
        response.headers[.contentLanguage] = response.headers[.contentLanguage] ?? context.language.rawValue
        return response
    }

    static func choose(_ request: Request, fallback: Language?) -> Language {
        let query: String? = request.uri.queryParameters.get("lang").map { String($0) }
        let explicit = query ?? request.cookies["lang"]?.value
        return Language.negotiate(explicit: explicit, acceptLanguage: request.headers[.acceptLanguage], fallback: fallback)
    }

    /// The language the visitor asked for, or nil for "the page's own language".
    static func preferred(_ request: Request) -> Language? {
        let query: String? = request.uri.queryParameters.get("lang").map { String($0) }
        return Language.preferred(explicit: query ?? request.cookies["lang"]?.value, acceptLanguage: request.headers[.acceptLanguage])
    }
}
