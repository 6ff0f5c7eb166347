import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// Renders typed view models with Mustache templates; `{{value}}` is HTML-escaped by default
/// (`EscapedHTML`), and the unescaped form is used only for HTML the code wrote and escaped itself
/// (a chart's figure, JSON-LD).
public struct PageRenderer: Sendable {
    let library: MustacheLibrary

    public init() async throws {
        guard let directory = Bundle.module.resourceURL?.appendingPathComponent("Templates").path else {
            throw AppError.notFound
        }
        library = try Self.library(directory: directory)
    }

    /// Every template of the folder, named by its path (`public/home`, partials in `partials/`),
    /// each told first to escape its values with `HTMLText` (`EscapedHTML`) rather than with
    /// Mustache's own escaping, which lets a quote followed by a combining accent through.
    static func library(directory: String) throws -> MustacheLibrary {
        MustacheContentTypes.register(EscapedHTML(), named: EscapedHTML.name)
        var library = MustacheLibrary()
        let root = directory.hasSuffix("/") ? directory : directory + "/"
        guard let files = FileManager.default.enumerator(atPath: root) else { return library }
        for case let path as String in files where path.hasSuffix(".mustache") {
            let text = try String(contentsOfFile: root + path, encoding: .utf8)
            try library.register("{{% CONTENT_TYPE: \(EscapedHTML.name)}}\n" + text, named: String(path.dropLast(".mustache".count)))
        }
        return library
    }

    /// Whether a template of this name exists: `PageSnapshotTests` asks it for every page type.
    func hasTemplate(_ name: String) -> Bool {
        library.getTemplate(named: name) != nil
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
        let page = ErrorPage(
            chrome: Chrome(title: Strings.text("error.title", context.language), language: context.language, path: PublicRoute.home.path),
            status: status.code, message: message)
        return response(page, status: status, language: context.language)
    }

    /// A page's HTML answer in `language`.
    func response<P: Page>(_ page: P, status: HTTPResponse.Status = .ok, language: Language) -> Response {
        htmlResponse(render(page), status: status, language: language)
    }

    /// A page for one person (a token in its address, their data): never kept by a shared cache.
    /// (Its address never leaves for another site: every answer says `Referrer-Policy:
    /// same-origin`, see `SecurityHeadersMiddleware`.)
    func privateResponse<P: Page>(_ page: P, status: HTTPResponse.Status = .ok, language: Language) -> Response {
        var answer = response(page, status: status, language: language)
        answer.headers[.cacheControl] = "no-store"
        return answer
    }
}

/// Mustache's `{{value}}` escaped by `HTMLText` (byte by byte), for every page template.
struct EscapedHTML: MustacheContentType {
    static let name = "ESCAPED_HTML"
    func escapeText(_ text: String) -> String { HTMLText.escape(text) }
}
