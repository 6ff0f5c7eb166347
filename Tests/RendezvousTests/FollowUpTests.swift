import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RendezvousDomain
@testable import RendezvousMail
@testable import RendezvousPersistence
@testable import RendezvousWeb
import SQLKit
import Testing

/// After the evening: the D+1 and D+14 mails (time zones, daylight saving, only to those who
/// came, once per evening and person whatever the instances, stopped by one click), the
/// two-question feedback, the organisers' result, and contacts keeping people apart next time.
@Suite("Follow-up after the evening")
struct FollowUpTests {
    static let paris = TimeZone(identifier: "Europe/Paris")!

    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    // MARK: Rules

    @Test func theMailsLeaveAtNineOnTheWallClockAcrossDaylightSavingAndTimeZones() {
        // Saturday 27 March 2027, 19:00 in Paris; summer time starts that night.
        let evening = Self.date("2027-03-27T18:00:00Z")
        #expect(FollowUpSchedule.due(.morningAfter, startsAt: evening, timeZone: Self.paris) == Self.date("2027-03-28T07:00:00Z"))
        // Wednesday 20 October 2027 in Paris; winter time comes back on the 31st: 9:00 CET is 08:00 UTC.
        let autumn = Self.date("2027-10-20T17:00:00Z")
        #expect(FollowUpSchedule.due(.nudge, startsAt: autumn, timeZone: Self.paris) == Self.date("2027-11-03T08:00:00Z"))
        // A late evening (23:30 local) is still "the evening": the mail goes the next morning, not two days later.
        let late = Self.date("2027-01-15T22:30:00Z")
        #expect(FollowUpSchedule.due(.morningAfter, startsAt: late, timeZone: Self.paris) == Self.date("2027-01-16T08:00:00Z"))
        // Los Angeles: 9:00 PST is 17:00 UTC, the day after the local date (not the UTC date).
        let la = TimeZone(identifier: "America/Los_Angeles")!
        let californian = Self.date("2027-01-16T03:00:00Z") // 15 January, 19:00 local
        #expect(FollowUpSchedule.due(.morningAfter, startsAt: californian, timeZone: la) == Self.date("2027-01-16T17:00:00Z"))
        // Due from 9:00, and not at all when hopelessly late (a server down for two days sends nothing stale).
        let due = Self.date("2027-01-16T08:00:00Z")
        #expect(!FollowUpSchedule.isDue(.morningAfter, startsAt: late, timeZone: Self.paris, now: due.addingTimeInterval(-60)))
        #expect(FollowUpSchedule.isDue(.morningAfter, startsAt: late, timeZone: Self.paris, now: due))
        #expect(!FollowUpSchedule.isDue(.morningAfter, startsAt: late, timeZone: Self.paris, now: due.addingTimeInterval(37 * 3600)))
        // The query window always holds the evenings that are due.
        for kind in FollowUpKind.allCases {
            for zone in [Self.paris, la, TimeZone(identifier: "Pacific/Kiritimati")!, TimeZone(identifier: "Pacific/Pago_Pago")!] {
                let due = FollowUpSchedule.due(kind, startsAt: late, timeZone: zone)
                for now in [due, due.addingTimeInterval(FollowUpSchedule.lateness - 1)] {
                    #expect(FollowUpSchedule.candidateStarts(kind, now: now).contains(late), "\(kind) \(zone.identifier)")
                }
            }
        }
    }

    @Test func onlyPeopleWhoCameGetThemAndTheNudgeOnlyWithSomethingToFollowUp() {
        let came = FollowUpRecipient(checkedIn: true, hasEmail: true, unsubscribed: false, openContacts: 2)
        #expect(FollowUpRules.shouldSend(.morningAfter, to: came))
        #expect(FollowUpRules.shouldSend(.nudge, to: came))
        var noShow = came; noShow.checkedIn = false
        #expect(!FollowUpRules.shouldSend(.morningAfter, to: noShow))
        #expect(!FollowUpRules.shouldSend(.nudge, to: noShow))
        var stopped = came; stopped.unsubscribed = true
        #expect(!FollowUpRules.shouldSend(.morningAfter, to: stopped))
        #expect(!FollowUpRules.shouldSend(.nudge, to: stopped))
        var walkInWithoutEmail = came; walkInWithoutEmail.hasEmail = false
        #expect(!FollowUpRules.shouldSend(.morningAfter, to: walkInWithoutEmail))
        var allFollowed = came; allFollowed.openContacts = 0
        #expect(FollowUpRules.shouldSend(.morningAfter, to: allFollowed))
        #expect(!FollowUpRules.shouldSend(.nudge, to: allFollowed))
    }

    @Test func feedbackResultAndLinksAreCheckedAndCounted() throws {
        #expect(try FeedbackInput.validated(score: "9", comment: "  Great speaker  ").get() == FeedbackInput(score: 9, comment: "Great speaker"))
        guard case .failure(let tooHigh) = FeedbackInput.validated(score: "11", comment: nil) else { Issue.record("11 accepted"); return }
        #expect(tooHigh["score"] == .outOfRange(min: 0, max: 10))
        guard case .failure(let none) = FeedbackInput.validated(score: nil, comment: "x") else { Issue.record("no score accepted"); return }
        #expect(none["score"] == .required)

        let result = EveningResult(checkedIn: 4, scoreCounts: [0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 2, 0, 9], comments: [], contacts: 0, acceptedContacts: 0, metAtLeastThree: 1)
        #expect(result.scoreCounts.count == 11)
        #expect(result.answers == 4)
        #expect(result.averageScore == 8.5)
        #expect(result.netPromoterScore == 50) // 3 promoters, 1 detractor, 4 answers
        #expect(result.shareMetThree == 0.25)
        #expect(EveningResult(checkedIn: 0, scoreCounts: [], comments: [], contacts: 0, acceptedContacts: 0, metAtLeastThree: 0).averageScore == nil)
        // Each other person counts once, whoever started the link.
        #expect(EveningResult.peopleMet(links: [("a", "b"), ("b", "a"), ("a", "c"), ("a", "d"), ("c", "d")]) == ["a": 3, "b": 1, "c": 2, "d": 2])

        let links = try EventResource.parse("Slides – https://example.org/slides.pdf\n\nhttps://www.youtube.com/watch?v=x\n").get()
        #expect(links == [EventResource(label: "Slides", url: "https://example.org/slides.pdf"),
                          EventResource(label: "www.youtube.com", url: "https://www.youtube.com/watch?v=x")])
        guard case .failure(let bad) = EventResource.parse("Slides https://example.org/s.pdf\nVideo javascript:alert(1)") else { Issue.record("script link accepted"); return }
        #expect(bad["resources"] == .notALink(line: 2), "the error names the line")
    }

    // MARK: The runs

    struct Evening {
        var event: Event
        var karim: Registration
        var lea: Registration
        var zoe: Registration
        var noShow: Registration
        var stopped: Registration
    }

    /// An evening in Paris, 15 January 2027 at 19:00: Karim, Léa and Zoé came; Noé did not;
    /// Ana came but clicked "stop". Karim and Léa both said they met; Zoé says she met Karim.
    static func evening(_ app: TestApp) async throws -> Evening {
        let chapter = try await Fixture.chapter(app.persistence)
        let startsIn = (Self.date("2027-01-15T18:00:00Z").timeIntervalSince(Fixture.start)) / 86400
        let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 20, startsIn: startsIn, title: "Rencontre de janvier")
        func register(_ index: Int, _ name: String, linkedin: Bool = false, news: Bool = false) async throws -> Registration {
            var profile = Fixture.profile(index, first: name)
            if linkedin {
                profile.linkedinURL = "https://www.linkedin.com/in/\(name.lowercased())"
                profile.consents.profileSharing = true
            }
            profile.consents.news = news
            return try await app.persistence.registrations.register(profile, for: event.id, now: app.clock.now()).registration
        }
        let karim = try await register(1, "Karim", linkedin: true)
        let lea = try await register(2, "Léa", linkedin: true, news: true)
        let zoe = try await register(3, "Zoé")
        let noShow = try await register(4, "Noé", news: true)
        let stopped = try await register(5, "Ana")
        for person in [karim, lea, zoe, stopped] {
            try await app.persistence.sql.raw("UPDATE registrations SET checked_in_at = \(bind: event.startsAt), checked_in_by = 'Door' WHERE id = \(bind: person.id.uuid)").run()
        }
        let token = try #require(try await app.persistence.outbox.unsubscribeToken(of: stopped.id))
        #expect(try await app.persistence.outbox.unsubscribe(token: token))
        _ = try await app.persistence.contacts.weMet(me: karim.id, other: lea.id, note: "aéronautique", now: event.startsAt)
        _ = try await app.persistence.contacts.weMet(me: lea.id, other: karim.id, note: "", now: event.startsAt)
        _ = try await app.persistence.contacts.weMet(me: zoe.id, other: karim.id, note: "", now: event.startsAt)
        #expect(try await app.persistence.followUp.setResources("Slides https://example.org/slides.pdf", of: event.id, chapter: chapter.id))
        return Evening(event: event, karim: karim, lea: lea, zoe: zoe, noShow: noShow, stopped: stopped)
    }

    static func queued(_ app: TestApp, _ kind: OutboxKind) async throws -> [UUID] {
        struct Row: Decodable { var registrationId: UUID }
        return try await app.persistence.sql.raw("SELECT registration_id FROM outbox WHERE kind = \(bind: kind.rawValue) ORDER BY registration_id")
            .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase).map(\.registrationId)
    }

    static func compose(_ app: TestApp, _ kind: OutboxKind, for registration: Registration) async throws -> MailMessage {
        struct Row: Decodable { var id: UUID; var createdAt: Date }
        let row = try #require(try await app.persistence.sql.raw("""
            SELECT id, created_at FROM outbox WHERE kind = \(bind: kind.rawValue) AND registration_id = \(bind: registration.id.uuid)
            """).first(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase))
        let composer = MessageComposer(persistence: app.persistence, baseURL: "https://rendezvous.test", from: MeTests.from)
        let item = OutboxItem(id: row.id, kind: kind, registrationID: registration.id, eventID: registration.eventID, recipient: "", payload: [:],
                              attempts: 0, createdAt: row.createdAt)
        guard case .message(let message) = try await composer.compose(item, now: app.clock.now()) else { throw FeedbackError.notFound }
        return message
    }

    @Test(arguments: DatabaseKind.available)
    func theMorningAfterGoesAtNineOnceToThoseWhoCameWithThePeopleTheyMet(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let evening = try await Self.evening(app)
            // The evening itself, and 8:59 the next morning: nothing.
            app.clock.set(Self.date("2027-01-15T22:00:00Z"))
            #expect(try await app.persistence.followUp.run(.morningAfter, now: app.clock.now()) == 0)
            app.clock.set(Self.date("2027-01-16T07:59:00Z"))
            #expect(try await app.persistence.followUp.run(.morningAfter, now: app.clock.now()) == 0)
            // 9:00 in Paris: three instances sweep at once; each person who came (and did not stop them) gets one.
            app.clock.set(Self.date("2027-01-16T08:00:30Z"))
            let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<3 { group.addTask { try await app.persistence.followUp.run(.morningAfter, now: app.clock.now()) } }
                return try await group.reduce(0, +)
            }
            #expect(counts == 3)
            #expect(try await app.persistence.followUp.run(.morningAfter, now: app.clock.now().addingTimeInterval(600)) == 0)
            let expected = [evening.karim, evening.lea, evening.zoe].map(\.id.uuid).sorted { $0.uuidString < $1.uuidString }
            #expect(try await Self.queued(app, .followUp).sorted { $0.uuidString < $1.uuidString } == expected)

            // Karim's mail: Léa (connected, her LinkedIn), Zoé waiting for his answer, the slides, the 0–10 scale.
            let mail = try await Self.compose(app, .followUp, for: evening.karim)
            #expect(mail.subject == "Rencontre de janvier\u{202F}: les personnes que vous avez rencontrées")
            #expect(mail.text.contains("Léa Quinquies 2"))
            #expect(mail.text.contains("https://www.linkedin.com/in/léa"))
            #expect(mail.text.contains("1 personne dit vous avoir rencontré·e"))
            #expect(mail.text.contains("Zoé Quinquies 3"))
            #expect(mail.text.contains("https://example.org/slides.pdf"))
            #expect(mail.text.contains("https://rendezvous.test/feedback/"))
            #expect(mail.html.contains("?score=10"))
            #expect(mail.unsubscribeURL != nil, "one click stops them")
            #expect(!mail.text.contains("aéronautique"), "notes stay in My Rendezvous")
            // Léa registered in English: her mail is in English.
            try await app.persistence.sql.raw("UPDATE registrations SET language = 'en' WHERE id = \(bind: evening.lea.id.uuid)").run()
            let leaMail = try await Self.compose(app, .followUp, for: evening.lea)
            #expect(leaMail.subject == "Rencontre de janvier: the people you met")
            #expect(leaMail.text.contains("1 person you met"))
            #expect(leaMail.html.contains("<html lang=\"en\">"))
            #expect(leaMail.html.contains("?score=10&amp;lang=en"), "the feedback page opens in her language")
            // Zoé's: Karim has not answered, so he is named as not having answered, without his LinkedIn.
            let zoeMail = try await Self.compose(app, .followUp, for: evening.zoe)
            #expect(!zoeMail.text.contains("linkedin.com/in/karim"))
            #expect(zoeMail.text.contains("1 personne n’a pas encore répondu"))
            #expect(zoeMail.text.contains("Karim Quinquies 1"))
            #expect(!zoeMail.text.contains("Votre liste est encore vide"))
            // Léa asked to hear of the next meetups: having come, she now follows the chapter; Noé (absent) does not.
            struct Member: Decodable { var email: String; var status: String }
            let audience = try await app.persistence.sql.raw("SELECT email, status FROM chapter_audience ORDER BY email").all(decoding: Member.self)
            #expect(audience.map(\.email) == ["person2@example.org"])
            #expect(audience.first?.status == "following")
        }
    }

    @Test(arguments: DatabaseKind.available)
    func theNudgeGoesTwoWeeksLaterOnlyWithContactsLeftToFollowUp(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let evening = try await Self.evening(app)
            // Léa marks Karim as followed up; Karim has not, and has Zoé's request unanswered.
            let link = try #require(try await app.persistence.contacts.people(mine: [evening.lea.id]).first)
            try await app.persistence.followUp.setFollowedUp(link.id, mine: [evening.lea.id], done: true, now: app.clock.now())
            // Someone else cannot mark it.
            await #expect(throws: ContactError.self) {
                try await app.persistence.followUp.setFollowedUp(link.id, mine: [evening.noShow.id], done: true, now: app.clock.now())
            }
            app.clock.set(Self.date("2027-01-29T07:30:00Z"))
            #expect(try await app.persistence.followUp.run(.nudge, now: app.clock.now()) == 0)
            app.clock.set(Self.date("2027-01-29T08:00:00Z"))
            #expect(try await app.persistence.followUp.run(.nudge, now: app.clock.now()) == 1)
            #expect(try await Self.queued(app, .followUpNudge) == [evening.karim.id.uuid])
            let nudge = try await Self.compose(app, .followUpNudge, for: evening.karim)
            #expect(nudge.text.contains("Léa Quinquies 2"))
            #expect(nudge.text.contains("Zoé Quinquies 3"))
            // Had he marked everything before it left, it would not go at all.
            let karimLink = try #require(try await app.persistence.contacts.people(mine: [evening.karim.id]).first { $0.state == .connected })
            try await app.persistence.followUp.setFollowedUp(karimLink.id, mine: [evening.karim.id], done: true, now: app.clock.now())
            let request = try #require(try await app.persistence.contacts.people(mine: [evening.karim.id]).first { $0.state == .theySaidYouMet })
            try await app.persistence.contacts.answer(request.id, mine: [evening.karim.id], accept: false, now: app.clock.now())
            await #expect(throws: FeedbackError.self) { _ = try await Self.compose(app, .followUpNudge, for: evening.karim) }
        }
    }

    // MARK: Feedback and the organisers' result

    @Test(arguments: DatabaseKind.available)
    func feedbackIsOneClickFromTheMailAndOrganisersSeeTheResult(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let evening = try await Self.evening(app)
            app.clock.set(Self.date("2027-01-16T09:00:00Z"))
            let token = try #require(try await app.persistence.registrations.ensureToken(.feedback, of: evening.karim.id))
            let absent = try #require(try await app.persistence.registrations.ensureToken(.feedback, of: evening.noShow.id))
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            let stranger = try await Accounts.signIn(app, email: "lyon@example.org", chapters: [])
            try await app.application.test(.router) { client in
                let en: HTTPFields = [.acceptLanguage: "en"]
                // The score clicked in the mail is already chosen; nothing is recorded by opening the link.
                let page = try await client.execute(uri: "/feedback/\(token)?score=9", method: .get, headers: en)
                #expect(page.status == .ok)
                #expect(String(buffer: page.body).contains("id=\"score-9\" name=\"score\" value=\"9\" checked"))
                #expect(page.headers[.referrerPolicy] == "same-origin", "the token never leaves for another site")
                #expect(try await app.persistence.followUp.feedback(of: evening.karim.id) == nil)
                // A wrong score: the error on the field, nothing lost.
                var headers = en
                headers[.contentType] = "application/x-www-form-urlencoded"
                let bad = try await client.execute(uri: "/feedback/\(token)", method: .post, headers: headers,
                                                   body: PageTests.form(["score": "12", "comment": "Super soirée"]))
                #expect(bad.status == .unprocessableContent)
                #expect(String(buffer: bad.body).contains("Super soirée"))
                let sent = try await client.execute(uri: "/feedback/\(token)", method: .post, headers: headers,
                                                    body: PageTests.form(["score": "9", "comment": "Super soirée <b>"]))
                #expect(sent.status == .seeOther || sent.status == .found)
                let thanks = String(buffer: try await client.execute(uri: try #require(sent.headers[.location]), method: .get, headers: en).body)
                #expect(thanks.contains("Thank you: your answer is recorded."))
                // Changing one's mind replaces the answer.
                _ = try await client.execute(uri: "/feedback/\(token)", method: .post, headers: headers, body: PageTests.form(["score": "10", "comment": "Super soirée <b>"]))
                #expect(try await app.persistence.followUp.feedback(of: evening.karim.id)?.score == 10)
                // Someone who did not come cannot rate the evening.
                let refused = try await client.execute(uri: "/feedback/\(absent)", method: .post, headers: headers, body: PageTests.form(["score": "0"]))
                #expect(refused.status == .forbidden)
                #expect(String(buffer: refused.body).contains("Only people who came"))
                // A made-up link.
                #expect(try await client.execute(uri: "/feedback/AAAA\(token.dropFirst(4))", method: .get, headers: en).status == .notFound)

                // The organisers' page: the result, the chart with its table, the comment (escaped, without a name).
                let result = try await client.get(OrganizeRoute.followUp(evening.event.id).path, as: organizer)
                #expect(result.status == .ok)
                let html = String(buffer: result.body)
                #expect(html.contains("4 people came"))
                #expect(html.contains("Rated 10.0/10 on average (1 answer)"))
                #expect(html.contains("2 “We met” contacts made, 1 accepted by both sides"))
                #expect(html.contains("0% of the people who came met at least three others (0 of 4)"))
                #expect(html.contains("<svg"))
                #expect(html.contains("Super soirée &lt;b&gt;"))
                #expect(!html.contains("Karim Quinquies"))
                #expect(html.contains("Sent on") == false)
                // The event's own page carries the summary and the link.
                let eventPage = String(buffer: try await client.get(OrganizeRoute.event(evening.event.id).path, as: organizer).body)
                #expect(eventPage.contains("4 people came"))
                #expect(eventPage.contains(OrganizeRoute.followUp(evening.event.id).path))
                // The chapter's history: each past evening with its rating, contacts and share who met three.
                let dashboard = String(buffer: try await client.get(OrganizeRoute.dashboard(slug: "toulouse").path, as: organizer).body)
                #expect(dashboard.contains("<td>10.0 (1)</td><td>2</td><td>0%</td>"))
                // Another chapter's organiser sees nothing.
                #expect(try await client.get(OrganizeRoute.followUp(evening.event.id).path, as: stranger).status == .notFound)
                // The speaker's links: a bad line is refused on the field, a good one saved.
                let refusedLinks = try await client.post(OrganizeRoute.followUp(evening.event.id).path, as: organizer, ["resources": "Slides javascript:alert(1)"])
                #expect(refusedLinks.status == .unprocessableContent)
                #expect(String(buffer: refusedLinks.body).contains("f-resources-error"))
                let saved = try await client.post(OrganizeRoute.followUp(evening.event.id).path, as: organizer, ["resources": "Vidéo https://example.org/v"])
                #expect(saved.status == .seeOther)
                #expect(try await app.persistence.followUp.resourcesText(of: evening.event.id) == "Vidéo https://example.org/v")
                #expect(try await client.post(OrganizeRoute.followUp(evening.event.id).path, as: stranger, ["resources": ""]).status == .notFound)
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func organisersCanSendTheMorningAfterEarlyOnlyOnceAndOnlyAfterTheEveningStarted(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let evening = try await Self.evening(app)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            let path = OrganizeRoute.followUpSend(evening.event.id).path
            try await app.application.test(.router) { client in
                // Before the evening: no button, and a post changes nothing.
                app.clock.set(Self.date("2027-01-15T17:00:00Z"))
                #expect(!String(buffer: try await client.get(OrganizeRoute.followUp(evening.event.id).path, as: organizer).body).contains(path))
                #expect(try await client.post(path, as: organizer, ["confirm": "yes"]).headers[.location]?.contains("done=already") == true)
                // At the end of the evening: the button, a confirmation step saying how many get it, then once.
                app.clock.set(Self.date("2027-01-15T21:30:00Z"))
                #expect(String(buffer: try await client.get(OrganizeRoute.followUp(evening.event.id).path, as: organizer).body).contains(path))
                let ask = String(buffer: try await client.post(path, as: organizer).body)
                #expect(ask.contains("4 people came"))
                #expect(try await Self.queued(app, .followUp).isEmpty, "asking sends nothing")
                #expect(try await client.post(path, as: organizer, ["confirm": "yes"]).headers[.location]?.contains("done=sent") == true)
                #expect(try await Self.queued(app, .followUp).count == 3)
                #expect(try await client.post(path, as: organizer, ["confirm": "yes"]).headers[.location]?.contains("done=already") == true)
                // 9:00 the next morning: already gone, not again.
                app.clock.set(Self.date("2027-01-16T08:00:00Z"))
                #expect(try await app.persistence.followUp.run(.morningAfter, now: app.clock.now()) == 0)
                #expect(try await Self.queued(app, .followUp).count == 3)
                let page = String(buffer: try await client.get(OrganizeRoute.followUp(evening.event.id).path, as: organizer).body)
                #expect(page.contains("Sent on"))
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func theFollowUpIsInTheJSONAPI(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let evening = try await Self.evening(app)
            let hash = Accounts.hash
            let organizer = try await app.persistence.accounts.createUser(email: "orga@example.org", name: "Orga", role: .organizer, passwordHash: hash,
                                                                          chapterSlugs: ["toulouse"], now: Fixture.start)
            let outsider = try await app.persistence.accounts.createUser(email: "other@example.org", name: "Other", role: .organizer, passwordHash: hash,
                                                                         chapterSlugs: [], now: Fixture.start)
            let token = try await app.persistence.accounts.issueToken(for: organizer.id, now: Fixture.start)
            let other = try await app.persistence.accounts.issueToken(for: outsider.id, now: Fixture.start)
            let feedback = try #require(try await app.persistence.registrations.ensureToken(.feedback, of: evening.lea.id))
            let id = evening.event.id
            try await app.application.test(.router) { client in
                app.clock.set(Self.date("2027-01-15T21:00:00Z"))
                // Links: refused on the field, then saved.
                let bad = try await client.execute(uri: "/api/v1/events/\(id)/follow-up", method: .put, headers: jsonHeaders(token),
                                                   body: ByteBuffer(string: #"{"resources":"Slides ftp://x"}"#))
                #expect(bad.status == .unprocessableContent)
                #expect(bad.text.contains("resources"))
                let links = try await client.execute(uri: "/api/v1/events/\(id)/follow-up", method: .put, headers: jsonHeaders(token),
                                                     body: ByteBuffer(string: #"{"resources":"Slides https://example.org/s.pdf"}"#))
                #expect(links.status == .ok)
                #expect(links.text.contains(#""label":"Slides""#))
                // Sending now: once.
                let sent = try await client.execute(uri: "/api/v1/events/\(id)/follow-up/send", method: .post, headers: jsonHeaders(token))
                #expect(sent.status == .accepted)
                #expect(try sent.json()["queued"] as? Int == 3)
                #expect(try await client.execute(uri: "/api/v1/events/\(id)/follow-up/send", method: .post, headers: jsonHeaders(token)).status == .conflict)
                // Feedback with the link's token; a wrong score on its field.
                let wrong = try await client.execute(uri: "/api/v1/feedback", method: .put, headers: jsonHeaders(),
                                                     body: ByteBuffer(string: #"{"token":"\#(feedback)","score":11}"#))
                #expect(wrong.status == .unprocessableContent)
                let given = try await client.execute(uri: "/api/v1/feedback", method: .put, headers: jsonHeaders(),
                                                     body: ByteBuffer(string: #"{"token":"\#(feedback)","score":8,"comment":"Merci"}"#))
                #expect(given.status == .ok)
                // The result.
                let result = try await client.execute(uri: "/api/v1/events/\(id)/result", method: .get, headers: jsonHeaders(token))
                #expect(result.status == .ok)
                let json = try result.json()
                #expect(json["checkedIn"] as? Int == 4)
                #expect(json["answers"] as? Int == 1)
                #expect((json["scoreCounts"] as? [Int])?[8] == 1)
                #expect(json["comments"] as? [String] == ["Merci"])
                #expect(json["contacts"] as? Int == 2)
                #expect((json["morningAfter"] as? [String: Any])?["sentAt"] is String)
                #expect(try await client.execute(uri: "/api/v1/events/\(id)/result", method: .get, headers: jsonHeaders(other)).status == .notFound)
                #expect(try await client.execute(uri: "/api/v1/events/\(id)/result", method: .get, headers: jsonHeaders()).status == .unauthorized)
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func someoneTheDoorNeverAdmittedCannotMeetTheRoom(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let evening = try await Self.evening(app)
            // Noé registered (and is listed) but never came: no "We met", and off the list of who came.
            await #expect(throws: ContactError.notCheckedIn) {
                try await app.persistence.contacts.weMet(me: evening.noShow.id, other: evening.karim.id, note: "", now: app.clock.now())
            }
            await #expect(throws: ContactError.notCheckedIn) {
                try await app.persistence.contacts.weMet(me: evening.karim.id, other: evening.noShow.id, note: "", now: app.clock.now())
            }
            #expect(try await !app.persistence.contacts.mayMeetHere(evening.noShow.id, event: evening.event.id))
            let listed = try await app.persistence.contacts.listed(event: evening.event.id, me: evening.karim.id).map(\.registrationID)
            #expect(!listed.contains(evening.noShow.id))
            #expect(listed.contains(evening.lea.id))
            try await app.application.test(.router) { client in
                let noShowCookie = try await MeTests.signIn(client, app, email: "person4@example.org")
                let card = try #require(try await app.persistence.registrations.contactToken(of: evening.karim.id))
                let page = String(buffer: try await client.execute(uri: "/c/\(card)", method: .get, headers: MeTests.headers(noShowCookie)).body)
                #expect(page.contains("Only people checked in at the door"))
                #expect(!page.contains("/c/\(card)/met\""), "no button for someone who did not come")
                let csrf = try MeTests.csrf(String(buffer: try await client.execute(uri: "/me", method: .get, headers: MeTests.headers(noShowCookie)).body))
                let (headers, body) = MeTests.form(["_csrf": csrf], cookie: noShowCookie)
                let refused = try await client.execute(uri: "/c/\(card)/met", method: .post, headers: headers, body: body)
                #expect(refused.status == .forbidden)
                #expect(String(buffer: refused.body).contains("Only people checked in at the door"))
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func connectedPeopleSeeTheLinkedInOfTheProfileWhenItIsShared(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let evening = try await Self.evening(app)
            // Léa's registration says /in/léa; her profile now keeps a newer address, shared with her contacts.
            try await app.persistence.attendees.saveProfile(email: "person2@example.org", AttendeeAccountProfile(
                firstName: "Léa", lastName: "Quinquies 2", linkedinURL: "https://www.linkedin.com/in/lea-new", sharing: SharingChoices(linkedin: true)),
                now: app.clock.now())
            let seen = try #require(try await app.persistence.contacts.people(mine: [evening.karim.id]).first { $0.state == .connected })
            #expect(seen.linkedinURL == "https://www.linkedin.com/in/lea-new")
            // She withdraws "profile shown to people I meet" from My Rendezvous: LinkedIn goes from Karim's view too.
            try await app.persistence.personalData.setConsents(.email("person2@example.org"), [.profile: false], source: "me", now: app.clock.now())
            let after = try #require(try await app.persistence.contacts.people(mine: [evening.karim.id]).first { $0.state == .connected })
            #expect(after.linkedinURL == nil)
            #expect(after.askMeAbout == nil)
            // Zoé, not connected with anyone, never sees a profile's address.
            try await app.persistence.attendees.saveProfile(email: "person1@example.org", AttendeeAccountProfile(
                firstName: "Karim", linkedinURL: "https://www.linkedin.com/in/karim-new", sharing: SharingChoices(linkedin: true)), now: app.clock.now())
            let zoeSees = try await app.persistence.contacts.people(mine: [evening.zoe.id])
            #expect(!zoeSees.contains { $0.linkedinURL == "https://www.linkedin.com/in/karim-new" })
        }
    }

    // MARK: The table planner

    @Test(arguments: DatabaseKind.available)
    func peopleWhoAlreadyMetAreKeptApartNextTime(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let evening = try await Self.evening(app)
            let next = try await Fixture.event(app.persistence, chapter: try #require(try await app.persistence.chapters.chapter(slug: "toulouse")),
                                               capacity: 20, startsIn: 60, title: "Rencontre d’avril")
            let karim = try await app.persistence.registrations.register(Fixture.profile(1, first: "Karim"), for: next.id, now: app.clock.now()).registration
            let lea = try await app.persistence.registrations.register(Fixture.profile(2, first: "Léa"), for: next.id, now: app.clock.now()).registration
            let zoe = try await app.persistence.registrations.register(Fixture.profile(3, first: "Zoé"), for: next.id, now: app.clock.now()).registration
            _ = evening
            let pairs = try await app.persistence.room.metBefore(event: next.id)
            // Karim and Léa met (accepted); Zoé said she met Karim (pending: still a meeting).
            #expect(pairs.contains(PersonPair(karim.id.uuid.uuidString.lowercased(), lea.id.uuid.uuidString.lowercased())))
            #expect(pairs.contains(PersonPair(karim.id.uuid.uuidString.lowercased(), zoe.id.uuid.uuidString.lowercased())))
            #expect(!pairs.contains(PersonPair(lea.id.uuid.uuidString.lowercased(), zoe.id.uuid.uuidString.lowercased())))
        }
    }
}
