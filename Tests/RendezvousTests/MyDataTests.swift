import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import RendezvousDomain
@testable import RendezvousMail
@testable import RendezvousPersistence
@testable import RendezvousWeb
import SQLKit
import Testing

/// Attendees serve themselves (issue 16): the code of conduct accepted at registration, "My data"
/// from My Rendezvous and from a manage link (see, download, consents, erase), the admins' requests
/// by mail, the JSON API, and an erasure that leaves a person's marker nowhere.
@Suite("My data: conduct, export, consents, erasure")
struct MyDataTests {
    static func location(_ response: TestResponse) -> String { response.headers[.location] ?? "" }

    static func token(fromManage location: String) -> String {
        String(location.components(separatedBy: "?")[0].dropFirst("/manage/".count))
    }

    // MARK: The code of conduct

    @Test(arguments: DatabaseKind.available)
    func registeringAcceptsTheCodeOfConductAndRecordsWhen(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 5)
            try await app.application.test(.router) { client in
                let page = try await client.execute(uri: "/events/\(event.id)?lang=en", method: .get)
                #expect(page.text.contains("name=\"acceptCodeOfConduct\""))
                #expect(page.text.contains("I have read and accept the <a href=\"/code-of-conduct\""))
                let fields = ["firstName": "Zoé", "lastName": "Prinčeva", "email": "zoe@example.org", "jobTitle": "Coach"]
                // Not ticked: refused, the reason on the box, what was typed kept.
                let refused = try await client.execute(uri: "/events/\(event.id)/register", method: .post,
                                                       headers: [.contentType: "application/x-www-form-urlencoded", .acceptLanguage: "en"],
                                                       body: PageTests.rawForm(fields))
                #expect(refused.status == .unprocessableContent)
                #expect(refused.text.contains("id=\"f-acceptCodeOfConduct-error\">Accept the code of conduct to register.</p>"))
                #expect(refused.text.contains("value=\"Prinčeva\""))
                let french = try await client.execute(uri: "/events/\(event.id)/register", method: .post,
                                                      headers: [.contentType: "application/x-www-form-urlencoded", .acceptLanguage: "fr"],
                                                      body: PageTests.rawForm(fields))
                #expect(french.text.contains("Acceptez le code de conduite pour vous inscrire."))
                #expect(try await app.persistence.registrations.registrations(of: event.id).isEmpty)
                // Ticked: registered, with the time.
                app.clock.advance(by: 60)
                let registered = try await client.execute(uri: "/events/\(event.id)/register", method: .post, headers: PageTests.formHeaders,
                                                          body: PageTests.rawForm(fields.merging(["acceptCodeOfConduct": "on"]) { $1 }))
                #expect(registered.status == .seeOther)
                struct Row: Decodable { var conductAcceptedAt: Date? }
                let stored = try await app.persistence.sql.raw("SELECT conduct_accepted_at FROM registrations WHERE email = 'zoe@example.org'").row(Row.self)
                #expect(stored?.conductAcceptedAt == app.clock.now())
                // The API: a required boolean, with the error on the field.
                let api = try await client.execute(uri: "/api/v1/events/\(event.id)/registrations", method: .post, headers: jsonHeaders(),
                                                   body: ByteBuffer(string: #"{"firstName":"Bo","lastName":"Api","email":"bo@example.org","jobTitle":"Dev"}"#))
                #expect(api.status == .unprocessableContent)
                #expect((try api.json()["fields"] as? [String: String])?["acceptCodeOfConduct"] == "Accept the code of conduct to register.")
                let falsy = try await client.execute(uri: "/api/v1/events/\(event.id)/registrations", method: .post, headers: jsonHeaders(),
                                                     body: ByteBuffer(string: #"{"firstName":"Bo","lastName":"Api","email":"bo@example.org","jobTitle":"Dev","acceptCodeOfConduct":false}"#))
                #expect(falsy.status == .unprocessableContent)
                let created = try await client.execute(uri: "/api/v1/events/\(event.id)/registrations", method: .post, headers: jsonHeaders(),
                                                       body: ByteBuffer(string: #"{"firstName":"Bo","lastName":"Api","email":"bo@example.org","jobTitle":"Dev","acceptCodeOfConduct":true}"#))
                #expect(created.status == .created)
                let api2 = try await app.persistence.sql.raw("SELECT conduct_accepted_at FROM registrations WHERE email = 'bo@example.org'").row(Row.self)
                #expect(api2?.conductAcceptedAt != nil)
                // The manage page's edits do not ask again; a consent changed there is recorded.
                let manage = Self.token(fromManage: Self.location(registered))
                let edit = try await client.execute(uri: "/manage/\(manage)/profile", method: .post, headers: PageTests.formHeaders,
                                                    body: PageTests.rawForm(fields.merging(["jobTitle": "Coach agile", "consentList": "on"]) { $1 }))
                #expect(edit.status == .seeOther)
                struct Change: Decodable { var consent: String; var given: Bool; var source: String }
                let changes = try await app.persistence.sql.raw("SELECT consent, given, source FROM consent_changes").rows(Change.self)
                #expect(changes.count == 1)
                #expect(changes.first?.consent == "list" && changes.first?.given == true && changes.first?.source == "manage")
            }
        }
    }

    // MARK: My Rendezvous

    @Test(arguments: DatabaseKind.available)
    func anAttendeeSeesDownloadsAndChangesEveryConsentAtOnce(_ kind: DatabaseKind) async throws {
        try await withApp(kind, pageCacheTTL: 3600) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let first = try await Fixture.event(db, chapter: chapter, capacity: 10, title: "Rencontre de mars")
            let second = try await Fixture.event(db, chapter: chapter, capacity: 10, startsIn: 60, title: "Rencontre de mai")
            var profile = Fixture.profile(1, first: "Karim")
            profile.email = "karim@example.org"
            profile.consents = Consents(attendeeList: true, profileSharing: true)
            _ = try await db.registrations.register(profile, for: first.id, now: app.clock.now())
            _ = try await db.registrations.register(profile, for: second.id, now: app.clock.now())
            _ = try await db.registrations.register(Fixture.profile(2), for: first.id, now: app.clock.now())
            try await app.application.test(.router) { client in
                // The event page lists Karim (and is now cached).
                #expect(try await client.execute(uri: "/events/\(first.id)?lang=en", method: .get).text.contains("Karim Quinquies 1"))
                #expect(try await client.execute(uri: "/me/data", method: .get).headers[.location] == "/me")
                let cookie = try await MeTests.signIn(client, app, email: "Karim@Example.org")
                let home = try await client.execute(uri: "/me", method: .get, headers: MeTests.headers(cookie))
                #expect(home.text.contains("href=\"/me/data\""))
                let page = try await client.execute(uri: "/me/data", method: .get, headers: MeTests.headers(cookie))
                #expect(page.status == .ok)
                #expect(page.headers[.cacheControl] == "no-store")
                #expect(page.text.contains("Rencontre de mars") && page.text.contains("Rencontre de mai"))
                #expect(page.text.contains("karim@example.org"))
                #expect(!page.text.contains("Quinquies 2"), "another attendee's registration is not theirs")
                let french = try await client.execute(uri: "/me/data?lang=fr", method: .get, headers: MeTests.headers(cookie))
                #expect(french.text.contains("Mes données") && french.text.contains("Vos consentements"))

                // The download: one JSON file, both registrations, the sign-in too.
                let json = try await client.execute(uri: "/me/data.json", method: .get, headers: MeTests.headers(cookie))
                #expect(json.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"rendezvous-my-data-") == true)
                let exported = try json.json()
                #expect(exported["format"] as? String == "rendezvous-personal-data")
                #expect((exported["registrations"] as? [[String: Any]])?.count == 2)
                #expect((exported["signIns"] as? [[String: Any]])?.isEmpty == false)
                // As docs/data-export.md says: `usedAt` always there (null for a session), ids lowercase.
                let signIns = try #require(exported["signIns"] as? [[String: Any]])
                #expect(signIns.allSatisfy { $0.keys.contains("usedAt") })
                #expect(signIns.filter { $0["kind"] as? String == "session" }.allSatisfy { $0["usedAt"] is NSNull })
                let ids = (exported["registrations"] as? [[String: Any]] ?? []).flatMap { [$0["id"] as? String, ($0["event"] as? [String: Any])?["id"] as? String] }
                #expect(ids.count == 4 && ids.allSatisfy { $0 != nil && $0 == $0?.lowercased() })
                #expect(exported["photo"] is NSNull)
                #expect(try await client.execute(uri: "/me/data.json", method: .get).status == .unauthorized)

                // Every consent at once: no CSRF, no change.
                let csrf = try MeTests.csrf(page.text)
                #expect(try await client.execute(uri: "/me/data/consents", method: .post, headers: MeTests.form([:], cookie: cookie).0,
                                                 body: PageTests.rawForm(["consent-games": "on"])).status == .forbidden)
                let saved = try await client.execute(uri: "/me/data/consents", method: .post, headers: MeTests.form([:], cookie: cookie).0,
                                                     body: PageTests.rawForm(["_csrf": csrf, "consent-games": "on", "consent-mail": "on"]))
                #expect(saved.headers[.location] == "/me/data?done=consents")
                struct Consent: Decodable { var consentList: Bool; var consentProfile: Bool; var gamesConsent: Bool; var unsubscribed: Bool }
                let rows = try await db.sql.raw("SELECT consent_list, consent_profile, games_consent, unsubscribed FROM registrations WHERE email = 'karim@example.org'")
                    .rows(Consent.self)
                #expect(rows.count == 2)
                #expect(rows.allSatisfy { !$0.consentList && !$0.consentProfile && $0.gamesConsent && !$0.unsubscribed })
                // Recorded, with the time: two registrations × (list, profile, games) changed.
                struct Change: Decodable { var consent: String; var given: Bool; var source: String }
                let changes = try await db.sql.raw("SELECT consent, given, source FROM consent_changes").rows(Change.self)
                #expect(changes.count == 6)
                #expect(changes.allSatisfy { $0.source == "me" })
                #expect(changes.filter { $0.consent == "list" }.allSatisfy { !$0.given })
                // Effective at once: the cached event page no longer lists him.
                let after = try await client.execute(uri: "/events/\(first.id)?lang=en", method: .get)
                #expect(!after.text.contains("Karim Quinquies 1"))
                let shown = try await client.execute(uri: "/me/data?done=consents", method: .get, headers: MeTests.headers(cookie))
                #expect(shown.text.contains("Your consents are saved"))
                #expect(shown.text.contains("name=\"consent-games\" id=\"f-consent-games\" aria-describedby=\"f-consent-games-hint\" checked"))
                #expect(shown.text.contains("Consent changes"))
            }
        }
    }

    /// Issue 16, F1: a consent given on one registration only is shown as such and never spread
    /// to the others: unticking only the reminders writes (and records) the reminders only.
    @Test(arguments: DatabaseKind.available)
    func aMixedConsentStaysAsItIsUnlessChanged(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let a = try await Fixture.event(db, chapter: chapter, capacity: 10, title: "Soirée A")
            let b = try await Fixture.event(db, chapter: chapter, capacity: 10, startsIn: 60, title: "Soirée B")
            var profile = Fixture.profile(1, first: "Mona")
            profile.email = "mona@example.org"
            profile.consents = Consents(attendeeList: true, profileSharing: true)
            _ = try await db.registrations.register(profile, for: a.id, now: app.clock.now())
            profile.consents = Consents(attendeeList: false, profileSharing: false)
            _ = try await db.registrations.register(profile, for: b.id, now: app.clock.now())
            try await app.application.test(.router) { client in
                let cookie = try await MeTests.signIn(client, app, email: "mona@example.org")
                let page = try await client.execute(uri: "/me/data?lang=en", method: .get, headers: MeTests.headers(cookie))
                #expect(page.text.contains("on some of your registrations only"))
                // Dates in the chapter's time zone, named (F8), not UTC.
                #expect(page.text.contains("Europe/Paris</dd>") && !page.text.contains(" UTC</dd>"))
                #expect(page.text.contains("<input type=\"hidden\" name=\"was-consent-list\" value=\"mixed\">"))
                #expect(page.text.contains("<input type=\"radio\" name=\"consent-list\" value=\"keep\" checked>"))
                #expect(page.text.contains("<input type=\"hidden\" name=\"was-consent-mail\" value=\"on\">"))
                #expect(!page.text.contains("name=\"consent-list\" id=\"f-consent-list\" aria-describedby=\"f-consent-list-hint\" checked"),
                        "a consent given on one registration is not shown as given")
                let french = try await client.execute(uri: "/me/data?lang=fr", method: .get, headers: MeTests.headers(cookie))
                #expect(french.text.contains("sur certaines de vos inscriptions seulement") && french.text.contains("Laisser tel quel"))
                // The form as the browser sends it, only the reminders unticked.
                let saved = try await client.execute(uri: "/me/data/consents", method: .post, headers: MeTests.form([:], cookie: cookie).0, body: PageTests.rawForm([
                    "_csrf": try MeTests.csrf(page.text), "was-consent-list": "mixed", "consent-list": "keep", "was-consent-profile": "mixed",
                    "consent-profile": "keep", "was-consent-games": "off", "was-consent-news": "off", "was-consent-mail": "on"]))
                #expect(saved.status == .seeOther)
                struct Row: Decodable { var eventId: UUID; var consentList: Bool; var consentProfile: Bool; var unsubscribed: Bool }
                let rows = try await db.sql.raw("SELECT event_id, consent_list, consent_profile, unsubscribed FROM registrations WHERE email = 'mona@example.org'")
                    .rows(Row.self)
                let rowB = try #require(rows.first { $0.eventId == b.id.uuid })
                let rowA = try #require(rows.first { $0.eventId == a.id.uuid })
                #expect(!rowB.consentList && !rowB.consentProfile, "never given on B: still not")
                #expect(rowA.consentList && rowA.consentProfile)
                #expect(rowA.unsubscribed && rowB.unsubscribed)
                struct Change: Decodable { var consent: String; var given: Bool }
                let changes = try await db.sql.raw("SELECT consent, given FROM consent_changes").rows(Change.self)
                #expect(changes.count == 2 && changes.allSatisfy { $0.consent == "mail" && !$0.given })
                // Choosing "give on all" for a mixed one writes it where it was missing.
                _ = try await client.execute(uri: "/me/data/consents", method: .post, headers: MeTests.form([:], cookie: cookie).0, body: PageTests.rawForm([
                    "_csrf": try MeTests.csrf(page.text), "was-consent-list": "mixed", "consent-list": "on", "was-consent-profile": "mixed",
                    "consent-profile": "keep", "was-consent-mail": "off"]))
                let after = try await db.sql.raw("SELECT event_id, consent_list, consent_profile, unsubscribed FROM registrations WHERE email = 'mona@example.org'")
                    .rows(Row.self)
                #expect(after.allSatisfy { $0.consentList && $0.unsubscribed })
                #expect(after.first { $0.eventId == b.id.uuid }?.consentProfile == false)
                // The API writes only the keys sent.
                var apiHeaders = MeTests.headers(cookie)
                apiHeaders[.contentType] = "application/json"
                let api = try await client.execute(uri: "/api/v1/me/consents", method: .put, headers: apiHeaders,
                                                   body: ByteBuffer(string: #"{"mail":true}"#))
                #expect(api.status == .ok)
                let last = try await db.sql.raw("SELECT event_id, consent_list, consent_profile, unsubscribed FROM registrations WHERE email = 'mona@example.org'")
                    .rows(Row.self)
                #expect(last.allSatisfy { $0.consentList && !$0.unsubscribed })
                #expect(last.first { $0.eventId == b.id.uuid }?.consentProfile == false)
            }
        }
    }

    /// Issue 16, F2: the profile consent governs LinkedIn and "ask me about" for connected people too.
    @Test(arguments: DatabaseKind.available)
    func withdrawingTheProfileConsentHidesAskMeAboutFromPeopleMet(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 10)
            var nina = Fixture.profile(1, first: "Nina")
            nina.email = "nina@example.org"
            nina.askMeAbout = "sailing boats"
            nina.linkedinURL = "https://www.linkedin.com/in/nina"
            nina.consents = Consents(attendeeList: true, profileSharing: true)
            let mine = try await db.registrations.register(nina, for: event.id, now: app.clock.now())
            let other = try await db.registrations.register(Fixture.profile(2), for: event.id, now: app.clock.now())
            _ = try await db.contacts.weMet(me: other.registration.id, other: mine.registration.id, note: "", now: app.clock.now())
            _ = try await db.contacts.weMet(me: mine.registration.id, other: other.registration.id, note: "", now: app.clock.now())
            try await app.application.test(.router) { client in
                let cookie = try await MeTests.signIn(client, app, email: "person2@example.org")
                let before = String(buffer: try await client.execute(uri: "/me/people.json", method: .get, headers: MeTests.headers(cookie)).body)
                #expect(before.contains("sailing boats") && before.contains("linkedin.com"))
                try await db.personalData.setConsents(.email("nina@example.org"), [.profile: false], source: "me", now: app.clock.now())
                let json = String(buffer: try await client.execute(uri: "/me/people.json", method: .get, headers: MeTests.headers(cookie)).body)
                #expect(json.contains("Nina") && !json.contains("sailing boats") && !json.contains("linkedin.com/in/nina"))
                let me = String(buffer: try await client.execute(uri: "/me", method: .get, headers: MeTests.headers(cookie)).body)
                #expect(me.contains("Nina") && !me.contains("sailing boats"))
            }
        }
    }

    /// Issue 16, F3: the profile photo is in "My data" (a thumbnail), in its export (where and
    /// what type), and the register names its table and class it as a photo of the person.
    @Test(arguments: DatabaseKind.available)
    func theProfilePhotoIsInMyDataAndTheRegister(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 10)
            var profile = Fixture.profile(1, first: "Omar")
            profile.email = "omar@example.org"
            _ = try await db.registrations.register(profile, for: event.id, now: app.clock.now())
            let id = UUID()
            let name = id.uuidString.lowercased() + ".png"
            try await db.sql.raw("""
                INSERT INTO attendee_photos (id, email, name, content_type, bytes, width, height, created_at)
                VALUES (\(bind: id), 'omar@example.org', \(bind: name), 'image/png', \(bind: Data([0x89, 0x50, 0x4E, 0x47])), 64, 64, \(bind: app.clock.now()))
                """).run()
            let admin = try await Accounts.signIn(app, email: "admin@example.org", role: .networkAdmin)
            try await app.application.test(.router) { client in
                let cookie = try await MeTests.signIn(client, app, email: "omar@example.org")
                let page = try await client.execute(uri: "/me/data?lang=en", method: .get, headers: MeTests.headers(cookie))
                #expect(page.text.contains("<h2>Profile photo</h2>"))
                #expect(page.text.contains("<img class=\"data-photo\" src=\"/me/photos/\(name)\" alt=\"Your profile photo\""))
                #expect(try await client.execute(uri: "/me/data?lang=fr", method: .get, headers: MeTests.headers(cookie)).text.contains("Photo de profil"))
                let json = try await client.execute(uri: "/me/data.json", method: .get, headers: MeTests.headers(cookie)).json()
                let photo = try #require(json["photo"] as? [String: Any])
                #expect(photo["url"] as? String == "/me/photos/\(name)" && photo["contentType"] as? String == "image/png")
                #expect(try await client.execute(uri: "/me/photos/\(name)", method: .get, headers: MeTests.headers(cookie)).status == .ok)
                // The register: a translated heading, the picture classed as a photo of the person.
                let register = try await client.get("/admin/privacy?lang=en", as: admin).text
                #expect(register.contains("Profile photos") && register.contains("A photo of the person"))
                #expect(!register.contains(">attendee_photos<"))
                #expect(register.contains("Kept when the reporter erases their data"))
                let french = try await client.get("/admin/privacy?lang=fr", as: admin).text
                #expect(french.contains("Photos de profil") && french.contains("Photo de la personne"))
            }
        }
    }

    // MARK: A manage link

    @Test(arguments: DatabaseKind.available)
    func aManageLinkServesItsOneRegistrationAndErasesIt(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 1, title: "Soirée complète")
            let other = try await Fixture.event(db, chapter: chapter, capacity: 10, startsIn: 60, title: "Autre soirée")
            var profile = Fixture.profile(1, first: "Léa")
            profile.email = "lea@example.org"
            let mine = try await db.registrations.register(profile, for: event.id, now: app.clock.now())
            _ = try await db.registrations.register(profile, for: other.id, now: app.clock.now())
            let waiting = try await db.registrations.register(Fixture.profile(2), for: event.id, now: app.clock.now())
            #expect(waiting.registration.status == .waitlisted)
            let token = mine.registration.manageToken
            try await app.application.test(.router) { client in
                let manage = try await client.execute(uri: "/manage/\(token)?lang=en", method: .get)
                #expect(manage.text.contains("href=\"/manage/\(token)/data\""))
                let page = try await client.execute(uri: "/manage/\(token)/data?lang=en", method: .get)
                #expect(page.status == .ok)
                #expect(page.text.contains("Soirée complète") && !page.text.contains("Autre soirée"), "one registration, not the address's others")
                let download = try await client.execute(uri: "/manage/\(token)/data.json", method: .get)
                let json = try download.json()
                #expect((json["registrations"] as? [[String: Any]])?.count == 1)
                #expect(json["profile"] is NSNull, "present, null (docs/data-export.md)")
                #expect(json["photo"] is NSNull)
                let registrationID = try #require((json["registrations"] as? [[String: Any]])?.first?["id"] as? String)
                #expect(registrationID == mine.registration.id.uuid.uuidString.lowercased())
                #expect(((json["registrations"] as? [[String: Any]])?.first?["checkedInAt"]) is NSNull)
                #expect(try await client.execute(uri: "/manage/not-a-token/data", method: .get).status == .notFound)
                // Consents from the manage link: that registration only.
                let saved = try await client.execute(uri: "/manage/\(token)/data/consents", method: .post, headers: PageTests.formHeaders,
                                                     body: PageTests.rawForm(["consent-list": "on", "consent-news": "on"]))
                #expect(saved.headers[.location] == "/manage/\(token)/data?done=consents")
                struct Row: Decodable { var eventId: UUID; var consentNews: Bool }
                let rows = try await db.sql.raw("SELECT event_id, consent_news FROM registrations WHERE email = 'lea@example.org'").rows(Row.self)
                #expect(rows.first { $0.eventId == event.id.uuid }?.consentNews == true)
                #expect(rows.first { $0.eventId == other.id.uuid }?.consentNews == false)

                // Erasing asks first; keeping changes nothing.
                let ask = try await client.execute(uri: "/manage/\(token)/data/erase?lang=en", method: .post, headers: PageTests.formHeaders, body: ByteBuffer())
                #expect(ask.status == .ok)
                #expect(ask.text.contains("Erase my data") && ask.text.contains("name=\"confirm\" value=\"yes\""))
                #expect(try await db.registrations.registration(manageToken: token) != nil)
                let done = try await client.execute(uri: "/manage/\(token)/data/erase?lang=en", method: .post, headers: PageTests.formHeaders,
                                                    body: PageTests.rawForm(["confirm": "yes"]))
                #expect(done.status == .ok)
                #expect(done.text.contains("Your data is erased"))
                // The link opens nothing now; the seat went to the waitlist; the other registration stays.
                #expect(try await client.execute(uri: "/manage/\(token)", method: .get).status == .notFound)
                #expect(try await db.registrations.registration(id: waiting.registration.id)?.status == .offered)
                let left = try await db.registrations.registrations(of: event.id)
                #expect(left.count == 2, "organisers keep the count")
                #expect(left.contains { $0.status == .cancelled && $0.profile.email.isEmpty && $0.profile.firstName.isEmpty })
                #expect(try await db.registrations.registrations(of: other.id).first?.profile.email == "lea@example.org")
            }
        }
    }

    // MARK: Erasure leaves nothing

    /// Keeps what the application logged, message and metadata.
    final class Logs: LogHandler, @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            lock.withLock { lines.append("\(event.message) \(event.metadata ?? [:]) \(metadata)") }
        }
        var text: String { lock.withLock { lines.joined(separator: "\n") } }
    }

    @Test(arguments: DatabaseKind.available)
    func anErasedPersonsMarkerIsNowhere(_ kind: DatabaseKind) async throws {
        let outbox = FileManager.default.temporaryDirectory.appendingPathComponent("rv-erase-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: outbox) }
        let logs = Logs()
        try await withDatabase(kind) { db in
            let clock = ManualClock(Fixture.start)
            var configuration = WebConfiguration(baseURL: "https://rendezvous.test", rateLimit: .off, pageCacheTTL: 3600)
            configuration.outboxDirectory = outbox.path
            let services = try await AppServices(persistence: db, clock: clock, configuration: configuration, logger: Logger(label: "erase") { _ in logs })
            defer { services.live.stop() }
            let app = TestApp(services: services, clock: clock)
            let m = "zq" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(14).lowercased()
            let email = "\(m)@example.org"
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 10, title: "Soirée d’hiver")
            let later = try await Fixture.event(db, chapter: chapter, capacity: 10, startsIn: 60, title: "Soirée de printemps")
            let question = try await db.questions.add(try RegistrationQuestion.Input(label: "Diet?", kind: "text", scope: "event").validated().get(), chapter: chapter.id,
                                                      event: event.id, now: clock.now())
            let other = try await db.registrations.register(Fixture.profile(2), for: event.id, now: clock.now())
            try await app.application.test(.router) { client in
                // Every field a person fills, with the marker: the form, the API, the profile.
                let form = ["firstName": "First\(m)", "lastName": "Last\(m)", "email": email, "jobTitle": "Job \(m)", "company": "Company \(m)",
                            "linkedinUrl": "https://www.linkedin.com/in/\(m)", "askMeAbout": "Ask \(m)", "consentList": "on", "consentProfile": "on",
                            "q-\(question.id.description)": "Answer \(m)", "acceptCodeOfConduct": "on"]
                let registered = try await client.execute(uri: "/events/\(event.id)/register", method: .post, headers: PageTests.formHeaders,
                                                          body: PageTests.rawForm(form))
                #expect(registered.status == .seeOther)
                let created = try await client.execute(uri: "/api/v1/events/\(later.id)/registrations", method: .post, headers: jsonHeaders(), body: ByteBuffer(string: """
                    {"firstName":"First\(m)","lastName":"Last\(m)","email":"\(email)","jobTitle":"Job \(m)","askMeAbout":"Ask \(m)","acceptCodeOfConduct":true}
                    """))
                #expect(created.status == .created)
                let mine = try #require(try await db.registrations.registration(manageToken: Self.token(fromManage: Self.location(registered))))
                let cookie = try await MeTests.signIn(client, app, email: email)
                let profilePage = try await client.execute(uri: "/me/profile", method: .get, headers: MeTests.headers(cookie))
                let saved = try await client.execute(uri: "/me/profile", method: .post, headers: MeTests.form([:], cookie: cookie).0, body: PageTests.rawForm([
                    "_csrf": try MeTests.csrf(profilePage.text), "firstName": "First\(m)", "lastName": "Last\(m)", "jobTitle": "Job \(m)",
                    "company": "Company \(m)", "linkedinUrl": "https://www.linkedin.com/in/\(m)", "askMeAbout": "Ask \(m)", "shareEmail": "on"]))
                #expect(saved.status == .seeOther)
                // We met (with a note each side), a quiz nickname and answer, a report filed with their address,
                // an organiser's note and the activity log naming them, a feedback comment, a chapter followed.
                _ = try await db.contacts.weMet(me: mine.id, other: other.registration.id, note: "Note \(m)", now: clock.now())
                _ = try await db.contacts.weMet(me: other.registration.id, other: mine.id, note: "About \(m)", now: clock.now())
                let session = UUID(), player = UUID()
                try await db.sql.raw("""
                    INSERT INTO quiz_sessions (id, event_id, quiz_id, code, title, questions, teams, phase, question_index, version, created_at)
                    VALUES (\(bind: session), \(bind: event.id.uuid), \(bind: UUID()), 'ABCD', 'Quiz', '[]', \(bind: false), 'lobby', 0, 0, \(bind: clock.now()))
                    """).run()
                try await db.sql.raw("""
                    INSERT INTO quiz_players (id, session_id, registration_id, name, team, joined_ms)
                    VALUES (\(bind: player), \(bind: session), \(bind: mine.id.uuid), \(bind: "Nick \(m)"), \(bind: "Team \(m)"), 0)
                    """).run()
                try await db.sql.raw("""
                    INSERT INTO quiz_answers (id, session_id, player_id, question_index, answer, elapsed_ms, received_ms, is_right, points)
                    VALUES (\(bind: UUID()), \(bind: session), \(bind: player), 0, \(bind: "Quiz \(m)"), 100, 100, \(bind: true), 10)
                    """).run()
                // The report's description is the one field erasure keeps (a safety record, said on the
                // erase page): it gets its own marker, so `m` must still be nowhere.
                let kept = "zk" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(14).lowercased()
                _ = try await db.incidents.report(event: event.id, description: "Someone was rude \(kept).", reporterName: "Reporter \(m)",
                                                  reporterContact: email, reporterEmail: email, now: clock.now())
                try await db.sql.raw("UPDATE registrations SET organizer_note = \(bind: "Orga \(m)") WHERE id = \(bind: mine.id.uuid)").run()
                try await db.sql.raw("""
                    INSERT INTO audit_log (id, chapter_id, user_id, user_name, action, subject, created_at)
                    VALUES (\(bind: UUID()), \(bind: chapter.id.uuid), NULL, 'Orga', 'attendee.cancelled', \(bind: "First\(m) Last\(m) · Soirée d’hiver"), \(bind: clock.now()))
                    """).run()
                try await db.sql.raw("""
                    INSERT INTO feedback (id, event_id, chapter_id, registration_id, score, comment, created_at, updated_at)
                    VALUES (\(bind: UUID()), \(bind: event.id.uuid), \(bind: chapter.id.uuid), \(bind: mine.id.uuid), 5, \(bind: "Loved it \(m)"), \(bind: clock.now()), \(bind: clock.now()))
                    """).run()
                try await db.sql.raw("""
                    INSERT INTO chapter_audience (id, chapter_id, email, language, status, salt, created_at)
                    VALUES (\(bind: UUID()), \(bind: chapter.id.uuid), \(bind: email), 'fr', 'following', \(bind: Secret.token()), \(bind: clock.now()))
                    """).run()
                // The mails go out through the file transport: .eml copies name them.
                let sender = OutboxSender(persistence: db, composer: MessageComposer(persistence: db, baseURL: "https://rendezvous.test", from: MeTests.from),
                                          transport: FileTransport(directory: outbox.path), clock: clock, logger: Logger(label: "sender") { _ in logs })
                while try await sender.sendDue() > 0 {}
                let files = { try FileManager.default.contentsOfDirectory(atPath: outbox.path).map { try String(contentsOfFile: outbox.appendingPathComponent($0).path, encoding: .utf8) } }
                #expect(try files().contains { $0.contains(m) }, "the mails name them before")
                let before = try await PrivacyTests.whereStored(m, db)
                #expect(before.count >= 20, "\(before)")
                struct File: Decodable { var file: String }
                let path = kind == .sqlite ? try #require(try await db.sql.raw("PRAGMA database_list").rows(File.self).first?.file) : ""
                func sqliteFilesHold(_ text: String) -> [String] {
                    ["", "-wal", "-shm"].filter { FileManager.default.contents(atPath: path + $0)?.range(of: Data(text.utf8)) != nil }
                }
                if kind == .sqlite { #expect(!sqliteFilesHold(m).isEmpty, "the files hold the marker before") }

                // They erase themselves from My Rendezvous.
                let dataPage = try await client.execute(uri: "/me/data", method: .get, headers: MeTests.headers(cookie))
                let csrf = try MeTests.csrf(dataPage.text)
                let ask = try await client.execute(uri: "/me/data/erase?lang=en", method: .post, headers: MeTests.form([:], cookie: cookie).0,
                                                   body: PageTests.rawForm(["_csrf": csrf]))
                #expect(ask.text.contains("2 registrations"))
                #expect(ask.text.contains("Incident reports you filed keep their description: it is a safety record"))
                let erased = try await client.execute(uri: "/me/data/erase?lang=en", method: .post, headers: MeTests.form([:], cookie: cookie).0,
                                                      body: PageTests.rawForm(["_csrf": csrf, "confirm": "yes"]))
                #expect(erased.status == .ok)
                #expect(erased.headers[.setCookie]?.contains("Max-Age=0") == true)
                #expect(try await client.execute(uri: "/me/data", method: .get, headers: MeTests.headers(cookie)).headers[.location] == "/me", "signed out")

                // Nowhere in the database…
                #expect(try await PrivacyTests.whereStored(m, db) == [])
                // …but for the fields classified as kept on erasure: exactly the report's description.
                #expect(PrivacyRules.keptOnErasure.map { "\($0.table).\($0.column)" } == ["incident_reports.description"])
                #expect(try await PrivacyTests.whereStored(kept, db) == ["incident_reports.description"])
                // …nor in the outbox's files, nor in the logs.
                #expect(try files().allSatisfy { !$0.contains(m) })
                #expect(!logs.text.contains(m), "\(logs.text)")
                // …nor anywhere in SQLite's files, free pages and write-ahead log included.
                if kind == .sqlite { #expect(sqliteFilesHold(m) == [], "the database's files hold the marker") }
                // The other person's "people I met" has no entry left; counts, the report and the score stay.
                #expect(try await db.contacts.people(mine: [other.registration.id]).isEmpty)
                #expect(try await db.registrations.registrations(of: event.id).count == 2)
                struct Report: Decodable { var description: String }
                #expect(try await db.sql.raw("SELECT description FROM incident_reports").rows(Report.self).map(\.description) == ["Someone was rude \(kept)."])
                struct Link: Decodable { var reporterRegistrationId: UUID?; var reporterEmailHash: String? }
                let link = try await db.sql.raw("SELECT reporter_registration_id, reporter_email_hash FROM incident_reports").rows(Link.self)
                #expect(link.count == 1 && link[0].reporterRegistrationId == nil && link[0].reporterEmailHash == nil, "the report no longer leads to them")
                struct Score: Decodable { var score: Int }
                #expect(try await db.sql.raw("SELECT score FROM feedback").rows(Score.self).map(\.score) == [5])
                struct Entry: Decodable { var action: String; var subject: String }
                let log = try await db.sql.raw("SELECT action, subject FROM audit_log WHERE chapter_id IS NULL").rows(Entry.self)
                #expect(log.map(\.action) == ["privacy.erased"])
                #expect(log.first?.subject.hasSuffix(" · 2") == true)
            }
        }
    }

    /// Anyone may type anyone's address as a report's contact: when that address's owner erases
    /// themselves, the address goes from the report, but the reporter who filed it stays named and linked.
    @Test(arguments: DatabaseKind.available)
    func erasingAnAddressTypedAsSomeoneElsesReportContactKeepsTheirReporter(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { db in
            let clock = ManualClock(Fixture.start)
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 10)
            let x = try await db.registrations.register(Fixture.profile(1), for: event.id, now: clock.now())
            _ = try await db.registrations.register(Fixture.profile(2), for: event.id, now: clock.now())
            let report = try await db.incidents.report(event: event.id, description: "Seen at the bar.", reporterName: "Xavière Filer",
                                                       reporterContact: "Person2@example.org", reporterRegistration: x.registration.id.uuid,
                                                       reporterEmail: "person1@example.org", now: clock.now())
            _ = try await db.personalData.erase(.email("person2@example.org"), now: clock.now())
            struct Row: Decodable { var reporterName: String; var reporterContact: String; var reporterRegistrationId: UUID?; var reporterEmailHash: String? }
            let row = try #require(try await db.sql.raw("""
                SELECT reporter_name, reporter_contact, reporter_registration_id, reporter_email_hash FROM incident_reports WHERE id = \(bind: report)
                """).row(Row.self))
            #expect(row.reporterContact == "", "the erased address goes")
            #expect(row.reporterName == "Xavière Filer")
            #expect(row.reporterRegistrationId == x.registration.id.uuid)
            #expect(row.reporterEmailHash == db.tokens.emailHash("person1@example.org"))
            // X still finds the report in their own data.
            #expect(try await db.personalData.export(.email("person1@example.org"), now: clock.now()).incidentReports.map(\.id) == [report])
        }
    }

    /// The erase step counts what the erasure anonymises: a registration to a meetup taken back to
    /// draft (hidden from My Rendezvous) is theirs too, and goes.
    @Test(arguments: DatabaseKind.available)
    func theEraseStepCountsTheRegistrationsTheErasureTakes(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let shown = try await Fixture.event(db, chapter: chapter, capacity: 10)
            let hidden = try await Fixture.event(db, chapter: chapter, capacity: 10, startsIn: 40, title: "Back to draft")
            _ = try await db.registrations.register(Fixture.profile(1), for: shown.id, now: app.clock.now())
            _ = try await db.registrations.register(Fixture.profile(1), for: hidden.id, now: app.clock.now())
            try await db.sql.raw("UPDATE events SET status = 'draft' WHERE id = \(bind: hidden.id.uuid)").run()
            try await app.application.test(.router) { client in
                let cookie = try await MeTests.signIn(client, app, email: "person1@example.org")
                let csrf = try MeTests.csrf(try await client.execute(uri: "/me/data", method: .get, headers: MeTests.headers(cookie)).text)
                let ask = try await client.execute(uri: "/me/data/erase?lang=en", method: .post, headers: MeTests.form([:], cookie: cookie).0,
                                                   body: PageTests.rawForm(["_csrf": csrf]))
                #expect(ask.text.contains("2 registrations"), "\(ask.text)")
                #expect(try await db.personalData.count(.email("Person1@example.org")) == 2)
            }
        }
    }

    // MARK: Requests by mail

    @Test(arguments: DatabaseKind.available)
    func aNetworkAdminExportsAndErasesForSomeoneLogged(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 10)
            var profile = Fixture.profile(1, first: "Nadia")
            profile.email = "nadia@example.org"
            _ = try await db.registrations.register(profile, for: event.id, now: app.clock.now())
            let admin = try await Accounts.signIn(app, email: "admin@example.org", role: .networkAdmin)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            try await app.application.test(.router) { client in
                #expect(try await client.get("/admin/privacy", as: admin).text.contains("href=\"/admin/privacy/person\""))
                #expect(try await client.get("/admin/privacy/person", as: admin).status == .ok)
                #expect(try await client.get("/admin/privacy/person", as: organizer).status == .notFound)
                #expect(try await client.post("/admin/privacy/person", as: organizer, ["email": "nadia@example.org", "do": "export"]).status == .notFound)
                let bad = try await client.post("/admin/privacy/person", as: admin, ["email": "nadia", "do": "export"])
                #expect(bad.status == .unprocessableContent)
                #expect(bad.text.contains("id=\"f-email-error\""))
                let export = try await client.post("/admin/privacy/person", as: admin, ["email": "NADIA@example.org", "do": "export"])
                #expect(export.status == .ok)
                #expect(export.headers[.contentDisposition]?.contains(".json") == true)
                #expect((try export.json()["registrations"] as? [[String: Any]])?.first?["firstName"] as? String == "Nadia")
                let ask = try await client.post("/admin/privacy/person", as: admin, ["email": "nadia@example.org", "do": "erase"])
                #expect(ask.text.contains("nadia@example.org") && ask.text.contains("name=\"confirm\" value=\"yes\""))
                // The admin acts for someone else: never "Erase my data"; the reports' exception is said.
                #expect(!ask.text.contains("Erase my data") && ask.text.contains("Erase their data"))
                #expect(ask.text.contains("Incident reports you filed keep their description"))
                #expect(try await db.registrations.registrations(of: event.id).first?.profile.email == "nadia@example.org")
                let erased = try await client.post("/admin/privacy/person", as: admin, ["email": "nadia@example.org", "do": "erase", "confirm": "yes"])
                #expect(erased.headers[.location] == "/admin/privacy/person?erased=1")
                #expect(try await client.get("/admin/privacy/person?erased=1", as: admin).text.contains("Erased: 1 registration."))
                #expect(try await db.registrations.registrations(of: event.id).first?.profile.email == "")
                // Logged with the admin's name and a reference, never the address.
                struct Entry: Decodable { var action: String; var userName: String; var subject: String }
                let log = try await db.sql.raw("SELECT action, user_name, subject FROM audit_log WHERE chapter_id IS NULL ORDER BY created_at, action DESC")
                    .rows(Entry.self)
                #expect(Set(log.map(\.action)) == ["privacy.exported", "privacy.erased"])
                #expect(log.allSatisfy { $0.userName == "Admin" && !$0.subject.contains("nadia") })
                let reference = db.personalData.reference(email: "nadia@example.org")
                #expect(log.allSatisfy { $0.subject == "\(reference) · 1" })
            }
        }
    }

    // MARK: The API

    @Test(arguments: DatabaseKind.available)
    func theAPIExportsChangesConsentsAndErasesWithTheSessionOrAManageToken(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 10)
            let later = try await Fixture.event(db, chapter: chapter, capacity: 10, startsIn: 60)
            var profile = Fixture.profile(1, first: "Ines")
            profile.email = "ines@example.org"
            let one = try await db.registrations.register(profile, for: event.id, now: app.clock.now())
            _ = try await db.registrations.register(profile, for: later.id, now: app.clock.now())
            try await app.application.test(.router) { client in
                #expect(try await client.execute(uri: "/api/v1/me/data", method: .get).status == .unauthorized)
                var byToken = jsonHeaders()
                byToken[.xManageToken] = one.registration.manageToken
                let single = try await client.execute(uri: "/api/v1/me/data", method: .get, headers: byToken)
                #expect((try single.json()["registrations"] as? [[String: Any]])?.count == 1)
                var forged = jsonHeaders()
                forged[.xManageToken] = "forged"
                #expect(try await client.execute(uri: "/api/v1/me/data", method: .get, headers: forged).status == .notFound)
                let cookie = try await MeTests.signIn(client, app, email: "ines@example.org")
                var bySession = jsonHeaders()
                bySession[.cookie] = "rv_me=\(cookie)"
                let all = try await client.execute(uri: "/api/v1/me/data", method: .get, headers: bySession)
                #expect((try all.json()["registrations"] as? [[String: Any]])?.count == 2)
                // Consents: a wrong type names the field; a change applies to every registration in scope.
                let wrong = try await client.execute(uri: "/api/v1/me/consents", method: .put, headers: bySession, body: ByteBuffer(string: #"{"list":"yes"}"#))
                #expect(wrong.status == .badRequest)
                #expect((try wrong.json()["fields"] as? [String: String])?["list"] != nil)
                let changed = try await client.execute(uri: "/api/v1/me/consents", method: .put, headers: bySession, body: ByteBuffer(string: #"{"games":true,"list":false}"#))
                #expect(changed.status == .ok)
                let consents = try #require(try changed.json()["consents"] as? [String: Bool])
                #expect(consents["games"] == true && consents["list"] == false)
                struct Change: Decodable { var source: String }
                #expect(try await db.sql.raw("SELECT source FROM consent_changes").rows(Change.self).map(\.source).allSatisfy { $0 == "api" })
                // Erasing by the manage token: that registration only.
                let erasedOne = try await client.execute(uri: "/api/v1/me/data", method: .delete, headers: byToken)
                #expect(erasedOne.status == .ok)
                #expect(try erasedOne.json()["registrations"] as? Int == 1)
                #expect(try await client.execute(uri: "/api/v1/me/data", method: .get, headers: byToken).status == .notFound)
                // By the session: everything else, and signed out.
                let erasedAll = try await client.execute(uri: "/api/v1/me/data", method: .delete, headers: bySession)
                #expect(try erasedAll.json()["registrations"] as? Int == 1)
                #expect(erasedAll.headers[.setCookie]?.contains("Max-Age=0") == true)
                #expect(try await client.execute(uri: "/api/v1/me/data", method: .get, headers: bySession).status == .unauthorized)
                struct Count: Decodable { var count: Int }
                #expect(try await db.sql.raw("SELECT COUNT(*) AS count FROM registrations WHERE email <> '' AND email <> 'person2@example.org'").row(Count.self)?.count == 0)
            }
        }
    }

    // MARK: Retention of the newer tables

    @Test(arguments: DatabaseKind.available)
    func retentionDeletesExpiredSignInsAndWhatAnonymisedRegistrationsLeft(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 10, startsIn: 2)
            var profile = Fixture.profile(1, first: "Ana")
            profile.email = "ana@example.org"
            let a = try await db.registrations.register(profile, for: event.id, now: app.clock.now())
            let b = try await db.registrations.register(Fixture.profile(2), for: event.id, now: app.clock.now())
            _ = try await db.contacts.weMet(me: a.registration.id, other: b.registration.id, note: "", now: app.clock.now())
            try await db.attendees.saveProfile(email: "ana@example.org", AttendeeAccountProfile(
                firstName: "Ana", lastName: "B", jobTitle: "", company: "", linkedinURL: "", askMeAbout: "", sharing: SharingChoices(email: false, linkedin: false)),
                now: app.clock.now())
            _ = try await db.attendees.requestSignIn(email: "ana@example.org", language: .en, now: app.clock.now())
            struct Count: Decodable { var count: Int }
            func count(_ table: String) async throws -> Int {
                try await db.sql.raw("SELECT COUNT(*) AS count FROM \(ident: table)").row(Count.self)?.count ?? -1
            }
            #expect(try await count("attendee_sign_in_links") == 1)
            // An hour later the link has expired: the hourly run deletes it, and nothing else yet.
            app.clock.advance(by: 3600)
            _ = try await RetentionService.runOnce(app.services)
            #expect(try await count("attendee_sign_in_links") == 0)
            #expect(try await count("contacts") == 1)
            #expect(try await count("attendee_profiles") == 1)
            // After the retention: the evening is anonymised, its links go, and so does the unused profile.
            app.clock.advance(by: 25 * 31 * 86400)
            _ = try await RetentionService.runOnce(app.services)
            #expect(try await count("contacts") == 0)
            #expect(try await count("attendee_profiles") == 0)
        }
    }
}
