import Foundation

/// Badges for an event: the layout, who gets one, and the people to pick from.
struct BadgesPage: Page {
    static let template = "organize/badges"

    struct Person { var id: String; var name: String; var status: String }
    var chrome: Chrome
    var title: String
    var eventURL: String
    var pdfURL: String
    var layouts: [SelectField.Option]
    var includes: [SelectField.Option]
    var people: [Person]
}
