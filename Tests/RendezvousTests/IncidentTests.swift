import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RendezvousDomain
import RendezvousMail
@testable import RendezvousPersistence
@testable import RendezvousWeb
import SQLKit
import Testing

/// Confidential incident reports: the public form without JavaScript, the notice by mail (without
/// the words), the case record for the chapter's organisers and the network admins only.
@Suite("Incident reports")
struct IncidentTests {
    struct Message: Decodable { var kind: String; var recipient: String; var payload: String }

    @Test(arguments: DatabaseKind.available)
    func aReportReachesOrganisersAndAdminsOnlyAndIsHandled(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            _ = try await Fixture.chapter(app.persistence, slug: "paris")
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10, title: "Soirée de mars")
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            let door = try await Accounts.signIn(app, email: "door@example.org", chapters: ["toulouse"])
            try await app.persistence.team.setMembership(user: door.user.id, chapter: chapter.id, role: .door, now: Fixture.start)
            let paris = try await Accounts.signIn(app, email: "paris@example.org", chapters: ["paris"])
            let admin = try await Accounts.signIn(app, email: "admin@example.org", role: .networkAdmin)
            let words = "He kept touching my shoulder near the bar " + UUID().uuidString
            try await app.application.test(.router) { client in
                // The form: plain HTML, no script needed, in the visitor's language.
                let form = try await client.execute(uri: "/report/\(event.id)", method: .get, headers: [.acceptLanguage: "fr"])
                #expect(form.status == .ok)
                #expect(form.text.contains("<h1>Signaler un incident</h1>"))
                #expect(form.text.contains("<form method=\"post\" action=\"/report/\(event.id)\">"))
                #expect(form.text.contains("name=\"description\""))
                #expect(form.headers[.cacheControl] == "no-store")
                #expect(try await client.execute(uri: "/report/\(UUID())", method: .get).status == .notFound)

                // Nothing written: the error is on the field.
                let empty = try await client.execute(uri: "/report/\(event.id)", method: .post, headers: PageTests.formHeaders,
                                                     body: PageTests.form(["description": "  ", "name": "Zoé"]))
                #expect(empty.status == .unprocessableContent)
                #expect(empty.text.contains("value=\"Zoé\""))
                #expect(empty.text.contains("class=\"field has-error\"><label for=\"f-description\""))

                // Anonymous.
                let sent = try await client.execute(uri: "/report/\(event.id)", method: .post, headers: PageTests.formHeaders,
                                                    body: PageTests.form(["description": words]))
                #expect(sent.status == .ok)
                #expect(sent.text.contains("Merci. Votre signalement est parvenu aux organisateurs et aux administrateurs du réseau"), "the chapter's language")
                #expect(!sent.text.contains(words))

                // Mail: to the organiser and the admin, not to door staff nor another chapter; never the words.
                let messages = try await app.persistence.sql.raw("SELECT kind, recipient, payload FROM outbox WHERE kind = 'incidentReported'").rows(Message.self)
                #expect(Set(messages.map(\.recipient)) == ["orga@example.org", "admin@example.org"])
                #expect(messages.allSatisfy { !$0.payload.contains("shoulder") })
                // The mail itself: in the chapter's language, names the meetup and links to the right list, without the words.
                let composer = MessageComposer(persistence: app.persistence, baseURL: "https://rendezvous.test", from: .init(name: "Rendezvous", email: "noreply@rendezvous.test"))
                let due = try await app.persistence.outbox.claimDueMessages(now: app.clock.now().addingTimeInterval(60)).filter { $0.kind == .incidentReported }
                #expect(due.count == 2)
                for item in due {
                    guard case .message(let mail) = try await composer.compose(item, now: app.clock.now()) else { Issue.record("not composed"); continue }
                    #expect(mail.subject == "Un signalement confidentiel pour #LinkedInLocal Toulouse")
                    #expect(mail.text.contains("«\u{202F}Soirée de mars\u{202F}»"))
                    #expect(!mail.text.contains("shoulder") && !mail.html.contains("shoulder"))
                    let list = item.recipient == "admin@example.org" ? "https://rendezvous.test/admin/incidents" : "https://rendezvous.test/organize/toulouse/incidents"
                    #expect(mail.text.contains(list), "\(item.recipient)")
                }

                // The organiser reads it; door staff and another chapter's organiser cannot; the admin sees every chapter's.
                let list = try await client.get("/organize/toulouse/incidents", as: organizer)
                #expect(list.status == .ok)
                #expect(list.text.contains(words))
                #expect(list.text.contains("Reported by anonymous"))
                #expect(try await client.get("/organize/toulouse/incidents", as: door).status == .notFound)
                #expect(try await client.get("/organize/toulouse/incidents", as: paris).status == .notFound)
                #expect(!(try await client.get("/organize/paris/incidents", as: paris).text.contains(words)))
                #expect(try await client.get("/admin/incidents", as: admin).text.contains(words))
                #expect(try await client.get("/admin/incidents", as: organizer).status == .notFound)

                // Never on a public page.
                for path in ["/", "/chapters/toulouse", "/events/\(event.id)", "/screen/\(event.id)?key=\(RoomLiveController.screenKey(event.id, vault: app.persistence.tokens))"] {
                    #expect(!(try await client.execute(uri: path, method: .get).text.contains(words)), "\(path)")
                }

                // The case record: handled with a note, audit-logged; another chapter cannot touch it.
                let report = try #require(try await app.persistence.incidents.reports(chapter: chapter.id).first)
                let id = report.id.uuidString.lowercased()
                #expect(try await client.post("/organize/paris/incidents/\(id)", as: paris, ["status": "handled", "note": "x"]).status == .notFound)
                #expect(try await client.post("/organize/toulouse/incidents/\(id)", as: door, ["status": "handled", "note": "x"]).status == .notFound)
                #expect(try await client.post("/organize/toulouse/incidents/\(id)", as: organizer, ["status": "handled", "note": "Spoke to him; he left."], csrf: "forged").status == .forbidden)
                let handled = try await client.post("/organize/toulouse/incidents/\(id)", as: organizer, ["status": "handled", "note": "Spoke to him; he left."])
                #expect(handled.status == .seeOther)
                let after = try #require(try await app.persistence.incidents.report(id: report.id))
                #expect(after.status == .handled && after.handlingNote == "Spoke to him; he left." && after.handledBy == "Orga")
                let page = try await client.get("/organize/toulouse/incidents?done=saved", as: organizer)
                #expect(page.text.contains("Handled by Orga on"))
                #expect(page.text.contains("value=\"open\""), "it can be reopened")
                let log = try await app.persistence.team.auditLog(of: chapter.id)
                #expect(log.contains { $0.action == "incident.handled" && $0.subject == "Soirée de mars" && !$0.subject.contains("shoulder") })
                // The admin reopens it.
                #expect(try await client.post("/admin/incidents/\(id)", as: admin, ["status": "open", "note": "Following up."]).status == .seeOther)
                #expect(try await app.persistence.incidents.report(id: report.id)?.status == .open)
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func reportersMayLeaveContactDetailsAndAreRateLimited(_ kind: DatabaseKind) async throws {
        try await withApp(kind, rateLimit: RateLimit(requests: 2, window: 60)) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10)
            try await app.application.test(.router) { client in
                let body = PageTests.form(["description": "Rude remarks at the door", "name": "Zoé", "contact": "zoe@example.org"])
                #expect(try await client.execute(uri: "/report/\(event.id)", method: .post, headers: PageTests.formHeaders, body: body).status == .ok)
                let report = try #require(try await app.persistence.incidents.reports(chapter: chapter.id).first)
                #expect(report.reporterName == "Zoé" && report.reporterContact == "zoe@example.org" && report.status == .open)
                _ = try await client.execute(uri: "/report/\(event.id)", method: .post, headers: PageTests.formHeaders, body: body)
                let third = try await client.execute(uri: "/report/\(event.id)", method: .post, headers: PageTests.formHeaders, body: body)
                #expect(third.status == .tooManyRequests)
                #expect(try await app.persistence.incidents.reports(chapter: chapter.id).count == 2)
            }
        }
    }
}

extension IncidentTests {
    @Test(arguments: DatabaseKind.available)
    func theAPIFilesAReportLikeTheForm(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10)
            _ = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            try await app.application.test(.router) { client in
                let empty = try await client.execute(uri: "/api/v1/events/\(event.id)/incidents", method: .post, headers: jsonHeaders(),
                                                     body: ByteBuffer(string: #"{"name":"Zoé"}"#))
                #expect(empty.status == .unprocessableContent)
                #expect((try empty.json()["fields"] as? [String: String])?["description"] != nil)
                let sent = try await client.execute(uri: "/api/v1/events/\(event.id)/incidents", method: .post, headers: jsonHeaders(),
                                                    body: ByteBuffer(string: #"{"description":"Pushy sales pitch after a clear no","contact":"+33 6 00 00 00 00"}"#))
                #expect(sent.status == .created)
                #expect(sent.text == #"{"status":"received"}"#)
                let report = try #require(try await app.persistence.incidents.reports(chapter: chapter.id).first)
                #expect(report.description == "Pushy sales pitch after a clear no" && report.reporterName.isEmpty && report.reporterContact == "+33 6 00 00 00 00")
                struct Message: Decodable { var recipient: String }
                #expect(try await app.persistence.sql.raw("SELECT recipient FROM outbox WHERE kind = 'incidentReported'").rows(Message.self).map(\.recipient) == ["orga@example.org"])
                #expect(try await client.execute(uri: "/api/v1/events/\(UUID())/incidents", method: .post, headers: jsonHeaders(),
                                                 body: ByteBuffer(string: #"{"description":"x"}"#)).status == .notFound)
            }
        }
    }

    /// Issue 16, F6: a report reaches a person's "My data" only when they filed it signed in to My
    /// Rendezvous or from their manage link, never because someone typed their address as contact.
    @Test(arguments: DatabaseKind.available)
    func aReportIsTiedToItsReporterOnlyBySessionOrManageLinkNeverByTheContactText(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 10)
            var victim = Fixture.profile(1, first: "Vera")
            victim.email = "vera@example.org"
            let vera = try await db.registrations.register(victim, for: event.id, now: app.clock.now())
            var other = Fixture.profile(2, first: "Paul")
            other.email = "paul@example.org"
            let paul = try await db.registrations.register(other, for: event.id, now: app.clock.now())
            try await app.application.test(.router) { client in
                // Someone puts Vera's address in the contact field: nothing reaches her "My data".
                let planted = try await client.execute(uri: "/report/\(event.id)", method: .post, headers: PageTests.formHeaders,
                                                       body: PageTests.rawForm(["description": "Planted text", "contact": "vera@example.org"]))
                #expect(planted.status == .ok)
                // Paul files from his manage page (the link carries it), Vera signed in to My Rendezvous.
                let manage = try await client.execute(uri: "/manage/\(paul.registration.manageToken)?lang=en", method: .get)
                #expect(manage.text.contains("/report/\(event.id)?manage=\(paul.registration.manageToken)"))
                let form = try await client.execute(uri: "/report/\(event.id)?manage=\(paul.registration.manageToken)", method: .get)
                #expect(form.text.contains("action=\"/report/\(event.id)?manage=\(paul.registration.manageToken)\""))
                _ = try await client.execute(uri: "/report/\(event.id)?manage=\(paul.registration.manageToken)", method: .post, headers: PageTests.formHeaders,
                                             body: PageTests.rawForm(["description": "Paul saw something"]))
                let cookie = try await MeTests.signIn(client, app, email: "vera@example.org")
                var headers = PageTests.formHeaders
                headers[.cookie] = "rv_me=\(cookie)"
                _ = try await client.execute(uri: "/report/\(event.id)", method: .post, headers: headers,
                                             body: PageTests.rawForm(["description": "Vera's own report"]))
                // A manage link of another meetup ties nothing: the report is filed, tied to nobody.
                let elsewhere = try await Fixture.event(db, chapter: chapter, capacity: 10, startsIn: 40, title: "Another meetup")
                let paulElsewhere = try await db.registrations.register(Fixture.profile(3, first: "Paul"), for: elsewhere.id, now: app.clock.now())
                _ = try await client.execute(uri: "/report/\(event.id)?manage=\(paulElsewhere.registration.manageToken)", method: .post,
                                             headers: PageTests.formHeaders, body: PageTests.rawForm(["description": "Unlinked"]))
                #expect(try await db.incidents.reports(chapter: chapter.id).count == 4)
                struct Tie: Decodable { var reporterRegistrationId: UUID?; var reporterEmailHash: String? }
                let unlinked = try await db.sql.raw("SELECT reporter_registration_id, reporter_email_hash FROM incident_reports WHERE description = 'Unlinked'")
                    .rows(Tie.self)
                #expect(unlinked.count == 1 && unlinked[0].reporterRegistrationId == nil && unlinked[0].reporterEmailHash == nil)
                #expect(try await db.personalData.export(.registration(paulElsewhere.registration.id.uuid), now: app.clock.now()).incidentReports.isEmpty)

                let veraData = try await db.personalData.export(.email("vera@example.org"), now: app.clock.now())
                #expect(veraData.incidentReports.map(\.description) == ["Vera's own report"])
                let page = try await client.execute(uri: "/me/data?lang=en", method: .get, headers: MeTests.headers(cookie))
                #expect(page.text.contains("Vera&#39;s own report") || page.text.contains("Vera’s own report") || page.text.contains("Vera&#x27;s own report"))
                #expect(!page.text.contains("Planted text"))
                #expect(try await db.personalData.export(.registration(vera.registration.id.uuid), now: app.clock.now()).incidentReports.isEmpty)
                let paulData = try await db.personalData.export(.registration(paul.registration.id.uuid), now: app.clock.now())
                #expect(paulData.incidentReports.map(\.description) == ["Paul saw something"])
                let paulPage = try await client.execute(uri: "/manage/\(paul.registration.manageToken)/data?lang=en", method: .get)
                #expect(paulPage.text.contains("Paul saw something") && !paulPage.text.contains("Planted text"))
                #expect(try await db.personalData.export(.email("paul@example.org"), now: app.clock.now()).incidentReports.map(\.description)
                        == ["Paul saw something"])

                // Paul erases himself from his link: the report stays (a safety record) and no longer leads to him.
                _ = try await client.execute(uri: "/manage/\(paul.registration.manageToken)/data/erase", method: .post, headers: PageTests.formHeaders,
                                             body: PageTests.rawForm(["confirm": "yes"]))
                let descriptions = try await db.incidents.reports(chapter: chapter.id).map(\.description)
                #expect(descriptions.contains("Paul saw something"))
                struct Link: Decodable { var description: String; var reporterRegistrationId: UUID? }
                let links = try await db.sql.raw("SELECT description, reporter_registration_id FROM incident_reports").rows(Link.self)
                #expect(links.first { $0.description == "Paul saw something" }?.reporterRegistrationId == nil)
            }
        }
    }
}
