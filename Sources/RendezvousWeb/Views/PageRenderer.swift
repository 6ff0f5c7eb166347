import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// Renders typed view models with Mustache templates; `{{value}}` is HTML-escaped by default,
/// and no template uses the unescaped form.
public struct PageRenderer: Sendable {
    let library: MustacheLibrary

    public init() async throws {
        guard let directory = Bundle.module.resourceURL?.appendingPathComponent("Templates").path else {
            throw AppError.notFound
        }
        library = try await MustacheLibrary(directory: directory)
    }

    func render(_ model: Any, template: String) -> String {
        guard let html = library.render(model, withTemplate: template) else {
            preconditionFailure("missing template \(template)")
        }
        return html
    }

    func htmlResponse(_ html: String, status: HTTPResponse.Status = .ok, language: Language) -> Response {
        Self.htmlResponse(ByteBuffer(string: html), status: status, language: language)
    }

    static func htmlResponse(_ body: ByteBuffer, status: HTTPResponse.Status = .ok, language: Language) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .contentLanguage: language.rawValue,
                .cacheControl: "no-cache",
                .vary: "Accept-Language, Cookie",
            ],
            body: .init(byteBuffer: body))
    }

    func errorPage(status: HTTPResponse.Status, message: String, context: AppRequestContext) -> Response {
        let model = ErrorPage(
            chrome: Chrome(title: Strings.text("error.title", context.language), language: context.language, path: PublicRoute.home.path),
            status: status.code, message: message)
        return htmlResponse(render(model, template: "error"), status: status, language: context.language)
    }
}

/// What every page's frame needs: language, translations, the language switch.
struct Chrome {
    struct LanguageLink {
        var code: String
        var name: String
        var url: String
        var current: Bool
    }

    var title: String
    var lang: String
    var t: [String: String]
    var languages: [LanguageLink]
    var stylesheet = SiteRoute.stylesheet
    var script = SiteRoute.script
    var homeURL = PublicRoute.home.path
    var applyURL = PublicRoute.apply.path
    var signInURL = AccountRoute.signIn.path
    var apiURL = APIRoute.openAPI.path
    var description: String
    /// Set on pages for signed-in people: their name, and the links and sign-out form of the workspace.
    var session: SessionNav?

    init(title: String, language: Language, path: String, description: String = "") {
        self.title = title
        self.lang = language.rawValue
        self.t = Chrome.translations[language] ?? [:]
        self.languages = Language.allCases.map {
            LanguageLink(code: $0.rawValue, name: $0.nativeName, url: "\(path)?lang=\($0.rawValue)", current: $0 == language)
        }
        self.description = description.isEmpty ? Strings.text("site.tagline", language) : description
    }

    /// Mustache reads dots as nesting, so `form.email` is exposed as `t.form_email`.
    static let translations: [Language: [String: String]] = Dictionary(uniqueKeysWithValues: Language.allCases.map { language in
        (language, Dictionary(uniqueKeysWithValues: Strings.table(language).map { ($0.key.replacingOccurrences(of: ".", with: "_"), $0.value) }))
    })
}

struct SessionNav {
    var name: String
    var csrf: String
    var organizeURL = WorkspaceLinks.home
    var isAdmin: Bool
    var adminURL = AdminRoute.overview.path
    var passwordURL = AccountRoute.password.path
    var signOutURL = AccountRoute.signOut.path

    init(_ session: WebSession) {
        name = session.user.name
        csrf = session.csrfToken
        isAdmin = session.user.isNetworkAdmin
    }
}

struct ErrorPage {
    var chrome: Chrome
    var status: Int
    var message: String
}
