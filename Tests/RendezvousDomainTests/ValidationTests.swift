import Foundation
import RendezvousDomain
import Testing

@Suite("Validation of what people type")
struct ValidationTests {
    func input(_ change: (inout RegistrationInput) -> Void = { _ in }) -> RegistrationInput {
        var input = RegistrationInput(firstName: "Natalajia", lastName: "Princeva", email: "n.princeva@example.org", jobTitle: "Co-organisatrice")
        change(&input)
        return input
    }

    @Test func acceptsAnyScript() throws {
        let names = ["Zoé", "Ἀλέξανδρος", "Дмитрий", "محمد", "שרה", "王芳", "さくら", "김민준", "Nguyễn Thị Minh Khai", "O'Brien-Smith"]
        for name in names {
            let profile = try input { $0.firstName = name }.validated().get()
            #expect(profile.firstName == name.precomposedStringWithCanonicalMapping)
        }
    }

    @Test func normalisesAndTrims() throws {
        let decomposed = "Zoe\u{0301}"
        let profile = try input { $0.firstName = "  \(decomposed) "; $0.email = " N.Princeva@Example.ORG " }.validated().get()
        #expect(profile.firstName == "Zoé")
        #expect(profile.normalizedEmail == "n.princeva@example.org")
    }

    @Test(arguments: ["Bob\u{0007}", "Bob\nSmith", "Bob\u{202E}evil", "\u{2066}x", "a\u{0000}b"])
    func refusesControlAndBidiCharacters(_ name: String) {
        guard case .failure(let errors) = input({ $0.firstName = name }).validated() else {
            Issue.record("accepted \(name.debugDescription)")
            return
        }
        #expect(errors["firstName"] == .controlCharacters)
    }

    @Test func requiredFieldsAndLengths() {
        guard case .failure(let errors) = RegistrationInput(firstName: " ", lastName: String(repeating: "x", count: 81), email: nil, jobTitle: "").validated() else {
            Issue.record("accepted empty input")
            return
        }
        #expect(errors["firstName"] == .required)
        #expect(errors["lastName"] == .tooLong(max: 80))
        #expect(errors["email"] == .required)
        #expect(errors["jobTitle"] == .required)
    }

    @Test(arguments: [
        ("marie@example.org", true), ("marie.quinquies+meetup@sub.example.fr", true), ("o'brien@example.ie", true),
        ("zoé@exemple.fr", true), ("marie@example", false), ("marie@@example.org", false), ("@example.org", false),
        ("marie@.example.org", false), ("marie..q@example.org", false), ("marie q@example.org", false), ("marie@example.123", false),
        ("marie@-example.org", false), ("<script>@example.org", false),
    ])
    func emailSyntax(_ email: String, _ valid: Bool) {
        #expect(EmailAddress.isValid(email) == valid, "\(email)")
    }

    @Test(arguments: [
        ("linkedin.com/in/natalajia", "https://www.linkedin.com/in/natalajia"),
        ("https://fr.linkedin.com/in/marie-quinquies-123/", "https://www.linkedin.com/in/marie-quinquies-123"),
        ("http://www.linkedin.com/company/la-melee", "https://www.linkedin.com/company/la-melee"),
    ])
    func linkedInURLsAreCanonicalised(_ raw: String, _ canonical: String) {
        #expect(LinkedInURL.canonical(raw) == canonical)
    }

    @Test(arguments: ["https://evil.example/in/x", "https://linkedin.com.evil.example/in/x", "javascript:alert(1)",
                      "https://www.linkedin.com/feed", "https://user:pw@linkedin.com/in/x", "ftp://linkedin.com/in/x"])
    func refusesOtherURLs(_ raw: String) {
        #expect(LinkedInURL.canonical(raw) == nil)
    }

    @Test func eventInputNeedsOffsetsAndOrder() {
        guard case .failure(let errors) = EventInput(title: "Soirée", startsAt: "2027-01-20T18:30:00", endsAt: "2027-01-20T17:00:00+01:00", capacity: 0).validated() else {
            Issue.record("accepted")
            return
        }
        #expect(errors["startsAt"] == .invalidDate)
        #expect(errors["capacity"] == .outOfRange(min: 1, max: EventInput.maxCapacity))
        let valid = EventInput(title: "Soirée", startsAt: "2027-01-20T18:30:00+01:00", endsAt: "2027-01-20T21:30:00.000+01:00", capacity: 70).validated()
        #expect((try? valid.get())?.startsAt == ISO8601.parse("2027-01-20T17:30:00Z"))
    }

    /// Found by Schemathesis: year 0165 parsed, and Paris' local mean time then (+00:09:21) came
    /// back out as an offset no RFC 3339 date-time allows.
    @Test func eventDatesStayWithinYearsThatHaveAnRFC3339Offset() {
        guard case .failure(let errors) = EventInput(title: "Soirée", startsAt: "0165-04-14T16:58:10.493479+17:02", endsAt: "10000-01-01T00:00:00Z",
                                                     capacity: 10).validated() else {
            Issue.record("accepted")
            return
        }
        #expect(errors["startsAt"] == .invalidDate)
        #expect(errors["endsAt"] == .invalidDate)
        let paris = TimeZone(identifier: "Europe/Paris")!
        #expect(ISO8601.format(ISO8601.parse("1850-01-01T12:00:00Z")!, in: paris) == "1850-01-01T12:00:00Z")
        #expect(ISO8601.format(ISO8601.parse("2027-01-20T17:30:00Z")!, in: paris) == "2027-01-20T18:30:00+01:00")
    }

    @Test func chapterInput() throws {
        let chapter = try ChapterInput(slug: "Coffs-Harbour", name: "Coffs Harbour", city: "Coffs Harbour", countryCode: "au",
                                       timeZone: "Australia/Sydney", locale: "en-AU").validated().get()
        #expect(chapter.slug == "coffs-harbour")
        #expect(chapter.countryCode == "AU")
        #expect(chapter.locale == .en)
        guard case .failure(let errors) = ChapterInput(slug: "a b", name: "X", city: "Y", countryCode: "FRA", timeZone: "Mars/Olympus", locale: "xx").validated() else {
            Issue.record("accepted")
            return
        }
        #expect(errors["slug"] == .invalidSlug)
        #expect(errors["timeZone"] == .invalidTimeZone)
        #expect(errors["locale"] == .invalidLocale)
        #expect(errors["countryCode"] != nil)
    }
}

@Suite("Waitlist rules")
struct WaitlistRuleTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func offerIsTimeBoxedButNeverPastTheStart() {
        #expect(WaitlistRules.offerDeadline(now: now, offerHours: 24, eventStartsAt: now.addingTimeInterval(3 * 86400)) == now.addingTimeInterval(86400))
        #expect(WaitlistRules.offerDeadline(now: now, offerHours: 24, eventStartsAt: now.addingTimeInterval(3600)) == now.addingTimeInterval(3600))
    }

    @Test func offerOpenUntilItsDeadline() {
        #expect(WaitlistRules.isOfferOpen(expiresAt: now.addingTimeInterval(1), now: now))
        #expect(!WaitlistRules.isOfferOpen(expiresAt: now, now: now))
        #expect(!WaitlistRules.isOfferOpen(expiresAt: nil, now: now))
    }

    @Test func occupancy() {
        let occupancy = Occupancy(capacity: 70, confirmed: 68, offered: 2, waitlisted: 3)
        #expect(occupancy.seatsLeft == 0)
        #expect(occupancy.isFull)
        #expect(Occupancy(capacity: 10, confirmed: 12, offered: 0, waitlisted: 0).seatsLeft == 0)
    }

    @Test func manualClockMoves() {
        let clock = ManualClock(now)
        clock.advance(by: 60)
        #expect(clock.now() == now.addingTimeInterval(60))
    }
}

@Suite("Languages")
struct LanguageTests {
    @Test(arguments: [
        (nil, "fr-FR,fr;q=0.9,en;q=0.8", nil, Language.fr),
        (nil, "de-DE,de;q=0.9,en;q=0.5,fr;q=0.4", nil, .en),
        (nil, "de", Language.fr, .fr),
        ("en", "fr", Language.fr, .en),
        ("xx", "fr;q=0", nil, .en),
        (nil, nil, Language.fr, .fr),
        (nil, "en;q=0.5, fr;q=0.5", nil, .en),
    ] as [(String?, String?, Language?, Language)])
    func negotiation(_ explicit: String?, _ accept: String?, _ fallback: Language?, _ expected: Language) {
        #expect(Language.negotiate(explicit: explicit, acceptLanguage: accept, fallback: fallback) == expected)
    }

    @Test func datesInTheChaptersZoneAndLanguage() {
        let date = ISO8601.parse("2019-01-16T17:30:00Z")!
        let paris = DisplayFormatter(language: .fr, timeZone: TimeZone(identifier: "Europe/Paris")!, region: "FR")
        #expect(paris.longDate(date) == "mercredi 16 janvier 2019")
        #expect(paris.time(date) == "18:30")
        let newYork = DisplayFormatter(language: .en, timeZone: TimeZone(identifier: "America/New_York")!, region: "US")
        #expect(newYork.time(date).replacingOccurrences(of: "\u{202F}", with: " ") == "12:30 PM")
        let sydney = DisplayFormatter(language: .en, timeZone: TimeZone(identifier: "Australia/Sydney")!, region: "AU")
        #expect(sydney.longDate(date) == "Thursday 17 January 2019")
    }
}
