import Foundation

/// Raw fields of an event, as sent to the API or typed into the organiser's form.
public struct EventInput: Sendable, Codable, Equatable {
    public struct VenueInput: Sendable, Codable, Equatable {
        public var name: String?
        public var address: String?
        public init(name: String? = nil, address: String? = nil) {
            self.name = name
            self.address = address
        }
    }

    public struct SpeakerInput: Sendable, Codable, Equatable {
        public var name: String?
        public var jobTitle: String?
        public var company: String?
        public var bio: String?
        public init(name: String? = nil, jobTitle: String? = nil, company: String? = nil, bio: String? = nil) {
            self.name = name
            self.jobTitle = jobTitle
            self.company = company
            self.bio = bio
        }
    }

    public struct AgendaInput: Sendable, Codable, Equatable {
        public var startsAt: String?
        public var title: String?
        public init(startsAt: String? = nil, title: String? = nil) {
            self.startsAt = startsAt
            self.title = title
        }
    }

    public var title: String?
    public var startsAt: String?
    public var endsAt: String?
    public var capacity: Int?
    public var description: String?
    public var venue: VenueInput?
    public var speakers: [SpeakerInput]?
    public var agenda: [AgendaInput]?
    public var status: EventStatus?

    public init(
        title: String? = nil, startsAt: String? = nil, endsAt: String? = nil, capacity: Int? = nil,
        description: String? = nil, venue: VenueInput? = nil, speakers: [SpeakerInput]? = nil,
        agenda: [AgendaInput]? = nil, status: EventStatus? = nil
    ) {
        self.title = title
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.capacity = capacity
        self.description = description
        self.venue = venue
        self.speakers = speakers
        self.agenda = agenda
        self.status = status
    }

    public static let maxCapacity = 100_000
    /// Speakers and agenda lines an evening may list (the API document's maxItems).
    public static let maxSpeakers = 20
    public static let maxAgendaItems = 50

    /// A validated event draft, ready to store.
    public struct Valid: Sendable, Equatable {
        public var title: String
        public var startsAt: Date
        public var endsAt: Date
        public var capacity: Int
        public var description: String
        public var venue: (name: String, address: String)?
        public var speakers: [Speaker]
        public var agenda: [AgendaItem]
        public var status: EventStatus

        public init(
            title: String, startsAt: Date, endsAt: Date, capacity: Int, description: String, venue: (name: String, address: String)?,
            speakers: [Speaker], agenda: [AgendaItem], status: EventStatus
        ) {
            self.title = title
            self.startsAt = startsAt
            self.endsAt = endsAt
            self.capacity = capacity
            self.description = description
            self.venue = venue
            self.speakers = speakers
            self.agenda = agenda
            self.status = status
        }

        public static func == (lhs: Self, rhs: Self) -> Bool {
            lhs.title == rhs.title && lhs.startsAt == rhs.startsAt && lhs.endsAt == rhs.endsAt
                && lhs.capacity == rhs.capacity && lhs.venue?.name == rhs.venue?.name
        }
    }

    public func validated() -> Result<Valid, ValidationErrors> {
        var errors = ValidationErrors()
        let cleanTitle = TextRules.clean(title, field: "title", required: true, maxLength: 140, into: &errors)
        let cleanDescription = TextRules.clean(description, field: "description", required: false, maxLength: 5000, multiline: true, into: &errors)
        let start = Self.parseDate(startsAt, field: "startsAt", into: &errors)
        let end = Self.parseDate(endsAt, field: "endsAt", into: &errors)
        if let start, let end, end <= start { errors.add("endsAt", .endsBeforeStart) }
        let seats = capacity ?? -1
        if capacity == nil {
            errors.add("capacity", .required)
        } else if seats < 1 || seats > Self.maxCapacity {
            errors.add("capacity", .outOfRange(min: 1, max: Self.maxCapacity))
        }
        var place: (String, String)?
        if let venue {
            let name = TextRules.clean(venue.name, field: "venue.name", required: true, maxLength: 140, into: &errors)
            let address = TextRules.clean(venue.address, field: "venue.address", required: false, maxLength: 300, into: &errors)
            place = (name, address)
        }
        // More than the lists hold is refused, not cut short without a word.
        if (speakers ?? []).count > Self.maxSpeakers { errors.add("speakers", .outOfRange(min: 0, max: Self.maxSpeakers)) }
        if (agenda ?? []).count > Self.maxAgendaItems { errors.add("agenda", .outOfRange(min: 0, max: Self.maxAgendaItems)) }
        var people: [Speaker] = []
        for (index, speaker) in (speakers ?? []).prefix(Self.maxSpeakers).enumerated() {
            let name = TextRules.clean(speaker.name, field: "speakers[\(index)].name", required: true, maxLength: 120, into: &errors)
            let job = TextRules.clean(speaker.jobTitle, field: "speakers[\(index)].jobTitle", required: false, maxLength: 140, into: &errors)
            let company = TextRules.clean(speaker.company, field: "speakers[\(index)].company", required: false, maxLength: 140, into: &errors)
            let bio = TextRules.clean(speaker.bio, field: "speakers[\(index)].bio", required: false, maxLength: 2000, multiline: true, into: &errors)
            // The same person listed twice (same name and role, as the directory knows them) is on the bill once.
            if people.contains(where: { $0.name == name && $0.jobTitle == job }) { continue }
            people.append(Speaker(name: name, jobTitle: job, company: company, bio: bio))
        }
        var items: [AgendaItem] = []
        for (index, item) in (agenda ?? []).prefix(Self.maxAgendaItems).enumerated() {
            let when = Self.parseDate(item.startsAt, field: "agenda[\(index)].startsAt", into: &errors)
            let what = TextRules.clean(item.title, field: "agenda[\(index)].title", required: true, maxLength: 200, into: &errors)
            if let when { items.append(AgendaItem(startsAt: when, title: what)) }
        }
        guard errors.isEmpty, let start, let end else { return .failure(errors) }
        return .success(Valid(
            title: cleanTitle, startsAt: start, endsAt: end, capacity: seats, description: cleanDescription,
            venue: place, speakers: people, agenda: items.sorted { $0.startsAt < $1.startsAt },
            status: status ?? .published
        ))
    }

    /// ISO 8601 with an explicit offset ("2027-01-16T18:30:00+01:00" or "...Z"); fractional seconds allowed.
    public static func parseDate(_ raw: String?, field: String, into errors: inout ValidationErrors) -> Date? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
            errors.add(field, .required)
            return nil
        }
        // An evening between the years 2000 and 9999: a year like 0165 parses, but its local time in
        // most zones has an offset in seconds (local mean time), which no RFC 3339 date-time can say.
        if let date = ISO8601.parse(raw), ISO8601.plausible.contains(date) { return date }
        errors.add(field, .invalidDate)
        return nil
    }
}

public enum ISO8601 {
    /// An RFC 3339 date-time with its offset: `2027-01-15T18:30:00+01:00`, `…Z`, with or without a
    /// fraction of a second. Nothing before or after: Foundation's parser alone reads
    /// `2027-01-15T18:30:00+01:00*` as a date.
    public static func parse(_ text: String) -> Date? {
        guard hasRFC3339Shape(text) else { return nil }
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }

    static func hasRFC3339Shape(_ text: String) -> Bool {
        let b = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Bool {
            range.upperBound <= b.count && b[range].allSatisfy { (0x30...0x39).contains($0) }
        }
        let dash = UInt8(ascii: "-"), colon = UInt8(ascii: ":")
        guard b.count >= 20, digits(0..<4), b[4] == dash, digits(5..<7), b[7] == dash, digits(8..<10),
              b[10] == UInt8(ascii: "T"), digits(11..<13), b[13] == colon, digits(14..<16), b[16] == colon, digits(17..<19)
        else { return false }
        var i = 19
        if b[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < b.count, (0x30...0x39).contains(b[i]) { i += 1 }
            guard i > start else { return false }
        }
        guard i < b.count else { return false }
        if b[i] == UInt8(ascii: "Z") { return i + 1 == b.count }
        return (b[i] == UInt8(ascii: "+") || b[i] == dash) && i + 6 == b.count
            && digits(i + 1..<i + 3) && b[i + 3] == colon && digits(i + 4..<i + 6)
    }

    /// The dates an event, an agenda item or a report may carry: 2000-01-01 to 9999-12-31 (UTC).
    public static let plausible = Date(timeIntervalSince1970: 946_684_800)...Date(timeIntervalSince1970: 253_402_300_799)

    public static func format(_ date: Date, in zone: TimeZone = .gmt) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        // An offset with seconds (a zone's local mean time, before standard time) is no RFC 3339
        // offset: such a date is written in UTC instead.
        formatter.timeZone = zone.secondsFromGMT(for: date) % 60 == 0 ? zone : .gmt
        return formatter.string(from: date)
    }
}

/// Raw fields of a chapter.
public struct ChapterInput: Sendable, Codable, Equatable {
    public var slug: String?
    public var name: String?
    public var city: String?
    public var countryCode: String?
    public var timeZone: String?
    public var locale: String?
    public var description: String?
    public var offerHours: Int?

    public init(
        slug: String? = nil, name: String? = nil, city: String? = nil, countryCode: String? = nil,
        timeZone: String? = nil, locale: String? = nil, description: String? = nil, offerHours: Int? = nil
    ) {
        self.slug = slug
        self.name = name
        self.city = city
        self.countryCode = countryCode
        self.timeZone = timeZone
        self.locale = locale
        self.description = description
        self.offerHours = offerHours
    }

    public func validated() -> Result<Chapter, ValidationErrors> {
        var errors = ValidationErrors()
        let cleanSlug = TextRules.clean(slug, field: "slug", required: true, maxLength: 60, into: &errors).lowercased()
        if !cleanSlug.isEmpty, errors["slug"] == nil, !Self.isValidSlug(cleanSlug) {
            errors.add("slug", .invalidSlug)
        }
        let cleanName = TextRules.clean(name, field: "name", required: true, maxLength: 120, into: &errors)
        let cleanCity = TextRules.clean(city, field: "city", required: true, maxLength: 120, into: &errors)
        let country = TextRules.clean(countryCode, field: "countryCode", required: true, maxLength: 2, into: &errors).uppercased()
        if !country.isEmpty, errors["countryCode"] == nil,
           !(country.count == 2 && country.unicodeScalars.allSatisfy { $0.value >= 65 && $0.value <= 90 }) {
            errors.add("countryCode", .invalidCountryCode)
        }
        let zone = TextRules.clean(timeZone, field: "timeZone", required: true, maxLength: 64, into: &errors)
        if !zone.isEmpty, errors["timeZone"] == nil, TimeZone(identifier: zone) == nil || !zone.contains("/") && zone != "UTC" {
            errors.add("timeZone", .invalidTimeZone)
        }
        let localeText = TextRules.clean(locale, field: "locale", required: true, maxLength: 10, into: &errors)
        let language = Language(code: localeText)
        if !localeText.isEmpty, errors["locale"] == nil, language == nil { errors.add("locale", .invalidLocale) }
        let about = TextRules.clean(description, field: "description", required: false, maxLength: 5000, multiline: true, into: &errors)
        let hours = offerHours ?? WaitlistRules.defaultOfferHours
        let range = WaitlistRules.offerHoursRange
        if !range.contains(hours) { errors.add("offerHours", .outOfRange(min: range.lowerBound, max: range.upperBound)) }
        guard errors.isEmpty, let language else { return .failure(errors) }
        return .success(Chapter(
            slug: cleanSlug, name: cleanName, city: cleanCity, countryCode: country, timeZone: zone,
            locale: language, description: about, offerHours: hours
        ))
    }

    public static func isValidSlug(_ slug: String) -> Bool {
        guard (2...60).contains(slug.count), slug.first != "-", slug.last != "-" else { return false }
        return slug.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
