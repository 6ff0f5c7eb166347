import Foundation

/// What a ticket's QR code opens: whose ticket for which event, and for door staff the button
/// that admits, or the result of admitting.
struct TicketPage: Page {
    static let template = "door/ticket"

    var chrome: Chrome
    var resultClass: String
    var resultTitle: String
    var resultDetail: String
    var eventTitle: String
    /// The event's page; nil when the ticket is refused or unknown (the answer says it all).
    var eventURL: String?
    var date: String
    var doorURL: String?
    /// For door staff, before admission: the form of the one button that admits.
    var admitURL: String? = nil
    var csrf = ""
    /// For door staff: the event's title and date in large, so a ticket for another evening shows.
    var heading = false
    /// For anyone else (the holder who scanned their own ticket, signed out): the ticket's QR code
    /// to show at the door, as a data URI, and how the door works.
    var qrCode: String? = nil
    var instructions: [String] = []
}
