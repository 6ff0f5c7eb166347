import Foundation

public struct Chapter: Sendable, Equatable, Identifiable {
    public typealias ID = Identifier<Chapter>

    public var id: ID
    public var slug: String
    public var name: String
    public var city: String
    public var countryCode: String
    public var timeZone: String
    public var locale: Language
    public var description: String
    /// How long a waitlist offer stays open, in hours.
    public var offerHours: Int
    public var createdAt: Date

    public init(
        id: ID = ID(), slug: String, name: String, city: String, countryCode: String,
        timeZone: String, locale: Language, description: String = "", offerHours: Int = 24,
        createdAt: Date = Date()
    ) {
        self.id = id
        self.slug = slug
        self.name = name
        self.city = city
        self.countryCode = countryCode
        self.timeZone = timeZone
        self.locale = locale
        self.description = description
        self.offerHours = offerHours
        self.createdAt = createdAt
    }

    public var zone: TimeZone { TimeZone(identifier: timeZone) ?? .gmt }
}

/// A chapter with what the network home shows beside it.
public struct ChapterSummary: Sendable, Equatable {
    public var chapter: Chapter
    public var nextEvent: EventSummary?

    public init(chapter: Chapter, nextEvent: EventSummary?) {
        self.chapter = chapter
        self.nextEvent = nextEvent
    }
}
