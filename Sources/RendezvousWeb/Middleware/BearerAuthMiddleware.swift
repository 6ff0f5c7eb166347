import Hummingbird
import RendezvousDomain

/// Reads `Authorization: Bearer …` on API calls. A missing header leaves the caller anonymous;
/// a wrong or expired token is refused outright, so a typo never silently downgrades a call.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let services: AppServices

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // Only the token counts here: whatever a cookie said is forgotten.
        var context = context
        context.user = nil
        context.session = nil
        guard let header = request.headers[.authorization] else { return try await next(request, context) }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer",
              let user = try await services.persistence.accounts.user(bearerToken: String(parts[1]), now: services.clock.now()) else {
            throw AppError.unauthorized
        }
        context.user = user
        return try await next(request, context)
    }
}
