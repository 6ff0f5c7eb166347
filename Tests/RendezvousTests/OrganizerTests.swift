import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RendezvousDomain
import RendezvousMail
@testable import RendezvousPersistence
@testable import RendezvousWeb
import Testing

@Suite("Organiser workspace")
struct OrganizerTests {
    @Test(arguments: DatabaseKind.available)
    func signInWithPasswordAndCSRFAndRateLimit(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            _ = try await Fixture.chapter(app.persistence)
            _ = try await app.persistence.accounts.createUser(email: "natalajia@example.org", name: "Natalajia", role: .organizer,
                                                     passwordHash: Accounts.hash, chapterSlugs: ["toulouse"], now: Fixture.start)
            try await app.application.test(.router) { client in
                let redirect = try await client.execute(uri: "/organize/toulouse", method: .get)
                #expect(redirect.status == .seeOther)
                #expect(redirect.headers[.location] == "/signin?next=/organize/toulouse")

                let form = try await client.execute(uri: "/signin", method: .get, headers: [.acceptLanguage: "fr"])
                let cookie = try #require(form.headers[.setCookie]?.split(separator: ";").first.map(String.init))
                let csrf = String(cookie.dropFirst("rv_csrf=".count))
                #expect(form.text.contains("Se connecter"))

                func attempt(_ password: String, csrf sent: String = csrf) async throws -> TestResponse {
                    try await client.execute(uri: "/signin", method: .post,
                        headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie, .acceptLanguage: "fr"],
                        body: PageTests.form(["email": "Natalajia@Example.org", "password": password, "_csrf": sent, "next": "/organize/toulouse"]))
                }
                #expect(try await attempt(Accounts.password, csrf: "forged").status == .forbidden)
                let wrong = try await attempt("nope")
                #expect(wrong.status == .unauthorized)
                #expect(wrong.text.contains("E-mail ou mot de passe incorrect."))
                let good = try await attempt(Accounts.password)
                #expect(good.status == .seeOther)
                #expect(good.headers[.location] == "/organize/toulouse")
                let session = try #require(good.headers[.setCookie])
                // BASE_URL is https in the tests: the cookie is Secure too.
                #expect(session.contains("rv_session=") && session.contains("HttpOnly") && session.contains("SameSite=Lax") && session.contains("Secure"))
                let token = String(session.split(separator: ";")[0].dropFirst("rv_session=".count))
                let dashboard = try await client.execute(uri: "/organize/toulouse", method: .get, headers: [.cookie: "rv_session=\(token)", .acceptLanguage: "en"])
                #expect(dashboard.status == .ok)
                #expect(dashboard.text.contains("Upcoming meetups"))

                for _ in 0..<10 { _ = try await attempt("wrong again") }
                let limited = try await attempt(Accounts.password)
                #expect(limited.status == .tooManyRequests)
                #expect(limited.text.contains("Trop de tentatives"))
            }
        }
    }

    /// An end before the start is refused on the end, not saved as a 22.5-hour event; an evening
    /// that ends after midnight ends the next day; a date that has passed is refused on the date.
    @Test func timesAndDatesAreRefusedOnTheirOwnField() async throws {
        try await withApp(.sqlite) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            try await app.application.test(.router) { client in
                let fields = ["title": "Rencontre", "date": "2027-03-17", "startTime": "18:30", "endTime": "21:30", "capacity": "70", "status": "draft"]
                func errors(_ text: String) -> Int { text.components(separatedBy: "class=\"error\"").count - 1 }

                let backwards = try await client.post("/organize/toulouse/events", as: organizer, fields.merging(["endTime": "18:00"]) { $1 })
                #expect(backwards.status == .unprocessableContent)
                #expect(backwards.text.contains("The end must come after the start."))
                #expect(errors(backwards.text) == 1, "only the end time is marked")

                let past = try await client.post("/organize/toulouse/events", as: organizer, fields.merging(["date": "2026-12-01"]) { $1 })
                #expect(past.status == .unprocessableContent)
                #expect(past.text.contains("Choose a date to come: this one has passed."))
                #expect(errors(past.text) == 1, "only the date is marked")
                #expect(try await app.persistence.events.upcomingEvents(of: chapter.id, now: Fixture.start, includeDrafts: true).isEmpty)

                let overnight = try await client.post("/organize/toulouse/events", as: organizer, fields.merging(["endTime": "01:00"]) { $1 })
                #expect(overnight.status == .seeOther)
                let event = try #require(try await app.persistence.events.upcomingEvents(of: chapter.id, now: Fixture.start, includeDrafts: true).first?.event)
                #expect(event.endsAt.timeIntervalSince(event.startsAt) == 6.5 * 3600)
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func createPublishAndEditAnEvent(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            try await app.application.test(.router) { client in
                let fields = ["title": "Rencontre de printemps", "date": "2027-03-17", "startTime": "18:30", "endTime": "21:30", "capacity": "70",
                              "description": "Une soirée.", "venueName": "La Mêlée", "venueAddress": "27 rue d'Aubuisson", "speaker1Name": "Claire Vidal",
                              "speaker1Title": "Fondatrice", "agenda": "18:30 Accueil\n19:00 Quiz brise-glace", "status": "draft"]
                let bad = try await client.post("/organize/toulouse/events", as: organizer, fields.merging(["capacity": "zero", "date": "2027-02-30"]) { $1 })
                #expect(bad.status == .unprocessableContent)
                #expect(bad.text.contains("value=\"Rencontre de printemps\""))
                #expect(try await client.post("/organize/toulouse/events", as: organizer, fields, csrf: "forged").status == .forbidden)
                #expect(try await app.persistence.events.upcomingEvents(of: chapter.id, now: Fixture.start, includeDrafts: true).isEmpty)

                let created = try await client.post("/organize/toulouse/events", as: organizer, fields)
                #expect(created.status == .seeOther)
                let event = try #require(try await app.persistence.events.upcomingEvents(of: chapter.id, now: Fixture.start, includeDrafts: true).first?.event)
                #expect(event.status == .draft)
                #expect(event.startsAt == ISO8601.parse("2027-03-17T17:30:00Z"))
                let detail = try #require(try await app.persistence.events.eventDetail(id: event.id))
                #expect(detail.agenda.map(\.title) == ["Accueil", "Quiz brise-glace"])
                #expect(detail.speakers.first?.name == "Claire Vidal")
                // A draft is invisible to the public until published.
                #expect(try await client.execute(uri: "/events/\(event.id)", method: .get).status == .notFound)
                #expect(try await client.post("/organize/events/\(event.id)/publish", as: organizer).status == .seeOther)
                #expect(try await client.execute(uri: "/events/\(event.id)", method: .get).status == .ok)

                let edited = try await client.post("/organize/events/\(event.id)/edit", as: organizer,
                                                   fields.merging(["title": "Rencontre de mars", "startTime": "19:00", "status": "published"]) { $1 })
                #expect(edited.status == .seeOther)
                #expect(try await app.persistence.events.event(id: event.id)?.title == "Rencontre de mars")
                #expect(try await app.persistence.events.event(id: event.id)?.startsAt == ISO8601.parse("2027-03-17T18:00:00Z"))

                let copy = try await client.post("/organize/events/\(event.id)/duplicate", as: organizer, ["date": "2027-06-16"])
                #expect(copy.status == .seeOther)
                let events = try await app.persistence.events.upcomingEvents(of: chapter.id, now: Fixture.start, includeDrafts: true)
                #expect(events.count == 2)
                #expect(events.last?.event.status == .draft)
                #expect(events.last?.event.startsAt == ISO8601.parse("2027-06-16T17:00:00Z"))

                let saved = try await client.post("/organize/toulouse/settings", as: organizer, ["offerHours": "12", "reminderHours": "48", "description": "Rencontres."])
                #expect(saved.status == .ok)
                #expect(try await app.persistence.chapters.settings(of: chapter.id) == .init(description: "Rencontres.", offerHours: 12, reminderHours: 48))
                #expect(try await client.post("/organize/toulouse/settings", as: organizer, ["offerHours": "0", "reminderHours": "x"]).status == .unprocessableContent)
                let audit = try await client.get("/organize/toulouse/audit", as: organizer)
                #expect(audit.text.contains("created the event"))
                #expect(audit.text.contains("published the event"))
                #expect(audit.text.contains("duplicated an event"))
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func seriesEveryThreeMonthsOnTheThirdWednesday(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            try await app.application.test(.router) { client in
                let response = try await client.post("/organize/toulouse/series", as: organizer, [
                    "title": "#LinkedInLocal Toulouse", "from": "2027-01-01", "startTime": "18:30", "hours": "3", "capacity": "70",
                    "count": "4", "pattern": "monthly3", "ordinal": "3", "weekday": "4"])
                #expect(response.status == .seeOther)
            }
            let events = try await app.persistence.events.upcomingEvents(of: chapter.id, now: Fixture.start.addingTimeInterval(-86400 * 30), includeDrafts: true)
            // 18:30 in Paris: UTC+1 in winter, UTC+2 in summer.
            #expect(events.map { ISO8601.format($0.event.startsAt) } == [
                "2027-01-20T17:30:00Z", "2027-04-21T16:30:00Z", "2027-07-21T16:30:00Z", "2027-10-20T16:30:00Z"])
            #expect(events.allSatisfy { $0.event.status == .draft && $0.event.capacity == 70 })
        }
    }

    @Test(arguments: DatabaseKind.available)
    func attendeesSearchAddPromoteCancelAndCapacity(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 2)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            var zoe = Fixture.profile(1, first: "Zoé")
            zoe.lastName = "Prinčeva"
            _ = try await app.persistence.registrations.register(zoe, for: event.id, now: Fixture.start)
            _ = try await app.persistence.registrations.register(Fixture.profile(2), for: event.id, now: Fixture.start)
            let waiting = try await app.persistence.registrations.register(Fixture.profile(3), for: event.id, now: Fixture.start)
            try await app.application.test(.router) { client in
                for query in ["princeva", "PRINČEVA", "zoe"] {
                    let page = try await client.get("/organize/events/\(event.id)?q=\(query.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!)", as: organizer)
                    #expect(page.text.contains("Zoé Prinčeva"), "\(query)")
                    #expect(page.text.contains("1 shown of 3"), "\(query)")
                }
                let filtered = try await client.get("/organize/events/\(event.id)?status=waitlisted", as: organizer)
                #expect(filtered.text.contains("Marie Quinquies 3"))
                #expect(!filtered.text.contains("Zoé"))

                // Lowering below the held seats is refused with the reason; raising offers the seat.
                let lowered = try await client.post("/organize/events/\(event.id)/capacity", as: organizer, ["capacity": "1"])
                #expect(lowered.status == .unprocessableContent)
                #expect(lowered.text.contains("2 seats are already taken"))
                #expect(try await client.post("/organize/events/\(event.id)/capacity", as: organizer, ["capacity": "3"]).status == .seeOther)
                #expect(try await app.persistence.registrations.registration(id: waiting.registration.id)?.status == .offered)

                let added = try await client.post("/organize/events/\(event.id)/attendees", as: organizer, ["firstName": "Walk", "email": "walk@example.org"])
                #expect(added.status == .seeOther)
                let records = try await app.persistence.registrations.attendees(of: event.id)
                #expect(records.first { $0.registration.profile.email == "walk@example.org" }?.source == .organizer)
                #expect(records.first { $0.registration.profile.email == "walk@example.org" }?.registration.status == .waitlisted)

                let walkID = try #require(records.first { $0.registration.profile.email == "walk@example.org" }?.registration.id)
                #expect(try await client.post("/organize/events/\(event.id)/attendees/\(walkID)/promote", as: organizer).status == .seeOther)
                #expect(try await app.persistence.registrations.registration(id: walkID)?.status == .confirmed)
                #expect(try await app.persistence.events.event(id: event.id)?.capacity == 4)

                #expect(try await client.post("/organize/events/\(event.id)/attendees/\(walkID)/note", as: organizer, ["note": "Speaker's guest"]).status == .seeOther)
                #expect(try await app.persistence.registrations.attendees(of: event.id).first { $0.registration.id == walkID }?.note == "Speaker's guest")
                #expect(try await client.post("/organize/events/\(event.id)/attendees/\(walkID)/cancel", as: organizer, ["confirm": "yes"]).status == .seeOther)
                #expect(try await app.persistence.registrations.registration(id: walkID)?.status == .cancelled)
                try await expectCountersMatch(app.persistence, try #require(try await app.persistence.events.event(id: event.id)))
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func csvExportIsSpreadsheetSafe(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            var hostile = Fixture.profile(1)
            hostile.firstName = "=HYPERLINK(\"http://evil.example\",\"click\")"
            hostile.company = "Dupont, Fils & \"Cie\""
            hostile.lastName = "Éloïse"
            _ = try await app.persistence.registrations.register(hostile, for: event.id, now: Fixture.start)
            try await app.application.test(.router) { client in
                let response = try await client.get("/organize/events/\(event.id)/attendees.csv", as: organizer)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(response.headers[.contentDisposition]?.hasPrefix("attachment;") == true)
                // A file name that reads well in a folder: the chapter, the day, the title; no leading or doubled dashes.
                let disposition = response.headers[.contentDisposition] ?? ""
                #expect(disposition.contains("filename=\"toulouse-"), "\(disposition)")
                #expect(!disposition.contains("--") && !disposition.contains("\"-"), "\(disposition)")
                #expect(DownloadName.slug(["toulouse", "2026-01-20", "#LinkedInLocal — Rencontre de janvier !"]) == "toulouse-2026-01-20-linkedinlocal-rencontre-de-janvier")
                #expect(DownloadName.slug(["###"]) == "export")
                let bytes = Array(response.body.readableBytesView)
                #expect(bytes.prefix(3) == [0xEF, 0xBB, 0xBF])
                let rows = try CSV.parse(response.text)
                #expect(rows[0].prefix(3) == ["First name", "Last name", "Email"])
                #expect(rows[1][0] == "'=HYPERLINK(\"http://evil.example\",\"click\")")
                #expect(rows[1][1] == "Éloïse")
                #expect(rows[1][4] == "Dupont, Fils & \"Cie\"")
            }
        }
    }

    static let eventbrite = """
        Order #,Order Date,First Name,Last Name,Email,Quantity,Ticket Type,Job Title,Company,Attendee Status
        123,2019-01-02,Natalajia,Princeva,natalajia@example.org,1,General,Co-organisatrice,LinkedInLocal,Attending
        124,2019-01-03,Jean-Christophe,Boussion,jc@example.org,1,General,Fondateur,PowerPitch,Attending
        125,2019-01-03,No,Email,,1,General,,,Attending
        126,2019-01-04,Gone,Away,gone@example.org,1,General,,,Not Attending
        127,2019-01-04,Bad,Address,bad@@example.org,1,General,,,Attending
        128,2019-01-04,Natalajia,Again,NATALAJIA@example.org,1,General,,,Attending
        129,2019-01-05,"=cmd|' /C calc'!A0",Formula,formula@example.org,1,General,"Consultant, senior",,Attending
        """

    static let meetup = "\u{FEFF}Name;User ID;Title;Email;RSVP;Guests\r\nMarie Quinquies;1;Consultante;marie@example.org;Yes;0\r\nZoé Prinčeva;2;;zoe@example.org;Waitlist;0\r\nNo Show;3;;noshow@example.org;No;0\r\n"

    @Test(arguments: DatabaseKind.available)
    func csvImportFromEventbriteAndMeetup(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 70)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            try await app.application.test(.router) { client in
                let report = try await client.post("/organize/events/\(event.id)/import", as: organizer, ["csv": Self.eventbrite])
                #expect(report.status == .ok)
                let html = report.text
                #expect(html.contains("People registered from the file: 3"))
                for line in ["<td>4</td>", "<td>5</td>", "<td>6</td>", "<td>7</td>"] { #expect(html.contains(line), "\(line)") }
                #expect(html.contains("NATALAJIA@example.org is already registered"))
                let second = try await client.post("/organize/events/\(event.id)/import", as: organizer, ["csv": Self.meetup])
                #expect(second.text.contains("People registered from the file: 2"))
                let broken = try await client.post("/organize/events/\(event.id)/import", as: organizer, ["csv": "Prénom,Nom\n\"Zoé,Prinčeva\n"])
                #expect(broken.status == .unprocessableContent)
                let noEmail = try await client.post("/organize/events/\(event.id)/import", as: organizer, ["csv": "Prénom,Nom\nZoé,Prinčeva\n"])
                #expect(noEmail.status == .unprocessableContent)
                #expect(noEmail.text.contains("no column for: Email"))
            }
            let imported = try await app.persistence.registrations.attendees(of: event.id)
            #expect(imported.count == 5)
            #expect(imported.allSatisfy { $0.source == .import })
            #expect(imported.contains { $0.registration.profile.firstName == "=cmd|' /C calc'!A0" && $0.registration.profile.jobTitle == "Consultant, senior" })
            #expect(imported.contains { $0.registration.profile.firstName == "Zoé" && $0.registration.profile.lastName == "Prinčeva" })
        }
    }

    @Test(arguments: DatabaseKind.available)
    func invitationsMakeDoorStaffWhoCannotOrganize(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            try await app.application.test(.router) { client in
                let invited = try await client.post("/organize/toulouse/team/invite", as: organizer, ["email": "door@example.org", "role": "door"])
                #expect(invited.status == .ok)
                let invitation = try #require(try await app.persistence.team.invitations(of: chapter.id, now: Fixture.start).first)
                #expect(invited.text.contains("/invitations/\(invitation.token)"))
                // The mail says what the role is: checking people in, not organising.
                let mail = try #require(try await app.persistence.outbox.claimDueMessages(now: Fixture.start.addingTimeInterval(60)).first { $0.kind == .invitation })
                guard case .message(let message) = try await MessageComposer(persistence: app.persistence, baseURL: "https://rendezvous.test",
                                                                             from: .init(name: "Rendezvous", email: "noreply@rendezvous.test")).compose(mail, now: Fixture.start) else {
                    Issue.record("no invitation mail")
                    return
                }
                // (The chapter writes in French.)
                #expect(message.text.contains("accueillir les participants à l’entrée"), "\(message.text)")
                #expect(!message.text.contains("vous invite à organiser"))

                let page = try await client.execute(uri: "/invitations/\(invitation.token)", method: .get)
                #expect(page.text.contains("Join #LinkedInLocal Toulouse as Door staff"))
                let short = try await client.execute(uri: "/invitations/\(invitation.token)", method: .post, headers: PageTests.formHeaders,
                                                     body: PageTests.form(["name": "Door Person", "password": "short"]))
                #expect(short.status == .unprocessableContent)
                let accepted = try await client.execute(uri: "/invitations/\(invitation.token)", method: .post, headers: PageTests.formHeaders,
                                                        body: PageTests.form(["name": "Door Person", "password": "a long enough password"]))
                #expect(accepted.status == .seeOther)
                // They land where door staff belong (the workspace's home sends them to their door), not on a 404.
                #expect(accepted.headers[.location] == "/organize")
                let cookie = try #require(accepted.headers[.setCookie]?.split(separator: ";").first.map(String.init))
                let landing = try await client.execute(uri: "/organize", method: .get, headers: [.cookie: cookie])
                #expect(landing.status != .notFound)
                // Door staff may not organise.
                #expect(try await client.execute(uri: "/organize/toulouse", method: .get, headers: [.cookie: cookie]).status == .notFound)
                let again = try await client.execute(uri: "/invitations/\(invitation.token)", method: .get)
                #expect(again.status == .conflict)
                let team = try await app.persistence.team.team(of: chapter.id)
                #expect(team.contains { $0.user.email == "door@example.org" && $0.role == .door })
                // The last organiser cannot leave.
                let leave = try await client.post("/organize/toulouse/team/\(organizer.user.id)/remove", as: organizer)
                #expect(leave.status == .conflict)
            }
        }
    }

    /// Chapter isolation, walked over every organiser route with another chapter's ids.
    @Test(arguments: DatabaseKind.available)
    func everyOrganizerRouteIsClosedToAnotherChapter(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            _ = try await Fixture.chapter(app.persistence)
            let paris = try await Fixture.chapter(app.persistence, slug: "paris")
            let event = try await Fixture.event(app.persistence, chapter: paris, capacity: 1)
            let seated = try await app.persistence.registrations.register(Fixture.profile(1), for: event.id, now: Fixture.start)
            let waiting = try await app.persistence.registrations.register(Fixture.profile(2), for: event.id, now: Fixture.start)
            let parisOrganizer = try await Accounts.signIn(app, email: "paris@example.org", chapters: ["paris"])
            let intruder = try await Accounts.signIn(app, email: "toulouse@example.org", chapters: ["toulouse"])
            try await app.application.test(.router) { client in
                for route in OrganizeRoutes.all(app.services) where route.pattern.contains(":") {
                    for registration in [seated.registration.id, waiting.registration.id] {
                        let uri = route.pattern.replacingOccurrences(of: ":slug", with: "paris").replacingOccurrences(of: ":id", with: event.id.description)
                            .replacingOccurrences(of: ":registration", with: registration.description)
                            .replacingOccurrences(of: ":user", with: parisOrganizer.user.id.description)
                        let fields = ["title": "Hijacked", "date": "2027-03-17", "startTime": "18:30", "endTime": "21:30", "capacity": "500",
                                      "email": "evil@example.org", "firstName": "Evil", "note": "x", "csv": "Email,First Name\nevil2@example.org,Evil",
                                      "count": "2", "from": "2027-01-01", "hours": "3", "pattern": "weekly", "role": "organizer"]
                        let response = route.method == .get
                            ? try await client.get(uri, as: intruder)
                            : try await client.post(uri, as: intruder, fields)
                        #expect(response.status == .notFound, "\(route.method) \(uri)")
                    }
                }
            }
            // Nothing changed.
            #expect(try await app.persistence.events.event(id: event.id)?.title == "Rencontre trimestrielle")
            #expect(try await app.persistence.events.event(id: event.id)?.capacity == 1)
            #expect(try await app.persistence.registrations.attendees(of: event.id).count == 2)
            #expect(try await app.persistence.registrations.registration(id: waiting.registration.id)?.status == .waitlisted)
            #expect(try await app.persistence.events.upcomingEvents(of: paris.id, now: Fixture.start, includeDrafts: true).count == 1)
            #expect(try await app.persistence.team.team(of: paris.id).count == 1)
            #expect(try await app.persistence.team.invitations(of: paris.id, now: Fixture.start).isEmpty)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func networkAdminApprovesApplicationsAndHandsOver(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let toulouse = try await Fixture.chapter(app.persistence)
            _ = try await Fixture.event(app.persistence, chapter: toulouse, capacity: 10)
            let admin = try await Accounts.signIn(app, email: "admin@example.org", role: .networkAdmin)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            try await app.application.test(.router) { client in
                #expect(try await client.get("/admin", as: organizer).status == .notFound)
                let overview = try await client.get("/admin", as: admin)
                #expect(overview.status == .ok)
                #expect(overview.text.contains("#LinkedInLocal Toulouse"))

                let applied = try await client.execute(uri: "/apply", method: .post, headers: PageTests.formHeaders, body: PageTests.form([
                    "name": "Kate Palmer", "email": "kate@example.org", "city": "Coffs Harbour", "countryCode": "au",
                    "timeZone": "Australia/Sydney", "locale": "en", "motivation": "Where it all began."]))
                #expect(applied.status == .ok)
                #expect(applied.text.contains("Your application is received"))
                let invalid = try await client.execute(uri: "/apply", method: .post, headers: PageTests.formHeaders, body: PageTests.form([
                    "name": "X", "email": "x@", "city": "", "countryCode": "Australia", "timeZone": "Nowhere/Land", "locale": "en", "motivation": ""]))
                #expect(invalid.status == .unprocessableContent)

                let application = try #require(try await app.persistence.network.applications(status: .pending).first)
                let approved = try await client.post("/admin/applications/\(application.id.uuidString.lowercased())/approve", as: admin)
                #expect(approved.status == .ok)
                let chapter = try #require(try await app.persistence.chapters.chapter(slug: "coffs-harbour"))
                #expect(chapter.timeZone == "Australia/Sydney")
                #expect(try await app.persistence.team.invitations(of: chapter.id, now: Fixture.start).first?.email == "kate@example.org")
                #expect(try await app.persistence.network.applications(status: .pending).isEmpty)

                let handover = try await client.post("/admin/chapters/toulouse/handover", as: admin, ["email": "new@example.org", "previous": "remove"])
                #expect(handover.status == .ok)
                #expect(try await app.persistence.team.team(of: toulouse.id).isEmpty)
                #expect(try await app.persistence.events.upcomingEvents(of: toulouse.id, now: Fixture.start).count == 1, "history kept")
                #expect(try await client.get("/organize/toulouse", as: organizer).status == .notFound)

                let venue = try await client.post("/admin/directory/venues", as: admin, ["name": "Halles de la Cartoucherie", "address": "31300 Toulouse", "capacity": "200", "accessibility": "Step-free"])
                #expect(venue.status == .ok)
                #expect(try await app.persistence.events.directoryVenues(for: nil).contains { $0.name == "Halles de la Cartoucherie" })
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func passwordChangeSignsOutOtherSessions(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            _ = try await Fixture.chapter(app.persistence)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            let other = try await app.persistence.sessions.createSession(for: organizer.user.id, now: Fixture.start)
            try await app.application.test(.router) { client in
                let wrong = try await client.post("/account/password", as: organizer, ["current": "nope", "password": "a brand new password"])
                #expect(wrong.status == .unprocessableContent)
                let changed = try await client.post("/account/password", as: organizer, ["current": Accounts.password, "password": "a brand new password"])
                #expect(changed.status == .seeOther)
                #expect(try await client.get("/organize/toulouse", as: organizer).status == .ok)
                #expect(try await client.execute(uri: "/organize/toulouse", method: .get, headers: [.cookie: "rv_session=\(other)"]).status == .seeOther)
                let signedOut = try await client.post("/signout", as: organizer)
                #expect(signedOut.status == .seeOther)
                #expect(try await client.get("/organize/toulouse", as: organizer).status == .seeOther)
            }
        }
    }
}
