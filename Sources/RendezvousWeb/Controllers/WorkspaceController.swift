import Foundation
import Hummingbird
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// What every page for signed-in people shares: the session, the frame with its workspace
/// navigation, the interface's words, posted forms, and private (never cached) HTML answers.
protocol WorkspaceController {
    var services: AppServices { get }
}

extension WorkspaceController {
    func session(_ context: AppRequestContext) throws -> WebSession {
        guard let session = context.session else { throw AppError.unauthorized }
        return session
    }

    /// `wide`: a page built around a table, which uses the width of a laptop screen.
    func chrome(_ title: String, _ context: AppRequestContext, path: String, wide: Bool = false) throws -> Chrome {
        var chrome = Chrome(title: title, language: context.language, path: path)
        chrome.session = SessionNav(try session(context))
        chrome.wide = wide
        return chrome
    }

    /// A text of the catalog in the request's language.
    func t(_ key: String, _ context: AppRequestContext, _ arguments: [String: String] = [:]) -> String {
        Strings.text(key, context.language, arguments)
    }

    /// A posted form, up to 2 MiB (a CSV import is the largest).
    func form(_ request: Request, _ context: AppRequestContext) async throws -> FormFields {
        FormFields(String(buffer: try await request.body.collect(upTo: 2 * 1024 * 1024)))
    }

    /// The page in its own template, private: never kept by a cache.
    func html<P: Page>(_ page: P, _ context: AppRequestContext, status: HTTPResponse.Status = .ok) -> Response {
        var response = services.renderer.htmlResponse(services.renderer.render(page), status: status, language: context.language)
        response.headers[.cacheControl] = "no-store"
        return response
    }
}

/// Text compared the way people search: without case, accents or width.
enum SearchText {
    static func folded(_ text: String) -> String {
        text.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil).lowercased()
    }
}
