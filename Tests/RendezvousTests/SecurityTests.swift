import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RendezvousApp
import RendezvousDomain
@testable import RendezvousPersistence
@testable import RendezvousWeb
import SQLKit
import Testing

/// Accounts cannot be guessed or hijacked; requests that change things come from this site.
@Suite("Security")
struct SecurityTests {
    /// The app with a configuration of the test's own (a proxy in front, a write limit).
    func withConfiguredApp<T: Sendable>(
        _ kind: DatabaseKind, _ configure: @escaping @Sendable (inout WebConfiguration) -> Void, _ body: @Sendable (TestApp) async throws -> T
    ) async throws -> T {
        try await withDatabase(kind) { persistence in
            let clock = ManualClock(Fixture.start)
            var configuration = WebConfiguration(baseURL: "https://rendezvous.test", rateLimit: .off, pageCacheTTL: 0)
            configure(&configuration)
            let services = try await AppServices(persistence: persistence, clock: clock, configuration: configuration, logger: testLogger)
            return try await body(TestApp(services: services, clock: clock))
        }
    }

    /// The sign-in form's double-submit cookie and token.
    static func signInForm(_ client: some TestClientProtocol) async throws -> (cookie: String, csrf: String) {
        let form = try await client.execute(uri: "/signin", method: .get)
        let cookie = try #require(form.headers[.setCookie]?.split(separator: ";").first.map(String.init))
        return (cookie, String(cookie.dropFirst("rv_csrf=".count)))
    }

    static func signIn(_ client: some TestClientProtocol, form: (cookie: String, csrf: String), email: String, password: String,
                       next: String? = nil, headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: form.cookie, .acceptLanguage: "en"]
        headers.append(contentsOf: extra)
        var fields = ["email": email, "password": password, "_csrf": form.csrf]
        if let next { fields["next"] = next }
        return try await client.execute(uri: "/signin", method: .post, headers: headers, body: PageTests.form(fields))
    }

    static func sessionCookie(_ response: TestResponse) -> String? {
        response.headers[values: .setCookie].first { $0.hasPrefix("rv_session=") && !$0.hasPrefix("rv_session=;") }
    }

    // MARK: Section 2: accounts cannot be guessed or hijacked

    /// An organiser invites the network admin's email and guesses passwords on the invitation form:
    /// the form never checks a password of an existing account, and never signs one in.
    @Test(arguments: DatabaseKind.available)
    func anInvitationNeverSignsInAnExistingAccount(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let admin = try await Accounts.signIn(app, email: "admin@example.org", role: .networkAdmin)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            let invitation = try await app.persistence.team.createInvitation(chapter: chapter.id, email: "admin@example.org", role: .organizer,
                                                                         invitedBy: "Orga", now: Fixture.start)
            try await app.application.test(.router) { client in
                // The right password, posted by whoever holds the link: no session, nothing accepted.
                let guessed = try await client.execute(uri: "/invitations/\(invitation.token)", method: .post, headers: PageTests.formHeaders,
                                                       body: PageTests.form(["name": "Admin", "password": Accounts.password]))
                #expect(Self.sessionCookie(guessed) == nil)
                #expect(guessed.status == .forbidden)
                #expect(guessed.text.contains("Sign in as admin@example.org"))
                #expect(try await app.persistence.team.team(of: chapter.id).count == 1)

                // The page tells an existing account to sign in first, and asks for no password.
                let anonymous = try await client.execute(uri: "/invitations/\(invitation.token)", method: .get)
                #expect(anonymous.status == .ok)
                #expect(!anonymous.text.contains("type=\"password\""))
                #expect(anonymous.text.contains("/signin?next=/invitations/\(invitation.token)"))

                // Another signed-in person cannot take it.
                let other = try await client.post("/invitations/\(invitation.token)", as: organizer)
                #expect(other.status == .forbidden)
                #expect(try await app.persistence.team.team(of: chapter.id).count == 1)

                // Signed in as the invited account: one button, with the session's CSRF token.
                let page = try await client.get("/invitations/\(invitation.token)", as: admin)
                #expect(page.status == .ok)
                #expect(page.text.contains("value=\"\(admin.csrf)\""))
                #expect(!page.text.contains("type=\"password\""))
                #expect(try await client.post("/invitations/\(invitation.token)", as: admin, csrf: "forged").status == .forbidden)
                let accepted = try await client.post("/invitations/\(invitation.token)", as: admin)
                #expect(accepted.status == .seeOther)
                #expect(accepted.headers[.location] == "/organize/toulouse")
                #expect(Self.sessionCookie(accepted) == nil, "the existing session carries on")
                #expect(try await app.persistence.team.team(of: chapter.id).contains { $0.user.id == admin.user.id && $0.role == .organizer })
            }
        }
    }

    /// A closed link answers "closed" before anything else, whatever is posted.
    @Test(arguments: DatabaseKind.available)
    func aClosedInvitationIsRefusedBeforeAnyPasswordCheck(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            _ = try await Accounts.signIn(app, email: "admin@example.org", role: .networkAdmin)
            let invitation = try await app.persistence.team.createInvitation(chapter: chapter.id, email: "admin@example.org", role: .organizer,
                                                                         invitedBy: "Orga", now: Fixture.start)
            app.clock.advance(by: 15 * 86400)
            try await app.application.test(.router) { client in
                for password in ["a wrong guess", Accounts.password] {
                    let response = try await client.execute(uri: "/invitations/\(invitation.token)", method: .post, headers: PageTests.formHeaders,
                                                            body: PageTests.form(["name": "Admin", "password": password]))
                    #expect(response.status == .conflict, "\(password)")
                    #expect(Self.sessionCookie(response) == nil)
                }
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func theInvitationFormIsRateLimited(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let invitation = try await app.persistence.team.createInvitation(chapter: chapter.id, email: "new@example.org", role: .door,
                                                                         invitedBy: "Orga", now: Fixture.start)
            try await app.application.test(.router) { client in
                var statuses: [HTTPResponse.Status] = []
                for _ in 0..<12 {
                    statuses.append(try await client.execute(uri: "/invitations/\(invitation.token)", method: .post, headers: PageTests.formHeaders,
                                                             body: PageTests.form(["name": "New", "password": "short"])).status)
                }
                #expect(statuses.prefix(10).allSatisfy { $0 == .unprocessableContent })
                #expect(statuses.suffix(2).allSatisfy { $0 == .tooManyRequests })
            }
        }
    }

    /// A reset link is looked up before any password work, and the form is rate-limited.
    @Test(arguments: DatabaseKind.available)
    func passwordResetLooksUpTheLinkFirstAndIsLimited(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            _ = try await Fixture.chapter(app.persistence)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            let token = Secret.token()
            try await app.persistence.sql.raw("""
                INSERT INTO password_resets (id, user_id, token_hash, expires_at)
                VALUES (\(bind: UUID()), \(bind: organizer.user.id.uuid), \(bind: Persistence.hash(token)), \(bind: Fixture.start.addingTimeInterval(3600)))
                """).run()
            try await app.application.test(.router) { client in
                let bogus = "x" + String(Secret.token().dropFirst())
                // An unknown link is "expired" even when the password would be refused too: no hashing first.
                let unknown = try await client.execute(uri: "/password/reset/\(bogus)", method: .post, headers: PageTests.formHeaders,
                                                       body: PageTests.form(["password": "short"]))
                #expect(unknown.status == .conflict)
                // The real link works.
                let reset = try await client.execute(uri: "/password/reset/\(token)", method: .post, headers: PageTests.formHeaders,
                                                     body: PageTests.form(["password": "a brand new password"]))
                #expect(reset.status == .seeOther)
                #expect(Self.sessionCookie(reset) != nil)
                var statuses: [HTTPResponse.Status] = []
                for _ in 0..<11 {
                    statuses.append(try await client.execute(uri: "/password/reset/\(bogus)", method: .post, headers: PageTests.formHeaders,
                                                             body: PageTests.form(["password": "a brand new password"])).status)
                }
                #expect(statuses.filter { $0 == .tooManyRequests }.count >= 1)
                #expect(statuses.last == .tooManyRequests)
            }
        }
    }

    /// Thirty wrong passwords at once under a limit of ten: ten are verified, twenty refused.
    @Test(arguments: DatabaseKind.available)
    func theSignInLimitCountsBeforeVerifying(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            _ = try await Fixture.chapter(app.persistence)
            _ = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            try await app.application.test(.router) { client in
                let form = try await Self.signInForm(client)
                let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                    for index in 0..<30 {
                        group.addTask { try await Self.signIn(client, form: form, email: "orga@example.org", password: "wrong \(index)").status }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(statuses.filter { $0 == .unauthorized }.count <= 10)
                #expect(statuses.filter { $0 == .tooManyRequests }.count >= 20)
                // Even the right password waits now.
                #expect(try await Self.signIn(client, form: form, email: "orga@example.org", password: Accounts.password).status == .tooManyRequests)
            }
        }
    }

    /// The API's token endpoint is a way to sign in: it shares the form's lockout, both ways.
    @Test(arguments: DatabaseKind.available)
    func apiTokensShareTheSignInLockout(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            _ = try await Fixture.chapter(app.persistence)
            _ = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            _ = try await Accounts.signIn(app, email: "other@example.org", chapters: ["toulouse"])
            try await app.application.test(.router) { client in
                func token(_ email: String, _ password: String) async throws -> HTTPResponse.Status {
                    try await client.execute(uri: "/api/v1/tokens", method: .post, headers: jsonHeaders(),
                                             body: ByteBuffer(string: #"{"email":"\#(email)","password":"\#(password)"}"#)).status
                }
                let form = try await Self.signInForm(client)
                for index in 0..<10 { _ = try await Self.signIn(client, form: form, email: "orga@example.org", password: "wrong \(index)") }
                #expect(try await token("orga@example.org", Accounts.password) == .tooManyRequests)

                // And the other way: guesses through the API lock the form (for that email).
                app.clock.advance(by: 0)
                for index in 0..<10 { #expect(try await token("other@example.org", "wrong \(index)") != .created) }
                #expect(try await Self.signIn(client, form: form, email: "other@example.org", password: Accounts.password).status == .tooManyRequests)
            }
        }
    }

    // MARK: The client's address behind a proxy

    /// Behind one proxy, a client writing its own X-Forwarded-For still meets the write limit.
    @Test(arguments: DatabaseKind.available)
    func aForgedForwardedForDoesNotEscapeTheWriteLimit(_ kind: DatabaseKind) async throws {
        try await withConfiguredApp(kind, { $0.trustProxy = .hops(1); $0.rateLimit = RateLimit(requests: 3, window: 60) }) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 100)
            try await app.application.test(.router) { client in
                func register(_ index: Int, forwardedFor: String) async throws -> HTTPResponse.Status {
                    let fields = ["firstName": "Ana", "lastName": "Rush \(index)", "email": "rush\(index)@example.org", "jobTitle": "Founder", "company": "Acme"]
                    return try await client.execute(uri: "/events/\(event.id)/register", method: .post,
                                                    headers: [.contentType: "application/x-www-form-urlencoded", .xForwardedFor: forwardedFor],
                                                    body: PageTests.form(fields)).status
                }
                var statuses: [HTTPResponse.Status] = []
                // The proxy appends the address it saw (203.0.113.7) to whatever the client wrote.
                for index in 0..<5 { statuses.append(try await register(index, forwardedFor: "198.51.100.\(index), 203.0.113.7")) }
                #expect(statuses == [.seeOther, .seeOther, .seeOther, .tooManyRequests, .tooManyRequests])
                // Another client behind the same proxy is not held back.
                #expect(try await register(9, forwardedFor: "203.0.113.8") == .seeOther)
            }
        }
    }

    /// Proxies named by address: the client is the rightmost hop outside them, on a real connection.
    @Test(arguments: DatabaseKind.available)
    func proxiesByAddressOnALiveServer(_ kind: DatabaseKind) async throws {
        try await withConfiguredApp(kind, { $0.trustProxy = .networks([IPNetwork(cidr: "127.0.0.0/8")!]); $0.rateLimit = RateLimit(requests: 2, window: 60) }) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 100)
            try await app.application.test(.live) { client async throws in
                func register(_ index: Int, forwardedFor: String) async throws -> HTTPResponse.Status {
                    try await client.execute(uri: "/api/v1/events/\(event.id)/registrations", method: .post,
                                             headers: [.contentType: "application/json", .xForwardedFor: forwardedFor],
                                             body: ByteBuffer(string: Fixture.registrationJSON(index))).status
                }
                #expect(try await register(1, forwardedFor: "198.51.100.1, 203.0.113.7") == .created)
                #expect(try await register(2, forwardedFor: "198.51.100.2, 203.0.113.7") == .created)
                #expect(try await register(3, forwardedFor: "198.51.100.3, 203.0.113.7") == .tooManyRequests)
                #expect(try await register(4, forwardedFor: "203.0.113.8") == .created)
            }
        }
    }

    @Test func trustProxyTakesAHopCountOrProxyNetworks() throws {
        #expect(TrustedProxies(parsing: "") == TrustedProxies.none)
        #expect(TrustedProxies(parsing: "off") == TrustedProxies.none)
        #expect(TrustedProxies(parsing: "1") == .hops(1))
        #expect(TrustedProxies(parsing: "true") == .hops(1))
        #expect(TrustedProxies(parsing: "banana") == nil)
        #expect(TrustedProxies(parsing: "10.0.0.0/33") == nil)
        #expect(TrustedProxies(parsing: "-1") == nil)
        let networks = try #require(TrustedProxies(parsing: "10.0.0.0/8, 192.0.2.7,2001:db8::/32"))
        // One proxy: the hop it wrote, whatever the client wrote to its left.
        #expect(TrustedProxies.hops(1).client(peer: "10.0.0.2", forwardedFor: ["6.6.6.6", "203.0.113.7"]) == "203.0.113.7")
        #expect(TrustedProxies.hops(1).client(peer: "203.0.113.7", forwardedFor: []) == "203.0.113.7")
        #expect(TrustedProxies.hops(2).client(peer: "10.0.0.2", forwardedFor: ["6.6.6.6", "203.0.113.7", "10.0.0.9"]) == "203.0.113.7")
        // Proxies by address: skipped from the right; a peer that is not one makes the header meaningless.
        #expect(networks.client(peer: "10.0.0.2", forwardedFor: ["6.6.6.6", "203.0.113.7", "192.0.2.7"]) == "203.0.113.7")
        #expect(networks.client(peer: "198.51.100.1", forwardedFor: ["6.6.6.6"]) == "198.51.100.1")
        #expect(networks.client(peer: "10.0.0.2", forwardedFor: ["[2001:db8::5]:443", "203.0.113.7:5555"]) == "203.0.113.7")
        #expect(networks.client(peer: "10.0.0.2", forwardedFor: ["2001:db8::5", "2001:DB9::1"]) == "2001:db9::1")
        #expect(networks.client(peer: "10.0.0.2", forwardedFor: ["::ffff:203.0.113.7"]) == "203.0.113.7")
        #expect(TrustedProxies.none.client(peer: "198.51.100.1", forwardedFor: ["6.6.6.6"]) == "198.51.100.1")
        // The environment.
        #expect(try AppConfiguration.fromEnvironment(["TRUST_PROXY": "2"]).trustProxy == .hops(2))
        #expect(try AppConfiguration.fromEnvironment([:]).trustProxy == TrustedProxies.none)
        #expect(throws: AppConfiguration.Invalid.self) { try AppConfiguration.fromEnvironment(["TRUST_PROXY": "yes please"]) }
    }

    /// The sign-in and forgotten-password limiters count the client, not the proxy in front of everyone.
    @Test(arguments: DatabaseKind.available)
    func authLimitersCountTheClientBehindTheProxy(_ kind: DatabaseKind) async throws {
        try await withConfiguredApp(kind, { $0.trustProxy = .hops(1) }) { app in
            _ = try await Fixture.chapter(app.persistence)
            _ = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            try await app.application.test(.router) { client in
                let form = try await Self.signInForm(client)
                let attacker: HTTPFields = [.xForwardedFor: "203.0.113.66"]
                let colleague: HTTPFields = [.xForwardedFor: "203.0.113.8"]
                for index in 0..<10 {
                    _ = try await Self.signIn(client, form: form, email: "guess\(index)@example.org", password: "wrong", headers: attacker)
                }
                #expect(try await Self.signIn(client, form: form, email: "guess@example.org", password: "wrong", headers: attacker).status == .tooManyRequests)
                let good = try await Self.signIn(client, form: form, email: "orga@example.org", password: Accounts.password, headers: colleague)
                #expect(good.status == .seeOther)

                func forgot(_ headers: HTTPFields) async throws -> HTTPResponse.Status {
                    var all: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
                    all.append(contentsOf: headers)
                    return try await client.execute(uri: "/password/forgot", method: .post, headers: all, body: PageTests.form(["email": "nobody@example.org"])).status
                }
                for _ in 0..<10 { _ = try await forgot(attacker) }
                #expect(try await forgot(attacker) == .tooManyRequests)
                #expect(try await forgot(colleague) == .ok)
            }
        }
    }

    // MARK: CPU-heavy work

    /// Password hashing has its own threads: SQLite's queries (on NIO's shared pool) never wait behind it.
    @Test(arguments: DatabaseKind.available)
    func databaseWorkDoesNotQueueBehindPasswordHashing(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            _ = try await Fixture.chapter(app.persistence)
            _ = Passwords.dummyHash
            try await app.application.test(.router) { client in
                let clock = ContinuousClock()
                let start = clock.now
                let responses = Task {
                    try await withThrowingTaskGroup(of: ContinuousClock.Instant.self) { group in
                        // More than NIO's shared pool has threads, so that without a pool of their own they would queue there.
                        for index in 0..<(2 * System.coreCount + 2) {
                            group.addTask {
                                // Unknown emails: each still costs one full bcrypt verification.
                                _ = try await client.execute(uri: "/api/v1/tokens", method: .post, headers: jsonHeaders(),
                                                             body: ByteBuffer(string: #"{"email":"nobody\#(index)@example.org","password":"guess"}"#))
                                return clock.now
                            }
                        }
                        return try await group.reduce(into: []) { $0.append($1) }
                    }
                }
                try await Task.sleep(for: .milliseconds(150))
                _ = try await app.persistence.chapters.chapter(slug: "toulouse")
                let databaseDone = clock.now
                let finished = try await responses.value
                let firstAnswer = try #require(finished.min())
                #expect(databaseDone < firstAnswer, "a query waited \(databaseDone - start) behind hashing; first answer after \(firstAnswer - start)")
            }
        }
    }

    /// The share image is drawn once per version of the event and then served from memory.
    @Test(arguments: DatabaseKind.available)
    func shareImagesAreCachedPerVersionOfTheEvent(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 5)
            try await app.application.test(.router) { client in
                let first = try await client.execute(uri: "/events/\(event.id)/share.png", method: .get)
                #expect(first.status == .ok)
                let etag = try #require(first.headers[.eTag])
                let second = try await client.execute(uri: "/events/\(event.id)/share.png", method: .get)
                #expect(second.headers[.eTag] == etag)
                #expect(second.body == first.body)
                let unchanged = try await client.execute(uri: "/events/\(event.id)/share.png", method: .get, headers: [.ifNoneMatch: etag])
                #expect(unchanged.status == .notModified)
                _ = try await app.persistence.events.updateEvent(event.id, title: "Rencontre de mars", description: nil, capacity: nil, status: nil, now: Fixture.start)
                let renamed = try await client.execute(uri: "/events/\(event.id)/share.png", method: .get, headers: [.ifNoneMatch: etag])
                #expect(renamed.status == .ok)
                #expect(renamed.headers[.eTag] != etag)
            }
        }
    }

    // MARK: Section 3: requests that change things

    /// A ticket link opened by a signed-in door phone shows the person; admission is a POST with the CSRF token.
    @Test(arguments: DatabaseKind.available)
    func aTicketLinkAdmitsOnlyThroughAPostWithTheCSRFToken(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 5)
            let zoe = try await app.persistence.registrations.register(Fixture.profile(1, first: "Zoé"), for: event.id, now: Fixture.start)
            app.clock.set(event.startsAt) // the door admits only around the evening
            let door = try await Accounts.signIn(app, email: "door@example.org", chapters: ["toulouse"])
            let ticket = try #require(try await app.persistence.door.ticketToken(of: zoe.registration.id))
            try await app.application.test(.router) { client in
                // A cross-site link (an <img>, a redirect, a mail) opened on the door phone admits no one.
                let opened = try await client.get("/t/\(ticket)", as: door)
                #expect(opened.status == .ok)
                #expect(try await app.persistence.door.doorState(of: event.id).checkedIn == 0)
                #expect(opened.text.contains("Zoé Quinquies 1"))
                #expect(opened.text.contains("action=\"/t/\(ticket)\""))
                #expect(opened.text.contains("value=\"\(door.csrf)\""))

                var crossSite = door.form([:]).0
                crossSite[.secFetchSite] = "cross-site"
                #expect(try await client.execute(uri: "/t/\(ticket)", method: .post, headers: crossSite, body: door.form([:]).1).status == .forbidden)
                #expect(try await client.post("/t/\(ticket)", as: door, csrf: "forged").status == .forbidden)
                #expect(try await client.execute(uri: "/t/\(ticket)", method: .post, headers: PageTests.formHeaders, body: PageTests.form([:])).status != .ok)
                #expect(try await app.persistence.door.doorState(of: event.id).checkedIn == 0)

                // One tap on the big button admits.
                var english = door.form([:])
                english.0[.acceptLanguage] = "en"
                let admitted = try await client.execute(uri: "/t/\(ticket)", method: .post, headers: english.0, body: english.1)
                #expect(admitted.status == .ok)
                #expect(admitted.text.contains("Welcome, Zoé!"))
                #expect(try await app.persistence.door.doorState(of: event.id).checkedIn == 1)
                let again = try await client.get("/t/\(ticket)", as: door)
                #expect(again.text.contains("Already checked in at"))
                #expect(!again.text.contains("action=\"/t/\(ticket)\""))
            }
        }
    }

    /// Under /api/v1 only a bearer token counts: a browser's session cookie is ignored.
    @Test(arguments: DatabaseKind.available)
    func theAPIIgnoresTheSessionCookie(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let draft = try await Fixture.event(app.persistence, chapter: chapter, capacity: 5, status: .draft)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            try await app.application.test(.router) { client in
                var headers = organizer.headers
                headers[.contentType] = "application/json"
                let body = #"{"title":"Planted","startsAt":"2027-03-17T18:30:00+01:00","endsAt":"2027-03-17T21:30:00+01:00","capacity":10}"#
                let created = try await client.execute(uri: "/api/v1/chapters/toulouse/events", method: .post, headers: headers, body: ByteBuffer(string: body))
                #expect(created.status == .unauthorized)
                #expect(try await app.persistence.events.upcomingEvents(of: chapter.id, now: Fixture.start, includeDrafts: true).count == 1)
                #expect(try await client.execute(uri: "/api/v1/events/\(draft.id)", method: .get, headers: organizer.headers).status == .notFound)
                // With a bearer token the same call works.
                let token = try await app.persistence.accounts.issueToken(for: organizer.user.id, now: Fixture.start)
                var bearer = jsonHeaders(token)
                bearer[.cookie] = "rv_session=\(organizer.cookie)"
                #expect(try await client.execute(uri: "/api/v1/chapters/toulouse/events", method: .post, headers: bearer, body: ByteBuffer(string: body)).status == .created)
            }
        }
    }

    /// Only a plain path of this site is followed after sign-in.
    @Test func theNextParameterAcceptsOnlyALocalPath() {
        for hostile in ["/\t/evil.example", "/%09/evil.example", "//evil.example", "/\\evil.example", "/%5C/evil.example", "/%5c%5cevil.example",
                        "/%2F/evil.example", "/%2f%2fevil.example", "https://evil.example", "http:/evil.example", "javascript:alert(1)", "",
                        "evil.example", "/ /evil.example", "/\n/evil.example", "/%0A/evil.example", "/%0d%0aSet-Cookie:%20x=1", "/\u{7f}x",
                        "/%E2%80%A8/evil.example", "/\u{2028}/evil", "/%", "/a%zz"] {
            #expect(AuthController.safeNext(hostile) == nil, "\(hostile.debugDescription)")
        }
        for local in ["/organize", "/organize/toulouse?x=1&lang=fr", "/door/2f0c1d5e-6a1b-4c1e-9f1e-1a2b3c4d5e6f", "/organize/caf%C3%A9", "/"] {
            #expect(AuthController.safeNext(local) == local, "\(local)")
        }
    }

    @Test(arguments: DatabaseKind.available)
    func signInDoesNotFollowATabSmuggledHost(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            _ = try await Fixture.chapter(app.persistence)
            _ = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            try await app.application.test(.router) { client in
                let page = try await client.execute(uri: "/signin?next=/%09/evil.example", method: .get)
                #expect(!page.text.contains("evil.example"))
                let form = try await Self.signInForm(client)
                let response = try await Self.signIn(client, form: form, email: "orga@example.org", password: Accounts.password, next: "/\t/evil.example")
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/organize")
            }
        }
    }

    /// Behind a proxy that rewrites Host, forms still work; an Origin that is not BASE_URL's is refused.
    @Test(arguments: DatabaseKind.available)
    func theOriginCheckComparesWithTheBaseURL(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            try await app.application.test(.router) { client async throws in
                func forgot(origin: String) async throws -> HTTPResponse.Status {
                    try await client.execute(uri: "/password/forgot", method: .post,
                                             headers: [.contentType: "application/x-www-form-urlencoded", .origin: origin],
                                             body: PageTests.form(["email": "nobody@example.org"])).status
                }
                // The test client's Host is "localhost"; the site's address is https://rendezvous.test.
                #expect(try await forgot(origin: "https://rendezvous.test") == .ok)
                #expect(try await forgot(origin: "https://RENDEZVOUS.test") == .ok)
                #expect(try await forgot(origin: "http://localhost") == .forbidden)
                #expect(try await forgot(origin: "http://rendezvous.test") == .forbidden)
                #expect(try await forgot(origin: "https://rendezvous.test.evil.example") == .forbidden)
                #expect(try await forgot(origin: "https://rendezvous.test:8443") == .forbidden)
                #expect(try await forgot(origin: "null") == .forbidden)
            }
        }
    }

    /// A nonce is one device's retry key within one event: another event's nonce neither answers nor blocks.
    @Test(arguments: DatabaseKind.available)
    func checkInNoncesAreScopedToTheirEvent(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let toulouse = try await Fixture.chapter(app.persistence)
            let paris = try await Fixture.chapter(app.persistence, slug: "paris")
            let there = try await Fixture.event(app.persistence, chapter: paris, capacity: 5)
            let here = try await Fixture.event(app.persistence, chapter: toulouse, capacity: 5)
            let secret = try await app.persistence.registrations.register(Fixture.profile(1, first: "Secret"), for: there.id, now: Fixture.start)
            let zoe = try await app.persistence.registrations.register(Fixture.profile(2, first: "Zoé"), for: here.id, now: Fixture.start)
            let db = app.persistence
            let now = Fixture.start
            let first = try await db.door.checkIn(event: there.id, target: .registration(secret.registration.id), nonce: "shared", device: "p", by: "Paris door",
                                             happenedAt: now, offline: false, now: now)
            #expect(first.result == .admitted)
            // Toulouse's door sends the same nonce: it admits Zoé and learns nothing about Paris.
            let mine = try await db.door.checkIn(event: here.id, target: .registration(zoe.registration.id), nonce: "shared", device: "t", by: "Toulouse door",
                                            happenedAt: now, offline: false, now: now)
            #expect(mine.result == .admitted)
            #expect(mine.firstName == "Zoé")
            #expect(try await db.door.doorState(of: here.id).checkedIn == 1)
            let undo = try await db.door.undoCheckIn(event: here.id, registration: zoe.registration.id, nonce: "shared-undo", device: "t", by: "Toulouse door", now: now)
            #expect(undo.result == .undone)
            let sameUndoNonceThere = try await db.door.undoCheckIn(event: there.id, registration: secret.registration.id, nonce: "shared-undo", device: "p", by: "Paris door", now: now)
            #expect(sameUndoNonceThere.result == .undone)
            #expect(sameUndoNonceThere.firstName == "Secret")
            // A retry within an event still gets the first answer.
            let retry = try await db.door.checkIn(event: there.id, target: .registration(secret.registration.id), nonce: "shared", device: "p", by: "Paris door",
                                             happenedAt: now, offline: false, now: now)
            #expect(retry.result == .admitted && retry.firstName == "Secret")
        }
    }

    /// Signing out wipes what the door page kept on the phone; the door's JSON says when the session is gone.
    @Test(arguments: DatabaseKind.available)
    func signingOutClearsTheDoorListFromThePhone(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 5)
            let door = try await Accounts.signIn(app, email: "door@example.org", chapters: ["toulouse"])
            try await app.application.test(.router) { client in
                let signedOut = try await client.post("/signout", as: door)
                #expect(signedOut.status == .seeOther)
                #expect(signedOut.headers[.clearSiteData] == "\"cache\", \"storage\"")
                let list = try await client.execute(uri: "/door/\(event.id)/list.json", method: .get, headers: [.accept: "application/json", .cookie: "rv_session=\(door.cookie)"])
                #expect(list.status == .unauthorized)
                let page = try await client.execute(uri: "/door/\(event.id)", method: .get, headers: [.accept: "text/html"])
                #expect(page.status == .seeOther)
            }
        }
    }
}
