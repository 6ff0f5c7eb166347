import Foundation

// The organiser area's badge page; it moves beside its template with the rest of that area.
struct BadgesPage {
    struct Person { var id: String; var name: String; var status: String }
    var chrome: Chrome
    var title: String
    var eventURL: String
    var pdfURL: String
    var layouts: [SelectField.Option]
    var includes: [SelectField.Option]
    var people: [Person]
}
