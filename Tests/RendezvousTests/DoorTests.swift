import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RendezvousDomain
@testable import RendezvousPersistence
@testable import RendezvousWeb
import Testing

@Suite("Door check-in")
struct DoorTests {
    struct Outcome: Decodable, Sendable { var result: String; var conflict: Bool; var firstName: String? }

    /// Schemathesis (2026-12-01): an evening in 9753 with the tests' window of ten million hours
    /// answered `closesAt: "10894-02-16T01:36:19Z"`, which is no date-time. The window stays within
    /// the years 2000 to 9999 and still holds the evening.
    @Test func aWideWindowStaysWithinWritableDates() throws {
        let starts = try #require(ISO8601.parse("9753-05-02T07:36:19Z")), ends = starts.addingTimeInterval(7200)
        let event = Event(chapterID: .init(), title: "Far", startsAt: starts, endsAt: ends, capacity: 10)
        let window = DoorDesk.window(event, hours: 10_000_000)
        #expect(ISO8601.format(window.closes) == "9999-12-31T23:59:59Z")
        #expect(ISO8601.format(window.opens) == "8612-07-16T15:36:19Z")
        #expect(ISO8601.format(DoorDesk.window(Event(chapterID: .init(), title: "Near", startsAt: ISO8601.plausible.lowerBound.addingTimeInterval(86_400), endsAt: ISO8601.plausible.lowerBound.addingTimeInterval(93_600), capacity: 10), hours: 10_000_000).opens) == "2000-01-01T00:00:00Z")
        #expect(DoorDesk.withinWindow(event, hours: 10_000_000, at: starts))
        let usual = DoorDesk.window(event, hours: 3)
        #expect(usual.opens == starts.addingTimeInterval(-3 * 3600) && usual.closes == ends.addingTimeInterval(3 * 3600))
    }

    /// Five door phones scan the same ticket at the same moment: one welcome, four "already".
    func fiveDevices(_ app: TestApp) async throws -> [String] {
        let chapter = try await Fixture.chapter(app.persistence)
        let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10)
        let zoe = try await app.persistence.registrations.register(Fixture.profile(1, first: "Zoé"), for: event.id, now: Fixture.start)
        let ticket = try #require(try await app.persistence.door.ticketToken(of: zoe.registration.id))
        app.clock.set(event.startsAt) // the door admits only around the evening
        var phones: [SignedIn] = []
        for index in 0..<5 { phones.append(try await Accounts.signIn(app, email: "door\(index)@example.org", chapters: ["toulouse"])) }
        let devices = phones
        return try await withLiveServer(app) { port in
            try await withThrowingTaskGroup(of: String.self) { group in
                for (index, phone) in devices.enumerated() {
                    group.addTask {
                        var headers = phone.headers
                        headers[.xCSRFToken] = phone.csrf
                        let body = #"{"ticket":"https://rendezvous.test/t/\#(ticket)","nonce":"n-\#(index)","device":"phone-\#(index)"}"#
                        let response = try await send(port, .post, "/door/\(event.id)/checkins", json: body, headers: headers)
                        return try response.decode(Outcome.self).result
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func oneAdmissionPerTicketAcrossDevices(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let results = try await fiveDevices(app)
            #expect(results.filter { $0 == "admitted" }.count == 1)
            #expect(results.filter { $0 == "already" }.count == 4)
        }
    }

    /// Tests the test: five devices running a look-then-admit (test target only) at once admit the
    /// same ticket several times, and the same count catches it.
    @Test(arguments: DatabaseKind.available)
    func theFiveDevicesTestCatchesAMissingGuard(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 10)
            let zoe = try await db.registrations.register(Fixture.profile(1, first: "Zoé"), for: event.id, now: Fixture.start)
            let ticket = try #require(try await db.door.ticketToken(of: zoe.registration.id))
            let results = try await withThrowingTaskGroup(of: CheckInResult.self) { group in
                for index in 0..<5 {
                    group.addTask { try await db.door.checkInWithoutGuard(event: event.id, ticket: ticket, by: "phone-\(index)", now: Fixture.start) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.filter { $0 == .admitted }.count > 1, "without the guard several phones admit the same ticket")
        }
    }

    @Test(arguments: DatabaseKind.available)
    func retriesOfflineConflictsUndoAndWalkIns(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 2)
            let zoe = try await app.persistence.registrations.register(Fixture.profile(1, first: "Zoé"), for: event.id, now: Fixture.start)
            let marie = try await app.persistence.registrations.register(Fixture.profile(2), for: event.id, now: Fixture.start)
            let waiting = try await app.persistence.registrations.register(Fixture.profile(3, first: "Waiting"), for: event.id, now: Fixture.start)
            app.clock.set(event.startsAt) // the evening: the door admits only around it
            let door = try await Accounts.signIn(app, email: "door@example.org", chapters: ["toulouse"])
            try await app.persistence.team.setMembership(user: door.user.id, chapter: chapter.id, role: .door, now: Fixture.start)
            let db = app.persistence
            let now = Fixture.start.addingTimeInterval(30 * 86400)
            // A retried request (same nonce) changes nothing and gets the same answer.
            let first = try await db.door.checkIn(event: event.id, target: .registration(zoe.registration.id), nonce: "same", device: "a", by: "Door", happenedAt: now, offline: false, now: now)
            let retry = try await db.door.checkIn(event: event.id, target: .registration(zoe.registration.id), nonce: "same", device: "a", by: "Door", happenedAt: now, offline: false, now: now)
            #expect(first.result == .admitted && retry.result == .admitted)
            // Two phones offline admitted Marie: the second sync is recorded as a conflict, not dropped.
            _ = try await db.door.checkIn(event: event.id, target: .registration(marie.registration.id), nonce: "x1", device: "phone-1", by: "Ana", happenedAt: now, offline: true, now: now)
            let second = try await db.door.checkIn(event: event.id, target: .registration(marie.registration.id), nonce: "x2", device: "phone-2", by: "Bob", happenedAt: now, offline: true, now: now)
            #expect(second.result == .already && second.conflict && second.checkedInBy == "Ana")
            // No ticket for the waitlist.
            let refused = try await db.door.checkIn(event: event.id, target: .registration(waiting.registration.id), nonce: "w", device: "a", by: "Door", happenedAt: now, offline: false, now: now)
            #expect(refused.result == .notConfirmed)
            let state = try await db.door.doorState(of: event.id)
            #expect(state.checkedIn == 2 && state.expected == 2 && state.walkIns == 0)
            #expect(state.conflicts.map(\.name) == ["Marie Quinquies 2"])

            try await app.application.test(.router) { client in
                // Door staff have no dashboard: signing in leads to the door of the chapter's next evening.
                let landing = try await client.get("/organize", as: door)
                #expect(landing.headers[.location] == "/door/\(event.id)")
                // The door page works without JavaScript: search, check in, undo, walk-in.
                let search = try await client.get("/door/\(event.id)?q=ZOE", as: door)
                #expect(search.status == .ok)
                #expect(search.text.contains("Zoé Quinquies 1"))
                let undo = try await client.post("/door/\(event.id)/undo", as: door, ["registrationId": zoe.registration.id.description])
                #expect(undo.status == .seeOther)
                #expect(try await db.door.doorState(of: event.id).checkedIn == 1)
                // Someone not yet admitted is offered the check-in button, not the page's counter and an undo.
                let notYet = try await client.get("/door/\(event.id)?q=ZOE", as: door).text
                let zoeRow = try #require(notYet.components(separatedBy: "<li>").first { $0.contains("Zoé Quinquies 1") })
                #expect(zoeRow.contains("action=\"/door/\(event.id)/checkins\""))
                #expect(!zoeRow.contains("action=\"/door/\(event.id)/undo\""))
                let again = try await client.post("/door/\(event.id)/checkins", as: door, ["registrationId": zoe.registration.id.description])
                let flash = try await client.get(try #require(again.headers[.location]), as: door)
                #expect(flash.text.contains("Welcome, Zoé Quinquies 1!"))
                // A made-up answer in the address (a forged QR code) shows nothing, nor does a changed name.
                let forged = try await client.get("/door/\(event.id)?r=admitted&n=Mallory%20Faker", as: door)
                #expect(!forged.text.contains("Mallory"))
                let location = try #require(again.headers[.location])
                var components = try #require(URLComponents(string: location))
                #expect(components.queryItems?.contains { $0.name == "n" && $0.value == "Zoé Quinquies 1" } == true)
                components.queryItems = components.queryItems?.map { $0.name == "n" ? URLQueryItem(name: "n", value: "Mallory") : $0 }
                let renamed = try await client.get(try #require(components.string), as: door)
                #expect(!renamed.text.contains("Welcome, Mallory"))
                let walkIn = try await client.post("/door/\(event.id)/walkins", as: door, ["firstName": "Jean-Christophe", "lastName": "Boussion", "company": "PowerPitch"])
                #expect(walkIn.status == .seeOther)
                let after = try await db.door.doorState(of: event.id)
                #expect(after.walkIns == 1 && after.checkedIn == 2 && after.expected == 2, "walk-ins are counted apart from the registered who came")
                let page = try await client.get("/door/\(event.id)", as: door)
                #expect(page.text.contains("Over capacity with the walk-ins"))
                #expect(page.text.contains("To look at: checked in twice while offline"))
                // Door staff may not organise; another chapter's organiser sees nothing.
                #expect(try await client.get("/organize/events/\(event.id)", as: door).status == .notFound)
                let stranger = try await Accounts.signIn(app, email: "paris@example.org", chapters: [])
                #expect(try await client.get("/door/\(event.id)", as: stranger).status == .notFound)
                #expect(try await client.post("/door/\(event.id)/checkins", as: stranger, ["registrationId": marie.registration.id.description]).status == .notFound)
                #expect(try await client.execute(uri: "/door/\(event.id)", method: .get).status == .seeOther)
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func ticketLinksAdmitForDoorStaffAndInformOthers(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 5)
            let zoe = try await app.persistence.registrations.register(Fixture.profile(1, first: "Zoé"), for: event.id, now: Fixture.start)
            let gone = try await app.persistence.registrations.register(Fixture.profile(2, first: "Gone"), for: event.id, now: Fixture.start)
            _ = try await app.persistence.registrations.cancel(gone.registration.id, token: gone.registration.manageToken, now: Fixture.start)
            app.clock.set(event.startsAt.addingTimeInterval(-3600)) // an hour before the doors open
            let door = try await Accounts.signIn(app, email: "door@example.org", chapters: ["toulouse"])
            let ticket = try #require(try await app.persistence.door.ticketToken(of: zoe.registration.id))
            let goneTicket = try #require(try await app.persistence.door.ticketToken(of: gone.registration.id))
            #expect(ticket.count >= 43, "at least 256 bits")
            #expect(ticket != zoe.registration.manageToken)
            try await app.application.test(.router) { client in
                // The manage page shows the ticket QR to a confirmed person; it encodes the ticket address.
                let manage = try await client.execute(uri: "/manage/\(zoe.registration.manageToken)", method: .get)
                #expect(manage.text.contains("/manage/\(zoe.registration.manageToken)/ticket.png"))
                let svg = try await client.execute(uri: "/manage/\(zoe.registration.manageToken)/ticket.png", method: .get)
                #expect(svg.headers[.contentType] == "image/png")
                #expect(try await client.execute(uri: "/manage/\(gone.registration.manageToken)/ticket.png", method: .get).status == .notFound)

                let anonymous = try await client.execute(uri: "/t/\(ticket)", method: .get, headers: [.acceptLanguage: "en"])
                #expect(anonymous.text.contains("Zoé&#39;s ticket"))
                #expect(try await app.persistence.door.doorState(of: event.id).checkedIn == 0)

                // The scan shows the person and one button; the tap admits.
                let scanned = try await client.get("/t/\(ticket)", as: door)
                #expect(scanned.text.contains("action=\"/t/\(ticket)\""))
                #expect(try await app.persistence.door.doorState(of: event.id).checkedIn == 0)
                var tap = door.form([:])
                tap.0[.acceptLanguage] = "en"
                let admitted = try await client.execute(uri: "/t/\(ticket)", method: .post, headers: tap.0, body: tap.1)
                #expect(admitted.text.contains("Welcome, Zoé!"))
                let twice = try await client.get("/t/\(ticket)", as: door)
                #expect(twice.text.contains("Already checked in at"))
                #expect(twice.text.contains("by Door"))
                let tappedTwice = try await client.execute(uri: "/t/\(ticket)", method: .post, headers: tap.0, body: tap.1)
                #expect(tappedTwice.text.contains("Already checked in at"))
                let cancelled = try await client.get("/t/\(goneTicket)", as: door)
                #expect(cancelled.text.contains("No valid ticket"))
                #expect(try await client.get("/t/not-a-ticket", as: door).status == .notFound)
            }
            // Attendance feeds the organiser: who came, who did not.
            let attendance = try await app.persistence.door.attendance(of: chapter.id, now: event.startsAt.addingTimeInterval(3600))
            #expect(attendance.first?.came == 1 && attendance.first?.expected == 1)
            #expect(attendance.first?.noShowRate == 0)
        }
    }

    /// Signed in at January's door, a phone opens the ticket of someone registered for April's
    /// meetup of the same chapter: refused in red with April's date, no button, and a POST admits no one.
    @Test(arguments: DatabaseKind.available)
    func anotherEveningsTicketIsRefused(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let january = try await Fixture.event(app.persistence, chapter: chapter, capacity: 5, startsIn: 5, title: "January meetup")
            let april = try await Fixture.event(app.persistence, chapter: chapter, capacity: 5, startsIn: 95, title: "April meetup")
            let zoe = try await app.persistence.registrations.register(Fixture.profile(1, first: "Zoé"), for: april.id, now: Fixture.start)
            let ticket = try #require(try await app.persistence.door.ticketToken(of: zoe.registration.id))
            app.clock.set(january.startsAt)
            let door = try await Accounts.signIn(app, email: "door@example.org", chapters: ["toulouse"])
            try await app.application.test(.router) { client in
                // Opening January's door records, on this phone, which evening it serves.
                let page = try await client.get("/door/\(january.id)", as: door)
                let setCookie = page.headers[values: .setCookie].first { $0.hasPrefix("rv_door_event=") } ?? "none"
                #expect(setCookie.hasPrefix("rv_door_event=\(january.id);"))
                for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Secure", "Max-Age=86400"] { #expect(setCookie.contains(attribute), "\(attribute)") }
                var headers = door.headers
                headers[.cookie] = "rv_session=\(door.cookie); rv_door_event=\(january.id)"
                headers[.acceptLanguage] = "en"
                let opened = try await client.execute(uri: "/t/\(ticket)", method: .get, headers: headers)
                #expect(opened.status == .ok)
                #expect(opened.text.contains("class=\"result bad\""))
                #expect(opened.text.contains("Ticket for another meetup: April meetup, "))
                #expect(opened.text.contains("href=\"/door/\(january.id)\""))
                #expect(!opened.text.contains("action=\"/t/\(ticket)\""))
                // The same refusal in French.
                headers[.acceptLanguage] = "fr"
                let french = try await client.execute(uri: "/t/\(ticket)", method: .get, headers: headers)
                #expect(french.text.contains("Billet pour une autre rencontre\u{202F}: April meetup, "))
                // A POST (a stale page, a crafted form) admits no one into April.
                var tap = door.form([:])
                tap.0[.cookie] = "rv_session=\(door.cookie); rv_door_event=\(january.id)"
                tap.0[.acceptLanguage] = "en"
                let posted = try await client.execute(uri: "/t/\(ticket)", method: .post, headers: tap.0, body: tap.1)
                #expect(posted.text.contains("Ticket for another meetup: April meetup, "))
                #expect(!posted.text.contains("Welcome"))
                #expect(try await app.persistence.door.doorState(of: april.id).checkedIn == 0)
                // A phone serving no evening yet sees the ticket's evening in large, and (April being
                // months away) no button either.
                let unset = try await client.get("/t/\(ticket)", as: door)
                #expect(unset.text.contains("This meetup is on "))
                #expect(!unset.text.contains("action=\"/t/\(ticket)\""))
            }
            #expect(try await app.persistence.door.doorState(of: april.id).checkedIn == 0)
        }
    }

    /// The door admits from three hours before the evening's start to three hours after its end;
    /// before and after, the ticket page, its POST and the door's JSON check-ins refuse with the date.
    @Test(arguments: DatabaseKind.available)
    func checkInOnlyAroundTheEvening(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 5, startsIn: 5, title: "January meetup")
            let zoe = try await app.persistence.registrations.register(Fixture.profile(1, first: "Zoé"), for: event.id, now: Fixture.start)
            let marie = try await app.persistence.registrations.register(Fixture.profile(2), for: event.id, now: Fixture.start)
            let ticket = try #require(try await app.persistence.door.ticketToken(of: zoe.registration.id))
            app.clock.set(event.startsAt.addingTimeInterval(-3 * 3600 - 60)) // 3 h 01 before
            let door = try await Accounts.signIn(app, email: "door@example.org", chapters: ["toulouse"])
            try await app.application.test(.router) { client in
                let early = try await client.get("/t/\(ticket)", as: door)
                #expect(early.text.contains("class=\"result bad\""))
                #expect(early.text.contains("This meetup is on "))
                #expect(!early.text.contains("action=\"/t/\(ticket)\""))
                var tap = door.form([:])
                tap.0[.acceptLanguage] = "en"
                let tapped = try await client.execute(uri: "/t/\(ticket)", method: .post, headers: tap.0, body: tap.1)
                #expect(tapped.text.contains("This meetup is on "))
                #expect(try await app.persistence.door.doorState(of: event.id).checkedIn == 0)
                // The door's script: a clear answer it shows, nobody admitted.
                var json = door.headers
                json[.contentType] = "application/json"
                json[.accept] = "application/json"
                json[.xCSRFToken] = door.csrf
                let body = #"{"registrationId":"\#(marie.registration.id)","nonce":"early","device":"phone"}"#
                let scripted = try await client.execute(uri: "/door/\(event.id)/checkins", method: .post, headers: json, body: ByteBuffer(string: body))
                #expect(try JSONDecoder().decode(Outcome.self, from: Data(buffer: scripted.body)).result == "notToday")
                // Without JavaScript: the form's answer says so on the door page.
                let form = try await client.post("/door/\(event.id)/checkins", as: door, ["registrationId": marie.registration.id.description])
                let flash = try await client.get(try #require(form.headers[.location]), as: door)
                #expect(flash.text.contains("This meetup is on "))
                #expect(try await app.persistence.door.doorState(of: event.id).checkedIn == 0)
                #expect(try await client.get("/door/\(event.id)", as: door).text.contains("data-not-today=\"This meetup is on "))

                // Within the window: the button, and the tap admits.
                app.clock.set(event.startsAt.addingTimeInterval(-3 * 3600 + 60))
                let inside = try await client.get("/t/\(ticket)", as: door)
                #expect(inside.text.contains("action=\"/t/\(ticket)\""))
                #expect(inside.text.contains("<h1 class=\"door-title\">January meetup</h1>"))
                let admitted = try await client.execute(uri: "/t/\(ticket)", method: .post, headers: tap.0, body: tap.1)
                #expect(admitted.text.contains("Welcome, Zoé!"))
                #expect(try await app.persistence.door.doorState(of: event.id).checkedIn == 1)

                // After the window: refused again.
                app.clock.set(event.endsAt.addingTimeInterval(3 * 3600 + 60))
                let late = #"{"registrationId":"\#(marie.registration.id)","nonce":"late","device":"phone"}"#
                let lateAnswer = try await client.execute(uri: "/door/\(event.id)/checkins", method: .post, headers: json, body: ByteBuffer(string: late))
                #expect(try JSONDecoder().decode(Outcome.self, from: Data(buffer: lateAnswer.body)).result == "notToday")
                #expect(try await app.persistence.door.doorState(of: event.id).checkedIn == 1)
            }
        }
    }

    /// Organisers widen the door's hours for one evening (a badge pick-up the day before, a
    /// festival evening); door staff cannot; the window shows on the door page.
    @Test(arguments: DatabaseKind.available)
    func organisersWidenTheDoorsHours(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 5, startsIn: 5, title: "January meetup")
            let zoe = try await app.persistence.registrations.register(Fixture.profile(1, first: "Zoé"), for: event.id, now: Fixture.start)
            let ticket = try #require(try await app.persistence.door.ticketToken(of: zoe.registration.id))
            app.clock.set(event.startsAt.addingTimeInterval(-20 * 3600)) // the evening before
            let door = try await Accounts.signIn(app, email: "door@example.org", chapters: ["toulouse"])
            try await app.persistence.team.setMembership(user: door.user.id, chapter: chapter.id, role: .door, now: Fixture.start)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            try await app.application.test(.router) { client in
                #expect(try await client.get("/t/\(ticket)", as: door).text.contains("This meetup is on "))
                let doorPage = try await client.get("/door/\(event.id)", as: door)
                #expect(doorPage.text.contains("id=\"door-window\""))
                #expect(!doorPage.text.contains("action=\"/door/\(event.id)/window\""))
                #expect(try await client.post("/door/\(event.id)/window", as: door, ["hours": "24"]).status == .notFound)
                #expect(try await client.get("/door/\(event.id)", as: organizer).text.contains("action=\"/door/\(event.id)/window\""))
                #expect(try await client.post("/door/\(event.id)/window", as: organizer, ["hours": "999"]).status == .badRequest)
                #expect(try await client.post("/door/\(event.id)/window", as: organizer, ["hours": "24"]).status == .seeOther)
                let widened = try await client.get("/t/\(ticket)", as: door)
                #expect(widened.text.contains("action=\"/t/\(ticket)\""))
                #expect(try await app.persistence.team.auditLog(of: chapter.id).contains { $0.action == "door.window" })
                // Without JavaScript the search reads the query as a form sends it: "+" is a space.
                #expect(try await client.get("/door/\(event.id)?q=zoe+quinquies", as: door).text.contains("Zoé Quinquies 1"))
            }
        }
    }

    /// The holder who opens their own ticket link (signed out) sees the code to show and how the door works.
    @Test(arguments: DatabaseKind.available)
    func aTicketOpenedSignedOutShowsItsCode(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 5, startsIn: 5)
            let zoe = try await app.persistence.registrations.register(Fixture.profile(1, first: "Zoé"), for: event.id, now: Fixture.start)
            let ticket = try #require(try await app.persistence.door.ticketToken(of: zoe.registration.id))
            try await app.application.test(.router) { client in
                let page = try await client.execute(uri: "/t/\(ticket)", method: .get, headers: [.acceptLanguage: "en"])
                #expect(page.text.contains("src=\"data:image/png;base64,"))
                #expect(page.text.contains("show this code"))
                #expect(!page.text.contains("action=\"/t/\(ticket)\""))
            }
        }
    }

    /// A made-up or mistyped token on a door phone: a red "Unknown ticket" with the way back to the
    /// door, not the site's generic error page.
    @Test(arguments: DatabaseKind.available)
    func anUnknownTicketShowsARedDoorPage(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 5, startsIn: 5)
            let door = try await Accounts.signIn(app, email: "door@example.org", chapters: ["toulouse"])
            try await app.application.test(.router) { client in
                var headers = door.headers
                headers[.cookie] = "rv_session=\(door.cookie); rv_door_event=\(event.id)"
                headers[.acceptLanguage] = "en"
                let unknown = try await client.execute(uri: "/t/not-a-ticket", method: .get, headers: headers)
                #expect(unknown.status == .notFound)
                #expect(unknown.text.contains("class=\"result bad\""))
                #expect(unknown.text.contains("Unknown ticket"))
                #expect(unknown.text.contains("href=\"/door/\(event.id)\""))
                let anonymous = try await client.execute(uri: "/t/not-a-ticket", method: .get, headers: [.acceptLanguage: "en"])
                #expect(anonymous.status == .notFound)
                #expect(!anonymous.text.contains("Unknown ticket"))
            }
        }
    }

    /// What a phone on the venue's wifi downloads to open the door: the page and its assets, as they
    /// travel (gzip, as every browser asks). The uncompressed size has a looser bound of its own.
    @Test func doorPageWeighsUnder50KB() async throws {
        try await withApp(.sqlite) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 70)
            let door = try await Accounts.signIn(app, email: "door@example.org", chapters: ["toulouse"])
            try await app.application.test(.router) { client in
                var onTheWire = 0
                var uncompressed = 0
                var pageHeaders = door.headers
                pageHeaders[.acceptEncoding] = "gzip, deflate, br"
                let page = try await client.execute(uri: "/door/\(event.id)", method: .get, headers: pageHeaders)
                #expect(page.headers[.contentEncoding] == "gzip")
                onTheWire += page.body.readableBytes
                uncompressed += try await client.get("/door/\(event.id)", as: door).body.readableBytes
                for asset in ["/static/app.css", "/static/app.js", "/static/door.js"] {
                    let compressed = try await client.execute(uri: asset, method: .get, headers: [.acceptEncoding: "gzip, deflate, br"])
                    #expect(compressed.headers[.contentEncoding] == "gzip", "\(asset)")
                    onTheWire += compressed.body.readableBytes
                    uncompressed += try await client.execute(uri: asset, method: .get).body.readableBytes
                }
                #expect(onTheWire < 50_000, "\(onTheWire) bytes on the wire")
                #expect(uncompressed < 60_000, "\(uncompressed) bytes uncompressed")
                let worker = try await client.execute(uri: "/door/sw.js", method: .get)
                #expect(worker.status == .ok)
                #expect(worker.headers[.contentType] == "text/javascript; charset=utf-8")
            }
        }
    }
}
