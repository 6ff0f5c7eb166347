import Foundation

/// What a badge's QR code opens: the name and role on the badge, and what the attendee chose to share.
struct ContactPage: Page {
    static let template = "public/contact"

    var chrome: Chrome
    var eventTitle: String
    var chapterName: String
    var name: String
    /// Their "My Rendezvous" photo, when they share their profile on the card.
    var photoURL: String? = nil
    var role: String?
    var askMeAbout: String?
    var linkedin: String?
    /// They chose not to share their profile (rather than having no LinkedIn to share).
    var notShared = false
    var vcardURL: String
    /// For a phone holding a bingo card for the same evening: the squares this person may fill.
    var bingo: ContactBingo? = nil
    /// Why the last tick from this card was refused, in the visitor's language.
    var bingoError: String? = nil
    /// "We met", for a phone that knows who holds it (attendee session, or their bingo cookie).
    var weMet: WeMetBlock? = nil
    /// Otherwise, how to say "We met": sign in to My Rendezvous.
    var weMetInvite: WeMetInvite? = nil
    /// Just said "We met".
    var metNotice: String? = nil
}
