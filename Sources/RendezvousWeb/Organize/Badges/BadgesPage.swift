import Foundation

/// Badges for an event: the layout, who gets one, the people to pick from, and a preview of one
/// person's badge on the chosen paper, drawn as it will print.
struct BadgesPage: Page {
    static let template = "organize/badges"

    struct Person { var id: String; var name: String; var status: String; var checked = false }
    /// One badge drawn on the chosen layout: a PNG as a data: address (the page's security policy
    /// allows data: images), and what it says, line by line, for its alternative text.
    struct Preview { var src: String; var alt: String; var caption: String }
    var chrome: Chrome
    var title: String
    var eventURL: String
    var pdfURL: String
    var layouts: [SelectField.Option]
    var includes: [SelectField.Option]
    var people: [Person]
    /// The page itself: the "show the preview" button submits the form here instead of to the PDF.
    var pageURL = ""
    /// Whose badge the preview shows (every active registration).
    var previewPeople: [SelectField.Option] = []
    var preview: Preview? = nil
}
