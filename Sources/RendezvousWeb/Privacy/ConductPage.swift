import Foundation
import Hummingbird
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// The network's code of conduct: the admins' text, or the default, in the visitor's language.
struct ConductPage: Page {
    static let template = "public/conduct"
    var chrome: Chrome
    var paragraphs: [String]
}

enum CodeOfConduct {
    /// The text to show: the network's own, or the catalog's default.
    static func text(_ persistence: Persistence, _ language: Language) async throws -> String {
        try await persistence.privacy.codeOfConduct(language) ?? Strings.text("conduct.default", language)
    }

    static func paragraphs(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }
}

extension IncidentReportController {
    @Sendable func conduct(_ request: Request, context: AppRequestContext) async throws -> Response {
        let language = context.language
        let page = ConductPage(chrome: Chrome(title: Strings.text("conduct.title", language), language: language, path: PublicRoute.codeOfConduct.path),
                               paragraphs: CodeOfConduct.paragraphs(try await CodeOfConduct.text(services.persistence, language)))
        return services.renderer.response(page, language: language)
    }
}

extension AdminController {
    /// Saves the code of conduct in both languages (an empty text restores the default).
    @Sendable func saveConduct(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await self.form(request)
        var errors = ValidationErrors()
        var texts: [Language: String] = [:]
        for language in Language.allCases {
            texts[language] = TextRules.clean(form["conduct_" + language.rawValue], field: "conduct_" + language.rawValue, required: false,
                                              maxLength: 20000, multiline: true, into: &errors)
        }
        guard errors.isEmpty else {
            let messages = Dictionary(errors.problems.map { ($0.field, Strings.message(for: $0.problem, context.language)) }, uniquingKeysWith: { a, _ in a })
            return html(try await privacyPage(context, conductValues: form, conductErrors: messages), context, status: .unprocessableContent)
        }
        try await persistence.privacy.setCodeOfConduct(texts)
        try await persistence.team.audit(chapter: nil, by: try session(context).user, action: "privacy.conduct", subject: "", now: services.clock.now())
        return .redirect(to: AdminRoute.privacy.path + "?done=saved", type: .normal)
    }
}
