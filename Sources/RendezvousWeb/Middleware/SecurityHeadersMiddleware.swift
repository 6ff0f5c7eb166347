import HTTPTypes
import Hummingbird

/// Headers every answer carries: no sniffing, no framing, a strict content policy.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.xFrameOptions] = "DENY"
        // "same-origin" everywhere, also over a page's own "no-referrer": a token in an address never
        // leaves for another site, and the browser still sends the Origin that form posts are
        // checked against (under "no-referrer" Chromium sends `Origin: null`, refused as cross-site).
        response.headers[.referrerPolicy] = "same-origin"
        if response.headers[.contentType]?.hasPrefix("text/html") == true {
            response.headers[.contentSecurityPolicy] =
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        }
        return response
    }
}

/// Cross-site request forgery guard for form posts: a browser always sends Origin (or at least
/// Sec-Fetch-Site) on a cross-site POST, and such a post is refused. Works with cached pages,
/// which a per-session token would not. The Origin is compared with the site's public address
/// (`BASE_URL`), never with the Host header: a proxy may rewrite Host, and a rebound DNS name
/// makes an attacker's Host and Origin agree.
struct OriginCheckMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    /// `BASE_URL`'s origin, as `WebConfiguration.origin` gives it.
    let origin: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method == .post, !request.uri.path.hasPrefix(APIRoute.areaPrefix) {
            if request.headers[.secFetchSite] == "cross-site" {
                throw AppError.forbidden(messageKey: "error.forbidden")
            }
            if let sent = request.headers[.origin], WebConfiguration.origin(of: sent) != origin {
                throw AppError.forbidden(messageKey: "error.forbidden")
            }
        }
        return try await next(request, context)
    }
}
