import Foundation

/// The organiser's view of the event's bingo: card size, generating, counts, printing.
struct BingoOrganizePage: Page {
    static let template = "organize/bingo"

    var chrome: Chrome
    var csrf: String
    var title: String
    var eventURL: String
    var notice: String?
    var players: String
    var cards: String?
    var progress: String?
    var none: String?
    var generateURL: String
    var pdfURL: String?
    var sizes: [SelectField.Option]
    /// Cards exist: drawing new ones erases every tick, so the form asks for a tick of its own.
    var replacing = false
    var error: String? = nil
}
