/// A page's view model. It names its template, so a page cannot be rendered with another one,
/// and a test renders every page type (`PageSnapshotTests`), so a missing template fails a test,
/// not a visitor.
protocol Page {
    /// The template's path under `Templates/`, without `.mustache`: `organize/dashboard`.
    static var template: String { get }
}

extension PageRenderer {
    func render<P: Page>(_ page: P) -> String {
        render(page, template: P.template)
    }
}
