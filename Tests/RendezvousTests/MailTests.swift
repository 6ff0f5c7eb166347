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

    static func sender(_ app: TestApp, transport: any MailTransport, logger: Logger = testLogger) -> OutboxSender {
        OutboxSender(persistence: app.persistence, composer: MessageComposer(persistence: app.persistence, baseURL: "https://rendezvous.test", from: from),
                     transport: transport, clock: app.clock, logger: logger)
    }

    static func pending(_ db: Persistence) async throws -> Int { try await db.outbox.outboxCount(status: .pending) }

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

    @Test(.requiresSMTPTools, arguments: ["plain", "starttls", "implicit"])
    func deliversOverEachKindOfConnection(_ mode: String) async throws {
        guard SMTPTestServer.available else { return }
        let server = try SMTPTestServer(mode: mode, auth: mode == "plain" ? nil : "rendezvous:s3cret pass")
        defer { server.stop() }
        try await withApp(.sqlite) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10)
            let zoe = Fixture.profile(1, first: "Zoé <script>")
            let outcome = try await app.persistence.registrations.register(zoe, for: event.id, now: Fixture.start)
            let scheme = ["plain": "smtp", "starttls": "smtp+starttls", "implicit": "smtps"][mode]!
            let credentials = mode == "plain" ? "" : "rendezvous:s3cret%20pass@"
            // Implicit TLS also exercises AUTH LOGIN; STARTTLS uses AUTH PLAIN.
            let query = [server.certificate.map { "ca=\($0)" }, mode == "implicit" ? "auth=login" : nil].compactMap { $0 }.joined(separator: "&")
            let url = "\(scheme)://\(credentials)localhost:\(server.port)" + (query.isEmpty ? "" : "?" + query)
            let configuration = try #require(SMTPConfiguration(url: url))
            #expect(try await Self.sender(app, transport: SMTPClient(configuration: configuration)).sendDue() == 1)
            let messages = server.messages
            let lastError = try await app.persistence.outbox.outbox(of: chapter.id).first?.lastError ?? ""
            #expect(messages.count == 1, "\(lastError)")
            let message = try Self.parsed(try #require(messages.first))
            #expect(message["subject"] == "Inscription confirmée\u{202F}: Rencontre trimestrielle")
            #expect(message["to"]?.contains("person1@example.org") == true)
            #expect(message["parts"] == "multipart/mixed,multipart/related,multipart/alternative,text/plain,text/html,image/png,text/calendar")
            #expect(message["autoSubmitted"] == "auto-generated")
            #expect(message["unsubscribe"] == "None", "a confirmation is transactional")
            #expect(message["text"]?.contains("https://rendezvous.test/manage/\(outcome.registration.manageToken)") == true)
            #expect(message["html"]?.contains("Zoé &lt;script&gt;") == true)
            #expect(message["html"]?.contains("<script>") == false)
            #expect(message["calendar"]?.contains("BEGIN:VEVENT") == true)
            let item = try #require(try await app.persistence.outbox.outbox(of: chapter.id).first)
            #expect(message["messageID"] == "<outbox-\(item.id.uuidString.lowercased())@rendezvous.test>")
            #expect(item.status == .sent)
            if mode == "starttls" { #expect(server.envelopes.contains("tls=True auth=True mechanism=PLAIN")) }
            if mode == "implicit" { #expect(server.envelopes.contains("tls=implicit auth=True mechanism=LOGIN")) }
        }
    }

    @Test(.requiresSMTPTools) func temporaryFailuresAreRetriedAndPermanentOnesReported() async throws {
        guard SMTPTestServer.available else { return }
        let server = try SMTPTestServer(failFirst: 1)
        defer { server.stop() }
        try await withApp(.sqlite) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10)
            _ = try await app.persistence.registrations.register(Fixture.profile(1), for: event.id, now: Fixture.start)
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
            _ = try await app.persistence.registrations.register(refused, for: event.id, now: Fixture.start)
            #expect(try await sender.sendDue() == 1)
            let failed = try #require(try await app.persistence.outbox.outbox(of: chapter.id).first { $0.status == .failed })
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
            _ = try await app.persistence.registrations.register(Fixture.profile(1), for: event.id, now: Fixture.start)
            #expect(try await Self.pending(app.persistence) == 1)
            // A rolled-back change leaves no message.
            await #expect(throws: RegistrationActionError.duplicateEmail) {
                try await app.persistence.registrations.register(Fixture.profile(1), for: event.id, now: Fixture.start)
            }
            #expect(try await Self.pending(app.persistence) == 1)

            // A sender claims the message and dies before it is marked sent.
            let claimed = try await app.persistence.outbox.claimDueMessages(now: app.clock.now())
            #expect(claimed.count == 1)
            #expect(try await app.persistence.outbox.claimDueMessages(now: app.clock.now()).isEmpty, "claimed messages are not taken twice")
            // After the lease, a fresh sender (a restarted process) delivers it, with the same Message-ID.
            app.clock.advance(by: 121)
            let spool = FileManager.default.temporaryDirectory.appendingPathComponent("rendezvous-eml-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: spool) }
            #expect(try await Self.sender(app, transport: FileTransport(directory: spool)).sendDue() == 1)
            let files = try FileManager.default.contentsOfDirectory(atPath: spool)
            #expect(files == ["outbox-\(claimed[0].id.uuidString.lowercased()).eml"])
            let raw = try String(contentsOfFile: spool + "/" + files[0], encoding: .utf8)
            #expect(raw.contains("Message-ID: <outbox-\(claimed[0].id.uuidString.lowercased())@rendezvous.test>"))
            // It holds a private link: readable by the server's user only.
            let mode = try FileManager.default.attributesOfItem(atPath: spool + "/" + files[0])[.posixPermissions] as? Int
            #expect(mode == 0o600)
            #expect(try await Self.pending(app.persistence) == 0)
        }
    }

    @Test(.requiresSMTPTools, arguments: DatabaseKind.available)
    func everyMessageAttendeesExpect(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence, locale: .en)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 1, startsIn: 3)
            let seated = try await app.persistence.registrations.register(Fixture.profile(1), for: event.id, now: Fixture.start)
            var waiting = Fixture.profile(2)
            waiting.language = .fr
            let queued = try await app.persistence.registrations.register(waiting, for: event.id, now: Fixture.start)
            let spool = FileManager.default.temporaryDirectory.appendingPathComponent("rendezvous-eml-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: spool) }
            let sender = Self.sender(app, transport: FileTransport(directory: spool))
            func delivered() async throws -> [String] {
                _ = try await sender.sendDue(limit: 100)
                return try FileManager.default.contentsOfDirectory(atPath: spool).sorted().map { try String(contentsOfFile: spool + "/" + $0, encoding: .utf8) }
            }
            func subjects(_ raws: [String]) throws -> [String] { try raws.map { try Self.parsed($0)["subject"] ?? "" } }
            #expect(Set(try subjects(try await delivered())) == ["You are registered: Rencontre trimestrielle", "Liste d’attente\u{202F}: Rencontre trimestrielle"])
            // Cancelling offers the seat: a cancellation to one, an offer (in French) to the other.
            _ = try await app.persistence.registrations.cancel(seated.registration.id, token: seated.registration.manageToken, now: Fixture.start)
            let afterCancel = try subjects(try await delivered())
            #expect(afterCancel.contains("Registration cancelled: Rencontre trimestrielle"))
            #expect(afterCancel.contains("Une place s’est libérée pour vous\u{202F}: Rencontre trimestrielle"))
            _ = try await app.persistence.registrations.accept(queued.registration.id, token: queued.registration.manageToken, now: Fixture.start)

            // The day before: a reminder with the practical details and a way to unsubscribe.
            app.clock.set(event.startsAt.addingTimeInterval(-20 * 3600))
            #expect(try await app.persistence.outbox.enqueueReminders(now: app.clock.now()) == 1)
            #expect(try await app.persistence.outbox.enqueueReminders(now: app.clock.now()) == 0, "once per event")
            let reminder = try #require(try await delivered().map { try Self.parsed($0) }.first { $0["subject"] == "Demain\u{202F}: Rencontre trimestrielle" })
            // The unsubscribe link has its own token (it can unsubscribe, nothing else), never the manage link's.
            let token = try #require(try await app.persistence.outbox.unsubscribeToken(of: queued.registration.id))
            #expect(token != queued.registration.manageToken)
            #expect(reminder["unsubscribe"] == "<https://rendezvous.test/unsubscribe/\(token)>")
            #expect(reminder["text"]?.contains("Halles de la Cartoucherie") == true)

            // Organisers move the event: an update with the same UID and a higher SEQUENCE; then cancel it.
            guard var detail = try await app.persistence.events.eventDetail(id: event.id) else { return }
            let moved = EventInput.Valid(title: detail.event.title, startsAt: detail.event.startsAt.addingTimeInterval(3600), endsAt: detail.event.endsAt.addingTimeInterval(3600),
                                         capacity: 1, description: "", venue: ("Halles de la Cartoucherie", "31300 Toulouse"), speakers: [], agenda: [], status: .published)
            _ = try await app.persistence.events.editEvent(event.id, moved, now: app.clock.now())
            let changed = try #require(try await delivered().map { try Self.parsed($0) }.first { $0["subject"] == "Changement\u{202F}: Rencontre trimestrielle" })
            #expect(changed["calendar"]?.contains("METHOD:REQUEST") == true)
            #expect(changed["calendar"]?.contains("SEQUENCE:1") == true)
            #expect(changed["calendar"]?.contains("UID:event-\(event.id)@rendezvous.test") == true)
            _ = try await app.persistence.events.updateEvent(event.id, title: nil, description: nil, capacity: nil, status: .cancelled, now: app.clock.now())
            let cancelled = try #require(try await delivered().map { try Self.parsed($0) }.first { $0["subject"] == "Annulée\u{202F}: Rencontre trimestrielle" })
            #expect(cancelled["calendar"]?.contains("METHOD:CANCEL") == true)
            #expect(cancelled["calendar"]?.contains("STATUS:CANCELLED") == true)
            #expect(cancelled["calendar"]?.contains("SEQUENCE:2") == true)
            detail = try #require(try await app.persistence.events.eventDetail(id: event.id))
            #expect(detail.event.status == .cancelled)

            // Unsubscribed people get no news from the organisers.
            try await app.application.test(.router) { client in
                let response = try await client.execute(uri: "/unsubscribe/\(token)", method: .post,
                                                         headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "List-Unsubscribe=One-Click"))
                #expect(response.status == .ok)
            }
            _ = try await app.persistence.outbox.enqueueBroadcast(event: event.id, statuses: ["confirmed"], checkedInOnly: false, subject: "News", body: "Hello", from: "Orga", now: app.clock.now())
            #expect(try await delivered().allSatisfy { !$0.contains("Subject: News") })
        }
    }

    @Test(.requiresSMTPTools, arguments: DatabaseKind.available)
    func calendarsAndSharingParseInIndependentTools(_ kind: DatabaseKind) async throws {
        guard SMTPTestServer.available else { return }
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10, title: "Soirée, \"spéciale\"; de printemps\\ et été")
            try await app.application.test(.router) { client in
                let ics = try await client.execute(uri: "/events/\(event.id)/calendar.ics", method: .get)
                #expect(ics.headers[.contentType] == "text/calendar; charset=utf-8")
                // Named for a downloads folder, one file per meetup.
                #expect(ics.headers[.contentDisposition]?.contains("filename=\"toulouse-") == true)
                #expect(ics.headers[.contentDisposition]?.hasSuffix("-soiree-speciale-de-printemps-et-ete.ics\"") == true)
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

    // MARK: Mail never drops a message silently

    /// Relays that fail for every message, each as the test server plays it, with the admins' alert
    /// it must raise and a part of the stored error.
    struct RelayTrouble: Sendable, CustomTestStringConvertible {
        var name: String
        var alert: String
        var detail: String
        var testDescription: String { name }

        static let all: [RelayTrouble] = [
            .init(name: "wrong password (535)", alert: "The mail relay refuses our credentials since", detail: "535"),
            .init(name: "authentication required (530 to MAIL FROM)", alert: "The mail relay asks for a user name and password since", detail: "530"),
            .init(name: "STARTTLS refused (554)", alert: "The secure connection to the mail relay fails since", detail: "554"),
            .init(name: "unreachable", alert: "The mail relay cannot be reached since", detail: "cannot connect"),
            .init(name: "plaintext injected after STARTTLS", alert: "The secure connection to the mail relay fails since", detail: "before the TLS handshake"),
            .init(name: "credentials without TLS", alert: "The mail settings are refused since", detail: "insecure-auth=1"),
        ]

        /// The server playing this trouble (none when unreachable) and the SMTP_URL that meets it.
        func relay() throws -> (server: SMTPTestServer?, url: String) {
            switch name {
            case "wrong password (535)":
                let server = try SMTPTestServer(mode: "starttls", auth: "rendezvous:right")
                return (server, "smtp+starttls://rendezvous:wrong@localhost:\(server.port)?ca=\(server.certificate!)")
            case "authentication required (530 to MAIL FROM)":
                let server = try SMTPTestServer(mode: "plain", auth: "rendezvous:right")
                return (server, "smtp://localhost:\(server.port)")
            case "STARTTLS refused (554)":
                let server = try SMTPTestServer(mode: "starttls", starttlsReply: "554 5.7.3 TLS not available")
                return (server, "smtp+starttls://localhost:\(server.port)?ca=\(server.certificate!)")
            case "unreachable":
                return (nil, "smtp://127.0.0.1:\(try SMTPTestServer.closedPort())")
            case "plaintext injected after STARTTLS":
                let server = try SMTPTestServer(mode: "starttls", injectAfterSTARTTLS: "250-injected before TLS|250 AUTH PLAIN")
                return (server, "smtp+starttls://localhost:\(server.port)?ca=\(server.certificate!)")
            default:
                let server = try SMTPTestServer(mode: "plain", auth: "rendezvous:s3cret")
                return (server, "smtp://rendezvous:s3cret@localhost:\(server.port)")
            }
        }
    }

    /// A relay that refuses us (credentials, TLS, configuration, no connection) says nothing about
    /// the message: it waits and is retried, nothing is reported as failed, the network admins see
    /// one alert (on /admin and on the chapter's outbox page, logged once) until a send succeeds.
    @Test(.requiresSMTPTools, arguments: DatabaseKind.available, RelayTrouble.all)
    func relayTroubleKeepsMessagesAndAlertsOnce(_ kind: DatabaseKind, _ trouble: RelayTrouble) async throws {
        guard SMTPTestServer.available else { return }
        let (server, url) = try trouble.relay()
        defer { server?.stop() }
        let working = try SMTPTestServer()
        defer { working.stop() }
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            let admin = try await Accounts.signIn(app, email: "admin@example.org", role: .networkAdmin)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10)
            _ = try await app.persistence.registrations.register(Fixture.profile(1), for: event.id, now: Fixture.start)
            _ = try await app.persistence.registrations.register(Fixture.profile(2), for: event.id, now: Fixture.start)
            let logs = LogRecorder()
            let broken = Self.sender(app, transport: SMTPClient(configuration: try #require(SMTPConfiguration(url: url))), logger: logs.logger)

            #expect(try await broken.sendDue() == 2)
            app.clock.advance(by: 301)
            #expect(try await broken.sendDue() == 2, "retried after the relay's pause")
            // More rounds than a message has attempts: relay trouble uses none of them.
            for _ in 0..<(OutboxSender.backoff.count + 2) {
                app.clock.advance(by: OutboxSender.relayRetry + 1)
                _ = try await broken.sendDue()
            }
            let records = try await app.persistence.outbox.outbox(of: chapter.id)
            #expect(records.count == 2, "no failure report: nothing failed")
            for record in records {
                #expect(record.status == .pending && record.attempts == 0, "\(record.status) \(record.attempts) \(record.lastError)")
                #expect(record.lastError.contains(trouble.detail), "\(record.lastError)")
            }
            #expect(server?.messages.isEmpty ?? true)
            #expect(logs.messages(.error).count == 1, "one alert per incident, not per message: \(logs.messages(.error))")
            if trouble.name == "wrong password (535)" {
                #expect(server?.commands.filter { $0.hasPrefix("AUTH") }.count == OutboxSender.backoff.count + 4, "one try per round, not one per message")
            }
            if trouble.name == "plaintext injected after STARTTLS" {
                #expect(server?.commands.allSatisfy { $0 == "EHLO tls=False" } == true, "nothing was said inside TLS after the injection")
            }
            if trouble.name == "credentials without TLS" {
                #expect(server?.commands.contains { $0.hasPrefix("AUTH") } == false, "the password never left in clear")
            }

            let paris = DisplayFormatter(language: .en, timeZone: TimeZone(identifier: "Europe/Paris")!, region: "FR")
            let since = "\(paris.shortDate(Fixture.start)) \(paris.time(Fixture.start))"
            try await app.application.test(.router) { client in
                let adminPage = try await client.get("/admin", as: admin).text
                #expect(adminPage.components(separatedBy: trouble.alert).count == 2, "shown once on /admin")
                let outbox = try await client.get("/organize/toulouse/outbox", as: organizer).text
                #expect(outbox.contains("\(trouble.alert) \(since)"), "\(outbox)")
                #expect(outbox.contains(trouble.detail.replacingOccurrences(of: "=", with: "&#61;")) || outbox.contains(trouble.detail))
            }

            // The relay works again: the messages leave and the alert goes.
            app.clock.advance(by: 301)
            let repaired = Self.sender(app, transport: SMTPClient(configuration: SMTPConfiguration(host: "localhost", port: working.port, security: .plain)), logger: logs.logger)
            #expect(try await repaired.sendDue() == 2)
            #expect(working.messages.count == 2)
            #expect(logs.messages(.notice).contains { $0.contains("works again") }, "\(logs.messages(.notice))")
            try await app.application.test(.router) { client in
                let adminPage = try await client.get("/admin", as: admin).text
                let outbox = try await client.get("/organize/toulouse/outbox", as: organizer).text
                #expect(!adminPage.contains(trouble.alert) && !outbox.contains(trouble.alert))
            }
        }
    }

    /// Whatever a server (or a man in the middle) sends after the STARTTLS 220 and before the
    /// handshake is never read as a reply inside TLS: the connection is dropped and nothing is sent.
    @Test(.requiresSMTPTools) func plaintextAfterSTARTTLSIsNeverReadInsideTLS() async throws {
        guard SMTPTestServer.available else { return }
        let server = try SMTPTestServer(mode: "starttls", injectAfterSTARTTLS: "250-injected before TLS|250 AUTH PLAIN")
        defer { server.stop() }
        let configuration = try #require(SMTPConfiguration(url: "smtp+starttls://localhost:\(server.port)?ca=\(server.certificate!)"))
        let message = MailMessage(from: Self.from, to: .init(name: "Zoé", email: "zoe@example.org"), subject: "Hi", text: "Hello", html: "<p>Hello</p>", messageID: "m1@test")
        do {
            try await SMTPClient(configuration: configuration).send(message)
            Issue.record("sent despite the injected plaintext")
        } catch {
            #expect("\(error)".contains("before the TLS handshake"), "\(error)")
        }
        #expect(server.commands == ["EHLO tls=False"])
        #expect(server.messages.isEmpty)
        // The same server without the injection: STARTTLS works.
        let honest = try SMTPTestServer(mode: "starttls")
        defer { honest.stop() }
        try await SMTPClient(configuration: try #require(SMTPConfiguration(url: "smtp+starttls://localhost:\(honest.port)?ca=\(honest.certificate!)"))).send(message)
        #expect(honest.commands == ["EHLO tls=False", "EHLO tls=True"])
        #expect(honest.messages.count == 1)
    }

    /// `smtp://user:pass@host` would send the password in clear: refused unless the URL says
    /// `?insecure-auth=1`.
    @Test(.requiresSMTPTools) func credentialsNeverTravelInClearUnlessAsked() async throws {
        guard SMTPTestServer.available else { return }
        let server = try SMTPTestServer(mode: "plain", auth: "rendezvous:s3cret")
        defer { server.stop() }
        let message = MailMessage(from: Self.from, to: .init(name: "Zoé", email: "zoe@example.org"), subject: "Hi", text: "Hello", html: "<p>Hello</p>", messageID: "m1@test")
        let clear = try #require(SMTPConfiguration(url: "smtp://rendezvous:s3cret@localhost:\(server.port)"))
        // Said at start-up by the sender, and never a silent drop: a relay trouble, so the message waits.
        #expect(SMTPClient(configuration: clear).configurationProblem?.contains("?insecure-auth=1") == true)
        await #expect(throws: SMTPError.relay(.configuration, code: 0, message: clear.problem ?? "")) { try await SMTPClient(configuration: clear).send(message) }
        await #expect(throws: (any Error).self) { try await SMTPClient(configuration: clear).send(message) }
        #expect(!server.commands.contains { $0.hasPrefix("AUTH") }, "\(server.commands)")
        #expect(server.messages.isEmpty)
        let allowed = try #require(SMTPConfiguration(url: "smtp://rendezvous:s3cret@localhost:\(server.port)?insecure-auth=1"))
        #expect(allowed.problem == nil)
        #expect(SMTPConfiguration(url: "smtp+starttls://rendezvous:s3cret@localhost:587")?.problem == nil)
        try await SMTPClient(configuration: allowed).send(message)
        #expect(server.commands.contains("AUTH PLAIN tls=False"))
        #expect(server.messages.count == 1)
    }

    /// Organisers put failed messages back in the queue, one or all at once, for their chapter only.
    @Test(.requiresSMTPTools, arguments: DatabaseKind.available)
    func organisersRetryFailedMessages(_ kind: DatabaseKind) async throws {
        guard SMTPTestServer.available else { return }
        let refusing = try SMTPTestServer()
        defer { refusing.stop() }
        let accepting = try SMTPTestServer(reject: "")
        defer { accepting.stop() }
        try await withApp(kind) { app in
            let toulouse = try await Fixture.chapter(app.persistence)
            let lyon = try await Fixture.chapter(app.persistence, slug: "lyon")
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            _ = try await Accounts.signIn(app, email: "lyon@example.org", chapters: ["lyon"])
            let here = try await Fixture.event(app.persistence, chapter: toulouse, capacity: 10)
            let there = try await Fixture.event(app.persistence, chapter: lyon, capacity: 10)
            for (index, event) in [(1, here.id), (2, here.id), (3, there.id)] {
                var person = Fixture.profile(index)
                person.email = "reject-\(index)@example.org"
                _ = try await app.persistence.registrations.register(person, for: event, now: Fixture.start)
            }
            let refused = Self.sender(app, transport: SMTPClient(configuration: SMTPConfiguration(host: "localhost", port: refusing.port, security: .plain)))
            while try await refused.sendDue() > 0 {}
            let failedHere = try await app.persistence.outbox.outbox(of: toulouse.id).filter { $0.status == .failed }
            let failedThere = try #require(try await app.persistence.outbox.outbox(of: lyon.id).first { $0.status == .failed })
            #expect(failedHere.count == 2)
            /// "status attempts" of one message.
            @Sendable func status(_ id: UUID) async throws -> String {
                let all = try await app.persistence.outbox.outbox(of: toulouse.id) + app.persistence.outbox.outbox(of: lyon.id)
                return all.first { $0.id == id }.map { "\($0.status) \($0.attempts)" } ?? "missing"
            }
            let first = failedHere[0].id, second = failedHere[1].id
            let one = "/organize/toulouse/outbox/\(first.uuidString.lowercased())/retry"
            try await app.application.test(.router) { client in
                let page = try await client.get("/organize/toulouse/outbox", as: organizer).text
                #expect(page.contains("action=\"\(one)\""))
                #expect(page.contains("action=\"/organize/toulouse/outbox/retry\""))
                #expect(page.contains("name=\"_csrf\" value=\"\(organizer.csrf)\""))
                #expect(page.contains("Retry all failed messages"))

                // Another chapter's message, by any address, is not there; a forged form changes nothing.
                let lyonID = failedThere.id.uuidString.lowercased()
                #expect(try await client.post("/organize/toulouse/outbox/\(lyonID)/retry", as: organizer).status == .notFound)
                #expect(try await client.post("/organize/lyon/outbox/\(lyonID)/retry", as: organizer).status == .notFound)
                #expect(try await client.post("/organize/lyon/outbox/retry", as: organizer).status == .notFound)
                #expect(try await client.post(one, as: organizer, csrf: "forged").status == .forbidden)
                #expect(try await status(first) == "failed 1")

                let retried = try await client.post(one, as: organizer)
                #expect(retried.status == .seeOther)
                #expect(try await status(first) == "pending 0")
                #expect(try await status(second) == "failed 1")
            }
            let delivered = Self.sender(app, transport: SMTPClient(configuration: SMTPConfiguration(host: "localhost", port: accepting.port, security: .plain)))
            #expect(try await delivered.sendDue() == 1)
            #expect(try await status(first) == "sent 0")
            #expect(accepting.messages.count == 1)

            try await app.application.test(.router) { client in
                let retried = try await client.post("/organize/toulouse/outbox/retry", as: organizer)
                let page = try await client.get("/organize/toulouse/outbox?retried=1", as: organizer).text
                #expect(retried.status == .seeOther)
                #expect(page.contains("will be sent again"))
            }
            #expect(try await status(second) == "pending 0")
            #expect(try await status(failedThere.id) == "failed 1", "the other chapter's message stays as it was")
            #expect(try await delivered.sendDue() == 1)
            #expect(try await status(second) == "sent 0")
            let audit = try await app.persistence.team.auditLog(of: toulouse.id).filter { $0.action == "outbox.retried" }
            #expect(audit.count == 2)
        }
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

/// Keeps what a logger was told, to count alerts.
final class LogRecorder: LogHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var records: [(Logger.Level, String)] = []
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    var logger: Logger { Logger(label: "mail-test") { _ in self } }

    func log(event: LogEvent) {
        lock.withLock { records.append((event.level, event.message.description)) }
    }

    func messages(_ level: Logger.Level) -> [String] {
        lock.withLock { records.filter { $0.0 == level }.map(\.1) }
    }
}
