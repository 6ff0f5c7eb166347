import Foundation

/// One line of the network admins' overview.
public struct ChapterOverview: Sendable, Equatable {
    public var chapter: Chapter
    public var organizers: [String]
    public var lastEvent: Date?
    public var nextEvent: Date?

    /// Dormant: no meetup in the last six months and none planned.
    public func isDormant(now: Date) -> Bool {
        guard nextEvent == nil else { return false }
        guard let lastEvent else { return now.timeIntervalSince(chapter.createdAt) > 183 * 86400 }
        return now.timeIntervalSince(lastEvent) > 183 * 86400
    }
    public init(chapter: Chapter, organizers: [String], lastEvent: Date? = nil, nextEvent: Date? = nil) {
        self.chapter = chapter
        self.organizers = organizers
        self.lastEvent = lastEvent
        self.nextEvent = nextEvent
    }
}

public struct ChapterApplication: Sendable, Equatable {
    public enum Status: String, Sendable { case pending, approved, declined }
    public var id: UUID
    public var city: String
    public var countryCode: String
    public var timeZone: String
    public var locale: Language
    public var applicantName: String
    public var applicantEmail: String
    public var motivation: String
    public var status: Status
    public var createdAt: Date

    public init(id: UUID, city: String, countryCode: String, timeZone: String, locale: Language, applicantName: String,
                applicantEmail: String, motivation: String, status: Status, createdAt: Date) {
        self.id = id
        self.city = city
        self.countryCode = countryCode
        self.timeZone = timeZone
        self.locale = locale
        self.applicantName = applicantName
        self.applicantEmail = applicantEmail
        self.motivation = motivation
        self.status = status
        self.createdAt = createdAt
    }
}
