import Foundation

/// The attendee's bingo card on their phone: the grid as a list (each square's text, whether it
/// is ticked and with whom), and one form to tick a square by picking a person. Works without
/// JavaScript.
struct BingoPage: Page {
    static let template = "public/bingo"

    struct Square {
        var index: Int
        var number: Int
        var text: String
        var ticked: Bool
        var state: String
        /// For an open square: the link that preselects it in the form.
        var pickURL: String?
    }

    struct Option { var value: String; var label: String; var selected: Bool }

    var chrome: Chrome
    var eventTitle: String
    var manageURL: String
    var notice: String?
    var error: String?
    /// Nil when there is no card to show (not confirmed), with `message` saying why.
    var message: String?
    var size: Int
    var squares: [Square]
    var lineText: String?
    var fullText: String?
    var tickURL: String
    var openSquares: [Option]
    var people: [Option]
    var hasForm: Bool
}

/// The block a contact card shows to a phone holding a bingo card for the same evening.
struct ContactBingo {
    struct Square { var index: Int; var text: String }
    var title: String
    var action: String
    var cookie: String
    var squares: [Square]
    var none: String?
}
