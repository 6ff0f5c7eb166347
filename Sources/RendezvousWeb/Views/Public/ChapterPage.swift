import Foundation

/// A chapter: its logo and colour, who runs it, where, its next and past meetups, and its calendar feed.
struct ChapterPage: Page {
    static let template = "public/chapter"

    var chrome: Chrome
    var feedURL: String
    var feedDownloadURL: String
    var name: String
    /// The chapter's logo (its alternative text is the chapter's name) and its colour's stylesheet.
    var logo: String?
    var brandStylesheet: String?
    var place: String
    var description: [String]
    var upcoming: [EventCard]
    var past: [EventCard]
    var organizers: [String]
    var venues: [VenueView]
    /// The chapter's address: the follow form posts to it + /follow.
    var chapterURL = ""
}
