import Foundation

/// Attendees imported from a CSV text: the form, then what was imported and what was refused,
/// line by line.
struct ImportPage: Page {
    static let template = "organize/import"

    struct Rejected { var line: Int; var reason: String }
    var chrome: Chrome
    var csrf: String
    var title: String
    var eventURL: String
    var action: String
    var csv: String
    var imported: Int?
    var rejected: [Rejected]
    var error: String?
}
