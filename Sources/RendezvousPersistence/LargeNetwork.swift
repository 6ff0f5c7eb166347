import Foundation
import RendezvousDomain
import SQLKit

/// A large synthetic network for the insights benchmark (issue 15): `chapters` chapters in a
/// dozen countries, each with `events` past evenings of `registrations` people (check-ins,
/// walk-ins, no-shows, waitlists, feedback, "We met" contacts; a share of people come back).
/// Multi-row INSERTs, one transaction per chapter, so 4 million registrations load in minutes.
public enum LargeNetwork {
    public struct Size: Sendable {
        public var chapters: Int
        public var events: Int
        public var registrations: Int
        public init(chapters: Int, events: Int = 40, registrations: Int = 100) {
            self.chapters = chapters; self.events = events; self.registrations = registrations
        }
        public static let large = Size(chapters: 1000)
    }

    static let countries: [(code: String, zone: String, locale: Language)] = [
        ("FR", "Europe/Paris", .fr), ("BE", "Europe/Brussels", .fr), ("CH", "Europe/Zurich", .fr), ("CA", "America/Toronto", .en),
        ("GB", "Europe/London", .en), ("US", "America/New_York", .en), ("DE", "Europe/Berlin", .en), ("ES", "Europe/Madrid", .en),
        ("IT", "Europe/Rome", .en), ("NL", "Europe/Amsterdam", .en), ("SN", "Africa/Dakar", .fr), ("MA", "Africa/Casablanca", .fr),
    ]
    static let jobs = ["Software engineer", "Data analyst", "UX designer", "Product manager", "Marketing manager", "Account executive",
                       "Talent acquisition", "Financial controller", "Lawyer", "Consultant", "Teacher", "Nurse", "Founder", "Operations manager", "Student"]
    static let companies = ["Airbus", "Capgemini", "Orange", "Indépendant", "Thales", "Decathlon", "BNP Paribas", "Doctolib", "Sopra Steria", "Michelin",
                            "Ubisoft", "Free", "Alan", "Back Market", "Qonto", "Mirakl", "Criteo", "Dassault Systèmes", "L’Oréal", "Renault"]

    /// Rows per INSERT: well under SQLite's 32,766 bound variables.
    static let batch = 400

    /// How many generated chapters (bench-…) the database holds already: the benchmark reuses a loaded network.
    public static func chapterCount(_ persistence: Persistence) async throws -> Int {
        struct Row: Decodable { var count: Int }
        return try await persistence.sql.raw("SELECT COUNT(*) AS count FROM chapters WHERE slug LIKE 'bench-%'").row(Row.self)?.count ?? 0
    }

    public static func generate(_ persistence: Persistence, size: Size, now: Date, progress: @Sendable (Int) -> Void = { _ in }) async throws {
        let day = 86400.0
        for index in 0..<size.chapters {
            let country = countries[index % countries.count]
            let chapterID = UUID()
            let slug = "bench-\(index + 1)"
            // Some chapters went quiet long ago (dormant), some are losing people (struggling).
            let dormant = index % 25 == 7, struggling = index % 20 == 3
            let lastEvening = now.addingTimeInterval(-(dormant ? 250 : 10 + Double(index % 20)) * day)
            _ = try await persistence.chapters.createChapter(Chapter(
                id: .init(chapterID), slug: slug, name: "#LinkedInLocal Bench \(index + 1)", city: "Bench \(index + 1)", countryCode: country.code,
                timeZone: country.zone, locale: country.locale, createdAt: lastEvening.addingTimeInterval(-Double(size.events) * 30 * day - 30 * day)))
            try await persistence.write { sql in
                var random = SystemRandomNumberGenerator()
                // Each chapter has a pool of people: about a third come back.
                let pool = max(size.registrations, size.events * size.registrations * 2 / 3)
                var events: [(id: UUID, startsAt: Date)] = []
                var eventRows = sql.insert(into: "events").columns("id", "chapter_id", "title", "description", "starts_at", "ends_at", "capacity",
                                                                    "status", "created_at", "updated_at", "seats_taken")
                for number in 0..<size.events {
                    let startsAt = lastEvening.addingTimeInterval(-Double(size.events - 1 - number) * 30 * day)
                    let id = UUID()
                    events.append((id, startsAt))
                    eventRows = eventRows.values([id, chapterID, "Rencontre \(number + 1)", "", startsAt, startsAt.addingTimeInterval(3 * 3600),
                                                  size.registrations, "published", startsAt.addingTimeInterval(-40 * day), startsAt,
                                                  size.registrations * 9 / 10] as [any Encodable & Sendable])
                }
                try await eventRows.run()
                for (number, event) in events.enumerated() {
                    let falling = struggling && number >= size.events - 3
                    var rows: [[any Encodable & Sendable]] = []
                    var came: [UUID] = []
                    var people = Set<Int>()
                    while people.count < min(size.registrations, pool) { people.insert(Int.random(in: 0..<pool, using: &random)) }
                    for (position, person) in people.enumerated() {
                        let id = UUID()
                        let waitlisted = position >= size.registrations * 9 / 10
                        let show = !waitlisted && Double.random(in: 0..<1, using: &random) < (falling ? 0.45 : 0.82)
                        let walkIn = !waitlisted && position % 50 == 49
                        if show || walkIn { came.append(id) }
                        let email = "p\(person)@\(slug).example.org"
                        let registeredAt = event.startsAt.addingTimeInterval(-Double.random(in: 0..<(30 * day), using: &random))
                        rows.append([id, event.id, "P\(person)", "Bench", email, waitlisted ? nil : email,
                                     jobs[person % jobs.count], companies[(person * 7) % companies.count], "", "", true, false,
                                     waitlisted ? "waitlisted" : "confirmed", waitlisted ? position : nil, Secret.token(), registeredAt, registeredAt,
                                     Secret.token(), Secret.token(), country.locale.rawValue, (show || walkIn) ? event.startsAt.addingTimeInterval(600) : nil,
                                     walkIn] as [any Encodable & Sendable])
                    }
                    for chunk in stride(from: 0, to: rows.count, by: batch) {
                        var insert = sql.insert(into: "registrations").columns(
                            "id", "event_id", "first_name", "last_name", "email", "active_email", "job_title", "company", "linkedin_url", "ask_me_about",
                            "consent_list", "consent_profile", "status", "queue_number", "manage_token", "created_at", "updated_at",
                            "contact_token", "ticket_token", "language", "checked_in_at", "walk_in")
                        for row in rows[chunk..<min(rows.count, chunk + batch)] { insert = insert.values(row) }
                        try await insert.run()
                    }
                    // A third of those who came answer the feedback; each gives a contact to the next one.
                    var feedback = sql.insert(into: "feedback").columns("id", "event_id", "chapter_id", "registration_id", "score", "comment", "created_at", "updated_at")
                    var contacts = sql.insert(into: "contacts").columns("id", "event_id", "chapter_id", "initiator_registration_id", "recipient_registration_id",
                                                                       "pair_key", "status", "created_at")
                    var answers = 0
                    for (position, person) in came.enumerated() where position % 3 == 0 {
                        feedback = feedback.values([UUID(), event.id, chapterID, person, Int.random(in: 5...10, using: &random), "", event.startsAt, event.startsAt] as [any Encodable & Sendable])
                        answers += 1
                    }
                    var links = 0
                    for position in stride(from: 0, to: came.count - 1, by: 2) {
                        let a = came[position], b = came[position + 1]
                        contacts = contacts.values([UUID(), event.id, chapterID, a, b, "\(a.uuidString)-\(b.uuidString)", position % 6 == 0 ? "pending" : "accepted",
                                                    event.startsAt.addingTimeInterval(3600)] as [any Encodable & Sendable])
                        links += 1
                    }
                    if answers > 0 { try await feedback.run() }
                    if links > 0 { try await contacts.run() }
                }
            }
            progress(index + 1)
        }
        // The insights' aggregates, as the pages would compute them on their first view.
        try await persistence.network.refreshEveningStats(now: now)
    }
}
