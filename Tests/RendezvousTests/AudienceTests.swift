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

/// The chapter's mail and audience: Reply-To, the cancellation's calendar update, the ticket's QR
/// code, previews and tests of organisers' messages, following a chapter, announcements, messages
/// to the audience (now or scheduled) and unsubscribing. Mail is read from a real SMTP server's
/// capture with Python's email parser, icalendar and zbarimg.
@Suite("Chapter mail and audience")
struct AudienceTests {
    static let from = MailMessage.Address(name: "Rendezvous", email: "rendezvous@rendezvous.test")
    static let nnbsp = "\u{202F}"

    static func sender(_ app: TestApp, _ server: SMTPTestServer) -> OutboxSender {
        OutboxSender(persistence: app.persistence, composer: MessageComposer(persistence: app.persistence, baseURL: "https://rendezvous.test", from: from),
                     transport: SMTPClient(configuration: SMTPConfiguration(host: "localhost", port: server.port, security: .plain)),
                     clock: app.clock, logger: testLogger)
    }

    /// A delivered message, read by Python's email parser: headers, parts, bodies, the calendar,
    /// and what zbarimg reads in its inline images.
    static func parsed(_ raw: String) throws -> [String: String] {
        let script = """
        import email, json, sys, subprocess, tempfile
        from email import policy
        m = email.message_from_string(sys.stdin.read(), policy=policy.default)
        parts = [p.get_content_type() for p in m.walk()]
        text = m.get_body(preferencelist=('plain',)).get_content()
        html = m.get_body(preferencelist=('html',)).get_content()
        cal = [p for p in m.walk() if p.get_content_type() == 'text/calendar']
        images = [p for p in m.walk() if p.get_content_type() == 'image/png']
        codes, cids = [], []
        for image in images:
            cids.append(str(image['content-id']) + ' ' + str(image.get_content_disposition()))
            with tempfile.NamedTemporaryFile(suffix='.png') as f:
                f.write(image.get_content()); f.flush()
                codes.append(subprocess.run(['zbarimg', '--quiet', '--raw', f.name], capture_output=True, text=True).stdout.strip())
        print(json.dumps({'subject': str(m['subject']), 'to': str(m['to']), 'replyTo': str(m['reply-to']), 'parts': ','.join(parts),
            'unsubscribe': str(m['list-unsubscribe']), 'unsubscribePost': str(m['list-unsubscribe-post']), 'text': text, 'html': html,
            'calendar': cal[0].get_content() if cal else '', 'calendarType': cal[0]['content-type'] if cal else '',
            'qr': '|'.join(codes), 'cids': '|'.join(cids)}))
        """
        let output = try SMTPTestServer.python(script, input: raw)
        return try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: String], "\(output)")
    }

    /// UID, SEQUENCE and METHOD of a calendar, read by the icalendar package.
    static func calendar(_ ics: String) throws -> String {
        try SMTPTestServer.python("""
            import sys, icalendar
            cal = icalendar.Calendar.from_ical(sys.stdin.read())
            e = list(cal.walk('VEVENT'))[0]
            print(cal['METHOD'], e['UID'], e['SEQUENCE'], e.get('STATUS', ''))
            """, input: ics).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func form(_ fields: [String: String]) -> (HTTPFields, ByteBuffer) {
        ([.contentType: "application/x-www-form-urlencoded"], PageTests.form(fields))
    }

    /// The first link in a text body that begins with `prefix`.
    static func link(_ text: String, _ prefix: String) throws -> String {
        let start = try #require(text.range(of: prefix), "no \(prefix) in \(text)")
        return String(text[start.lowerBound...].prefix { !$0.isWhitespace })
    }

    // MARK: Reply-To, the cancellation, the ticket's QR code, French typography

    @Test(.requiresSMTPTools, arguments: DatabaseKind.available)
    func chapterMailRepliesToOrganisersCarriesTheTicketAndCancelsTheInvite(_ kind: DatabaseKind) async throws {
        guard SMTPTestServer.available else { return }
        let server = try SMTPTestServer()
        defer { server.stop() }
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let organizer = try await Accounts.signIn(app, email: "karim@example.org", chapters: ["toulouse"])
            _ = try await Accounts.signIn(app, email: "marie@example.org", chapters: ["toulouse"])
            _ = try await Fixture.chapter(app.persistence, slug: "lyon")
            _ = try await Accounts.signIn(app, email: "lyon-orga@example.org", chapters: ["lyon"])
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10)
            let seated = try await app.persistence.registrations.register(Fixture.profile(1), for: event.id, now: Fixture.start)
            let sender = Self.sender(app, server)
            _ = try await sender.sendDue()

            // The confirmation: replies go to the chapter's organisers (not another chapter's).
            let confirmation = try Self.parsed(try #require(server.messages.last))
            #expect(confirmation["subject"] == "Inscription confirmée\(Self.nnbsp): Rencontre trimestrielle")
            #expect(confirmation["replyTo"] == "karim@example.org, marie@example.org")
            #expect(confirmation["text"]?.contains("À bientôt\(Self.nnbsp)!") == true)
            #expect(confirmation["text"]?.contains("Quand\(Self.nnbsp): ") == true)
            // The ticket's QR code is in the message: inline PNG in multipart/related, shown by cid:,
            // and it reads as the ticket's link, which the text version carries too.
            let ticket = try #require(try await app.persistence.door.ticketToken(of: seated.registration.id))
            let ticketURL = "https://rendezvous.test/t/\(ticket)"
            #expect(confirmation["parts"] == "multipart/mixed,multipart/related,multipart/alternative,text/plain,text/html,image/png,text/calendar")
            #expect(confirmation["qr"] == ticketURL)
            let cid = try #require(confirmation["cids"]?.split(separator: " ").first.map(String.init))
            #expect(confirmation["cids"]?.hasSuffix(" inline") == true)
            #expect(confirmation["html"]?.contains("src=\"cid:\(cid.dropFirst().dropLast())\"") == true)
            #expect(confirmation["text"]?.contains(ticketURL) == true)
            let invite = try Self.calendar(try #require(confirmation["calendar"]))
            #expect(invite == "PUBLISH event-\(event.id)@rendezvous.test 0 CONFIRMED" || invite.hasPrefix("PUBLISH event-\(event.id)@rendezvous.test 0"))

            // The organisers set a Reply-To address: a bad one is refused on its field.
            try await app.application.test(.router) { client in
                let values = ["offerHours": "24", "reminderHours": "24", "description": ""]
                let bad = try await client.post("/organize/toulouse/settings", as: organizer, values.merging(["replyTo": "not an address"]) { $1 })
                #expect(bad.status == .unprocessableContent)
                #expect(bad.text.contains("f-replyTo-error"))
                #expect(!bad.text.contains("f-offerHours-error"))
                let good = try await client.post("/organize/toulouse/settings", as: organizer, values.merging(["replyTo": "hello@toulouse.example.org"]) { $1 })
                #expect(good.status == .ok)
                #expect(good.text.contains("value=\"hello@toulouse.example.org\""))
            }
            #expect(try await app.persistence.audience.replyTo(of: chapter.id) == "hello@toulouse.example.org")

            // Cancelling: the calendar cancellation (same UID, next SEQUENCE), to the new Reply-To,
            // and no more offer to cancel.
            _ = try await app.persistence.registrations.cancel(seated.registration.id, token: seated.registration.manageToken, now: Fixture.start)
            _ = try await sender.sendDue()
            let cancellation = try Self.parsed(try #require(server.messages.last))
            #expect(cancellation["subject"] == "Inscription annulée\(Self.nnbsp): Rencontre trimestrielle")
            #expect(cancellation["replyTo"] == "hello@toulouse.example.org")
            #expect(cancellation["calendarType"]?.contains("CANCEL") == true, "\(cancellation["calendarType"] ?? "")")
            #expect(try Self.calendar(try #require(cancellation["calendar"])) == "CANCEL event-\(event.id)@rendezvous.test 1 CANCELLED")
            #expect(cancellation["text"]?.contains("annulation") == false, "the manage link's label offered to cancel")
            #expect(cancellation["text"]?.contains("La page de votre inscription") == true)
            #expect(cancellation["qr"] == "")

            // Someone leaving the waitlist is told so: no seat freed, no invitation to take back.
            let full = try await Fixture.event(app.persistence, chapter: chapter, capacity: 1, title: "Complète")
            _ = try await app.persistence.registrations.register(Fixture.profile(2), for: full.id, now: Fixture.start)
            let waiting = try await app.persistence.registrations.register(Fixture.profile(3), for: full.id, now: Fixture.start)
            _ = try await sender.sendDue()
            _ = try await app.persistence.registrations.cancel(waiting.registration.id, token: waiting.registration.manageToken, now: Fixture.start)
            _ = try await sender.sendDue()
            let left = try Self.parsed(try #require(server.messages.last))
            #expect(left["subject"] == "Liste d’attente quittée\(Self.nnbsp): Complète")
            #expect(left["text"]?.contains("Vous avez quitté la liste d’attente.") == true)
            #expect(left["text"]?.contains("place") == false)
            #expect(left["calendar"] == "")

            // Cancelled by the organisers: said so, with the calendar cancellation; replies reach them.
            let holder = try #require(try await app.persistence.registrations.registrations(of: full.id).first { $0.status == .confirmed })
            _ = try await app.persistence.registrations.cancelByOrganizer(holder.id, in: full.id, now: Fixture.start)
            _ = try await sender.sendDue(limit: 100)
            let byOrganizers = try #require(try server.messages.map(Self.parsed).first { $0["text"]?.contains("Les organisateurs ont annulé votre inscription à Complète.") == true })
            #expect(byOrganizers["text"]?.contains("libéré") == false)
            #expect(byOrganizers["replyTo"] == "hello@toulouse.example.org")
            #expect(try Self.calendar(try #require(byOrganizers["calendar"])).hasPrefix("CANCEL event-\(full.id)@rendezvous.test 1"))
        }
    }

    /// Every French mail string: a narrow no-break space before : ; ! ?, typographic apostrophes,
    /// guillemets with narrow no-break spaces inside.
    @Test func frenchMailStringsFollowFrenchTypography() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/RendezvousLocalization/Resources/fr.json")
        let catalog = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        var texts: [(String, String)] = []
        for (key, value) in catalog where key.hasPrefix("mail.") || key.hasPrefix("follow.") || key.hasPrefix("audience.") || key.hasPrefix("message.") {
            if let text = value as? String { texts.append((key, text)) }
            if let forms = value as? [String: String] { texts += forms.values.map { (key, $0) } }
        }
        #expect(texts.count > 60)
        for (key, text) in texts {
            let scalars = Array(text.unicodeScalars)
            for (index, scalar) in scalars.enumerated() where ":;!?".unicodeScalars.contains(scalar) && index > 0 {
                // A colon in a time or a link is not punctuation.
                if scalar == ":", index + 1 < scalars.count, scalars[index + 1] == "/" || CharacterSet.decimalDigits.contains(scalars[index + 1]) { continue }
                #expect(scalars[index - 1] == "\u{202F}", "\(key): \(text)")
            }
            #expect(!text.contains("'"), "\(key): \(text)")
            #expect(!text.contains("« ") && !text.contains(" »"), "\(key): \(text)")
        }
    }

    // MARK: Organisers' messages: preview and a test to oneself

    @Test(.requiresSMTPTools, arguments: DatabaseKind.available)
    func organisersPreviewAndTestTheirMessageBeforeSending(_ kind: DatabaseKind) async throws {
        guard SMTPTestServer.available else { return }
        let server = try SMTPTestServer()
        defer { server.stop() }
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let organizer = try await Accounts.signIn(app, email: "marie.dupont@example.org", chapters: ["toulouse"])
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10)
            _ = try await app.persistence.registrations.register(Fixture.profile(1, first: "Karim"), for: event.id, now: Fixture.start)
            let sender = Self.sender(app, server)
            _ = try await sender.sendDue()
            let before = server.messages.count
            // A browser sends a text area's line breaks as CRLF: paragraphs still come apart.
            let fields = ["subject": "Doors open at 18:30", "body": "Bring a friend <b>!</b>\r\n\r\nSee you.", "audience": "confirmed"]
            try await app.application.test(.router) { client in
                // The preview: the greeting the recipient gets, the signature, the footer; nothing queued.
                let preview = try await client.post("/organize/events/\(event.id)/message", as: organizer, fields.merging(["step": "preview"]) { $1 })
                #expect(preview.status == .ok)
                #expect(preview.text.contains("id=\"preview\""))
                #expect(preview.text.contains("Bonjour Karim,"))
                #expect(preview.text.contains("<p>Bring a friend &lt;b&gt;!&lt;/b&gt;</p>"))
                #expect(preview.text.contains("<p>See you.</p>"))
                #expect(preview.text.contains("— Marie.Dupont, #LinkedInLocal Toulouse"))
                #expect(preview.text.contains("#LinkedInLocal Toulouse, sur Rendezvous."))
                #expect(preview.text.contains("value=\"Doors open at 18:30\""), "the form keeps what was written")
                #expect(try await app.persistence.outbox.outboxCount(status: .pending) == 0)
                // A bad field is refused on that field alone.
                let bad = try await client.post("/organize/events/\(event.id)/message", as: organizer, ["subject": "", "body": "x", "step": "preview"])
                #expect(bad.status == .unprocessableContent)
                #expect(bad.text.contains("f-subject-error") && !bad.text.contains("f-body-error"))

                // The test goes to the organiser alone, marked in its subject.
                let test = try await client.post("/organize/events/\(event.id)/message", as: organizer, fields.merging(["step": "test"]) { $1 })
                #expect(test.status == .ok)
                #expect(test.text.contains("marie.dupont@example.org"))
            }
            #expect(try await sender.sendDue() == 1)
            #expect(server.messages.count == before + 1)
            let test = try Self.parsed(try #require(server.messages.last))
            #expect(test["to"]?.contains("marie.dupont@example.org") == true)
            #expect(test["subject"] == "[Essai] Doors open at 18:30", "in the chapter’s language, as most recipients read it")
            #expect(test["replyTo"] == "marie.dupont@example.org")
            #expect(test["text"]?.hasPrefix("Bonjour Marie.Dupont,") == true)
            #expect(test["text"]?.contains("/manage/") == false, "no attendee's private link in a test")

            // Sending: the attendee's message has the same greeting and footer as the preview.
            try await app.application.test(.router) { client in
                let sent = try await client.post("/organize/events/\(event.id)/message", as: organizer, fields.merging(["step": "send"]) { $1 })
                #expect(sent.status == .ok)
            }
            _ = try await sender.sendDue()
            let real = try Self.parsed(try #require(server.messages.last))
            #expect(real["to"]?.contains("person1@example.org") == true)
            #expect(real["subject"] == "Doors open at 18:30")
            #expect(real["text"]?.hasPrefix("Bonjour Karim,") == true)
            #expect(real["text"]?.contains("#LinkedInLocal Toulouse, sur Rendezvous.") == true)
            #expect(real["unsubscribePost"] == "List-Unsubscribe=One-Click")
            // The venue's map is a link under the facts, as in every attendee message.
            #expect(real["html"]?.contains("href=\"https://www.openstreetmap.org/search?query=Halles") == true)
        }
    }

    // MARK: Following a chapter

    @Test(.requiresSMTPTools, arguments: DatabaseKind.available)
    func peopleFollowAChapterWithDoubleOptInAndHearOfNewMeetupsOnce(_ kind: DatabaseKind) async throws {
        guard SMTPTestServer.available else { return }
        let server = try SMTPTestServer()
        defer { server.stop() }
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let sender = Self.sender(app, server)
            // A meetup published before anyone follows is not announced to later followers.
            _ = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10, title: "Déjà ouverte")
            #expect(try await app.persistence.audience.enqueueAnnouncements(now: app.clock.now()) == 0)
            try await app.application.test(.router) { client in
                let page = try await client.execute(uri: "/chapters/toulouse", method: .get)
                #expect(page.text.contains("action=\"/chapters/toulouse/follow\""))
                let bad = try await client.execute(uri: "/chapters/toulouse/follow", method: .post, headers: Self.form(["email": "not-an-address"]).0,
                                                   body: Self.form(["email": "not-an-address"]).1)
                #expect(bad.status == .unprocessableContent)
                #expect(bad.text.contains("f-email-error"))
                var french = Self.form(["email": "Fan@Example.org"]).0
                french[.acceptLanguage] = "fr"
                let first = try await client.execute(uri: "/chapters/toulouse/follow", method: .post, headers: french,
                                                     body: Self.form(["email": "Fan@Example.org"]).1)
                #expect(first.status == .ok)
                #expect(try await app.persistence.audience.followerCount(of: chapter.id) == 0, "nothing before the confirmation")
            }
            _ = try await sender.sendDue()
            let confirmation = try Self.parsed(try #require(server.messages.last))
            #expect(confirmation["to"]?.contains("fan@example.org") == true)
            #expect(confirmation["unsubscribe"] == "None", "a confirmation is not news")
            let link = try Self.link(try #require(confirmation["text"]), "https://rendezvous.test/follow/")
            let path = String(link.dropFirst("https://rendezvous.test".count))
            try await app.application.test(.router) { client in
                // Opening the link (a mail scanner would) follows nothing: one button does.
                let opened = try await client.execute(uri: path, method: .get)
                #expect(opened.status == .ok)
                #expect(try await app.persistence.audience.followerCount(of: chapter.id) == 0)
                let confirmed = try await client.execute(uri: path, method: .post)
                #expect(confirmed.status == .ok)
                #expect(try await app.persistence.audience.followerCount(of: chapter.id) == 1)
                // The organisers see it on their dashboard.
                let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
                #expect(try await client.get("/organize/toulouse", as: organizer).text.contains("Audience · 1 follower"))
                // Asking again answers exactly the same, and sends nothing: whether an address follows is never said.
                let stranger = try await client.execute(uri: "/chapters/toulouse/follow", method: .post, headers: Self.form(["email": "new@example.org"]).0,
                                                        body: Self.form(["email": "new@example.org"]).1)
                let again = try await client.execute(uri: "/chapters/toulouse/follow", method: .post, headers: Self.form(["email": "fan@example.org"]).0,
                                                     body: Self.form(["email": "fan@example.org"]).1)
                #expect(again.status == stranger.status && again.text == stranger.text)
                // The other chapter's token pages do not exist for a made-up token.
                #expect(try await client.execute(uri: "/follow/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", method: .post).status == .notFound)
            }
            let sentBefore = server.messages.count
            _ = try await sender.sendDue()
            #expect(server.messages.count == sentBefore + 1, "only the new address's confirmation")
            #expect(try Self.parsed(try #require(server.messages.last))["to"]?.contains("new@example.org") == true)

            // A new meetup: announced once, even with two instances sweeping at the same moment.
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10, title: "Nouvelle soirée")
            async let one = app.persistence.audience.enqueueAnnouncements(now: app.clock.now())
            async let two = app.persistence.audience.enqueueAnnouncements(now: app.clock.now())
            #expect(try await one + two == 1)
            #expect(try await app.persistence.audience.enqueueAnnouncements(now: app.clock.now()) == 0)
            _ = try await sender.sendDue()
            let announcement = try Self.parsed(try #require(server.messages.last))
            #expect(announcement["subject"] == "Nouvelle rencontre\(Self.nnbsp): Nouvelle soirée")
            #expect(announcement["text"]?.contains("https://rendezvous.test/events/\(event.id)") == true)
            #expect(announcement["unsubscribePost"] == "List-Unsubscribe=One-Click")
            let unsubscribe = try #require(announcement["unsubscribe"]).trimmingCharacters(in: CharacterSet(charactersIn: "<>"))
            #expect(unsubscribe.hasPrefix("https://rendezvous.test/audience/unsubscribe/"))
            #expect(announcement["text"]?.contains(unsubscribe) == true)

            // One-click unsubscribe (RFC 8058), recorded; no more announcements.
            try await app.application.test(.router) { client in
                let response = try await client.execute(uri: String(unsubscribe.dropFirst("https://rendezvous.test".count)), method: .post,
                                                        headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "List-Unsubscribe=One-Click"))
                #expect(response.status == .ok)
            }
            struct Row: Decodable { var status: String; var unsubscribedAt: Date? }
            let row = try #require(try await app.persistence.sql.raw("SELECT status, unsubscribed_at FROM chapter_audience WHERE email = 'fan@example.org'").rows(Row.self).first)
            #expect(row.status == "unsubscribed" && row.unsubscribedAt != nil)
            #expect(try await app.persistence.audience.followerCount(of: chapter.id) == 0)
            _ = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10, title: "Encore une")
            #expect(try await app.persistence.audience.enqueueAnnouncements(now: app.clock.now()) == 0)
        }
    }

    @Test func followingIsRateLimitedLikeOtherPublicWrites() async throws {
        try await withApp(.sqlite, rateLimit: RateLimit(requests: 3, window: 60)) { app in
            _ = try await Fixture.chapter(app.persistence)
            try await app.application.test(.router) { client in
                var statuses: [HTTPResponse.Status] = []
                for index in 0..<5 {
                    let (headers, body) = Self.form(["email": "fan\(index)@example.org"])
                    statuses.append(try await client.execute(uri: "/chapters/toulouse/follow", method: .post, headers: headers, body: body).status)
                }
                #expect(statuses.prefix(3).allSatisfy { $0 == .ok })
                #expect(statuses.last == .tooManyRequests)
            }
        }
    }

    // MARK: Messages to the audience, now and scheduled

    @Test(arguments: DatabaseKind.available)
    func audienceMessagesReachFollowersAndPastAttendeesOnceEach(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let lyon = try await Fixture.chapter(app.persistence, slug: "lyon")
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            // A past meetup with three attendees: one also follows, one unsubscribed from its messages.
            let past = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10, startsIn: 2)
            let elsewhere = try await Fixture.event(app.persistence, chapter: lyon, capacity: 10, startsIn: 2)
            for index in 1...3 { _ = try await app.persistence.registrations.register(Fixture.profile(index), for: past.id, now: Fixture.start) }
            _ = try await app.persistence.registrations.register(Fixture.profile(9), for: elsewhere.id, now: Fixture.start)
            let quitter = try #require(try await app.persistence.registrations.registrations(of: past.id).first { $0.profile.email == "person3@example.org" })
            try await app.persistence.sql.raw("UPDATE registrations SET unsubscribed = \(bind: true) WHERE id = \(bind: quitter.id.uuid)").run()
            for email in ["PERSON1@example.org", "fan@example.org"] {
                try await app.persistence.audience.requestFollow(chapter: chapter.id, email: email, language: .fr, now: app.clock.now())
                let member = try #require(try await app.persistence.sql.raw("SELECT id FROM chapter_audience WHERE email = \(bind: email.lowercased())").first(decoding: IDRow.self))
                let token = try #require(try await app.persistence.audience.followToken(of: member.id))
                _ = try await app.persistence.audience.confirmFollow(token: token, now: app.clock.now())
            }
            app.clock.advance(by: 3 * 86400)
            try await app.persistence.sql.raw("UPDATE outbox SET status = 'skipped'").run()
            #expect(try await app.persistence.audience.audienceSize(of: chapter.id, .followers, now: app.clock.now()) == 2)
            #expect(try await app.persistence.audience.audienceSize(of: chapter.id, .attendees, now: app.clock.now()) == 2)
            #expect(try await app.persistence.audience.audienceSize(of: chapter.id, .both, now: app.clock.now()) == 3)
            try await app.application.test(.router) { client in
                let page = try await client.get("/organize/toulouse/audience", as: organizer)
                #expect(page.status == .ok)
                #expect(page.text.contains("2 followers"))
                let sent = try await client.post("/organize/toulouse/audience", as: organizer,
                                                 ["subject": "Merci !", "body": "À bientôt.", "audience": "both", "step": "send"])
                #expect(sent.status == .ok)
                #expect(sent.text.contains("Message queued for 3 people."))
            }
            struct Row: Decodable { var recipient: String; var kind: String }
            let queued = try await app.persistence.sql.raw("SELECT recipient, kind FROM outbox WHERE status = 'pending' ORDER BY recipient").all(decoding: Row.self)
            #expect(queued.map(\.recipient) == ["fan@example.org", "person1@example.org", "person2@example.org"])
            #expect(queued.allSatisfy { $0.kind == "audienceMessage" })

            // Each message unsubscribes its own address, from this chapter only; a past attendee too.
            let spool = FileManager.default.temporaryDirectory.appendingPathComponent("rendezvous-eml-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: spool) }
            let sender = OutboxSender(persistence: app.persistence, composer: MessageComposer(persistence: app.persistence, baseURL: "https://rendezvous.test", from: Self.from),
                                      transport: FileTransport(directory: spool), clock: app.clock, logger: testLogger)
            #expect(try await sender.sendDue() == 3)
            let raws = try FileManager.default.contentsOfDirectory(atPath: spool).map { try String(contentsOfFile: spool + "/" + $0, encoding: .utf8) }
            let person2 = try #require(raws.first { $0.contains("To: <person2@example.org>") })
            #expect(person2.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"))
            let header = try #require(person2.split(separator: "\r\n").first { $0.hasPrefix("List-Unsubscribe: <") })
            let token = String(header.dropFirst("List-Unsubscribe: <https://rendezvous.test/audience/unsubscribe/".count).dropLast())
            try await app.application.test(.router) { client in
                let form = try await client.execute(uri: "/audience/unsubscribe/\(token)", method: .get)
                #expect(form.status == .ok && form.text.contains("person2@example.org"))
                #expect(try await client.execute(uri: "/audience/unsubscribe/\(token)", method: .post).status == .ok)
            }
            #expect(try await app.persistence.audience.audienceSize(of: chapter.id, .both, now: app.clock.now()) == 2)
            #expect(try await app.persistence.audience.audienceSize(of: lyon.id, .attendees, now: app.clock.now()) == 1)
        }
    }

    struct IDRow: Decodable { var id: UUID }

    /// A large audience is queued in a few statements: 3,000 followers and 400 past attendees
    /// (200 of them following too), measured.
    @Test(arguments: DatabaseKind.available)
    func aLargeAudienceIsQueuedInOneGo(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let past = try await Fixture.event(app.persistence, chapter: chapter, capacity: 2000, startsIn: 1)
            for start in stride(from: 0, to: 3000, by: 500) {
                var insert = app.persistence.sql.insert(into: "chapter_audience").columns("id", "chapter_id", "email", "language", "status", "salt", "created_at")
                for index in start..<(start + 500) {
                    insert = insert.values([UUID(), chapter.id.uuid, "fan\(index)@example.org", "fr", "following", "salt\(index)", Fixture.start] as [any Encodable & Sendable])
                }
                try await insert.run()
            }
            for index in 2800..<3200 {
                var profile = Fixture.profile(index)
                profile.email = "fan\(index)@example.org"
                _ = try await app.persistence.registrations.register(profile, for: past.id, now: Fixture.start)
            }
            try await app.persistence.sql.raw("UPDATE outbox SET status = 'skipped'").run()
            app.clock.advance(by: 2 * 86400)
            let clock = ContinuousClock()
            let started = clock.now
            let count = try await app.persistence.audience.sendAudienceMessage(chapter: chapter.id, choice: .both, subject: "Hello", body: "All of you.",
                                                                              author: "Orga", now: app.clock.now())
            let elapsed = clock.now - started
            print("audience of \(count) queued in \(elapsed) on \(kind)")
            #expect(count == 3200)
            #expect(try await app.persistence.outbox.outboxCount(status: .pending) == 3200)
            #expect(elapsed < .seconds(20))
        }
    }

    @Test(arguments: DatabaseKind.available)
    func scheduledMessagesGoOnceWhenDueAndCanBeEditedOrCancelledBefore(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            _ = try await Fixture.chapter(app.persistence, slug: "lyon")
            let intruder = try await Accounts.signIn(app, email: "lyon@example.org", chapters: ["lyon"])
            for email in ["a@example.org", "b@example.org"] {
                try await app.persistence.audience.requestFollow(chapter: chapter.id, email: email, language: .fr, now: app.clock.now())
                let member = try #require(try await app.persistence.sql.raw("SELECT id FROM chapter_audience WHERE email = \(bind: email)").first(decoding: IDRow.self))
                _ = try await app.persistence.audience.confirmFollow(token: try #require(try await app.persistence.audience.followToken(of: member.id)), now: app.clock.now())
            }
            try await app.persistence.sql.raw("UPDATE outbox SET status = 'skipped'").run()
            // 2027-01-15 is Fixture.start; the chapter is in Europe/Paris (UTC+1 in January).
            let fields = ["subject": "Save the date", "body": "Next month.", "audience": "followers", "step": "schedule"]
            try await app.application.test(.router) { client in
                let past = try await client.post("/organize/toulouse/audience", as: organizer, fields.merging(["sendDate": "2027-01-01", "sendTime": "09:00"]) { $1 })
                #expect(past.status == .unprocessableContent)
                #expect(past.text.contains("f-sendTime-error") && !past.text.contains("f-subject-error"))
                let noDate = try await client.post("/organize/toulouse/audience", as: organizer, fields)
                #expect(noDate.status == .unprocessableContent && noDate.text.contains("f-sendDate-error"))
                let scheduled = try await client.post("/organize/toulouse/audience", as: organizer, fields.merging(["sendDate": "2027-01-20", "sendTime": "09:30"]) { $1 })
                #expect(scheduled.status == .ok)
                #expect(scheduled.text.contains("Save the date") && scheduled.text.contains("Scheduled"))
                _ = try await client.post("/organize/toulouse/audience", as: organizer,
                                          fields.merging(["subject": "Never mind", "sendDate": "2027-01-21", "sendTime": "10:00"]) { $1 })
            }
            let messages = try await app.persistence.audience.audienceMessages(of: chapter.id)
            #expect(messages.map(\.subject) == ["Save the date", "Never mind"])
            let first = messages[0], second = messages[1]
            #expect(first.sendAt == ISO8601.parse("2027-01-20T08:30:00Z"))
            #expect(try await app.persistence.outbox.outboxCount(status: .pending) == 0)
            try await app.application.test(.router) { client in
                // Another chapter's organiser cannot see, change or cancel it.
                #expect(try await client.get("/organize/toulouse/audience/\(first.id)", as: intruder).status == .notFound)
                #expect(try await client.post("/organize/toulouse/audience/\(first.id)/cancel", as: intruder).status == .notFound)
                // Edited before it goes: new text, new time.
                let form = try await client.get("/organize/toulouse/audience/\(first.id)", as: organizer)
                #expect(form.text.contains("value=\"2027-01-20\"") && form.text.contains("value=\"09:30\""))
                let saved = try await client.post("/organize/toulouse/audience/\(first.id)", as: organizer,
                                                  ["subject": "Save the date!", "body": "Next month.", "audience": "followers", "step": "save",
                                                   "sendDate": "2027-01-20", "sendTime": "10:00"])
                #expect(saved.status == .seeOther || saved.status == .found)
                let cancelled = try await client.post("/organize/toulouse/audience/\(second.id)/cancel", as: organizer)
                #expect(cancelled.status == .seeOther || cancelled.status == .found)
            }
            // Not due yet: nothing goes.
            app.clock.set(ISO8601.parse("2027-01-20T08:45:00Z")!)
            #expect(try await app.persistence.audience.sendDueScheduledMessages(now: app.clock.now()) == 0)
            // Due: two instances at the same moment send it once.
            app.clock.set(ISO8601.parse("2027-01-22T00:00:00Z")!)
            async let one = app.persistence.audience.sendDueScheduledMessages(now: app.clock.now())
            async let two = app.persistence.audience.sendDueScheduledMessages(now: app.clock.now())
            #expect(try await one + two == 1, "the cancelled one never goes")
            #expect(try await app.persistence.audience.sendDueScheduledMessages(now: app.clock.now()) == 0)
            struct Row: Decodable { var recipient: String; var payload: String }
            let queued = try await app.persistence.sql.raw("SELECT recipient, payload FROM outbox WHERE status = 'pending' ORDER BY recipient").all(decoding: Row.self)
            #expect(queued.map(\.recipient) == ["a@example.org", "b@example.org"])
            #expect(queued.allSatisfy { $0.payload.contains("Save the date!") })
            let after = try await app.persistence.audience.audienceMessages(of: chapter.id)
            #expect(after.first { $0.id == first.id }?.status == .sent && after.first { $0.id == first.id }?.recipients == 2)
            #expect(after.first { $0.id == second.id }?.status == .cancelled)
            // Too late to change or cancel once it went.
            #expect(try await app.persistence.audience.cancelScheduledMessage(first.id, chapter: chapter.id) == false)
        }
    }

    // MARK: The JSON API

    @Test(arguments: DatabaseKind.available)
    func theAudienceOverTheAPI(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            _ = try await Fixture.chapter(app.persistence, slug: "lyon")
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            let stranger = try await Accounts.signIn(app, email: "lyon@example.org", chapters: ["lyon"])
            let token = try await app.persistence.accounts.issueToken(for: organizer.user.id, now: Fixture.start)
            let other = try await app.persistence.accounts.issueToken(for: stranger.user.id, now: Fixture.start)
            try await app.application.test(.router) { client in
                func call(_ method: HTTPRequest.Method, _ uri: String, _ json: String? = nil, token: String? = nil) async throws -> TestResponse {
                    try await client.execute(uri: uri, method: method, headers: jsonHeaders(token), body: json.map { ByteBuffer(string: $0) })
                }
                // Following: the same answer for a new address and one already asked; a bad address on its field.
                let first = try await call(.post, "/api/v1/chapters/toulouse/followers", #"{"email":"fan@example.org","language":"fr"}"#)
                let again = try await call(.post, "/api/v1/chapters/toulouse/followers", #"{"email":"FAN@example.org"}"#)
                #expect(first.status == .accepted && again.status == .accepted && first.text == again.text)
                let bad = try await call(.post, "/api/v1/chapters/toulouse/followers", #"{"email":"nope"}"#)
                #expect(bad.status == .unprocessableContent)
                #expect((try bad.json()["fields"] as? [String: String])?["email"] != nil)
                #expect(try await call(.post, "/api/v1/chapters/nowhere/followers", #"{"email":"fan@example.org"}"#).status == .notFound)
                // Asked twice within the hour: one confirmation; an hour later, another.
                struct Count: Decodable { var count: Int }
                func confirmations() async throws -> Int {
                    try await app.persistence.sql.raw("SELECT COUNT(*) AS count FROM outbox WHERE kind = 'followConfirm'").first(decoding: Count.self)?.count ?? 0
                }
                #expect(try await confirmations() == 1)
                app.clock.advance(by: 3601)
                _ = try await call(.post, "/api/v1/chapters/toulouse/followers", #"{"email":"fan@example.org"}"#)
                #expect(try await confirmations() == 2)

                // The organisers' view; another chapter's organiser gets 404.
                #expect(try await call(.get, "/api/v1/chapters/toulouse/audience").status == .unauthorized)
                #expect(try await call(.get, "/api/v1/chapters/toulouse/audience", token: other).status == .notFound)
                let audience = try await call(.get, "/api/v1/chapters/toulouse/audience", token: token)
                #expect(audience.status == .ok)
                #expect(try audience.json()["followers"] as? Int == 0, "not confirmed yet")

                // Scheduled, changed, cancelled; then too late.
                let past = try await call(.post, "/api/v1/chapters/toulouse/audience/messages",
                                          #"{"subject":"Hi","body":"Soon.","sendAt":"2027-01-01T09:00:00+01:00"}"#, token: token)
                #expect(past.status == .unprocessableContent)
                #expect((try past.json()["fields"] as? [String: String])?["sendAt"] != nil)
                let created = try await call(.post, "/api/v1/chapters/toulouse/audience/messages",
                                             #"{"subject":"Hi","body":"Soon.","audience":"both","sendAt":"2027-02-01T09:00:00+01:00"}"#, token: token)
                #expect(created.status == .created)
                let id = try #require(try created.json()["id"] as? String)
                #expect(try created.json()["status"] as? String == "scheduled")
                #expect(try await call(.put, "/api/v1/chapters/toulouse/audience/messages/\(id)",
                                       #"{"subject":"Hi","body":"Soon.","sendAt":"2027-02-01T09:00:00+01:00"}"#, token: other).status == .notFound)
                let changed = try await call(.put, "/api/v1/chapters/toulouse/audience/messages/\(id)",
                                             #"{"subject":"Hello","body":"Soon.","audience":"followers","sendAt":"2027-02-02T09:00:00+01:00"}"#, token: token)
                #expect(changed.status == .ok)
                #expect(try changed.json()["subject"] as? String == "Hello")
                #expect(try changed.json()["sendAt"] as? String == "2027-02-02T08:00:00Z")
                #expect(try await call(.delete, "/api/v1/chapters/toulouse/audience/messages/\(id)", token: token).status == .noContent)
                #expect(try await call(.delete, "/api/v1/chapters/toulouse/audience/messages/\(id)", token: token).status == .conflict)
                // Sent now: recorded with how many it went to.
                let now = try await call(.post, "/api/v1/chapters/toulouse/audience/messages", #"{"subject":"Now","body":"Hello."}"#, token: token)
                #expect(now.status == .created)
                #expect(try now.json()["status"] as? String == "sent")
                #expect(try now.json()["recipients"] as? Int == 0)
            }
            #expect(try await app.persistence.audience.audienceMessages(of: chapter.id).count == 2)
            // Unsubscribing with a mail's token.
            let member = try #require(try await app.persistence.sql.raw("SELECT id FROM chapter_audience WHERE email = 'fan@example.org'").first(decoding: IDRow.self))
            let unsubscribe = try #require(try await app.persistence.audience.unsubscribeToken(of: member.id))
            try await app.application.test(.router) { client in
                let done = try await client.execute(uri: "/api/v1/audience/unsubscribe", method: .post, headers: jsonHeaders(),
                                                    body: ByteBuffer(string: #"{"token":"\#(unsubscribe)"}"#))
                #expect(done.status == .noContent)
                let wrong = try await client.execute(uri: "/api/v1/audience/unsubscribe", method: .post, headers: jsonHeaders(),
                                                     body: ByteBuffer(string: #"{"token":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}"#))
                #expect(wrong.status == .notFound)
            }
            #expect(try await app.persistence.audience.member(id: member.id)?.status == .unsubscribed)
        }
    }
}
