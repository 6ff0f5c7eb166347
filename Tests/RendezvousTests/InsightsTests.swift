import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RendezvousDomain
@testable import RendezvousPersistence
@testable import RendezvousWeb
import SQLKit
import Testing

/// Insights (issue 15): a chapter's evenings in charts for its organisers (each with its table
/// and CSV), the network rolled up for admins, and the public "network in numbers".
@Suite("Insights")
struct InsightsTests {
    // MARK: Rules

    @Test func dormantStrugglingAndActiveChapters() {
        let now = Fixture.start, day = 86400.0
        let opened = now.addingTimeInterval(-400 * day)
        // No evening: new for six months after opening, then dormant.
        #expect(ChapterHealth.assess(lastEvening: nil, came: [], openedAt: now.addingTimeInterval(-30 * day), now: now) == .new)
        #expect(ChapterHealth.assess(lastEvening: nil, came: [], openedAt: opened, now: now) == .dormant)
        // Six months without an evening: dormant, whatever the attendance was.
        #expect(ChapterHealth.assess(lastEvening: now.addingTimeInterval(-183 * day), came: [70, 70, 70, 70, 70, 70], openedAt: opened, now: now) == .dormant)
        #expect(ChapterHealth.assess(lastEvening: now.addingTimeInterval(-170 * day), came: [70, 70], openedAt: opened, now: now) == .active)
        // Falling attendance: the last three evenings average under 80 % of the three before.
        let recent = now.addingTimeInterval(-20 * day)
        #expect(ChapterHealth.assess(lastEvening: recent, came: [60, 60, 60, 50, 45, 40], openedAt: opened, now: now) == .struggling)
        #expect(ChapterHealth.assess(lastEvening: recent, came: [60, 60, 60, 50, 50, 50], openedAt: opened, now: now) == .active) // 83 %
        // An evening announced: back from a pause, not dormant (new if it is the first).
        #expect(ChapterHealth.assess(lastEvening: now.addingTimeInterval(-300 * day), nextEvening: now.addingTimeInterval(10 * day), came: [70, 70], openedAt: opened, now: now) == .active)
        #expect(ChapterHealth.assess(lastEvening: nil, nextEvening: now.addingTimeInterval(10 * day), came: [], openedAt: opened, now: now) == .new)
        // Growth per quarter: a quarter without evenings is shown, with zeros.
        #expect(Quarter.filled([("2026 Q3", 2, 100), ("2027 Q2", 1, 40)]).map(\.quarter) == ["2026 Q3", "2026 Q4", "2027 Q1", "2027 Q2"])
        #expect(Quarter.filled([("2026 Q3", 2, 100), ("2027 Q2", 1, 40)])[1].evenings == 0)
        // A company's long name is shortened in the chart's picture (left of the bars), whole in its table.
        #expect(Chart.shortened("Compagnie Générale des Établissements Michelin", to: 28) == "Compagnie Générale des Étab…")
        #expect(Chart.shortened("Airbus", to: 28) == "Airbus")
        // Too few evenings to tell a trend.
        #expect(ChapterHealth.assess(lastEvening: recent, came: [60, 10, 5], openedAt: opened, now: now) == .active)
    }

    /// The admin's table of every chapter counts all its evenings, not the last six the health rule reads.
    @Test func everyChapterRowCountsAllItsEvenings() {
        let now = Fixture.start
        let rollup = ChapterRollup(chapter: Mock.chapter, evenings: 10, lastEvening: now.addingTimeInterval(-20 * 86400), came: [10, 10, 10, 10, 10, 10],
                                   attendees: 100, expected: 110, showed: 95, people: 60, returning: 20, contacts: 50, answers: 0, scoreSum: 0,
                                   rotations: 0, quizzes: 0)
        let built = AdminController.networkCharts((chapters: [rollup], quarters: [("2026 Q4", 10, 100)]), now: now, language: .fr)
        let row = built.chapters.rows[0].cells
        #expect(row[2] == "100", "all ten evenings, not the last six")
        #expect(row[6] == "0,5", "contacts per person who came, over all evenings")
        #expect(built.charts[1].rows.map(\.header) == ["T4\u{00A0}2026"], "quarters as a French page writes them")
        #expect(Chart.shortened("Airbus Defence and Space SAS", to: 22).count == 22)
    }

    @Test func theDemandCurveCountsRegistrationsMadeByEachDay() {
        let start = Fixture.start, day = 86400.0
        let made = [start.addingTimeInterval(-40 * day), start.addingTimeInterval(-10 * day), start.addingTimeInterval(-1 * day), start.addingTimeInterval(-60), start.addingTimeInterval(60)]
        let curve = DemandCurve.cumulative(made, startsAt: start)
        #expect(curve.count == 31)
        #expect(curve[30] == 1 && curve[10] == 2 && curve[9] == 2 && curve[1] == 3 && curve[0] == 4, "\(curve)")
    }

    // MARK: The chapter's page

    /// Three evenings: 10/8, 10/6 (three came before), 10/10; feedback and a contact on the last.
    static func seed(_ db: Persistence) async throws -> (Chapter, [Event]) {
        let chapter = try await Fixture.chapter(db)
        let a = try await OverbookingTests.pastEvening(db, chapter: chapter, daysAgo: 90, confirmed: 10, came: 8)
        let b = try await OverbookingTests.pastEvening(db, chapter: chapter, daysAgo: 60, confirmed: 10, came: 6, from: 5)
        let c = try await OverbookingTests.pastEvening(db, chapter: chapter, daysAgo: 30, confirmed: 10, came: 10, from: 20)
        // One person waited for the last evening, five days before it.
        let waited = RegistrationStore.newRegistration(Fixture.profile(500), event: c.id, status: .waitlisted, queueNumber: 1, now: c.startsAt.addingTimeInterval(-5 * 86400))
        try await RegistrationStore.insert([waited], on: db.sql)
        // Three said how they heard of the meetup (the chart is drawn).
        try await db.sql.raw("UPDATE registrations SET heard_from = 'linkedin' WHERE event_id = \(bind: c.id.uuid) AND email IN ('person20@example.org', 'person21@example.org', 'person22@example.org')").run()
        // A company a spreadsheet would run as a formula, and two job titles of another family.
        try await db.sql.raw("UPDATE registrations SET company = '=HYPERLINK(\"http://x\")' WHERE event_id = \(bind: c.id.uuid) AND email = 'person20@example.org'").run()
        try await db.sql.raw("UPDATE registrations SET job_title = 'Software engineer' WHERE event_id = \(bind: c.id.uuid) AND email IN ('person21@example.org', 'person22@example.org')").run()
        struct Row: Decodable { var id: UUID }
        let people = try await db.sql.raw("SELECT id FROM registrations WHERE event_id = \(bind: c.id.uuid) AND checked_in_at IS NOT NULL ORDER BY email").rows(Row.self)
        for (index, score) in [9, 10, 7].enumerated() {
            try await db.sql.raw("""
                INSERT INTO feedback (id, event_id, chapter_id, registration_id, score, comment, created_at, updated_at)
                VALUES (\(bind: UUID()), \(bind: c.id.uuid), \(bind: chapter.id.uuid), \(bind: people[index].id), \(bind: score), '', \(bind: Fixture.start), \(bind: Fixture.start))
                """).run()
        }
        try await db.sql.raw("""
            INSERT INTO contacts (id, event_id, chapter_id, initiator_registration_id, recipient_registration_id, pair_key, status, created_at)
            VALUES (\(bind: UUID()), \(bind: c.id.uuid), \(bind: chapter.id.uuid), \(bind: people[0].id), \(bind: people[1].id), 'pair-1', 'accepted', \(bind: Fixture.start))
            """).run()
        return (chapter, [a, b, c])
    }

    @Test(arguments: DatabaseKind.available)
    func theChapterPageChartsTablesAndCSV(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let (chapter, _) = try await Self.seed(db)
            let other = try await Fixture.chapter(db, slug: "lyon")
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: [chapter.slug])
            let stranger = try await Accounts.signIn(app, email: "lyon@example.org", chapters: [other.slug])
            try await app.application.test(.router) { client in
                let dashboard = try await client.get("/organize/toulouse", as: organizer)
                #expect(dashboard.text.contains("href=\"/organize/toulouse/insights\""))
                let page = try await client.get("/organize/toulouse/insights", as: organizer)
                #expect(page.status == .ok)
                let html = page.text
                #expect(html.contains("Your chapter’s last 3 evenings"))
                // Every chart: an SVG image with its title and description, a table, a CSV link.
                for id in InsightsCharts.chapterIDs {
                    #expect(html.contains("aria-labelledby=\"\(id)-title \(id)-desc\""), "\(id)")
                    #expect(html.contains("href=\"/organize/toulouse/insights/csv/\(id)\""), "\(id)")
                }
                #expect(html.components(separatedBy: "role=\"img\"").count - 1 == InsightsCharts.chapterIDs.count)
                // Attendance: 10 with a seat each; 8, 6 and 10 came: 20%, 40%, 0% no-shows (DisplayFormatter.percent).
                #expect(html.contains("<td>10</td><td>8</td><td>0</td><td>20%</td>"))
                #expect(html.contains("<td>10</td><td>6</td><td>0</td><td>40%</td>"))
                #expect(html.contains("<td>10</td><td>10</td><td>0</td><td>0%</td>"))
                // Newcomers: everyone at the first; at the second, persons 5–7 had come before.
                #expect(html.contains("<td>8</td><td>0</td></tr>"))
                #expect(html.contains("<td>3</td><td>3</td></tr>"))
                // Job families and companies (counts only, no names of people).
                #expect(html.contains("Software engineer") == false)
                #expect(html.contains("<th scope=\"row\">Engineering</th><td>2</td>"))
                #expect(html.contains("<th scope=\"row\">Consulting</th><td>22</td>"))
                #expect(!html.contains("Quinquies"), "no attendee's name on the insights")
                // The waitlist, and the demand curve: 1 registration five days before the last evening, 12 on the day.
                #expect(html.contains("<td>1</td></tr></tbody>"))
                #expect(html.contains("<th scope=\"row\">3 days before</th><td>0</td><td>0</td><td>1</td></tr>"))
                #expect(html.contains("<th scope=\"row\">Day of</th><td>11</td><td>11</td><td>12</td></tr>"))
                // Feedback 9, 10, 7: average 8.7; one contact among the ten who came.
                #expect(html.contains("Average feedback score: 8.7 out of 10 (3 answers)."))
                #expect(html.contains("<td>1</td><td>10</td><td>0.1</td>"))

                let csv = try await client.get("/organize/toulouse/insights/csv/companies", as: organizer)
                #expect(csv.status == .ok)
                #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(csv.headers[.contentDisposition]?.contains("toulouse-insights-companies-represented.csv") == true)
                #expect(csv.text.contains("\"'=HYPERLINK(\"\"http://x\"\")\",1"), "the formula is neutralised and quoted")
                #expect(csv.text.contains("Indépendante,23"))
                let attendance = try await client.get("/organize/toulouse/insights/csv/attendance", as: organizer, language: "fr")
                #expect(attendance.text.hasPrefix("\u{FEFF}Soirée,Avec une place,Venues,Sans inscription,Absences\r\n"))

                let french = try await client.get("/organize/toulouse/insights", as: organizer, language: "fr")
                #expect(french.text.contains("Présence et absences"))
                #expect(french.text.contains("Note moyenne\u{202F}: 8,7 sur 10"))
                // French percentages: a narrow no-break space before the sign.
                #expect(french.text.contains("<td>10</td><td>6</td><td>0</td><td>40\u{202F}%</td>"))
                #expect(html.contains("<th scope=\"row\">1 day before</th>") && html.contains("<th scope=\"row\">3 days before</th>"))

                // Another chapter's organiser, an unknown chart: 404, like something that does not exist.
                #expect(try await client.get("/organize/toulouse/insights", as: stranger).status == .notFound)
                #expect(try await client.get("/organize/toulouse/insights/csv/companies", as: stranger).status == .notFound)
                #expect(try await client.get("/organize/toulouse/insights/csv/people", as: organizer).status == .notFound)
                // The other chapter has no evening yet: its page says so.
                let empty = try await client.get("/organize/lyon/insights", as: stranger)
                #expect(empty.status == .ok)
                #expect(empty.text.contains("No data yet"))
            }
        }
    }

    // MARK: The network

    @Test(arguments: DatabaseKind.available)
    func theNetworkForAdminsAndInNumbersForEveryone(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let (chapter, _) = try await Self.seed(db)
            _ = try await Fixture.chapter(db, slug: "lyon")
            // Nantes held its only evening 200 days ago: dormant.
            let nantes = try await Fixture.chapter(db, slug: "nantes")
            let nantesEvening = try await OverbookingTests.pastEvening(db, chapter: nantes, daysAgo: 200, confirmed: 10, came: 5, from: 100)
            // A walk-in came too: she hides none of the five who held a seat and did not come.
            _ = try await db.door.addWalkIn(event: nantesEvening.id, profile: Fixture.profile(150, first: "Walk"), by: "Door", now: nantesEvening.startsAt)
            let admin = try await Accounts.signIn(app, email: "admin@example.org", role: .networkAdmin)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: [chapter.slug])
            try await app.application.test(.router) { client in
                let overview = try await client.get("/admin", as: admin)
                #expect(overview.text.contains("href=\"/admin/insights\""))
                let page = try await client.get("/admin/insights", as: admin)
                #expect(page.status == .ok)
                let html = page.text
                #expect(html.contains("3 chapters in 1 countries; 4 evenings held; 30 people came."))
                // Toulouse: 21 people came, 3 of them twice: 14 % came back; 8.7 average; no rotation, no quiz.
                #expect(html.contains("<th scope=\"row\">#LinkedInLocal Toulouse</th><td>14</td><td>3</td><td>0</td><td>0</td><td>8.7</td><td>0.0</td></tr>"))
                #expect(html.contains("<strong>#LinkedInLocal Nantes</strong> — <span class=\"health\">Dormant</span>"))
                #expect(!html.contains("<strong>#LinkedInLocal Lyon</strong>"), "a chapter opened this month is new, not dormant")
                #expect(html.contains("<th scope=\"row\">France</th><td>30</td><td>3</td><td>4</td>"))
                for id in ["countries", "growth-evenings", "growth-people", "best"] {
                    #expect(html.contains("aria-labelledby=\"\(id)-title \(id)-desc\""), "\(id)")
                }
                let csv = try await client.get("/admin/insights/csv/chapters", as: admin)
                #expect(csv.status == .ok)
                #expect(csv.text.contains("#LinkedInLocal Toulouse,France,3,24,20%,14%,8.7,0.0,Active\r\n"))
                #expect(csv.text.contains("#LinkedInLocal Nantes,France,1,6,50%,0%,—,0.0,Dormant\r\n"))
                #expect(try await client.get("/admin/insights/csv/nothing", as: admin).status == .notFound)
                // Not for organisers: 404, like something that does not exist.
                #expect(try await client.get("/admin/insights", as: organizer).status == .notFound)
                #expect(try await client.get("/admin/insights/csv/chapters", as: organizer).status == .notFound)

                // The public figures, linked from the home page, in both languages.
                let home = try await client.execute(uri: "/", method: .get, headers: [.acceptLanguage: "en"])
                #expect(home.text.contains("href=\"/network\""))
                let numbers = try await client.execute(uri: "/network", method: .get, headers: [.acceptLanguage: "en"])
                #expect(numbers.status == .ok)
                #expect(numbers.text.contains("<strong>3</strong> chapters"))
                #expect(numbers.text.contains("<strong>1</strong> country"))
                #expect(numbers.text.contains("<strong>4</strong> evenings held"))
                #expect(numbers.text.contains("<strong>1</strong> contact exchanged"))
                let french = try await client.execute(uri: "/network", method: .get, headers: [.acceptLanguage: "fr"])
                #expect(french.text.contains("<strong>4</strong> soirées tenues"))
            }
        }
    }

    // MARK: The JSON API

    @Test(arguments: DatabaseKind.available)
    func insightsOverJSON(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let (chapter, _) = try await Self.seed(db)
            let other = try await Fixture.chapter(db, slug: "lyon")
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: [chapter.slug])
            let stranger = try await Accounts.signIn(app, email: "lyon@example.org", chapters: [other.slug])
            let admin = try await Accounts.signIn(app, email: "admin@example.org", role: .networkAdmin)
            let token = try await db.accounts.issueToken(for: organizer.user.id, now: app.clock.now())
            let strangerToken = try await db.accounts.issueToken(for: stranger.user.id, now: app.clock.now())
            let adminToken = try await db.accounts.issueToken(for: admin.user.id, now: app.clock.now())
            try await app.application.test(.router) { client in
                let response = try await client.execute(uri: "/api/v1/chapters/toulouse/insights", method: .get, headers: jsonHeaders(token))
                #expect(response.status == .ok)
                let json = try response.json()
                let evenings = try #require(json["evenings"] as? [[String: Any]])
                #expect(evenings.map { $0["came"] as? Int } == [8, 6, 10])
                #expect(evenings.map { $0["regulars"] as? Int } == [0, 3, 0])
                #expect(evenings.map { $0["waitlisted"] as? Int } == [0, 0, 1])
                // The demand curve runs as the page's table: from 30 days before (index 0) to the day of
                // (index 30); the last evening had 1 registration three days before, 12 on the day.
                let demand = try #require(evenings[2]["demand"] as? [Int])
                #expect(demand.count == 31)
                #expect(demand[0] == 0 && demand[27] == 1 && demand[30] == 12, "\(demand)")
                #expect(demand == demand.sorted(), "cumulative, oldest first")
                #expect(evenings.map { ($0["demand"] as? [Int])?.last } == [11, 11, 12], "the table's day-of row")
                #expect((json["scoreCounts"] as? [Int])?[10] == 1)
                #expect(!response.text.contains("person"), "counts only, never a person")
                #expect(try await client.execute(uri: "/api/v1/chapters/toulouse/insights", method: .get, headers: jsonHeaders(strangerToken)).status == .notFound)
                #expect(try await client.execute(uri: "/api/v1/chapters/toulouse/insights", method: .get, headers: jsonHeaders()).status == .unauthorized)

                let network = try await client.execute(uri: "/api/v1/network/insights", method: .get, headers: jsonHeaders(adminToken))
                #expect(network.status == .ok)
                let chapters = try #require(try network.json()["chapters"] as? [[String: Any]])
                let toulouse = try #require(chapters.first { $0["slug"] as? String == "toulouse" })
                #expect(toulouse["people"] as? Int == 21 && toulouse["returning"] as? Int == 3 && toulouse["health"] as? String == "active")
                #expect(try await client.execute(uri: "/api/v1/network/insights", method: .get, headers: jsonHeaders(token)).status == .forbidden)
            }
        }
    }

    // MARK: The generated network

    /// `rendezvous demo --scale large` at a small size: every evening filled, checked in, answered.
    @Test(arguments: DatabaseKind.available)
    func theGeneratedNetworkIsCoherent(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { db in
            let now = Fixture.start
            try await LargeNetwork.generate(db, size: .init(chapters: 3, events: 4, registrations: 20), now: now)
            #expect(try await LargeNetwork.chapterCount(db) == 3)
            let chapter = try #require(try await db.chapters.chapter(slug: "bench-1"))
            let insights = try await db.network.chapterInsights(of: chapter.id, now: now)
            #expect(insights.evenings.count == 4)
            for evening in insights.evenings {
                #expect(evening.expected == 18 && evening.waitlisted == 2, "90 % with a seat, the rest waiting")
                #expect(evening.came > 0 && evening.came <= 18)
                #expect(evening.newcomers + evening.regulars == evening.came)
                #expect(evening.demand[0] == 20 && evening.demand[30] == 0, "registered within the 30 days before")
            }
            #expect(insights.evenings.first?.regulars == 0, "nobody came before the first evening")
            let rollup = try await db.network.networkRollup(now: now)
            #expect(rollup.chapters.count == 3)
            #expect(rollup.chapters.allSatisfy { $0.evenings == 4 && $0.people > 0 && $0.answers > 0 })
        }
    }
}
