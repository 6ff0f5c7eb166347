import Foundation

/// A meetup in a list (`partials/event-card.mustache`): home and chapter pages.
struct EventCard {
    var title: String
    var url: String
    var date: String
    var time: String
    var venue: String?
    var availability: String
    var isFull: Bool
    var attendance: String?
    /// The event's cover (decorative here: the title follows), on the chapter page.
    var cover: String? = nil
}

/// A venue with its map link: chapter and event pages.
struct VenueView {
    var name: String
    var address: String
    var mapURL: String
}
