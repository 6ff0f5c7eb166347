import Foundation
import RendezvousDomain
import SQLKit
import Synchronization

/// Plain rows decoded straight from SQLKit: no Fluent model hydration on hot paths.
struct ChapterRow: Decodable {
    var id: UUID
    var slug: String
    var name: String
    var city: String
    var countryCode: String
    var timeZone: String
    var locale: String
    var description: String
    var offerHours: Int
    var createdAt: Date

    static let columns = "c.id, c.slug, c.name, c.city, c.country_code, c.time_zone, c.locale, c.description, c.offer_hours, c.created_at"

    var chapter: Chapter {
        Chapter(
            id: .init(id), slug: slug, name: name, city: city, countryCode: countryCode, timeZone: timeZone,
            locale: Language(code: locale) ?? .en, description: description, offerHours: offerHours,
            createdAt: createdAt)
    }
}

struct EventRow: Decodable {
    var id: UUID
    var chapterId: UUID
    var title: String
    var description: String
    var startsAt: Date
    var endsAt: Date
    var capacity: Int
    var status: EventStatus
    var venueId: UUID?
    var seatsTaken: Int
    var createdAt: Date
    var overbookSeats: Int
    var venueLimit: Int?
    var overflowOf: UUID?
    var overbooking: Bool

    static let columns = "e.id, e.chapter_id, e.title, e.description, e.starts_at, e.ends_at, e.capacity, e.status, e.venue_id, e.seats_taken, e.created_at, e.overbook_seats, e.venue_limit, e.overflow_of, e.overbooking"
    /// The seats every seat rule counts: the capacity plus the overbooked ones.
    var seatLimit: Int { capacity + overbookSeats }
    /// The same, for `RETURNING` (an UPDATE has no table alias).
    static let unqualifiedColumns = columns.replacingOccurrences(of: "e.", with: "")

    var event: Event {
        var event = Event(
            id: .init(id), chapterID: .init(chapterId), title: title, description: description,
            startsAt: startsAt, endsAt: endsAt, capacity: capacity,
            status: status, venueID: venueId.map { .init($0) },
            createdAt: createdAt)
        event.overbookSeats = overbookSeats
        event.venueLimit = venueLimit
        event.overflowOf = overflowOf.map { .init($0) }
        event.overbooking = overbooking
        return event
    }
}

struct VenueRow: Decodable {
    var id: UUID
    var chapterId: UUID?
    var name: String
    var address: String
    var city: String

    static let columns = "v.id, v.chapter_id, v.name, v.address, v.city"

    var venue: Venue {
        Venue(id: .init(id), chapterID: chapterId.map { .init($0) }, name: name, address: address, city: city)
    }
}

struct RegistrationRow: Decodable {
    var id: UUID
    var eventId: UUID
    var firstName: String
    var lastName: String
    var email: String
    var jobTitle: String
    var company: String
    var linkedinUrl: String
    var askMeAbout: String
    var consentList: Bool
    var consentProfile: Bool
    var status: RegistrationStatus
    var queueNumber: Int?
    var offerExpiresAt: Date?
    var manageToken: String
    var createdAt: Date
    var updatedAt: Date
    /// Admitted at the door past capacity: holds no online seat.
    var walkIn: Bool
    /// Comma-separated `BingoFact` raw values.
    var bingoFacts: String
    var gamesConsent: Bool
    /// What the holder cancelled, for undoing it (NULL unless the holder cancelled).
    var cancelledFrom: String?
    var consentNews: Bool

    static let columns = """
        r.id, r.event_id, r.first_name, r.last_name, r.email, r.job_title, r.company, r.linkedin_url, \
        r.ask_me_about, r.consent_list, r.consent_profile, r.status, r.queue_number, r.offer_expires_at, \
        r.manage_token, r.created_at, r.updated_at, r.walk_in, r.bingo_facts, r.games_consent, r.cancelled_from, r.consent_news
        """

    /// `manageToken` holds the salt in the row; the registration carries the token derived from it.
    func registration(_ tokens: TokenVault) -> Registration {
        var profile = AttendeeProfile(
            firstName: firstName, lastName: lastName, email: email, jobTitle: jobTitle, company: company,
            linkedinURL: linkedinUrl, askMeAbout: askMeAbout,
            consents: Consents(attendeeList: consentList, profileSharing: consentProfile, news: consentNews))
        profile.bingoFacts = BingoFacts.decode(bingoFacts)
        profile.gamesConsent = gamesConsent
        var registration = Registration(
            id: .init(id), eventID: .init(eventId),
            profile: profile,
            status: status, queueNumber: queueNumber,
            offerExpiresAt: offerExpiresAt, manageToken: tokens.token(.manage, id: id, salt: manageToken), createdAt: createdAt, updatedAt: updatedAt)
        registration.cancelledFrom = status == .cancelled ? cancelledFrom.flatMap(RegistrationStatus.init(rawValue:)) : nil
        return registration
    }
}

struct CountRow: Decodable {
    var count: Int
}

struct StatusCountRow: Decodable {
    var status: String
    var count: Int
}

extension SQLQueryFetcher {
    func rows<D: Decodable>(_ type: D.Type) async throws -> [D] {
        try await all(decoding: D.self, keyDecodingStrategy: SnakeCaseColumns.strategy)
    }

    func row<D: Decodable>(_ type: D.Type) async throws -> D? {
        try await first(decoding: D.self, keyDecodingStrategy: SnakeCaseColumns.strategy)
    }
}

/// SQLKit's `.convertFromSnakeCase` (a property `chapterId` reads the column `chapter_id`), with
/// each property's column worked out once and remembered: SQLKit converts the name again for
/// every column of every row, which was about a tenth of the chapter insights page's time (perf).
enum SnakeCaseColumns {
    private struct Column: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private static let known = Mutex<[String: String]>([:])

    static let strategy = SQLRowDecoder.KeyDecodingStrategy.custom { keys in
        let property = keys.last?.stringValue ?? ""
        if let column = known.withLock({ $0[property] }) { return Column(stringValue: column) }
        let column = snakeCase(property)
        known.withLock { if $0.count < 4096 { $0[property] = column } }
        return Column(stringValue: column)
    }

    /// `chapterId` → `chapter_id`, `originRegistrationId` → `origin_registration_id`, `URLValue` →
    /// `url_value`: SQLKit's `convertedToSnakeCase`, as Foundation's JSONEncoder converts.
    static func snakeCase(_ name: String) -> String {
        guard !name.isEmpty else { return name }
        var words: [Range<String.Index>] = []
        var wordStart = name.startIndex, searchIndex = name.index(after: wordStart)
        while let upper = name[searchIndex...].firstIndex(where: \.isUppercase) {
            words.append(wordStart..<upper)
            wordStart = upper
            guard let lower = name[upper...].firstIndex(where: \.isLowercase) else { break }
            searchIndex = lower
            if lower != name.index(after: upper) {
                let beforeLower = name.index(before: lower)
                words.append(upper..<beforeLower)
                wordStart = beforeLower
            }
        }
        words.append(wordStart..<name.endIndex)
        return words.map { word in
            let text = name[word]
            return text.isEmpty ? "" : "\(text[text.startIndex].lowercased())\(text.dropFirst())"
        }.joined(separator: "_")
    }
}
