import Foundation

/// The network's front page: chapters by country, each with its next meetup.
struct HomePage: Page {
    static let template = "public/home"

    struct Country {
        var name: String
        var chapters: [ChapterCard]
    }

    struct ChapterCard {
        var name: String
        var city: String
        var url: String
        var next: EventCard?
    }

    var chrome: Chrome
    var chapterCount: String
    var countries: [Country]
}
