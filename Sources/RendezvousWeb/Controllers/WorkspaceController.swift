import Hummingbird
import RendezvousDomain
import RendezvousPersistence

/// What every page for signed-in people shares: the session, the frame with its workspace
/// navigation, and private (never cached) HTML answers.
protocol WorkspaceController {
    var services: AppServices { get }
}

extension WorkspaceController {
    func session(_ context: AppRequestContext) throws -> WebSession {
        guard let session = context.session else { throw AppError.unauthorized }
        return session
    }

    func chrome(_ title: String, _ context: AppRequestContext, path: String) throws -> Chrome {
        var chrome = Chrome(title: title, language: context.language, path: path)
        chrome.session = SessionNav(try session(context))
        return chrome
    }

    func html(_ model: Any, _ template: String, _ context: AppRequestContext, status: HTTPResponse.Status = .ok) -> Response {
        var response = services.renderer.htmlResponse(services.renderer.render(model, template: template), status: status, language: context.language)
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
