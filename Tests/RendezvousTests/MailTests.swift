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

@Suite("Mail, outbox and calendars")
struct MailTests {
    static let from = MailMessage.Address(name: "Rendezvous", email: "rendezvous@rendezvous.test")

    static func sender(_ app: TestApp, transport: any MailTransport) -> OutboxSender {
        OutboxSender(persistence: app.persistence, composer: MessageComposer(persistence: app.persistence, baseURL: "https://rendezvous.test", from: from),
                     transport: transport, clock: app.clock, logger: testLogger)
    }

    static func pending(_ db: Persistence) async throws -> Int { try await db.outboxCount(status: "pending") }

    /// Reads a delivered message with Python's own email parser: subject, parts, headers.
    static func parsed(_ raw: String) throws -> [String: String] {
        let script = """
        import email, json, sys
        from email import policy
        m = email.message_from_string(sys.stdin.read(), policy=policy.default)
        parts = [p.get_content_type() for p in m.walk()]
        text = m.get_body(preferencelist=('plain',)).get_content()
        html = m.get_body(preferencelist=('html',)).get_content()
        cal = [p for p in m.walk() if p.get_content_type() == 'text/calendar']
        print(json.dumps({'subject': str(m['subject']), 'to': str(m['to']), 'messageID': str(m['message-id']), 'parts': ','.join(parts),
            'autoSubmitted': str(m['auto-submitted']), 'unsubscribe': str(m['list-unsubscribe']), 'text': text, 'html': html,
            'calendar': cal[0].get_content() if cal else ''}))
        """
        let output = try SMTPTestServer.python(script, input: raw)
        return try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: String], "\(output)")
    }

    @Test(arguments: ["plain", "starttls", "implicit"])
    func deliversOverEachKindOfConnection(_ mode: String) async throws {
        guard SMTPTestServer.available else { return }
        let server = try SMTPTestServer(mode: mode, auth: mode == "plain" ? nil : "rendezvous:s3cret pass")
        defer { server.stop() }
        try await withApp(.sqlite) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10)
            let zoe = Fixture.profile(1, first: "Zoé <script>")
            let outcome = try await app.persistence.register(zoe, for: event.id, now: Fixture.start)
            let scheme = ["plain": "smtp", "starttls": "smtp+starttls", "implicit": "smtps"][mode]!
            let credentials = mode == "plain" ? "" : "rendezvous:s3cret%20pass@"
            // Implicit TLS also exercises AUTH LOGIN; STARTTLS uses AUTH PLAIN.
            let query = [server.certificate.map { "ca=\($0)" }, mode == "implicit" ? "auth=login" : nil].compactMap { $0 }.joined(separator: "&")
            let url = "\(scheme)://\(credentials)localhost:\(server.port)" + (query.isEmpty ? "" : "?" + query)
            let configuration = try #require(SMTPConfiguration(url: url))
            #expect(try await Self.sender(app, transport: SMTPClient(configuration: configuration)).sendDue() == 1)
            let messages = server.messages
            let lastError = try await app.persistence.outbox(of: chapter.id).first?.lastError ?? ""
            #expect(messages.count == 1, "\(lastError)")
            let message = try Self.parsed(try #require(messages.first))
            #expect(message["subject"] == "Inscription confirmée : Rencontre trimestrielle")
            #expect(message["to"]?.contains("person1@example.org") == true)
            #expect(message["parts"] == "multipart/mixed,multipart/alternative,text/plain,text/html,text/calendar")
            #expect(message["autoSubmitted"] == "auto-generated")
            #expect(message["unsubscribe"] == "None", "a confirmation is transactional")
            #expect(message["text"]?.contains("https://rendezvous.test/manage/\(outcome.registration.manageToken)") == true)
            #expect(message["html"]?.contains("Zoé &lt;script&gt;") == true)
            #expect(message["html"]?.contains("<script>") == false)
            #expect(message["calendar"]?.contains("BEGIN:VEVENT") == true)
            let item = try #require(try await app.persistence.outbox(of: chapter.id).first)
            #expect(message["messageID"] == "<outbox-\(item.id.uuidString.lowercased())@rendezvous.test>")
            #expect(item.status == "sent")
            if mode == "starttls" { #expect(server.envelopes.contains("tls=True auth=True mechanism=PLAIN")) }
            if mode == "implicit" { #expect(server.envelopes.contains("tls=implicit auth=True mechanism=LOGIN")) }
        }
    }

    @Test func temporaryFailuresAreRetriedAndPermanentOnesReported() async throws {
        guard SMTPTestServer.available else { return }
        let server = try SMTPTestServer(failFirst: 1)
        defer { server.stop() }
        try await withApp(.sqlite) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10)
            _ = try await app.persistence.register(Fixture.profile(1), for: event.id, now: Fixture.start)
            let sender = Self.sender(app, transport: SMTPClient(configuration: SMTPConfiguration(host: "localhost", port: server.port, security: .plain)))
            // 451: kept, tried again after a pause.
            #expect(try await sender.sendDue() == 1)
            #expect(server.messages.isEmpty)
            #expect(try await Self.pending(app.persistence) == 1)
            #expect(try await sender.sendDue() == 0, "not due yet")
            app.clock.advance(by: 61)
            #expect(try await sender.sendDue() == 1)
            #expect(server.messages.count == 1)

            // 550: failed for good, with the server's answer, and the organisers are told.
            var refused = Fixture.profile(2)
            refused.email = "reject-me@example.org"
            _ = try await app.persistence.register(refused, for: event.id, now: Fixture.start)
            #expect(try await sender.sendDue() == 1)
            let failed = try #require(try await app.persistence.outbox(of: chapter.id).first { $0.status == "failed" })
            #expect(failed.lastError.contains("550") && failed.lastError.contains("User unknown"))
            #expect(try await sender.sendDue() == 1, "the failure report to the organiser")
            let report = try Self.parsed(try #require(server.messages.last))
            #expect(report["to"]?.contains("orga@example.org") == true)
            #expect(report["text"]?.contains("550") == true)
            try await app.application.test(.router) { client in
                let page = try await client.get("/organize/toulouse/outbox", as: organizer)
                #expect(page.text.contains("Failed") && page.text.contains("User unknown"))
            }
        }
    }

    /// The outbox row commits with the change or not at all; a crash between commit and send
    /// still sends after restart, with the same Message-ID.
    @Test(arguments: DatabaseKind.available)
    func outboxSurvivesCrashesAndRollbacks(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 1)
            _ = try await app.persistence.register(Fixture.profile(1), for: event.id, now: Fixture.start)
            #expect(try await Self.pending(app.persistence) == 1)
            // A rolled-back change leaves no message.
            await #expect(throws: RegistrationActionError.duplicateEmail) {
                try await app.persistence.register(Fixture.profile(1), for: event.id, now: Fixture.start)
            }
            #expect(try await Self.pending(app.persistence) == 1)

            // A sender claims the message and dies before it is marked sent.
            let claimed = try await app.persistence.claimDueMessages(now: app.clock.now())
            #expect(claimed.count == 1)
            #expect(try await app.persistence.claimDueMessages(now: app.clock.now()).isEmpty, "claimed messages are not taken twice")
            // After the lease, a fresh sender (a restarted process) delivers it, with the same Message-ID.
            app.clock.advance(by: 121)
            let spool = FileManager.default.temporaryDirectory.appendingPathComponent("rendezvous-eml-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: spool) }
            #expect(try await Self.sender(app, transport: FileTransport(directory: spool)).sendDue() == 1)
            let files = try FileManager.default.contentsOfDirectory(atPath: spool)
            #expect(files == ["outbox-\(claimed[0].id.uuidString.lowercased()).eml"])
            let raw = try String(contentsOfFile: spool + "/" + files[0], encoding: .utf8)
            #expect(raw.contains("Message-ID: <outbox-\(claimed[0].id.uuidString.lowercased())@rendezvous.test>"))
            #expect(try await Self.pending(app.persistence) == 0)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func everyMessageAttendeesExpect(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence, locale: .en)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 1, startsIn: 3)
            let seated = try await app.persistence.register(Fixture.profile(1), for: event.id, now: Fixture.start)
            var waiting = Fixture.profile(2)
            waiting.language = .fr
            let queued = try await app.persistence.register(waiting, for: event.id, now: Fixture.start)
            let spool = FileManager.default.temporaryDirectory.appendingPathComponent("rendezvous-eml-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: spool) }
            let sender = Self.sender(app, transport: FileTransport(directory: spool))
            func delivered() async throws -> [String] {
                _ = try await sender.sendDue(limit: 100)
                return try FileManager.default.contentsOfDirectory(atPath: spool).sorted().map { try String(contentsOfFile: spool + "/" + $0, encoding: .utf8) }
            }
            func subjects(_ raws: [String]) throws -> [String] { try raws.map { try Self.parsed($0)["subject"] ?? "" } }
            #expect(Set(try subjects(try await delivered())) == ["You are registered: Rencontre trimestrielle", "Liste d’attente : Rencontre trimestrielle"])
            // Cancelling offers the seat: a cancellation to one, an offer (in French) to the other.
            _ = try await app.persistence.cancel(seated.registration.id, token: seated.registration.manageToken, now: Fixture.start)
            let afterCancel = try subjects(try await delivered())
            #expect(afterCancel.contains("Registration cancelled: Rencontre trimestrielle"))
            #expect(afterCancel.contains("Une place s’est libérée pour vous : Rencontre trimestrielle"))
            _ = try await app.persistence.accept(queued.registration.id, token: queued.registration.manageToken, now: Fixture.start)

            // The day before: a reminder with the practical details and a way to unsubscribe.
            app.clock.set(event.startsAt.addingTimeInterval(-20 * 3600))
            #expect(try await app.persistence.enqueueReminders(now: app.clock.now()) == 1)
            #expect(try await app.persistence.enqueueReminders(now: app.clock.now()) == 0, "once per event")
            let reminder = try #require(try await delivered().map { try Self.parsed($0) }.first { $0["subject"] == "Demain : Rencontre trimestrielle" })
            #expect(reminder["unsubscribe"] == "<https://rendezvous.test/unsubscribe/\(queued.registration.manageToken)>")
            #expect(reminder["text"]?.contains("Halles de la Cartoucherie") == true)

            // Organisers move the event: an update with the same UID and a higher SEQUENCE; then cancel it.
            guard var detail = try await app.persistence.eventDetail(id: event.id) else { return }
            let moved = EventInput.Valid(title: detail.event.title, startsAt: detail.event.startsAt.addingTimeInterval(3600), endsAt: detail.event.endsAt.addingTimeInterval(3600),
                                         capacity: 1, description: "", venue: ("Halles de la Cartoucherie", "31300 Toulouse"), speakers: [], agenda: [], status: .published)
            _ = try await app.persistence.editEvent(event.id, moved, now: app.clock.now())
            let changed = try #require(try await delivered().map { try Self.parsed($0) }.first { $0["subject"] == "Changement : Rencontre trimestrielle" })
            #expect(changed["calendar"]?.contains("METHOD:REQUEST") == true)
            #expect(changed["calendar"]?.contains("SEQUENCE:1") == true)
            #expect(changed["calendar"]?.contains("UID:event-\(event.id)@rendezvous.test") == true)
            _ = try await app.persistence.updateEvent(event.id, title: nil, description: nil, capacity: nil, status: .cancelled, now: app.clock.now())
            let cancelled = try #require(try await delivered().map { try Self.parsed($0) }.first { $0["subject"] == "Annulée : Rencontre trimestrielle" })
            #expect(cancelled["calendar"]?.contains("METHOD:CANCEL") == true)
            #expect(cancelled["calendar"]?.contains("STATUS:CANCELLED") == true)
            #expect(cancelled["calendar"]?.contains("SEQUENCE:2") == true)
            detail = try #require(try await app.persistence.eventDetail(id: event.id))
            #expect(detail.event.status == .cancelled)

            // Unsubscribed people get no news from the organisers.
            let token = queued.registration.manageToken
            try await app.application.test(.router) { client in
                let response = try await client.execute(uri: "/unsubscribe/\(token)", method: .post,
                                                         headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "List-Unsubscribe=One-Click"))
                #expect(response.status == .ok)
            }
            _ = try await app.persistence.enqueueBroadcast(event: event.id, statuses: ["confirmed"], checkedInOnly: false, subject: "News", body: "Hello", from: "Orga", now: app.clock.now())
            #expect(try await delivered().allSatisfy { !$0.contains("Subject: News") })
        }
    }

    @Test(arguments: DatabaseKind.available)
    func calendarsAndSharingParseInIndependentTools(_ kind: DatabaseKind) async throws {
        guard SMTPTestServer.available else { return }
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10, title: "Soirée, \"spéciale\"; de printemps\\ et été")
            try await app.application.test(.router) { client in
                let ics = try await client.execute(uri: "/events/\(event.id)/calendar.ics", method: .get)
                #expect(ics.headers[.contentType] == "text/calendar; charset=utf-8")
                let check = """
                import sys, icalendar, datetime
                cal = icalendar.Calendar.from_ical(sys.stdin.read())
                events = [c for c in cal.walk('VEVENT')]
                e = events[0]
                print(len(events), e['SUMMARY'], e['DTSTART'].dt.astimezone(datetime.timezone.utc).isoformat(), e['DTSTART'].dt.tzinfo is not None, len(list(cal.walk('VTIMEZONE'))))
                """
                let parsed = try SMTPTestServer.python(check, input: ics.text)
                #expect(parsed.trimmingCharacters(in: .whitespacesAndNewlines)
                        == "1 Soirée, \"spéciale\"; de printemps\\ et été \(Self.isoUTC(event.startsAt)) True 1", "\(parsed)")
                let feed = try await client.execute(uri: "/chapters/toulouse/calendar.ics", method: .get)
                #expect(try SMTPTestServer.python(check, input: feed.text).hasPrefix("1 "))
                let chapterPage = try await client.execute(uri: "/chapters/toulouse", method: .get)
                #expect(chapterPage.text.contains("webcal://rendezvous.test/chapters/toulouse/calendar.ics"))

                let page = try await client.execute(uri: "/events/\(event.id)", method: .get).text
                #expect(page.contains("<meta property=\"og:title\""))
                #expect(page.contains("og:image\" content=\"https://rendezvous.test/events/\(event.id)/share.png\""))
                let start = try #require(page.range(of: "<script type=\"application/ld+json\">")), end = try #require(page.range(of: "</script>", range: start.upperBound..<page.endIndex))
                let json = try #require(try JSONSerialization.jsonObject(with: Data(page[start.upperBound..<end.lowerBound].utf8)) as? [String: Any])
                #expect(json["@type"] as? String == "Event")
                #expect(json["name"] as? String == "Soirée, \"spéciale\"; de printemps\\ et été")
                #expect((json["location"] as? [String: Any])?["name"] as? String == "Halles de la Cartoucherie")
                let image = try await client.execute(uri: "/events/\(event.id)/share.png", method: .get)
                #expect(image.headers[.contentType] == "image/png")
            }
        }
    }

    static func isoUTC(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date).replacingOccurrences(of: "Z", with: "+00:00")
    }

    @Test func hostileHeadersCannotAddHeaders() {
        let message = MailMessage(from: .init(name: "Evil\r\nBcc: victim@example.org", email: "a@example.org"), to: .init(name: "Zoé \"Z\"", email: "z@example.org"),
                                  subject: "Hi\r\nBcc: x@example.org", text: ".\r\nQUIT", html: "<p>x</p>", messageID: "m1@test")
        let raw = message.rendered()
        let headers = raw.components(separatedBy: "\r\n\r\n")[0]
        #expect(!headers.contains("\r\nBcc:"))
        #expect(SMTPClient.dotStuffed(".\r\nQUIT\r\n.line").hasPrefix("..\r\n"))
    }
}
