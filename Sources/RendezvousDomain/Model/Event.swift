import Foundation

public enum EventStatus: String, Sendable, Codable, CaseIterable {
    case draft, published, cancelled
}

public struct Venue: Sendable, Equatable, Identifiable {
    public typealias ID = Identifier<Venue>
    public var id: ID
    public var chapterID: Chapter.ID?
    public var name: String
    public var address: String
    public var city: String

    public init(id: ID = ID(), chapterID: Chapter.ID?, name: String, address: String, city: String = "") {
        self.id = id
        self.chapterID = chapterID
        self.name = name
        self.address = address
        self.city = city
    }

    /// A map link that works on every phone without an API key.
    public var mapURL: String {
        var components = URLComponents(string: "https://www.openstreetmap.org/search")!
        components.queryItems = [URLQueryItem(name: "query", value: [name, address].filter { !$0.isEmpty }.joined(separator: ", "))]
        return components.url!.absoluteString
    }
}

public struct Speaker: Sendable, Equatable, Identifiable {
    public typealias ID = Identifier<Speaker>
    public var id: ID
    public var name: String
    public var jobTitle: String
    public var company: String
    public var bio: String

    public init(id: ID = ID(), name: String, jobTitle: String, company: String = "", bio: String = "") {
        self.id = id
        self.name = name
        self.jobTitle = jobTitle
        self.company = company
        self.bio = bio
    }
}

public struct AgendaItem: Sendable, Equatable {
    public var startsAt: Date
    public var title: String

    public init(startsAt: Date, title: String) {
        self.startsAt = startsAt
        self.title = title
    }
}

public struct Event: Sendable, Equatable, Identifiable {
    public typealias ID = Identifier<Event>

    public var id: ID
    public var chapterID: Chapter.ID
    public var title: String
    public var description: String
    public var startsAt: Date
    public var endsAt: Date
    public var capacity: Int
    public var status: EventStatus
    public var venueID: Venue.ID?
    public var createdAt: Date
    /// Seats confirmed beyond `capacity` because some never come (0 unless overbooking is on).
    public var overbookSeats: Int = 0
    /// The organisers turned overbooking on (off, `overbookSeats` only counts seats already given).
    public var overbooking: Bool = false
    /// How many people the room physically holds, if the organisers said (overbooking needs it).
    public var venueLimit: Int? = nil
    /// For a second evening opened from a waitlist: the original event.
    public var overflowOf: Event.ID? = nil

    /// Every seat rule counts this: the capacity plus the overbooked seats.
    public var seatLimit: Int { capacity + overbookSeats }

    public init(
        id: ID = ID(), chapterID: Chapter.ID, title: String, description: String = "",
        startsAt: Date, endsAt: Date, capacity: Int, status: EventStatus = .published,
        venueID: Venue.ID? = nil, createdAt: Date = Date()
    ) {
        self.id = id
        self.chapterID = chapterID
        self.title = title
        self.description = description
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.capacity = capacity
        self.status = status
        self.venueID = venueID
        self.createdAt = createdAt
    }
}

/// Seat counts of one event, as the public sees them.
public struct Occupancy: Sendable, Equatable, Codable {
    public var capacity: Int
    public var confirmed: Int
    /// Seats held by a waitlist offer that has not been answered yet.
    public var offered: Int
    public var waitlisted: Int

    public init(capacity: Int, confirmed: Int, offered: Int, waitlisted: Int) {
        self.capacity = capacity
        self.confirmed = confirmed
        self.offered = offered
        self.waitlisted = waitlisted
    }

    public var seatsLeft: Int { max(0, capacity - confirmed - offered) }
    public var isFull: Bool { seatsLeft == 0 }
}

public struct EventSummary: Sendable, Equatable {
    public var event: Event
    public var venue: Venue?
    public var occupancy: Occupancy

    public init(event: Event, venue: Venue?, occupancy: Occupancy) {
        self.event = event
        self.venue = venue
        self.occupancy = occupancy
    }
}

/// Everything the public event page shows.
public struct EventDetail: Sendable, Equatable {
    public var chapter: Chapter
    public var event: Event
    public var venue: Venue?
    public var speakers: [Speaker]
    public var agenda: [AgendaItem]
    public var occupancy: Occupancy
    /// Confirmed attendees who consented to appear on the list.
    public var attendees: [PublicAttendee]

    public init(
        chapter: Chapter, event: Event, venue: Venue?, speakers: [Speaker], agenda: [AgendaItem],
        occupancy: Occupancy, attendees: [PublicAttendee]
    ) {
        self.chapter = chapter
        self.event = event
        self.venue = venue
        self.speakers = speakers
        self.agenda = agenda
        self.occupancy = occupancy
        self.attendees = attendees
    }
}

public struct PublicAttendee: Sendable, Equatable {
    public var firstName: String
    public var lastName: String
    public var jobTitle: String
    public var company: String

    public init(firstName: String, lastName: String, jobTitle: String, company: String) {
        self.firstName = firstName
        self.lastName = lastName
        self.jobTitle = jobTitle
        self.company = company
    }
}
