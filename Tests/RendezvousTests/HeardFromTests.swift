import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RendezvousDomain
import RendezvousLocalization
@testable import RendezvousPersistence
@testable import RendezvousWeb
import SQLKit
import Testing

/// "How did you hear about us?" (issue 15): an optional choice on the registration form and the
/// API, checked, stored on the registration, counted on the chapter's insights (chart, table, CSV,
/// JSON), exported and erased with the person's data.
@Suite("How did you hear about us")
struct HeardFromTests {
    struct Stored: Decodable { var heardFrom: String? }
    static func stored(_ db: Persistence, _ email: String) async throws -> Stored? {
        try await db.sql.raw("SELECT heard_from FROM registrations WHERE email = \(bind: email)").row(Stored.self)
    }

    @Test(arguments: DatabaseKind.available)
    func theFormAndTheAPIAskCheckAndStoreIt(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 10)
            try await app.application.test(.router) { client in
                func register(_ fields: [String: String], language: String = "en") async throws -> TestResponse {
                    try await client.execute(uri: "/events/\(event.id)/register", method: .post,
                                             headers: [.contentType: "application/x-www-form-urlencoded", .acceptLanguage: language],
                                             body: PageTests.form(["firstName": "Léa", "lastName": "Roux", "jobTitle": "Dev", "acceptCodeOfConduct": "on"].merging(fields) { $1 }))
                }
                // The form offers it, optional, "prefer not to say" first and chosen.
                let page = try await client.execute(uri: "/events/\(event.id)", method: .get, headers: [.acceptLanguage: "en"])
                #expect(page.text.contains("<label for=\"f-heardFrom\">How did you hear about us? <span class=\"optional\">(optional)</span></label>"))
                #expect(page.text.contains("<option value=\"\" selected>Prefer not to say</option>"))
                #expect(page.text.contains("<option value=\"friend_or_colleague\">A friend or colleague</option>"))
                let french = try await client.execute(uri: "/events/\(event.id)", method: .get, headers: [.acceptLanguage: "fr"])
                #expect(french.text.contains("Comment nous avez-vous connus\u{202F}?"))

                // An unknown code: the form comes back with the error on the field, in the person's language, the rest kept.
                let wrong = try await register(["email": "wrong@example.org", "heardFrom": "tv"], language: "fr")
                #expect(wrong.status == .unprocessableContent)
                #expect(wrong.text.contains("<div class=\"field heard-from has-error\">"))
                #expect(wrong.text.contains("<p class=\"error\" id=\"f-heardFrom-error\">\(Strings.message(for: .notAChoice, .fr))</p>"))
                #expect(wrong.text.contains("value=\"wrong@example.org\""))
                #expect(try await Self.stored(db, "wrong@example.org") == nil, "nothing registered")

                #expect(try await register(["email": "friend@example.org", "heardFrom": "friend_or_colleague"]).status == .seeOther)
                #expect(try await Self.stored(db, "friend@example.org")?.heardFrom == "friend_or_colleague")
                #expect(try await register(["email": "silent@example.org", "heardFrom": ""]).status == .seeOther)
                #expect(try await Self.stored(db, "silent@example.org")?.heardFrom == nil)

                // The API: a code, nothing, or an unknown code (422 naming the field, in the caller's language).
                let uri = "/api/v1/events/\(event.id)/registrations"
                func json(_ email: String, _ extra: String) -> ByteBuffer {
                    ByteBuffer(string: #"{"firstName":"Ana","lastName":"N","email":"\#(email)","jobTitle":"Dev","acceptCodeOfConduct":true\#(extra)}"#)
                }
                #expect(try await client.execute(uri: uri, method: .post, headers: jsonHeaders(), body: json("api@example.org", #","heardFrom":"linkedin""#)).status == .created)
                #expect(try await Self.stored(db, "api@example.org")?.heardFrom == "linkedin")
                #expect(try await client.execute(uri: uri, method: .post, headers: jsonHeaders(), body: json("none@example.org", "")).status == .created)
                #expect(try await Self.stored(db, "none@example.org")?.heardFrom == nil)
                let bad = try await client.execute(uri: uri, method: .post, headers: [.contentType: "application/json", .acceptLanguage: "fr"],
                                                   body: json("bad@example.org", #","heardFrom":"LinkedIn ads""#))
                #expect(bad.status == .unprocessableContent)
                #expect((try bad.json()["fields"] as? [String: String])?["heardFrom"] == Strings.message(for: .notAChoice, .fr))
                #expect(try await Self.stored(db, "bad@example.org") == nil)
            }
        }
    }

    /// Two past evenings of Toulouse: answers counted per registration over them, walk-ins and
    /// seats copied to a second evening apart; another chapter's answers never.
    @Test(arguments: DatabaseKind.available)
    func theInsightsCountItInAChartATableACSVAndJSON(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let a = try await OverbookingTests.pastEvening(db, chapter: chapter, daysAgo: 60, confirmed: 6, came: 5)
            let b = try await OverbookingTests.pastEvening(db, chapter: chapter, daysAgo: 30, confirmed: 6, came: 6, from: 10)
            func answer(_ event: Event, _ emails: [String], _ code: String) async throws {
                try await db.sql.raw("UPDATE registrations SET heard_from = \(bind: code) WHERE event_id = \(bind: event.id.uuid) AND email IN \(SQLBind.group(emails))").run()
            }
            try await answer(a, ["person0@example.org", "person1@example.org", "person2@example.org"], "linkedin")
            try await answer(a, ["person3@example.org"], "chapter_mail")
            try await answer(b, ["person10@example.org"], "linkedin")
            try await answer(b, ["person11@example.org", "person12@example.org"], "friend_or_colleague")
            // Not counted: a walk-in, and a copy of a waitlist place (the same person's same answer).
            _ = try await db.door.addWalkIn(event: b.id, profile: Fixture.profile(60), by: "Door", now: b.startsAt)
            try await db.sql.raw("UPDATE registrations SET heard_from = 'search' WHERE email = 'person60@example.org'").run()
            try await db.sql.raw("UPDATE registrations SET heard_from = 'search', origin_registration_id = \(bind: UUID()) WHERE event_id = \(bind: b.id.uuid) AND email = 'person13@example.org'").run()
            // Another chapter's evening.
            let lyon = try await Fixture.chapter(db, slug: "lyon")
            let other = try await OverbookingTests.pastEvening(db, chapter: lyon, daysAgo: 20, confirmed: 3, came: 3, from: 40)
            try await db.sql.raw("UPDATE registrations SET heard_from = 'event_listing' WHERE event_id = \(bind: other.id.uuid)").run()

            let counts = try await db.network.heardFrom(events: [a.id, b.id])
            #expect(counts.counts == [.linkedin: 4, .chapterMail: 1, .friendOrColleague: 2])
            // 14 registrations (6 + 1 cancelled each), 7 answered, the copied one apart.
            #expect(counts.unanswered == 6)

            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: [chapter.slug])
            let token = try await db.accounts.issueToken(for: organizer.user.id, now: app.clock.now())
            try await app.application.test(.router) { client in
                let page = try await client.get("/organize/toulouse/insights", as: organizer)
                let html = page.text
                #expect(html.contains("aria-labelledby=\"heard-from-title heard-from-desc\""))
                #expect(html.contains("<a href=\"#heard-from\">How people heard of the meetup</a>"))
                #expect(html.contains("Registrations to the last 2 evenings, by their answer to “How did you hear about us?” (optional: 6 did not say)."))
                #expect(html.contains("<th scope=\"col\">Source</th><th scope=\"col\">Registrations</th>"))
                #expect(html.contains("<th scope=\"row\">LinkedIn</th><td>4</td>"))
                #expect(html.contains("<th scope=\"row\">A friend or colleague</th><td>2</td>"))
                #expect(html.contains("<th scope=\"row\">The chapter’s mail</th><td>1</td>"))
                #expect(html.contains("<th scope=\"row\">A web search</th><td>0</td>"))
                #expect(html.contains("<th scope=\"row\">An events listing</th><td>0</td>"), "Lyon's answers are Lyon's")
                let french = try await client.get("/organize/toulouse/insights", as: organizer, language: "fr")
                #expect(french.text.contains("<th scope=\"row\">LinkedIn</th><td>4</td>"))

                let csv = try await client.get("/organize/toulouse/insights/csv/heard-from", as: organizer)
                #expect(csv.status == .ok)
                #expect(csv.headers[.contentDisposition]?.contains("toulouse-insights-how-people-heard-of-the-meetup.csv") == true)
                #expect(csv.text == "\u{FEFF}Source,Registrations\r\nLinkedIn,4\r\nA friend or colleague,2\r\nThe chapter’s mail,1\r\nA web search,0\r\nAn events listing,0\r\nOther,0\r\n")

                let response = try await client.execute(uri: "/api/v1/chapters/toulouse/insights", method: .get, headers: jsonHeaders(token))
                let json = try response.json()
                let heard = try #require(json["heardFrom"] as? [[String: Any]])
                #expect(heard.map { $0["name"] as? String } == ["linkedin", "friend_or_colleague", "chapter_mail", "search", "event_listing", "other"])
                #expect(heard.map { $0["count"] as? Int } == [4, 2, 1, 0, 0, 0])
                #expect(json["heardFromUnanswered"] as? Int == 6)
            }
        }
    }

    /// The person's data: exported with the registration, and erased with it.
    @Test(arguments: DatabaseKind.available)
    func itIsExportedAndErased(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 10)
            var profile = Fixture.profile(1)
            profile.heardFrom = .search
            let outcome = try await db.registrations.register(profile, for: event.id, now: Fixture.start)
            let exported = try await db.personalData.export(.registration(outcome.registration.id.uuid), now: Fixture.start)
            #expect(exported.registrations.map(\.heardFrom) == ["search"])
            _ = try await db.personalData.erase(.registration(outcome.registration.id.uuid), now: Fixture.start)
            struct Row: Decodable { var heardFrom: String? }
            let row = try await db.sql.raw("SELECT heard_from FROM registrations WHERE id = \(bind: outcome.registration.id.uuid)").row(Row.self)
            #expect(row != nil && row?.heardFrom == nil)
        }
    }
}
