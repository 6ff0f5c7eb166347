import Foundation
import Hummingbird
import RendezvousDomain
import RendezvousLocalization

/// The network in numbers (issue 15): chapters, countries, evenings held, people met. Public,
/// linked from the home page, and served from the page cache like it (four counting queries per
/// rendering, at most once per cache period whatever the traffic).
extension PublicPagesController {
    @Sendable func network(_ request: Request, context: AppRequestContext) async throws -> Response {
        let language = context.language
        return try await cached("network:\(language.rawValue)", request: request) {
            let numbers = try await services.persistence.network.networkNumbers(now: services.clock.now())
            let f = DisplayFormatter(language: language, timeZone: TimeZone(identifier: "UTC")!, region: nil)
            func figure(_ key: String, _ count: Int) -> NetworkPage.Figure {
                // The number stands apart, large: the words around it come from the plural form without it.
                let words = Strings.plural(key, count: count, language, ["count": ""]).trimmingCharacters(in: .whitespaces)
                return NetworkPage.Figure(value: f.number(count), label: words)
            }
            let page = NetworkPage(
                chrome: Chrome(title: Strings.text("network.title", language), language: language, path: PublicRoute.network.path),
                homeURL: PublicRoute.home.path, applyURL: PublicRoute.apply.path,
                figures: [figure("network.chapters", numbers.chapters), figure("network.countries", numbers.countries),
                          figure("network.evenings", numbers.evenings), figure("network.contacts", numbers.contacts)])
            return (services.renderer.render(page), language)
        }
    }
}

struct NetworkPage: Page {
    static let template = "public/network"
    struct Figure { var value: String; var label: String }
    var chrome: Chrome
    var homeURL: String
    var applyURL: String
    var figures: [Figure]
}
