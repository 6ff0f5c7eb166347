import Foundation
import RendezvousDomain
@testable import RendezvousPersistence

/// Small builders for test data: tests read as setup / action / check.
enum Fixture {
    static let start = Date(timeIntervalSince1970: 1_800_000_000) // 2027-01-15

    static func chapter(_ persistence: Persistence, slug: String = "toulouse", offerHours: Int = 24, locale: Language = .fr) async throws -> Chapter {
        try await persistence.chapters.createChapter(Chapter(
            slug: slug, name: "#LinkedInLocal \(slug.capitalized)", city: slug.capitalized, countryCode: "FR",
            timeZone: "Europe/Paris", locale: locale, offerHours: offerHours, createdAt: start))
    }

    static func event(
        _ persistence: Persistence, chapter: Chapter, capacity: Int, startsIn days: Double = 30, now: Date = start,
        title: String = "Rencontre trimestrielle", status: EventStatus = .published
    ) async throws -> Event {
        let startsAt = now.addingTimeInterval(days * 86400)
        let input = EventInput(
            title: title, startsAt: ISO8601.format(startsAt), endsAt: ISO8601.format(startsAt.addingTimeInterval(3 * 3600)),
            capacity: capacity, description: "Une soirée.", venue: .init(name: "Halles de la Cartoucherie", address: "31300 Toulouse"),
            speakers: [.init(name: "Jean-Christophe Boussion", jobTitle: "Fondateur")], status: status)
        return try await persistence.events.createEvent(try input.validated().get(), in: chapter.id, now: now)
    }

    static func profile(_ index: Int, first: String = "Marie", consent: Bool = true) -> AttendeeProfile {
        AttendeeProfile(
            firstName: "\(first)", lastName: "Quinquies \(index)", email: "person\(index)@example.org",
            jobTitle: "Consultante", company: "Indépendante", consents: Consents(attendeeList: consent, profileSharing: false))
    }

    static func registrationJSON(_ index: Int, email: String? = nil) -> String {
        """
        {"firstName":"Ana","lastName":"Rush \(index)","email":"\(email ?? "rush\(index)@example.org")","jobTitle":"Founder","company":"Acme","acceptCodeOfConduct":true}
        """
    }
}
