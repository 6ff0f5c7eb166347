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
                #expect(try await client.get("/admin/incidents", as: organizer).status != .ok)

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
}
