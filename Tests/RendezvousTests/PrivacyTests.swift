import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RendezvousDomain
@testable import RendezvousPersistence
@testable import RendezvousWeb
import SQLKit
import Testing

/// The network forgets on time (retention), blocks people, logs who views attendees, and shows
/// its processing register.
@Suite("Privacy: retention, blocking, register")
struct PrivacyTests {
    /// Every table, with its text columns, as the database itself lists them.
    static func textColumns(_ persistence: Persistence) async throws -> [(table: String, column: String)] {
        struct Column: Decodable { var tableName: String; var columnName: String }
        switch persistence.kind {
        case .sqlite:
            struct Table: Decodable { var name: String }
            struct Info: Decodable { var name: String; var type: String }
            var result: [(String, String)] = []
            for table in try await persistence.sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").rows(Table.self) {
                for info in try await persistence.sql.raw("PRAGMA table_info(\(ident: table.name))").rows(Info.self)
                where ["TEXT", "VARCHAR", ""].contains(info.type.uppercased()) || info.type.uppercased().contains("CHAR") {
                    result.append((table.name, info.name))
                }
            }
            return result
        case .postgres:
            return try await persistence.sql.raw("""
                SELECT table_name, column_name FROM information_schema.columns
                WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying')
                """).rows(Column.self).map { ($0.tableName, $0.columnName) }
        }
    }

    static func columns(of table: String, _ persistence: Persistence) async throws -> [String] {
        struct Name: Decodable { var name: String }
        switch persistence.kind {
        case .sqlite: return try await persistence.sql.raw("PRAGMA table_info(\(ident: table))").rows(Name.self).map(\.name)
        case .postgres:
            return try await persistence.sql.raw("""
                SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = \(bind: table)
                """).rows(Name.self).map(\.name)
        }
    }

    /// Where a text is stored: "table.column" for each column that holds it.
    static func whereStored(_ needle: String, _ persistence: Persistence) async throws -> [String] {
        var found: [String] = []
        for (table, column) in try await textColumns(persistence) {
            let count = try await persistence.sql.raw("""
                SELECT COUNT(*) AS count FROM \(ident: table) WHERE \(ident: column) LIKE \(bind: "%" + needle + "%")
                """).row(CountRow.self)?.count ?? 0
            if count > 0 { found.append("\(table).\(column)") }
        }
        return found
    }

    @Test(arguments: DatabaseKind.available)
    func everyColumnOfThePeopleTablesDeclaresItsPrivacyClass(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { persistence in
            for table in PrivacyRules.tablesHoldingPeople {
                let columns = try await Self.columns(of: table, persistence)
                #expect(!columns.isEmpty, "\(table) exists")
                #expect(PrivacyRules.unclassified(table: table, columns: columns) == [],
                        "\(table): declare each new column's privacy class in PrivacyRules.fields")
            }
            // The rules name no column that does not exist.
            for field in PrivacyRules.fields {
                #expect(try await Self.columns(of: field.table, persistence).contains(field.column), "\(field.table).\(field.column)")
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func theNetworkForgetsOnTimeOnceEvenInParallel(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let old = try await Fixture.event(db, chapter: chapter, capacity: 10, startsIn: 2, title: "Old evening")
            let marker = "zq" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
            var profile = Fixture.profile(1)
            profile.firstName = "First\(marker)"; profile.lastName = "Last\(marker)"; profile.email = "\(marker)@example.org"
            profile.jobTitle = "Job \(marker)"; profile.company = "Company \(marker)"
            profile.linkedinURL = "https://www.linkedin.com/in/\(marker)"; profile.askMeAbout = "Ask \(marker)"
            let outcome = try await db.registrations.register(profile, for: old.id, now: app.clock.now())
            let registration = outcome.registration.id.uuid
            let other = try await db.registrations.register(Fixture.profile(2), for: old.id, now: app.clock.now())
            // Every field the rules call "typed by a person" holds the marker, whatever the form allows.
            for column in PrivacyRules.fillable(in: "registrations") {
                try await db.sql.raw("UPDATE registrations SET \(ident: column) = \(bind: "\(column) \(marker)") WHERE id = \(bind: registration)").run()
            }
            try await db.sql.raw("UPDATE registrations SET checked_in_at = \(bind: app.clock.now()), checked_in_by = \(bind: "Door \(marker)") WHERE id = \(bind: registration)").run()
            let question = UUID()
            try await db.sql.raw("""
                INSERT INTO registration_questions (id, chapter_id, event_id, position, kind, label, choices, required, created_at)
                VALUES (\(bind: question), \(bind: chapter.id.uuid), \(bind: old.id.uuid), 0, 'text', 'Diet?', '', \(bind: false), \(bind: app.clock.now()))
                """).run()
            try await db.sql.raw("INSERT INTO registration_answers (registration_id, question_id, answer) VALUES (\(bind: registration), \(bind: question), \(bind: "Answer \(marker)"))").run()
            let session = UUID()
            try await db.sql.raw("""
                INSERT INTO quiz_sessions (id, event_id, quiz_id, code, title, questions, teams, phase, question_index, version, created_at)
                VALUES (\(bind: session), \(bind: old.id.uuid), \(bind: UUID()), 'ABCD', 'Quiz', '[]', \(bind: false), 'lobby', 0, 0, \(bind: app.clock.now()))
                """).run()
            try await db.sql.raw("""
                INSERT INTO quiz_players (id, session_id, registration_id, name, joined_ms) VALUES (\(bind: UUID()), \(bind: session), \(bind: registration), \(bind: "Nick \(marker)"), 0)
                """).run()
            try await db.sql.raw("""
                INSERT INTO audit_log (id, chapter_id, user_id, user_name, action, subject, created_at)
                VALUES (\(bind: UUID()), \(bind: chapter.id.uuid), NULL, 'Orga', 'attendee.added', \(bind: "First\(marker) · Old evening"), \(bind: app.clock.now()))
                """).run()
            _ = try await db.incidents.report(event: old.id, description: "Incident \(marker)", reporterName: "Reporter \(marker)",
                                              reporterContact: "\(marker)@example.net", now: app.clock.now())
            try await db.sql.raw("UPDATE incident_reports SET handling_note = \(bind: "Note \(marker)"), handled_by = \(bind: "Orga \(marker)")").run()
            // The evening's feedback: the words go, the score stays.
            try await db.sql.raw("""
                INSERT INTO feedback (id, event_id, chapter_id, registration_id, score, comment, created_at, updated_at)
                VALUES (\(bind: UUID()), \(bind: old.id.uuid), \(bind: chapter.id.uuid), \(bind: registration), 8, \(bind: "Comment \(marker)"),
                        \(bind: app.clock.now()), \(bind: app.clock.now()))
                """).run()
            // The confirmation mail was queued with the registration: its copy names the person.
            try await db.sql.raw("UPDATE outbox SET payload = \(bind: "{\"note\":\"\(marker)\"}"), last_error = \(bind: "550 \(marker)") WHERE registration_id = \(bind: registration)").run()
            #expect(try await Self.whereStored(marker, db).count >= 12)

            // A meetup that ended 23 months ago is kept; one a year later is not.
            let recent = try await Fixture.event(db, chapter: chapter, capacity: 10, startsIn: 2 + 30 * 13, title: "Recent evening")
            _ = try await db.registrations.register(Fixture.profile(3), for: recent.id, now: app.clock.now())
            app.clock.advance(by: 2 * 86400 + 23 * 31 * 86400)
            #expect(try await RetentionService.runOnce(app.services) == RetentionRun(), "nothing is due before 24 months")
            #expect(try await Self.whereStored(marker, db).count >= 12)

            app.clock.advance(by: 62 * 86400)
            async let first = RetentionService.runOnce(app.services)
            async let second = RetentionService.runOnce(app.services)
            let runs = try await [first, second]
            #expect(runs.map(\.events).reduce(0, +) == 1, "two instances at once anonymise the event once")
            #expect(runs.map(\.registrations).reduce(0, +) == 2)
            #expect(runs.flatMap(\.outboxIDs).count == 2, "both confirmation copies are emptied")
            #expect(try await Self.whereStored(marker, db) == [], "the marker is nowhere in the database")

            // Counts, check-ins and statuses survive; links stop working; the recent meetup is untouched.
            let registrations = try await db.registrations.registrations(of: old.id)
            #expect(registrations.count == 2)
            #expect(registrations.allSatisfy { $0.status == .confirmed && $0.profile.email.isEmpty && $0.profile.firstName.isEmpty })
            struct Checked: Decodable { var checkedInAt: Date? }
            #expect(try await db.sql.raw("SELECT checked_in_at FROM registrations WHERE id = \(bind: registration)").row(Checked.self)?.checkedInAt != nil)
            #expect(try await db.registrations.registration(manageToken: outcome.registration.manageToken) == nil)
            #expect(try await db.registrations.registration(manageToken: other.registration.manageToken) == nil)
            #expect(try await db.registrations.registrations(of: recent.id).allSatisfy { !$0.profile.email.isEmpty })
            struct Score: Decodable { var score: Int }
            #expect(try await db.sql.raw("SELECT score FROM feedback").rows(Score.self).map(\.score) == [8])
            let log = try await db.team.auditLog(of: chapter.id)
            #expect(log.contains { $0.action == "privacy.anonymised" && $0.subject == "Old evening (2)" })

            // Running again changes nothing.
            #expect(try await RetentionService.runOnce(app.services) == RetentionRun())
            #expect(try await db.team.auditLog(of: chapter.id).count == log.count)
        }
    }

    @Test func theOutboxFilesOfEmptiedMessagesAreDeleted() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rv-eml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let gone = UUID(), kept = UUID()
        for id in [gone, kept] {
            FileManager.default.createFile(atPath: directory.appendingPathComponent("outbox-\(id.uuidString.lowercased()).eml").path, contents: Data("To: x".utf8))
        }
        RetentionService.removeMessageFiles([gone], directory: directory.path)
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(left == ["outbox-\(kept.uuidString.lowercased()).eml"])
    }

    @Test(arguments: DatabaseKind.available)
    func adminsSetTheRetentionAndReadTheRegister(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            _ = try await Fixture.chapter(app.persistence)
            let admin = try await Accounts.signIn(app, email: "admin@example.org", role: .networkAdmin)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            try await app.application.test(.router) { client in
                let overview = try await client.get("/admin", as: admin)
                #expect(overview.text.contains("href=\"/admin/privacy\""))
                #expect(overview.text.contains("href=\"/admin/blocks\""))
                let register = try await client.get("/admin/privacy", as: admin)
                #expect(register.status == .ok)
                // Generated from the rules: every personal field is a row.
                for field in PrivacyRules.fields where field.isPersonal {
                    #expect(register.text.contains("<code>\(field.column)</code>"), "\(field.table).\(field.column)")
                }
                #expect(register.text.contains("Legitimate interest (GDPR art. 6(1)(f))"))
                #expect(register.text.contains("Erased 24 months after the meetup"))
                let french = try await client.get("/admin/privacy", as: admin, language: "fr")
                #expect(french.text.contains("Registre des traitements"))
                #expect(french.text.contains("Effacé 24\u{202F}mois après la rencontre"))
                #expect(try await client.get("/admin/privacy", as: organizer).status == .notFound)

                let bad = try await client.post("/admin/privacy/retention", as: admin, ["months": "0"])
                #expect(bad.status == .unprocessableContent)
                #expect(bad.text.contains("id=\"f-months-error\""))
                #expect(try await app.persistence.privacy.retentionMonths() == 24)
                #expect(try await client.post("/admin/privacy/retention", as: organizer, ["months": "1"]).status == .notFound)
                let saved = try await client.post("/admin/privacy/retention", as: admin, ["months": "12"])
                #expect(saved.status == .seeOther)
                #expect(try await app.persistence.privacy.retentionMonths() == 12)
                #expect(try await client.get("/admin/privacy?done=saved", as: admin).text.contains("Erased 12 months after the meetup"))
                struct Entry: Decodable { var action: String; var subject: String }
                let entries = try await app.persistence.sql.raw("SELECT action, subject FROM audit_log WHERE chapter_id IS NULL").rows(Entry.self)
                #expect(entries.contains { $0.action == "privacy.retention" && $0.subject == "24 → 12" })
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aBlockedPersonIsRefusedEverywhereWithoutBeingTold(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            _ = try await Fixture.chapter(app.persistence, slug: "paris")
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10, startsIn: 0.05)
            let admin = try await Accounts.signIn(app, email: "admin@example.org", role: .networkAdmin)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            let email = "Blocked.Person@Example.org"
            try await app.application.test(.router) { client in
                #expect(try await client.post("/admin/blocks", as: organizer, ["email": email, "reason": "x"]).status == .notFound)
                let missing = try await client.post("/admin/blocks", as: admin, ["email": "not-an-email", "reason": ""])
                #expect(missing.status == .unprocessableContent)
                #expect(missing.text.contains("id=\"f-email-error\"") && missing.text.contains("id=\"f-reason-error\""))
                let blocked = try await client.post("/admin/blocks", as: admin, ["email": email, "reason": "Harassment at the March meetup"])
                #expect(blocked.status == .seeOther)
                #expect(try await client.post("/admin/blocks", as: admin, ["email": " blocked.person@example.org", "reason": "again"]).headers[.location] == "/admin/blocks?done=already")
                let list = try await client.get("/admin/blocks", as: admin)
                #expect(list.text.contains("Harassment at the March meetup"))
                #expect(!list.text.lowercased().contains("blocked.person@example.org"))
                // Only a keyed hash is stored: the address is nowhere in the database.
                #expect(try await PrivacyTests.whereStored("blocked.person", app.persistence) == [])
                #expect(try await PrivacyTests.whereStored("Blocked.Person", app.persistence) == [])

                // The form: a neutral refusal, in the visitor's language, and no registration.
                let fields = ["firstName": "Bea", "lastName": "Blocked", "email": "blocked.person@example.org", "jobTitle": "Coach", "company": "X"]
                let form = try await client.execute(uri: "/events/\(event.id)/register", method: .post, headers: PageTests.formHeaders, body: PageTests.form(fields))
                #expect(form.status == .unprocessableContent)
                #expect(form.text.contains("We could not register you for this meetup. Contact the organisers."))
                #expect(!form.text.lowercased().contains("block"))
                var french = PageTests.formHeaders
                french[.acceptLanguage] = "fr"
                let formFR = try await client.execute(uri: "/events/\(event.id)/register", method: .post, headers: french, body: PageTests.form(fields))
                #expect(formFR.text.contains("Nous n’avons pas pu vous inscrire à cette rencontre. Contactez les organisateurs."))
                // The API.
                let api = try await client.execute(uri: "/api/v1/events/\(event.id)/registrations", method: .post, headers: jsonHeaders(),
                                                   body: ByteBuffer(string: Fixture.registrationJSON(1, email: "BLOCKED.person@example.org")))
                #expect(api.status == .unprocessableContent)
                #expect(try api.json()["error"] as? String == "We could not register you for this meetup. Contact the organisers.")
                // An organiser adding them by hand, or importing them.
                let byHand = try await client.post("/organize/events/\(event.id)/attendees", as: organizer, fields)
                #expect(byHand.status == .unprocessableContent)
                // At the door, as a walk-in with their address.
                await #expect(throws: RegistrationActionError.refused) {
                    _ = try await app.persistence.door.addWalkIn(event: event.id, profile: AttendeeProfile(firstName: "Bea", lastName: "B", email: email, jobTitle: "", company: ""),
                                                                 by: "Door", now: app.clock.now())
                }
                #expect(try await app.persistence.registrations.registrations(of: event.id).isEmpty)
                // Someone else registers as usual.
                #expect(try await client.execute(uri: "/events/\(event.id)/register", method: .post, headers: PageTests.formHeaders,
                                                 body: PageTests.form(fields.merging(["email": "someone@example.org"]) { $1 })).status == .seeOther)

                // The admin lifts the block: they can register again. Both are in the log, without the address.
                let id = try #require(try await app.persistence.privacy.blockedPeople().first?.id)
                #expect(try await client.post("/admin/blocks/\(id.uuidString.lowercased())/remove", as: organizer).status == .notFound)
                #expect(try await client.post("/admin/blocks/\(id.uuidString.lowercased())/remove", as: admin).status == .seeOther)
                #expect(try await client.post("/admin/blocks/\(id.uuidString.lowercased())/remove", as: admin).status == .notFound)
                #expect(try await client.execute(uri: "/events/\(event.id)/register", method: .post, headers: PageTests.formHeaders, body: PageTests.form(fields)).status == .seeOther)
                struct Entry: Decodable { var action: String; var subject: String }
                let entries = try await app.persistence.sql.raw("SELECT action, subject FROM audit_log WHERE chapter_id IS NULL ORDER BY created_at").rows(Entry.self)
                #expect(entries.map(\.action) == ["privacy.blocked", "privacy.unblocked"])
                #expect(entries.allSatisfy { !$0.subject.lowercased().contains("blocked.person") })
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func organisersViewingTheAttendeeTableIsLoggedPerPage(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10, title: "Soirée de mars")
            for index in 0..<3 { _ = try await app.persistence.registrations.register(Fixture.profile(index), for: event.id, now: app.clock.now()) }
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            try await app.application.test(.router) { client in
                #expect(try await client.get("/organize/events/\(event.id)", as: organizer).status == .ok)
                #expect(try await client.get("/organize/events/\(event.id)", as: organizer).status == .ok)
                _ = try await client.get("/organize/events/\(event.id)/attendees.csv", as: organizer)
                let log = try await app.persistence.team.auditLog(of: chapter.id)
                #expect(log.filter { $0.action == "attendees.viewed" }.count == 2, "one entry per page view, not per row")
                #expect(log.contains { $0.action == "attendees.viewed" && $0.userName == "Orga" && $0.subject == "Soirée de mars" })
                #expect(log.contains { $0.action == "attendees.exported" })
                let page = try await client.get("/organize/toulouse/audit", as: organizer)
                #expect(page.text.contains("opened the attendee list (names and emails)"))
            }
        }
    }

    /// Issue 16, F4: a `+tag` on the address does not get a blocked person back in, for
    /// registering nor for following a chapter (a neutral answer, nothing stored or sent); dots
    /// are kept (docs/security.md).
    @Test(arguments: DatabaseKind.available)
    func aBlockHoldsWhateverTheAddressTagAndForFollowingToo(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 10)
            // Already following a chapter: the block ends it (the address and its tags, no one else).
            for address in ["harasser.guy+news@example.org", "harasser_guy@example.org"] {
                try await db.sql.raw("""
                    INSERT INTO chapter_audience (id, chapter_id, email, language, status, salt, created_at)
                    VALUES (\(bind: UUID()), \(bind: chapter.id.uuid), \(bind: address), 'en', 'following', \(bind: Secret.token()), \(bind: app.clock.now()))
                    """).run()
            }
            #expect(try await db.privacy.block(email: "Harasser.Guy@example.org", reason: "Harassment", by: "Admin", now: app.clock.now()))
            #expect(try await db.privacy.block(email: "harasser.guy+other@example.org", reason: "again", by: "Admin", now: app.clock.now()) == false,
                    "the same person")
            #expect(try await db.privacy.isBlocked(email: "harasser.guy+meetup@example.org"))
            #expect(try await db.privacy.isBlocked(email: "harasserguy@example.org") == false, "dots are kept")
            try await app.application.test(.router) { client in
                let fields = ["firstName": "Guy", "lastName": "H", "email": "harasser.guy+meetup@example.org", "jobTitle": "X", "company": "X",
                              "acceptCodeOfConduct": "on"]
                let form = try await client.execute(uri: "/events/\(event.id)/register", method: .post, headers: PageTests.formHeaders, body: PageTests.rawForm(fields))
                #expect(form.status == .unprocessableContent)
                #expect(form.text.contains("We could not register you for this meetup. Contact the organisers."))
                #expect(try await db.registrations.registrations(of: event.id).isEmpty)
                // Following: the same answer as anyone's, and nothing stored or sent.
                let anyone = try await client.execute(uri: "/chapters/\(chapter.slug)/follow?lang=en", method: .post, headers: PageTests.formHeaders,
                                                      body: PageTests.rawForm(["email": "someone@example.org"]))
                for address in ["harasser.guy+meetup@example.org", "HARASSER.GUY@example.org"] {
                    let follow = try await client.execute(uri: "/chapters/\(chapter.slug)/follow?lang=en", method: .post, headers: PageTests.formHeaders,
                                                          body: PageTests.rawForm(["email": address]))
                    #expect(follow.status == anyone.status)
                    #expect(follow.text.replacingOccurrences(of: address, with: "someone@example.org") == anyone.text)
                }
                struct Row: Decodable { var email: String }
                let audience = try await db.sql.raw("SELECT email FROM chapter_audience").rows(Row.self).map(\.email)
                #expect(Set(audience) == ["someone@example.org", "harasser_guy@example.org"])
                let mails = try await db.sql.raw("SELECT recipient AS email FROM outbox WHERE kind = 'followConfirm'").rows(Row.self).map(\.email)
                #expect(mails == ["someone@example.org"])
            }
        }
    }
}
