import Foundation

/// A chapter: who runs it, where, its next and past meetups, and its calendar feed.
struct ChapterPage: Page {
    static let template = "public/chapter"

    var chrome: Chrome
    var feedURL: String
    var feedDownloadURL: String
    var name: String
    var place: String
    var description: [String]
    var upcoming: [EventCard]
    var past: [EventCard]
    var organizers: [String]
    var venues: [VenueView]
}
