import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RendezvousDomain
import RendezvousMail
@testable import RendezvousPersistence
@testable import RendezvousWeb
import Testing

/// The team's invitations (withdraw, send again), the network admin's approvals, venue directory and
/// chapter table, and the organiser's attendee table (search, order, pages).
@Suite("Team, admin and attendee table")
struct AdminTeamTests {
    static func occurrences(of needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test(arguments: DatabaseKind.available)
    func invitationsCanBeWithdrawnAfterAskingAndSentAgain(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            _ = try await Fixture.chapter(app.persistence, slug: "paris")
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            let intruder = try await Accounts.signIn(app, email: "paris@example.org", chapters: ["paris"])
            try await app.application.test(.router) { client in
                _ = try await client.post("/organize/toulouse/team/invite", as: organizer, ["email": "door@example.org", "role": "door"])
                _ = try await client.post("/organize/toulouse/team/invite", as: organizer, ["email": "later@example.org", "role": "organizer"])
                let pending = try await app.persistence.team.invitations(of: chapter.id, now: app.clock.now())
                let door = try #require(pending.first { $0.email == "door@example.org" })
                let later = try #require(pending.first { $0.email == "later@example.org" })
                let id = door.id.uuidString.lowercased()

                // The table says who invited whom, as what, when, until when, with both actions.
                let team = try await client.get("/organize/toulouse/team", as: organizer)
                #expect(team.text.contains("Invited by</th>"))
                #expect(team.text.contains("<td>Orga</td>"), "the inviter's name")
                #expect(team.text.contains("<td>Door staff</td>"))
                #expect(team.text.contains("/organize/toulouse/team/invitations/\(id)/revoke"))
                #expect(team.text.contains("/organize/toulouse/team/invitations/\(id)/resend"))

                // Another chapter's organiser cannot touch it.
                #expect(try await client.post("/organize/paris/team/invitations/\(id)/revoke", as: intruder, ["confirm": "yes"]).status == .notFound)
                #expect(try await client.post("/organize/toulouse/team/invitations/\(id)/revoke", as: intruder, ["confirm": "yes"]).status == .notFound)

                // The first post asks; nothing changes yet. A forged CSRF token is refused.
                #expect(try await client.post("/organize/toulouse/team/invitations/\(id)/revoke", as: organizer, ["confirm": "yes"], csrf: "forged").status == .forbidden)
                let asked = try await client.post("/organize/toulouse/team/invitations/\(id)/revoke", as: organizer)
                #expect(asked.status == .ok)
                #expect(asked.text.contains("Withdraw the invitation for door@example.org?"))
                #expect(asked.text.contains("name=\"confirm\" value=\"yes\""))
                #expect(try await client.execute(uri: "/invitations/\(door.token)", method: .get).status == .ok)

                let withdrawn = try await client.post("/organize/toulouse/team/invitations/\(id)/revoke", as: organizer, ["confirm": "yes"])
                #expect(withdrawn.status == .seeOther)
                let after = try await client.get(try #require(withdrawn.headers[.location]), as: organizer)
                #expect(after.text.contains("The invitation for door@example.org is withdrawn"))
                #expect(!after.text.contains("/invitations/\(id)/revoke"))
                #expect(try await app.persistence.team.invitations(of: chapter.id, now: app.clock.now()).map(\.email) == ["later@example.org"])

                // Its link says so, in the visitor's language, and cannot be used.
                let link = try await client.execute(uri: "/invitations/\(door.token)", method: .get, headers: [.acceptLanguage: "fr"])
                #expect(link.status == .gone)
                #expect(link.text.contains("<h1>Cette invitation a été retirée</h1>"))
                #expect(link.text.contains("Les organisateurs de #LinkedInLocal Toulouse ont retiré cette invitation"))
                let accept = try await client.execute(uri: "/invitations/\(door.token)", method: .post, headers: PageTests.formHeaders,
                                                      body: PageTests.form(["name": "Door Person", "password": "a long enough password"]))
                #expect(accept.status == .gone)
                #expect(try await app.persistence.team.userExists(email: "door@example.org") == false)
                // Twice is refused clearly.
                #expect(try await client.post("/organize/toulouse/team/invitations/\(id)/revoke", as: organizer, ["confirm": "yes"]).status == .conflict)
                #expect(try await client.post("/organize/toulouse/team/invitations/\(id)/resend", as: organizer).status == .conflict)

                // Sending again: the same link, 14 more days from now, one more mail; an expired
                // invitation stays on the team page, marked, and can be sent again.
                app.clock.advance(by: 15 * 86400)
                // (A fortnight later the organiser signs in again.)
                let cookie = try await app.persistence.sessions.createSession(for: organizer.user.id, now: app.clock.now())
                let session = try #require(try await app.persistence.sessions.session(token: cookie, now: app.clock.now()))
                let organizer = SignedIn(user: session.user, cookie: cookie, csrf: session.csrfToken)
                #expect(try await client.execute(uri: "/invitations/\(later.token)", method: .get).status == .conflict, "expired")
                let expiredPage = try await client.get("/organize/toulouse/team", as: organizer)
                #expect(expiredPage.text.contains("later@example.org") && expiredPage.text.contains("<span class=\"badge expired\">Expired</span>"))
                let mailsBefore = try await app.persistence.outbox.claimDueMessages(now: app.clock.now()).filter { $0.kind == .invitation && $0.recipient == "later@example.org" }.count
                let resent = try await client.post("/organize/toulouse/team/invitations/\(later.id.uuidString.lowercased())/resend", as: organizer)
                #expect(resent.status == .seeOther)
                let renewed = try #require(try await app.persistence.team.invitation(later.id, chapter: chapter.id))
                #expect(renewed.token == later.token)
                #expect(abs(renewed.expiresAt.timeIntervalSince(app.clock.now().addingTimeInterval(14 * 86400))) < 1)
                let mailsAfter = try await app.persistence.outbox.claimDueMessages(now: app.clock.now().addingTimeInterval(60)).filter { $0.kind == .invitation && $0.recipient == "later@example.org" }.count
                #expect(mailsBefore == 1 && mailsAfter == 1, "one more invitation mail queued")
                #expect(try await client.execute(uri: "/invitations/\(later.token)", method: .get).status == .ok, "open again")
                #expect(!(try await client.get("/organize/toulouse/team", as: organizer).text.contains("badge expired")))

                // Both are in the audit log.
                let audit = try await client.get("/organize/toulouse/audit", as: organizer)
                #expect(audit.text.contains("withdrew the invitation of · door@example.org (door)"))
                #expect(audit.text.contains("sent the invitation again to · later@example.org (organizer)"))
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func anApprovedApplicantIsInvitedByNameAndTheNoticeSaysItOnce(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let admin = try await Accounts.signIn(app, email: "admin@example.org", role: .networkAdmin)
            try await app.application.test(.router) { client in
                _ = try await client.execute(uri: "/apply", method: .post, headers: PageTests.formHeaders, body: PageTests.form([
                    "name": "Kate Palmer", "email": "kate@example.org", "city": "Coffs Harbour", "countryCode": "au",
                    "timeZone": "Australia/Sydney", "locale": "en", "motivation": "Where it all began."]))
                let application = try #require(try await app.persistence.network.applications(status: .pending).first)
                let approved = try await client.post("/admin/applications/\(application.id.uuidString.lowercased())/approve", as: admin)
                #expect(approved.status == .ok)
                #expect(approved.text.contains("The Coffs Harbour chapter is open, and Kate Palmer (kate@example.org) is invited to organise it"))
                #expect(Self.occurrences(of: "invitation link", in: approved.text) == 1, "one sentence about the link, not two")
                let chapter = try #require(try await app.persistence.chapters.chapter(slug: "coffs-harbour"))
                let invitation = try #require(try await app.persistence.team.invitations(of: chapter.id, now: app.clock.now()).first)
                #expect(invitation.name == "Kate Palmer")
                // The invitation mail greets her by that name.
                let mail = try #require(try await app.persistence.outbox.claimDueMessages(now: app.clock.now().addingTimeInterval(60)).first { $0.kind == .invitation })
                guard case .message(let message) = try await MessageComposer(persistence: app.persistence, baseURL: "https://rendezvous.test",
                                                                             from: .init(name: "Rendezvous", email: "noreply@rendezvous.test")).compose(mail, now: app.clock.now()) else {
                    Issue.record("no invitation mail")
                    return
                }
                #expect(message.text.hasPrefix("Hello Kate Palmer,"), "\(message.text)")
                // The invitation page is filled in with the applicant's name; the account carries it.
                let page = try await client.execute(uri: "/invitations/\(invitation.token)", method: .get)
                #expect(page.text.contains("value=\"Kate Palmer\""))
                let accepted = try await client.execute(uri: "/invitations/\(invitation.token)", method: .post, headers: PageTests.formHeaders,
                                                        body: PageTests.form(["name": "Kate Palmer", "password": "a long enough password"]))
                #expect(accepted.status == .seeOther)
                let team = try await app.persistence.team.team(of: chapter.id)
                #expect(team.map(\.user.name) == ["Kate Palmer"])
                // The team page of the new chapter showed the name while it was pending (checked on the store).
                #expect(try await app.persistence.team.invitations(of: chapter.id, now: app.clock.now()).isEmpty)
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func theDirectoryListsEveryVenueAndEditsAndRemovesThem(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let toulouse = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: toulouse, capacity: 10)
            let past = try await Fixture.event(app.persistence, chapter: toulouse, capacity: 10, startsIn: -30, title: "Ancienne")
            let admin = try await Accounts.signIn(app, email: "admin@example.org", role: .networkAdmin)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            try await app.application.test(.router) { client in
                // A chapter's venue is listed from the start, with its chapter.
                let directory = try await client.get("/admin/directory", as: admin)
                #expect(directory.status == .ok)
                #expect(directory.text.contains("Halles de la Cartoucherie"))
                #expect(directory.text.contains("<td>#LinkedInLocal Toulouse</td>"))
                #expect(directory.text.contains("1 to come · 1 past"))
                let venue = try #require(try await app.persistence.network.allVenues(now: app.clock.now()).first)
                let id = venue.details.venue.id.uuid.uuidString.lowercased()
                #expect(try await client.get("/admin/directory/venues/\(id)", as: organizer).status == .notFound)

                // Editing: the add form's rules, each error on its own field.
                let form = try await client.get("/admin/directory/venues/\(id)", as: admin)
                #expect(form.text.contains("value=\"Halles de la Cartoucherie\""))
                let bad = try await client.post("/admin/directory/venues/\(id)", as: admin, ["name": "", "address": "31300 Toulouse", "capacity": "lots"])
                #expect(bad.status == .unprocessableContent)
                #expect(bad.text.contains("id=\"f-name-error\""))
                #expect(bad.text.contains("id=\"f-capacity-error\""))
                #expect(!bad.text.contains("id=\"f-address-error\""))
                let saved = try await client.post("/admin/directory/venues/\(id)", as: admin,
                                                  ["name": "Halles Cartoucherie", "address": "16 rue Ferdinand Lassalle, 31300 Toulouse", "capacity": "300", "accessibility": "Step-free"])
                #expect(saved.status == .seeOther)
                let detail = try #require(try await app.persistence.events.eventDetail(id: event.id))
                #expect(detail.venue?.name == "Halles Cartoucherie")
                #expect(detail.venue?.address == "16 rue Ferdinand Lassalle, 31300 Toulouse")

                // Removing is refused while a meetup to come takes place there.
                let refused = try await client.post("/admin/directory/venues/\(id)/remove", as: admin, ["confirm": "yes"])
                #expect(refused.status == .conflict)
                #expect(refused.text.contains("Halles Cartoucherie cannot be removed: 1 meetup to come takes place there."))
                #expect(try await app.persistence.events.eventDetail(id: event.id)?.venue != nil)

                // Once it is cancelled: asked first, then removed; the past meetup keeps its date.
                _ = try await app.persistence.events.updateEvent(event.id, title: nil, description: nil, capacity: nil, status: .cancelled, now: app.clock.now())
                let asked = try await client.post("/admin/directory/venues/\(id)/remove", as: admin)
                #expect(asked.status == .ok)
                #expect(asked.text.contains("Remove the venue Halles Cartoucherie?"))
                #expect(asked.text.contains("1 past meetup took place there"))
                #expect(try await app.persistence.network.allVenues(now: app.clock.now()).count == 1)
                let removed = try await client.post("/admin/directory/venues/\(id)/remove", as: admin, ["confirm": "yes"])
                #expect(removed.status == .seeOther)
                #expect(try await app.persistence.network.allVenues(now: app.clock.now()).isEmpty)
                #expect(try await app.persistence.events.event(id: past.id)?.startsAt == past.startsAt)
                #expect(try await client.post("/admin/directory/venues/\(id)/remove", as: admin, ["confirm": "yes"]).status == .notFound)

                // Audit-logged on the chapter.
                let log = try await app.persistence.team.auditLog(of: toulouse.id)
                #expect(log.contains { $0.action == "venue.edited" && $0.subject == "Halles de la Cartoucherie → Halles Cartoucherie" })
                #expect(log.contains { $0.action == "venue.removed" })

                // Adding to the shared directory: errors on their fields, too.
                let invalid = try await client.post("/admin/directory/venues", as: admin, ["name": "Le Lieu", "address": ""])
                #expect(invalid.status == .unprocessableContent)
                #expect(invalid.text.contains("id=\"f-address-error\""))
                #expect(invalid.text.contains("value=\"Le Lieu\""))
                #expect(try await client.post("/admin/directory/venues", as: admin, ["name": "Le Lieu", "address": "Toulouse"]).status == .ok)
                #expect(try await client.get("/admin/directory", as: admin).text.contains("<td>Shared directory</td>"))
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func theChapterTableNamesCountriesInOrderWithOneDateFormat(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            for (slug, country, zone) in [("sydney", "AU", "Australia/Sydney"), ("berlin", "DE", "Europe/Berlin"), ("lyon", "FR", "Europe/Paris"), ("austin", "US", "America/Chicago")] {
                let chapter = try await app.persistence.chapters.createChapter(Chapter(
                    slug: slug, name: "#LinkedInLocal \(slug.capitalized)", city: slug.capitalized, countryCode: country,
                    timeZone: zone, locale: .en, createdAt: Fixture.start))
                _ = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10)
            }
            let admin = try await Accounts.signIn(app, email: "admin@example.org", role: .networkAdmin)
            try await app.application.test(.router) { client in
                func countries(_ html: String) -> [String] {
                    html.components(separatedBy: "<tbody>").last!.components(separatedBy: "<tr><td>").dropFirst().map { String($0.prefix { $0 != "<" }) }
                }
                let english = try await client.get("/admin", as: admin)
                #expect(english.text.contains("<th scope=\"col\">Country</th>"))
                #expect(countries(english.text) == ["Australia", "France", "Germany", "United States"])
                let french = try await client.get("/admin", as: admin, language: "fr")
                #expect(countries(french.text) == ["Allemagne", "Australie", "États-Unis", "France"])
                // Every chapter's next meetup in one format (not "Feb 14, 2027" for the American one).
                #expect(Self.occurrences(of: "14 Feb 2027", in: english.text) + Self.occurrences(of: "13 Feb 2027", in: english.text) == 4)
                #expect(!english.text.contains("Feb 14, 2027") && !english.text.contains("Feb 13, 2027"))
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func theAttendeeTableFindsFullNamesSortsByLastNameAndPages(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 200)
            let people = [("Éloïse", "Dupré", "Airbus"), ("Zoé", "Aaron", "Capgemini"), ("Bob", "Martin", ""), ("Ana", "Zidane", "Bpifrance")]
            for (index, person) in people.enumerated() {
                _ = try await app.persistence.registrations.register(
                    AttendeeProfile(firstName: person.0, lastName: person.1, email: "p\(index)@example.org", jobTitle: "Ingénieure", company: person.2),
                    for: event.id, now: app.clock.now().addingTimeInterval(Double(index)))
            }
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            try await app.application.test(.router) { client in
                let base = "/organize/events/\(event.id)"
                func names(_ html: String) -> [String] {
                    html.components(separatedBy: "<tr id=\"r-").dropFirst().map { row in
                        String(row.components(separatedBy: "<strong>")[1].prefix { $0 != "<" })
                    }
                }
                // A full name as a form sends it ("+" for the space), without accents or capitals.
                for query in ["eloise+dupre", "ELOISE%20DUPRE", "dupré+éloïse", "airbus+eloise"] {
                    let found = try await client.get("\(base)?q=\(query)", as: organizer)
                    #expect(names(found.text) == ["Éloïse Dupré"], "\(query)")
                }
                #expect(names(try await client.get("\(base)?q=eloise+martin", as: organizer).text).isEmpty)

                // By last name, then first name, under a "Name" header; the other columns sort both ways.
                let table = try await client.get(base, as: organizer)
                #expect(table.text.contains("class=\"wide\""), "the page uses the laptop's width")
                #expect(names(table.text) == ["Zoé Aaron", "Éloïse Dupré", "Bob Martin", "Ana Zidane"])
                #expect(table.text.contains("aria-sort=\"ascending\" class=\"col-name\"><a href=\"\(base)?dir=desc\">Name"))
                #expect(!table.text.contains(">Last name</th>"))
                #expect(names(try await client.get("\(base)?dir=desc", as: organizer).text) == ["Ana Zidane", "Bob Martin", "Éloïse Dupré", "Zoé Aaron"])
                #expect(names(try await client.get("\(base)?sort=company", as: organizer).text) == ["Éloïse Dupré", "Ana Zidane", "Zoé Aaron", "Bob Martin"])
                #expect(names(try await client.get("\(base)?sort=registered&dir=desc", as: organizer).text) == ["Ana Zidane", "Bob Martin", "Zoé Aaron", "Éloïse Dupré"])
                // The search form keeps the order.
                let sorted = try await client.get("\(base)?sort=company&dir=desc", as: organizer)
                #expect(sorted.text.contains("<input type=\"hidden\" name=\"sort\" value=\"company\">"))
                #expect(sorted.text.contains("<input type=\"hidden\" name=\"dir\" value=\"desc\">"))

                // A hundred a page, with links that keep the search and the order.
                for index in 0..<101 {
                    _ = try await app.persistence.registrations.register(
                        AttendeeProfile(firstName: "Marie", lastName: String(format: "Quinquies %03d", index), email: "q\(index)@example.org", jobTitle: ""),
                        for: event.id, now: app.clock.now().addingTimeInterval(100 + Double(index)))
                }
                let first = try await client.get("\(base)?q=marie", as: organizer)
                #expect(names(first.text).count == 100)
                #expect(first.text.contains("Showing 1–100 of 101"))
                #expect(first.text.contains("href=\"\(base)?q=marie&amp;page=2\""))
                let second = try await client.get("\(base)?q=marie&page=2", as: organizer)
                #expect(names(second.text) == ["Marie Quinquies 100"])
                #expect(try await client.get("\(base)?q=marie&page=99", as: organizer).status == .ok, "a page past the end shows the last")
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func theAuditLogPages(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            for index in 0..<130 {
                try await app.persistence.team.audit(chapter: chapter.id, by: organizer.user, action: "event.edited", subject: "Soirée \(index)",
                                                     now: Fixture.start.addingTimeInterval(Double(index)))
            }
            try await app.application.test(.router) { client in
                let first = try await client.get("/organize/toulouse/audit", as: organizer)
                #expect(first.text.contains("class=\"wide\""))
                #expect(first.text.contains("Soirée 129") && first.text.contains("Soirée 30") && !first.text.contains("Soirée 29<"))
                #expect(first.text.contains("Showing 1–100 of 130"))
                let second = try await client.get("/organize/toulouse/audit?page=2", as: organizer)
                #expect(second.text.contains("Soirée 29<") && second.text.contains("Soirée 0<") && !second.text.contains("Soirée 30<"))
                #expect(second.text.contains("rel=\"prev\""))
            }
        }
    }
}
