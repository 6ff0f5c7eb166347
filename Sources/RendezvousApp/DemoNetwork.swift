import Foundation
import Logging
import RendezvousDomain
import RendezvousPersistence

/// A realistic demo network: Toulouse as in the January 2019 article, and a dozen cities
/// across countries, languages and time zones. Dates are placed relative to today so the
/// upcoming meetups stay upcoming.
public enum DemoNetwork {
    public static let adminEmail = "admin@rendezvous.example.org"
    public static let adminPassword = "rendezvous-admin"
    public static let organizerEmail = "natalajia.princeva@rendezvous.example.org"
    public static let organizerPassword = "toulouse-2018"

    struct City {
        var slug, name, city, country, zone: String
        var language: Language
        var venue: (String, String)
        var organizer: String
        var description: String
    }

    static let cities: [City] = [
        City(slug: "coffs-harbour", name: "#LinkedInLocal Coffs Harbour", city: "Coffs Harbour", country: "AU", zone: "Australia/Sydney", language: .en,
             venue: ("The Jetty Memorial Hall", "Jordan Esplanade, Coffs Harbour NSW 2450"), organizer: "Kate Palmer",
             description: "Where it all began in June 2017: one member invited their connections for a coffee, and a movement followed."),
        City(slug: "sydney", name: "#LinkedInLocal Sydney", city: "Sydney", country: "AU", zone: "Australia/Sydney", language: .en,
             venue: ("The Cannery", "61 Mentmore Avenue, Rosebery NSW 2018"), organizer: "Liam O'Connor",
             description: "Sydney's professionals, off the feed and in a room together every quarter."),
        City(slug: "paris", name: "#LinkedInLocal Paris", city: "Paris", country: "FR", zone: "Europe/Paris", language: .fr,
             venue: ("Station F", "5 parvis Alan Turing, 75013 Paris"), organizer: "Camille Lefèvre",
             description: "Les rencontres trimestrielles des membres LinkedIn à Paris."),
        City(slug: "bordeaux", name: "#LinkedInLocal Bordeaux", city: "Bordeaux", country: "FR", zone: "Europe/Paris", language: .fr,
             venue: ("Darwin Écosystème", "87 quai des Queyries, 33100 Bordeaux"), organizer: "Julien Marchand",
             description: "Rencontrez en vrai les personnes de votre réseau bordelais."),
        City(slug: "lyon", name: "#LinkedInLocal Lyon", city: "Lyon", country: "FR", zone: "Europe/Paris", language: .fr,
             venue: ("H7", "70 quai Perrache, 69002 Lyon"), organizer: "Sophie Garnier",
             description: "Un afterwork trimestriel pour élargir son cercle à Lyon."),
        City(slug: "bruxelles", name: "#LinkedInLocal Bruxelles", city: "Bruxelles", country: "BE", zone: "Europe/Brussels", language: .fr,
             venue: ("BeCentral", "Cantersteen 10, 1000 Bruxelles"), organizer: "Pieter Janssens",
             description: "Les membres LinkedIn de Bruxelles se retrouvent, en français et en néerlandais."),
        City(slug: "geneve", name: "#LinkedInLocal Genève", city: "Genève", country: "CH", zone: "Europe/Zurich", language: .fr,
             venue: ("Fondation Inartis", "Rue de Lausanne 64, 1202 Genève"), organizer: "Léa Favre",
             description: "Rencontres professionnelles au bord du Léman."),
        City(slug: "london", name: "#LinkedInLocal London", city: "London", country: "GB", zone: "Europe/London", language: .en,
             venue: ("Google Campus", "4-5 Bonhill Street, London EC2A 4BX"), organizer: "Priya Shah",
             description: "London's LinkedIn members, meeting face to face."),
        City(slug: "dublin", name: "#LinkedInLocal Dublin", city: "Dublin", country: "IE", zone: "Europe/Dublin", language: .en,
             venue: ("Dogpatch Labs", "CHQ Building, Custom House Quay, Dublin 1"), organizer: "Aoife Byrne",
             description: "Quarterly meetups on the Liffey."),
        City(slug: "new-york", name: "#LinkedInLocal New York", city: "New York", country: "US", zone: "America/New_York", language: .en,
             venue: ("WeWork Bryant Park", "54 W 40th Street, New York, NY 10018"), organizer: "Marcus Johnson",
             description: "New York's networkers, in person."),
        City(slug: "montreal", name: "#LinkedInLocal Montréal", city: "Montréal", country: "CA", zone: "America/Toronto", language: .fr,
             venue: ("Maison Notman", "51 rue Sherbrooke Ouest, Montréal QC H2X 1X2"), organizer: "Émilie Tremblay",
             description: "Les rencontres LinkedIn de Montréal, en français and in English."),
        City(slug: "singapore", name: "#LinkedInLocal Singapore", city: "Singapore", country: "SG", zone: "Asia/Singapore", language: .en,
             venue: ("BLOCK71", "71 Ayer Rajah Crescent, Singapore 139951"), organizer: "Wei Ling Tan",
             description: "Singapore's professionals, off the screen."),
    ]

    static let firstNames = ["Camille", "Thomas", "Léa", "Nicolas", "Chloé", "Julien", "Manon", "Antoine", "Inès", "Maxime", "Sarah", "Hugo",
                             "Élodie", "Karim", "Fatima", "Lucas", "Anaïs", "Mehdi", "Pauline", "Romain", "Aurélie", "Yannick", "Sofia", "Baptiste",
                             "Claire", "Olivier", "Amélie", "Sébastien", "Nadia", "Guillaume", "Hélène", "Jérôme", "Laura", "Vincent", "Agnès", "Frédéric"]
    static let lastNames = ["Martin", "Bernard", "Dubois", "Durand", "Lefebvre", "Moreau", "Laurent", "Simon", "Michel", "Garcia", "Roux", "Fournier",
                            "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Faure", "André", "Mercier", "Blanc",
                            "Guérin", "Boyer", "Chevalier", "Benali", "Nguyen", "Castaño", "Öztürk", "Kowalski"]
    static let jobs: [(String, String)] = [
        ("Consultante en stratégie", "Indépendante"), ("Développeur freelance", "Indépendant"), ("Dirigeant", "Atelier Garonne"),
        ("Responsable marketing", "Airbus"), ("Avocate d'affaires", "Cabinet Dumas"), ("Coach professionnelle", "Indépendante"),
        ("Fondateur", "PitchLab"), ("Chargée de recrutement", "Sopra Steria"), ("Expert-comptable", "Fiducial"),
        ("Designer UX", "Studio Brique"), ("Directrice commerciale", "Occitanie Drones"), ("Photographe", "Indépendant"),
        ("Product manager", "Continental"), ("Gérante", "La Boulangerie du Capitole"), ("Data scientist", "CNES"),
        ("Consultant RH", "Indépendant"), ("Community manager", "La Mêlée"), ("Architecte", "Atelier Sud"),
        ("Formatrice", "Indépendante"), ("Ingénieur commercial", "Thales"),
    ]
    static let topics = ["le pitch en 60 secondes", "l'aviron", "la cuisine du Sud-Ouest", "le recrutement tech", "les drones",
                         "le vélo au travail", "la photo de rue", "le marketing B2B", "l'IA générative", "créer sa boîte", "", "", ""]

    /// Loads the network if the database has no chapter yet, and prints the demo accounts.
    public static func loadIfEmpty(_ persistence: Persistence, clock: any Clock, logger: Logger) async throws {
        guard try await persistence.chapters.chapterCount() == 0 else {
            logger.info("Database already has chapters; demo not loaded.")
            printCredentials()
            return
        }
        try await load(persistence, clock: clock)
        printCredentials()
    }

    static func printCredentials() {
        // Written straight to the file descriptor: print() buffers when stdout is not a terminal.
        FileHandle.standardOutput.write(Data("""

        Demo accounts (change them before going live):
          network admin:      \(adminEmail) / \(adminPassword)
          Toulouse organiser: \(organizerEmail) / \(organizerPassword)


        """.utf8))
    }

    public static func load(_ persistence: Persistence, clock: any Clock) async throws {
        try await loadNetwork(persistence, clock: clock)
        // The demo's people are made up: their confirmation messages are not sent.
        try await persistence.outbox.skipPendingMessages(reason: "demo data")
    }

    static func loadNetwork(_ persistence: Persistence, clock: any Clock) async throws {
        let now = clock.now()
        var random = SeededGenerator(seed: 2019)
        // Who came through the door at past evenings (about 85 %), drawn apart so the people above stay the same.
        var door = SeededGenerator(seed: 2027)
        let toulouse = try await persistence.chapters.createChapter(Chapter(
            slug: "toulouse", name: "#LinkedInLocal Toulouse", city: "Toulouse", countryCode: "FR", timeZone: "Europe/Paris",
            locale: .fr,
            description: "Passer du virtuel au réel : quatre rencontres par an depuis mars 2018, pour rencontrer en vrai les personnes de son réseau LinkedIn.\n\nProfessions libérales, consultants, dirigeants de PME et de TPE : venez rencontrer des personnes hors de votre cercle.",
            createdAt: date(2018, 2, 1, 12, 0, "Europe/Paris")))

        let adminHash = try await hashPassword(adminPassword)
        let organizerHash = try await hashPassword(organizerPassword)
        let lockedHash = try await hashPassword(UUID().uuidString)
        _ = try await persistence.accounts.createUser(email: adminEmail, name: "Network admin", role: .networkAdmin, passwordHash: adminHash, chapterSlugs: [], now: now)
        _ = try await persistence.accounts.createUser(email: organizerEmail, name: "Natalajia Princeva", role: .organizer, passwordHash: organizerHash, chapterSlugs: ["toulouse"], now: now)
        _ = try await persistence.accounts.createUser(email: "marie.quinquies@rendezvous.example.org", name: "Marie Quinquies", role: .organizer, passwordHash: lockedHash, chapterSlugs: ["toulouse"], now: now)

        let paris = "Europe/Paris"
        let melee = EventInput.VenueInput(name: "La Mêlée", address: "27 rue d'Aubuisson, 31000 Toulouse")
        let halles = EventInput.VenueInput(name: "Halles de la Cartoucherie", address: "Rue Gisèle Halimi, 31300 Toulouse")
        // Two people who registered for the last two evenings and came to neither: they hold a seat
        // at the next one, so its organisers see the friendly "tell us if you can't come" note.
        let absentees = [
            AttendeeProfile(firstName: "Bastien", lastName: "Roux", email: "bastien.roux@example.org", jobTitle: "Consultant", company: "Indépendant",
                            linkedinURL: "", askMeAbout: "", consents: Consents(attendeeList: false, profileSharing: false)),
            AttendeeProfile(firstName: "Inès", lastName: "Garnier", email: "ines.garnier@example.org", jobTitle: "Cheffe de projet", company: "Occitanie Drones",
                            linkedinURL: "", askMeAbout: "", consents: Consents(attendeeList: false, profileSharing: false)),
        ]
        // The first meetup, at La Mêlée, March 2018.
        try await pastEvent(persistence, chapter: toulouse, title: "#LinkedInLocalToulouse #1", start: date(2018, 3, 21, 18, 30, paris),
                            venue: melee, speakers: [], attendees: 42, random: &random, door: &door)
        try await pastEvent(persistence, chapter: toulouse, title: "#LinkedInLocalToulouse — rentrée", start: date(2018, 9, 19, 18, 30, paris),
                            venue: halles, speakers: [], attendees: 70, random: &random, door: &door)
        // The meetup of the article: 16 January 2019, with a speaker.
        try await pastEvent(persistence, chapter: toulouse, title: "#LinkedInLocalToulouse — janvier 2019", start: date(2019, 1, 16, 18, 30, paris),
                            venue: halles,
                            speakers: [.init(name: "Jean-Christophe Boussion", jobTitle: "Fondateur", company: "PowerPitch",
                                             bio: "Formateur au pitch : convaincre en quelques minutes, à l'oral.")],
                            attendees: 69, random: &random, door: &door,
                            description: "Passer du virtuel au réel. Une intervention de Jean-Christophe Boussion (PowerPitch), des ateliers ludiques et des quiz brise-glace, et surtout des conversations en face à face.")
        // The last two quarterly meetups, within the retention period (older registrations are
        // anonymised, so only these can tell who missed an evening); their people are drawn apart
        // so the rest of the demo stays the same.
        var recent = SeededGenerator(seed: 2026)
        let monthTitle = DateFormatter()
        monthTitle.locale = Locale(identifier: "fr_FR")
        monthTitle.timeZone = TimeZone(identifier: paris)
        monthTitle.dateFormat = "LLLL yyyy"
        for days in [160.0, 70.0] {
            let start = thirdWednesday(after: now.addingTimeInterval(-days * 86400), hour: 18, minute: 30, zone: paris)
            try await pastEvent(persistence, chapter: toulouse, title: "#LinkedInLocalToulouse — \(monthTitle.string(from: start))", start: start,
                                venue: halles, speakers: [], attendees: 66, random: &recent, door: &door, absentees: absentees)
        }

        // The next quarterly meetup: full, two seats freed and offered to the waitlist.
        let nextStart = thirdWednesday(after: now.addingTimeInterval(21 * 86400), hour: 18, minute: 30, zone: paris)
        let next = try await createEvent(
            persistence, chapter: toulouse, title: "#LinkedInLocalToulouse — prochaine rencontre", start: nextStart, hours: 3, capacity: 70,
            venue: halles,
            speakers: [.init(name: "Claire Vidal", jobTitle: "Fondatrice", company: "Atelier Parole", bio: "Aide les indépendants à raconter leur métier en une phrase.")],
            agenda: [(0, "Accueil et badges"), (30, "Intervention : se présenter en une phrase"), (60, "Quiz brise-glace par tables"), (90, "Rotations de tables et échanges libres")],
            description: "La rencontre trimestrielle des membres LinkedIn de Toulouse. Badges avec nom et fonction, intervention, quiz brise-glace, et du temps pour se parler.",
            now: now)
        var registered: [Registration] = []
        for index in 0..<75 {
            if index == 10 {
                for absentee in absentees { _ = try await persistence.registrations.register(absentee, for: next.id, now: now.addingTimeInterval(-3600)) }
            }
            let outcome = try await persistence.registrations.register(attendee(&random), for: next.id, now: now.addingTimeInterval(-3600))
            registered.append(outcome.registration)
        }
        for leaving in registered.prefix(2) {
            _ = try await persistence.registrations.cancel(leaving.id, token: leaving.manageToken, now: now.addingTimeInterval(-600))
        }
        // And the one after, just opened.
        let later = try await createEvent(
            persistence, chapter: toulouse, title: "#LinkedInLocalToulouse — printemps", start: thirdWednesday(after: nextStart.addingTimeInterval(80 * 86400), hour: 18, minute: 30, zone: paris),
            hours: 3, capacity: 70, venue: melee, speakers: [], agenda: [], description: "Prochaine rencontre trimestrielle.", now: now)
        for _ in 0..<12 { _ = try await persistence.registrations.register(attendee(&random), for: later.id, now: now.addingTimeInterval(-60)) }
        // The quiz library: the network's templates and polls, and a quiz of Toulouse's own.
        try await DemoQuizzes.load(persistence, toulouse: toulouse.id, now: now)

        for (index, city) in cities.enumerated() {
            let chapter = try await persistence.chapters.createChapter(Chapter(
                slug: city.slug, name: city.name, city: city.city, countryCode: city.country, timeZone: city.zone, locale: city.language,
                description: city.description, createdAt: date(2018, 1, 1, 12, 0, city.zone)))
            _ = try await persistence.accounts.createUser(
                email: "\(city.slug)@rendezvous.example.org", name: city.organizer, role: .organizer, passwordHash: lockedHash,
                chapterSlugs: [city.slug], now: now)
            let venue = EventInput.VenueInput(name: city.venue.0, address: city.venue.1)
            try await pastEvent(persistence, chapter: chapter, title: city.language == .fr ? "Rencontre de \(city.city)" : "\(city.city) meetup",
                                start: now.addingTimeInterval(-Double(60 + index * 7) * 86400), venue: venue, speakers: [],
                                attendees: 25 + (index * 7) % 40, random: &random, door: &door)
            // Most chapters have their next meetup scheduled; two are quiet.
            guard index % 6 != 5 else { continue }
            let start = thirdWednesday(after: now.addingTimeInterval(Double(10 + index * 4) * 86400), hour: 18, minute: 30, zone: city.zone)
            let event = try await createEvent(
                persistence, chapter: chapter, title: city.language == .fr ? "Rencontre trimestrielle — \(city.city)" : "Quarterly meetup — \(city.city)",
                start: start, hours: 3, capacity: 40 + (index % 4) * 10, venue: venue, speakers: [], agenda: [(0, city.language == .fr ? "Accueil" : "Welcome"), (45, city.language == .fr ? "Quiz brise-glace" : "Ice-breaker quiz")],
                description: city.description, now: now)
            for _ in 0..<(5 + (index * 11) % 30) { _ = try await persistence.registrations.register(attendee(&random), for: event.id, now: now.addingTimeInterval(-60)) }
        }
    }

    static func attendee(_ random: inout SeededGenerator) -> AttendeeProfile {
        let first = firstNames.randomElement(using: &random)!
        let last = lastNames.randomElement(using: &random)!
        let job = jobs.randomElement(using: &random)!
        let handle = "\(first)-\(last)".folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
            .replacingOccurrences(of: " ", with: "-").replacingOccurrences(of: "'", with: "")
        let number = Int.random(in: 1...9999, using: &random)
        return AttendeeProfile(
            firstName: first, lastName: last, email: "\(handle).\(number)@example.org", jobTitle: job.0, company: job.1,
            linkedinURL: Bool.random(using: &random) ? "https://www.linkedin.com/in/\(handle)-\(number)" : "",
            askMeAbout: topics.randomElement(using: &random)!,
            consents: Consents(attendeeList: Int.random(in: 0..<10, using: &random) < 7, profileSharing: Bool.random(using: &random)))
    }

    @discardableResult
    static func createEvent(
        _ persistence: Persistence, chapter: Chapter, title: String, start: Date, hours: Double, capacity: Int,
        venue: EventInput.VenueInput, speakers: [EventInput.SpeakerInput], agenda: [(Int, String)], description: String, now: Date
    ) async throws -> Event {
        let input = EventInput(
            title: title, startsAt: ISO8601.format(start), endsAt: ISO8601.format(start.addingTimeInterval(hours * 3600)),
            capacity: capacity, description: description, venue: venue, speakers: speakers,
            agenda: agenda.map { .init(startsAt: ISO8601.format(start.addingTimeInterval(Double($0.0) * 60)), title: $0.1) })
        return try await persistence.events.createEvent(try input.validated().get(), in: chapter.id, now: now)
    }

    static func pastEvent(
        _ persistence: Persistence, chapter: Chapter, title: String, start: Date, venue: EventInput.VenueInput,
        speakers: [EventInput.SpeakerInput], attendees: Int, random: inout SeededGenerator, door: inout SeededGenerator,
        absentees: [AttendeeProfile] = [], description: String = ""
    ) async throws {
        let created = start.addingTimeInterval(-40 * 86400)
        let event = try await createEvent(
            persistence, chapter: chapter, title: title, start: start, hours: 3, capacity: max(70, attendees + absentees.count), venue: venue, speakers: speakers,
            agenda: [], description: description, now: created)
        var seated: [Registration] = []
        for _ in 0..<attendees {
            seated.append(try await persistence.registrations.register(attendee(&random), for: event.id, now: start.addingTimeInterval(-Double(Int.random(in: 1...30, using: &random)) * 86400)).registration)
        }
        for absentee in absentees { _ = try await persistence.registrations.register(absentee, for: event.id, now: start.addingTimeInterval(-10 * 86400)) }
        // The door's record: most came, some did not (the chapter's no-show forecast is drawn from it).
        for person in seated where person.status == .confirmed && Int.random(in: 0..<100, using: &door) < 85 {
            let arrived = start.addingTimeInterval(Double(Int.random(in: 0..<45, using: &door)) * 60)
            _ = try await persistence.door.checkIn(event: event.id, target: .registration(person.id), nonce: UUID().uuidString, device: "demo",
                                                   by: "Natalajia Princeva", happenedAt: arrived, offline: false, now: arrived)
        }
    }

    static func date(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ zone: String) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone)!
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    }

    /// The third Wednesday of the first month whose third Wednesday falls on or after `date`.
    static func thirdWednesday(after date: Date, hour: Int, minute: Int, zone: String) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone)!
        var components = calendar.dateComponents([.year, .month], from: date)
        for _ in 0..<3 {
            components.weekday = 4
            components.weekdayOrdinal = 3
            components.hour = hour
            components.minute = minute
            if let candidate = calendar.date(from: components), candidate >= date { return candidate }
            components.weekday = nil
            components.weekdayOrdinal = nil
            components.hour = nil
            components.minute = nil
            let firstOfNext = calendar.date(byAdding: .month, value: 1, to: calendar.date(from: components)!)!
            components = calendar.dateComponents([.year, .month], from: firstOfNext)
        }
        return date
    }
}

/// Deterministic randomness so the demo looks the same on every machine.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
