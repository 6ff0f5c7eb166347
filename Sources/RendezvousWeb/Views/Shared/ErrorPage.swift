import Foundation

/// What a visitor sees when a page cannot be shown: the status and a message, never internals.
struct ErrorPage: Page {
    static let template = "error"

    var chrome: Chrome
    var status: Int
    var message: String
}
