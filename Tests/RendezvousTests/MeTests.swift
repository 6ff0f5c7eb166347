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

/// "My Rendezvous" and "We met": the one-time sign-in link (once, 15 minutes, no enumeration,
/// rate limits), the attendee session, every registration of the address across chapters, and the
/// mutual contact exchange with its privacy (notes, emails before acceptance, removal).
@Suite("My Rendezvous and We met")
struct MeTests {
    static let from = MailMessage.Address(name: "Rendezvous", email: "rendezvous@rendezvous.test")

    static func form(_ fields: [String: String], cookie: String? = nil) -> (HTTPFields, ByteBuffer) {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .acceptLanguage: "en"]
        if let cookie { headers[.cookie] = "rv_me=\(cookie)" }
        return (headers, PageTests.form(fields))
    }

    static func headers(_ cookie: String?) -> HTTPFields {
        var headers: HTTPFields = [.acceptLanguage: "en"]
        if let cookie { headers[.cookie] = "rv_me=\(cookie)" }
        return headers
    }

    /// The sign-in mails queued so far, as the recipient reads them (text body).
    static func signInMails(_ app: TestApp) async throws -> [(recipient: String, text: String, subject: String)] {
        struct Row: Decodable { var id: UUID; var recipient: String; var payload: String; var createdAt: Date }
        let rows = try await app.persistence.sql.raw("SELECT id, recipient, payload, created_at FROM outbox WHERE kind = 'attendeeSignIn' ORDER BY created_at")
            .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
        let composer = MessageComposer(persistence: app.persistence, baseURL: "https://rendezvous.test", from: from)
        var mails: [(String, String, String)] = []
        for row in rows {
            let payload = try JSONDecoder().decode([String: String].self, from: Data(row.payload.utf8))
            let item = OutboxItem(id: row.id, kind: .attendeeSignIn, recipient: row.recipient, payload: payload, attempts: 0, createdAt: row.createdAt)
            guard case .message(let message) = try await composer.compose(item, now: app.clock.now()) else { Issue.record("not composed"); continue }
            mails.append((row.recipient, message.text, message.subject))
        }
        return mails
    }

    static func link(in text: String) throws -> String {
        let start = try #require(text.range(of: "https://rendezvous.test/me/signin/"), "no link in \(text)")
        return String(String(text[start.lowerBound...].prefix { !$0.isWhitespace }).dropFirst("https://rendezvous.test".count))
    }

    /// Signs `email` in through the mailed link; returns the session cookie's value.
    static func signIn(_ client: some TestClientProtocol, _ app: TestApp, email: String) async throws -> String {
        let before = try await signInMails(app).count
        let (headers, body) = form(["email": email])
        #expect(try await client.execute(uri: "/me", method: .post, headers: headers, body: body).status == .ok)
        let mails = try await signInMails(app)
        #expect(mails.count == before + 1)
        let path = try link(in: try #require(mails.last).text)
        let done = try await client.execute(uri: path, method: .post, headers: form([:]).0, body: ByteBuffer())
        #expect(done.status == .seeOther || done.status == .found)
        let setCookie = try #require(done.headers[.setCookie])
        let value = try #require(setCookie.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last)
        return String(value)
    }

    static func csrf(_ page: String) throws -> String {
        let marker = "name=\"_csrf\" value=\""
        let start = try #require(page.range(of: marker))
        return String(page[start.upperBound...].prefix { $0 != "\"" })
    }

    // MARK: Signing in

    @Test(arguments: DatabaseKind.available)
    func theLinkWorksOnceForFifteenMinutesAndSaysNothingAboutTheAddress(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let toulouse = try await Fixture.chapter(app.persistence)
            let lyon = try await Fixture.chapter(app.persistence, slug: "lyon")
            let here = try await Fixture.event(app.persistence, chapter: toulouse, capacity: 10, title: "Rencontre de Toulouse")
            let there = try await Fixture.event(app.persistence, chapter: lyon, capacity: 10, title: "Rencontre de Lyon")
            _ = try await app.persistence.registrations.register(Fixture.profile(1), for: here.id, now: app.clock.now())
            _ = try await app.persistence.registrations.register(Fixture.profile(1), for: there.id, now: app.clock.now())
            _ = try await app.persistence.registrations.register(Fixture.profile(2), for: there.id, now: app.clock.now())
            try await app.application.test(.router) { client in
                // The form, then the same answer for a known and an unknown address.
                let page = try await client.execute(uri: "/me", method: .get, headers: Self.headers(nil))
                #expect(page.status == .ok)
                #expect(String(buffer: page.body).contains("Email me a sign-in link"))
                let (h1, b1) = Self.form(["email": "person1@example.org"])
                let known = try await client.execute(uri: "/me", method: .post, headers: h1, body: b1)
                let (h2, b2) = Self.form(["email": "nobody@example.org"])
                let unknown = try await client.execute(uri: "/me", method: .post, headers: h2, body: b2)
                #expect(known.status == unknown.status)
                #expect(String(buffer: known.body).replacingOccurrences(of: "person1@example.org", with: "X")
                        == String(buffer: unknown.body).replacingOccurrences(of: "nobody@example.org", with: "X"))
                #expect(known.headers[.cacheControl] == "no-store")
                var mails = try await Self.signInMails(app)
                #expect(mails.map(\.recipient) == ["person1@example.org"], "nothing to an address without registrations")
                // A bad address: the error on the field.
                let (h3, b3) = Self.form(["email": "not-an-address"])
                let bad = try await client.execute(uri: "/me", method: .post, headers: h3, body: b3)
                #expect(bad.status == .unprocessableContent)
                #expect(String(buffer: bad.body).contains("aria-invalid=\"true\""))
                // At most one mail per address per two minutes.
                _ = try await client.execute(uri: "/me", method: .post, headers: h1, body: b1)
                #expect(try await Self.signInMails(app).count == 1)
                app.clock.advance(by: 121)
                _ = try await client.execute(uri: "/me", method: .post, headers: h1, body: b1)
                mails = try await Self.signInMails(app)
                #expect(mails.count == 2)
                // The outbox holds no usable link; the links table only a hash.
                struct Payload: Decodable { var payload: String }
                let payloads = try await app.persistence.sql.raw("SELECT payload FROM outbox WHERE kind = 'attendeeSignIn'").all(decoding: Payload.self)
                let path = try Self.link(in: mails[1].text)
                let token = String(path.dropFirst("/me/signin/".count))
                #expect(!payloads.contains { $0.payload.contains(token) })
                struct Hash: Decodable { var token_hash: String }
                let hashes = try await app.persistence.sql.raw("SELECT token_hash FROM attendee_sign_in_links").all(decoding: Hash.self)
                #expect(!hashes.contains { $0.token_hash == token })
                // Opening the link (a mail scanner would) spends nothing: a page with a button.
                let opened = try await client.execute(uri: path, method: .get, headers: Self.headers(nil))
                #expect(opened.status == .ok)
                #expect(String(buffer: opened.body).contains("Sign in as person1@example.org"))
                let used = try await client.execute(uri: path, method: .post, headers: Self.form([:]).0, body: ByteBuffer())
                let setCookie = try #require(used.headers[.setCookie])
                #expect(setCookie.contains("rv_me="))
                #expect(setCookie.contains("HttpOnly"))
                #expect(setCookie.contains("SameSite=Lax"))
                #expect(setCookie.contains("Secure"))
                #expect(setCookie.contains("Max-Age=2592000"))
                let cookie = String(try #require(setCookie.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last))
                // Once only.
                #expect(try await client.execute(uri: path, method: .post, headers: Self.form([:]).0, body: ByteBuffer()).status == .gone)
                #expect(try await client.execute(uri: path, method: .get, headers: Self.headers(nil)).status == .gone)
                // The first link, older than 15 minutes, no longer works.
                app.clock.advance(by: 15 * 60)
                let first = try Self.link(in: mails[0].text)
                #expect(try await client.execute(uri: first, method: .post, headers: Self.form([:]).0, body: ByteBuffer()).status == .gone)
                // Signed in: both chapters' registrations, not the other person's.
                let me = String(buffer: try await client.execute(uri: "/me", method: .get, headers: Self.headers(cookie)).body)
                #expect(me.contains("Rencontre de Toulouse"))
                #expect(me.contains("Rencontre de Lyon"))
                #expect(me.contains("person1@example.org"))
                #expect(me.contains("/ticket.png"))
                #expect(!me.contains("Quinquies 2"))
                // The organisers' session cookie is another one: rv_me opens no workspace.
                let organize = try await client.execute(uri: "/organize", method: .get, headers: [.cookie: "rv_session=\(cookie)"])
                #expect(organize.status != .ok)
                // Signing out needs the session's CSRF token, then ends the session.
                #expect(try await client.execute(uri: "/me/signout", method: .post, headers: Self.form([:], cookie: cookie).0,
                                                 body: Self.form([:]).1).status == .forbidden)
                let csrf = try Self.csrf(me)
                let (ho, bo) = Self.form(["_csrf": csrf], cookie: cookie)
                let out = try await client.execute(uri: "/me/signout", method: .post, headers: ho, body: bo)
                #expect(out.headers[.setCookie]?.contains("Max-Age=0") == true)
                #expect(!String(buffer: try await client.execute(uri: "/me", method: .get, headers: Self.headers(cookie)).body).contains("Rencontre de Lyon"))
                // A post after the session ended leads back to the sign-in form, not to an error.
                let late = try await client.execute(uri: "/me/profile", method: .post, headers: ho, body: bo)
                #expect(late.status == .seeOther)
                #expect(late.headers[.location] == "/me")
            }
        }
    }

    @Test func askingForLinksIsRateLimitedPerClient() async throws {
        try await withApp(.sqlite, rateLimit: RateLimit(requests: 3, window: 60)) { app in
            try await app.application.test(.router) { client in
                var statuses: [HTTPResponse.Status] = []
                for index in 0..<5 {
                    let (headers, body) = Self.form(["email": "someone\(index)@example.org"])
                    statuses.append(try await client.execute(uri: "/me", method: .post, headers: headers, body: body).status)
                }
                #expect(statuses.prefix(3).allSatisfy { $0 == .ok })
                #expect(statuses.last == .tooManyRequests)
            }
        }
    }

    // MARK: We met

    @Test(arguments: DatabaseKind.available)
    func weMetIsMutualConsentFirstAndPrivate(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10)
            var karim = Fixture.profile(1, first: "Karim")
            karim.linkedinURL = "https://www.linkedin.com/in/karim"
            var lea = Fixture.profile(2, first: "Léa")
            lea.linkedinURL = "https://www.linkedin.com/in/lea"
            let a = try await app.persistence.registrations.register(karim, for: event.id, now: app.clock.now()).registration
            let b = try await app.persistence.registrations.register(lea, for: event.id, now: app.clock.now()).registration
            _ = try await app.persistence.registrations.register(Fixture.profile(3, first: "Zoé"), for: event.id, now: app.clock.now())
            let other = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10, startsIn: 40, title: "Autre soirée")
            _ = try await app.persistence.registrations.register(Fixture.profile(4, first: "Outsider"), for: other.id, now: app.clock.now())
            let leaCard = try #require(try await app.persistence.registrations.contactToken(of: b.id))
            let karimCard = try #require(try await app.persistence.registrations.contactToken(of: a.id))
            try await app.application.test(.router) { client in
                let karimCookie = try await Self.signIn(client, app, email: "person1@example.org")
                let leaCookie = try await Self.signIn(client, app, email: "person2@example.org")
                let outsider = try await Self.signIn(client, app, email: "person4@example.org")
                // Léa shares her email with people she accepts.
                let leaMe = String(buffer: try await client.execute(uri: "/me", method: .get, headers: Self.headers(leaCookie)).body)
                let leaCSRF = try Self.csrf(leaMe)
                let (hp, bp) = Self.form(["_csrf": leaCSRF, "firstName": "Léa", "lastName": "Quinquies 2", "jobTitle": "CTO", "company": "Acme",
                                          "linkedinUrl": "https://www.linkedin.com/in/lea", "askMeAbout": "robots", "shareEmail": "on"], cookie: leaCookie)
                #expect(try await client.execute(uri: "/me/profile", method: .post, headers: hp, body: bp).status == .seeOther)
                // A bad LinkedIn address: the error on its field.
                let (hx, bx) = Self.form(["_csrf": leaCSRF, "firstName": "Léa", "linkedinUrl": "javascript:alert(1)"], cookie: leaCookie)
                let bad = try await client.execute(uri: "/me/profile", method: .post, headers: hx, body: bx)
                #expect(bad.status == .unprocessableContent)
                #expect(String(buffer: bad.body).contains("f-linkedinUrl-error"))
                let profile = try await client.execute(uri: "/me/profile.json", method: .get, headers: Self.headers(leaCookie))
                #expect(String(buffer: profile.body).contains("\"jobTitle\":\"CTO\""))
                #expect(profile.headers[.cacheControl] == "no-store")
                #expect(try await client.execute(uri: "/me/profile.json", method: .get, headers: Self.headers(nil)).status == .noContent)

                // Karim opens Léa's card: the "We met" form, with his session's CSRF token.
                let card = String(buffer: try await client.execute(uri: "/c/\(leaCard)", method: .get, headers: Self.headers(karimCookie)).body)
                #expect(card.contains("/c/\(leaCard)/met"))
                let karimCSRF = try Self.csrf(card)
                // Without the token: refused.
                let (hn, bn) = Self.form(["note": "x"], cookie: karimCookie)
                #expect(try await client.execute(uri: "/c/\(leaCard)/met", method: .post, headers: hn, body: bn).status == .forbidden)
                // Someone of another evening cannot say they met her.
                let outsiderCard = String(buffer: try await client.execute(uri: "/c/\(leaCard)", method: .get, headers: Self.headers(outsider)).body)
                #expect(!outsiderCard.contains("/c/\(leaCard)/met"))
                #expect(outsiderCard.contains("You are not registered for this meetup as person4@example.org."))
                let (hm, bm) = Self.form(["_csrf": karimCSRF, "note": "talked about aeronautics hiring"], cookie: karimCookie)
                #expect(try await client.execute(uri: "/c/\(leaCard)/met", method: .post, headers: hm, body: bm).status == .seeOther)

                // Before she accepts: Karim sees her as the card shows her — no email, no LinkedIn (not shared on the card).
                var karimMe = String(buffer: try await client.execute(uri: "/me", method: .get, headers: Self.headers(karimCookie)).body)
                #expect(karimMe.contains("Léa Quinquies 2"))
                #expect(karimMe.contains("Waiting for their answer"))
                #expect(karimMe.contains("talked about aeronautics hiring"))
                #expect(!karimMe.contains("person2@example.org"))
                #expect(!karimMe.contains("linkedin.com/in/lea"))
                let karimJSON = String(buffer: try await client.execute(uri: "/me/people.json", method: .get, headers: Self.headers(karimCookie)).body)
                #expect(!karimJSON.contains("person2@example.org"))
                // Léa sees "Karim says you met", never his note.
                var leaPage = String(buffer: try await client.execute(uri: "/me", method: .get, headers: Self.headers(leaCookie)).body)
                #expect(leaPage.contains("Karim Quinquies 1 says you met"))
                #expect(!leaPage.contains("aeronautics"))
                let leaJSON = String(buffer: try await client.execute(uri: "/me/people.json", method: .get, headers: Self.headers(leaCookie)).body)
                #expect(!leaJSON.contains("aeronautics"))
                // Nobody else can answer or remove it.
                struct Row: Decodable { var id: UUID }
                let link = try #require(try await app.persistence.sql.raw("SELECT id FROM contacts").first(decoding: Row.self))
                let outsiderCSRF = try Self.csrf(String(buffer: try await client.execute(uri: "/me", method: .get, headers: Self.headers(outsider)).body))
                let (ho, bo) = Self.form(["_csrf": outsiderCSRF], cookie: outsider)
                #expect(try await client.execute(uri: "/me/people/\(link.id)/remove", method: .post, headers: ho, body: bo).status == .notFound)
                // Karim cannot accept for her.
                let (hk, bk) = Self.form(["_csrf": karimCSRF], cookie: karimCookie)
                #expect(try await client.execute(uri: "/me/people/\(link.id)/accept", method: .post, headers: hk, body: bk).status == .notFound)
                // She accepts.
                let (ha, ba) = Self.form(["_csrf": leaCSRF], cookie: leaCookie)
                #expect(try await client.execute(uri: "/me/people/\(link.id)/accept", method: .post, headers: ha, body: ba).status == .seeOther)
                karimMe = String(buffer: try await client.execute(uri: "/me", method: .get, headers: Self.headers(karimCookie)).body)
                #expect(karimMe.contains("Connected"))
                #expect(karimMe.contains("mailto:person2@example.org"), "she shares her email with people she accepts")
                #expect(!karimMe.contains("linkedin.com/in/lea"), "but not her LinkedIn")
                leaPage = String(buffer: try await client.execute(uri: "/me", method: .get, headers: Self.headers(leaCookie)).body)
                #expect(leaPage.contains("Karim Quinquies 1"))
                #expect(!leaPage.contains("person1@example.org"), "he did not choose to share his email")
                #expect(!leaPage.contains("aeronautics"))
                // Exports: vCard (one file) and CSV, spreadsheet-safe.
                let vcf = try await client.execute(uri: "/me/people.vcf", method: .get, headers: Self.headers(karimCookie))
                #expect(String(buffer: vcf.body).contains("FN:Léa Quinquies 2"))
                #expect(String(buffer: vcf.body).contains("EMAIL:person2@example.org"))
                #expect(String(buffer: vcf.body).contains("NOTE:"))
                let csv = String(buffer: try await client.execute(uri: "/me/people.csv", method: .get, headers: Self.headers(karimCookie)).body)
                #expect(csv.hasPrefix(CSV.byteOrderMark))
                #expect(csv.contains("person2@example.org"))
                #expect(try await client.execute(uri: "/me/people.csv", method: .get, headers: Self.headers(nil)).status == .unauthorized)

                // Without a scan: the attendee list of those who chose to be listed.
                let list = String(buffer: try await client.execute(uri: "/me/events/\(event.id)", method: .get, headers: Self.headers(karimCookie)).body)
                #expect(list.contains("Zoé Quinquies 3"))
                #expect(!list.contains("Karim Quinquies 1"))
                let zoe = try #require(try await app.persistence.registrations.registrations(of: event.id).first { $0.profile.firstName == "Zoé" })
                let (hz, bz) = Self.form(["_csrf": karimCSRF, "registration": zoe.id.uuid.uuidString], cookie: karimCookie)
                #expect(try await client.execute(uri: "/me/events/\(event.id)/met", method: .post, headers: hz, body: bz).status == .seeOther)
                // Someone not on the list cannot be named by id.
                try await app.persistence.sql.raw("UPDATE registrations SET consent_list = \(bind: false) WHERE id = \(bind: b.id.uuid)").run()
                let (hy, by) = Self.form(["_csrf": karimCSRF, "registration": b.id.uuid.uuidString], cookie: karimCookie)
                #expect(try await client.execute(uri: "/me/events/\(event.id)/met", method: .post, headers: hy, body: by).status == .notFound)
                // The outsider has no registration there: no list.
                #expect(try await client.execute(uri: "/me/events/\(event.id)", method: .get, headers: Self.headers(outsider)).status == .notFound)

                // Either side removes the link: gone for both.
                #expect(try await client.execute(uri: "/me/people/\(link.id)/remove", method: .post, headers: ha, body: ba).status == .seeOther)
                karimMe = String(buffer: try await client.execute(uri: "/me", method: .get, headers: Self.headers(karimCookie)).body)
                #expect(!karimMe.contains("Léa Quinquies 2"))
                #expect(karimMe.contains("Zoé Quinquies 3"))

                // Both tapping is mutual: Léa taps on Karim's card, then Karim on hers.
                let leaCardPage = String(buffer: try await client.execute(uri: "/c/\(karimCard)", method: .get, headers: Self.headers(leaCookie)).body)
                let (hl, bl) = Self.form(["_csrf": try Self.csrf(leaCardPage)], cookie: leaCookie)
                #expect(try await client.execute(uri: "/c/\(karimCard)/met", method: .post, headers: hl, body: bl).status == .seeOther)
                #expect(try await client.execute(uri: "/c/\(leaCard)/met", method: .post, headers: hm, body: bm).status == .seeOther)
                #expect(try await app.persistence.contacts.state(me: a.id, other: b.id) == .connected)

                // Without signing in: the phone that opened Zoé's manage page knows it is hers.
                let manage = try await client.execute(uri: "/manage/\(zoe.manageToken)", method: .get, headers: Self.headers(nil))
                let holderCookie = try #require(manage.headers[.setCookie])
                #expect(holderCookie.hasPrefix("rv_holder="))
                #expect(holderCookie.contains("HttpOnly"))
                let holder = String(try #require(holderCookie.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last))
                #expect(!holder.contains(zoe.manageToken), "it names her, it does not carry her manage link")
                let zoeCard = String(buffer: try await client.execute(uri: "/c/\(leaCard)", method: .get, headers: [.cookie: "rv_holder=\(holder)"]).body)
                #expect(zoeCard.contains("name=\"holder\" value=\"\(holder)\""))
                var zoeForm = Self.form(["note": "met at the bar"])
                zoeForm.0[.cookie] = "rv_holder=\(holder)"
                #expect(try await client.execute(uri: "/c/\(leaCard)/met", method: .post, headers: zoeForm.0, body: zoeForm.1).status == .forbidden)
                zoeForm = Self.form(["note": "met at the bar", "holder": holder])
                zoeForm.0[.cookie] = "rv_holder=\(holder)"
                #expect(try await client.execute(uri: "/c/\(leaCard)/met", method: .post, headers: zoeForm.0, body: zoeForm.1).status == .seeOther)
                #expect(try await app.persistence.contacts.state(me: zoe.id, other: b.id) == .waiting)
                // One link per pair, whoever tapped first; the evening's result counts them.
                struct Link: Decodable { var initiatorRegistrationId: UUID; var recipientRegistrationId: UUID; var status: String }
                let links = try await app.persistence.sql.raw("SELECT initiator_registration_id, recipient_registration_id, status FROM contacts WHERE event_id = \(bind: event.id.uuid)")
                    .all(decoding: Link.self, keyDecodingStrategy: .convertFromSnakeCase)
                #expect(links.count == 3)
                #expect(links.contains { $0.initiatorRegistrationId == zoe.id.uuid && $0.recipientRegistrationId == b.id.uuid && $0.status == "pending" })
                #expect(try await app.persistence.followUp.result(of: event.id).acceptedContacts == 1)
                // Someone the network forgot (an anonymised registration) leaves no empty entry behind.
                try await app.persistence.sql.raw("UPDATE registrations SET first_name = '', last_name = '' WHERE id = \(bind: b.id.uuid)").run()
                #expect(try await app.persistence.contacts.people(mine: [a.id]).map(\.name) == ["Zoé Quinquies 3"])
                // The holder cookie opens nothing else: not My Rendezvous.
                let notMe = String(buffer: try await client.execute(uri: "/me", method: .get, headers: [.cookie: "rv_holder=\(holder)"]).body)
                #expect(notMe.contains("Email me a sign-in link"))
            }
        }
    }
}
