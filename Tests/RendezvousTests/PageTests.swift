import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RendezvousDomain
@testable import RendezvousPersistence
@testable import RendezvousWeb
import Testing

@Suite("Public pages")
struct PageTests {
    /// Someone on the waitlist has no seat to free: they are offered to leave the list, and told they left it.
    @Test func aWaitlistedPersonLeavesTheWaitlist() async throws {
        try await withApp(.sqlite) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 1)
            _ = try await app.persistence.registrations.register(Fixture.profile(0), for: event.id, now: Fixture.start)
            let waiting = try await app.persistence.registrations.register(Fixture.profile(1), for: event.id, now: Fixture.start).registration
            #expect(waiting.status == .waitlisted)
            try await app.application.test(.router) { client in
                let page = String(buffer: try await client.execute(uri: "/manage/\(waiting.manageToken)", method: .get, headers: [.acceptLanguage: "en"]).body)
                #expect(page.contains("Leave the waitlist"))
                #expect(!page.contains("frees your seat"))
                let left = try await client.execute(uri: "/manage/\(waiting.manageToken)/cancel", method: .post, headers: Self.formHeaders, body: Self.form(["confirm": "yes"]))
                let location = try #require(left.headers[.location])
                #expect(location.contains("done=left"))
                let after = String(buffer: try await client.execute(uri: location, method: .get, headers: [.acceptLanguage: "en"]).body)
                #expect(after.contains("You have left the waitlist."))
            }
        }
    }

    /// Every page names the site's icon, and the address browsers ask for by default leads to it.
    @Test func theSiteHasAnIcon() async throws {
        try await withApp(.sqlite) { app in
            try await app.application.test(.router) { client in
                let ico = try await client.execute(uri: "/favicon.ico", method: .get)
                #expect(ico.status == .movedPermanently)
                let target = try #require(ico.headers[.location])
                let icon = try await client.execute(uri: target, method: .get)
                #expect(icon.status == .ok)
                #expect(icon.headers[.contentType] == "image/svg+xml")
                #expect(String(buffer: icon.body).hasPrefix("<svg"))
                let home = try await client.execute(uri: "/", method: .get)
                #expect(String(buffer: home.body).contains("<link rel=\"icon\" href=\"\(target)\""))
            }
        }
    }
    /// A form body. A registration form (a first name and an email) accepts the code of conduct,
    /// as every registration must; `rawForm` sends exactly the fields given.
    static func form(_ fields: [String: String]) -> ByteBuffer {
        var fields = fields
        if fields["firstName"] != nil, fields["email"] != nil, fields["acceptCodeOfConduct"] == nil { fields["acceptCodeOfConduct"] = "on" }
        return rawForm(fields)
    }

    static func rawForm(_ fields: [String: String]) -> ByteBuffer {
        var components = URLComponents()
        components.queryItems = fields.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        let encoded = (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        return ByteBuffer(string: encoded)
    }

    static let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    @Test(arguments: DatabaseKind.available)
    func homeChapterAndEventPages(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 3)
            _ = try await app.persistence.registrations.register(Fixture.profile(1, first: "Natalajia"), for: event.id, now: Fixture.start)
            _ = try await app.persistence.registrations.register(Fixture.profile(2, first: "Hidden", consent: false), for: event.id, now: Fixture.start)
            try await app.application.test(.router) { client in
                let home = try await client.execute(uri: "/", method: .get, headers: [.acceptLanguage: "en-GB,en;q=0.9"])
                #expect(home.status == .ok)
                #expect(home.text.contains("<html lang=\"en\">"))
                #expect(home.text.contains("#LinkedInLocal Toulouse"))
                #expect(home.text.contains("France"))

                let chapterPage = try await client.execute(uri: "/chapters/toulouse", method: .get)
                #expect(chapterPage.text.contains("<html lang=\"fr\">"), "a French chapter speaks French by default")
                #expect(chapterPage.text.contains("Prochaines rencontres"))

                let page = try await client.execute(uri: "/events/\(event.id)", method: .get, headers: [.acceptLanguage: "fr"])
                let html = page.text
                #expect(html.contains("Rencontre trimestrielle"))
                #expect(html.contains("dimanche 14 février 2027"), "date in French, in the chapter's time zone")
                #expect(html.contains("1 place restante"))
                #expect(html.contains("Jean-Christophe Boussion"))
                #expect(html.contains("Natalajia Quinquies 1"))
                #expect(!html.contains("Hidden"), "no consent, not listed")
                #expect(html.contains("<label for=\"f-jobTitle\">Fonction</label>"))
                #expect(html.contains("href=\"https://www.openstreetmap.org/search?query="))

                let english = try await client.execute(uri: "/events/\(event.id)?lang=en", method: .get, headers: [.acceptLanguage: "fr"])
                #expect(english.text.contains("Sunday, 14 February 2027"))
                #expect(english.headers[.setCookie]?.contains("lang=en") == true)

                #expect(try await client.execute(uri: "/events/\(UUID())", method: .get).status == .notFound)
                #expect(try await client.execute(uri: "/chapters/nowhere", method: .get).status == .notFound)
                let missing = try await client.execute(uri: "/nothing/here", method: .get, headers: [.acceptLanguage: "fr"])
                #expect(missing.status == .notFound)
                #expect(missing.text.contains("Cette page n’existe pas"))
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func registerThroughTheFormAndManage(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 1)
            try await app.application.test(.router) { client in
                let fields = ["firstName": "Zoé", "lastName": "Prinčeva", "email": "zoe@example.org", "jobTitle": "Fondatrice",
                              "company": "Atelier", "consentList": "on"]
                let posted = try await client.execute(uri: "/events/\(event.id)/register", method: .post, headers: Self.formHeaders, body: Self.form(fields))
                #expect(posted.status == .seeOther)
                let location = try #require(posted.headers[.location])
                #expect(location.hasPrefix("/manage/"))

                let welcome = try await client.execute(uri: location, method: .get, headers: [.acceptLanguage: "fr"])
                #expect(welcome.text.contains("Vous êtes inscrit·e"))
                #expect(welcome.text.contains("https://rendezvous.test/manage/"))
                #expect(welcome.headers[.cacheControl] == "no-store")

                // Same email again: 409 with the form kept and the field marked.
                let again = try await client.execute(uri: "/events/\(event.id)/register", method: .post, headers: Self.formHeaders, body: Self.form(fields))
                #expect(again.status == .conflict)
                #expect(again.text.contains("value=\"Prinčeva\""))

                // The room is full: the next person is waitlisted with position 1.
                let other = fields.merging(["email": "other@example.org"]) { $1 }
                let waitlisted = try await client.execute(uri: "/events/\(event.id)/register", method: .post, headers: Self.formHeaders, body: Self.form(other))
                let waitPage = try await client.execute(uri: try #require(waitlisted.headers[.location]), method: .get, headers: [.acceptLanguage: "en"])
                #expect(waitPage.text.contains("You are number 1 on the waitlist"))

                // Cancel from the manage page frees the seat, which is offered to the waitlist.
                let token = String(location.dropFirst("/manage/".count).prefix { $0 != "?" })
                let cancelled = try await client.execute(uri: "/manage/\(token)/cancel", method: .post, headers: Self.formHeaders, body: Self.form(["confirm": "yes"]))
                #expect(cancelled.status == .seeOther)
                let after = try await client.execute(uri: "/manage/\(token)?done=cancelled", method: .get, headers: [.acceptLanguage: "en"])
                #expect(after.text.contains("Your registration is cancelled"))
                let waitToken = String(try #require(waitlisted.headers[.location]).dropFirst("/manage/".count).prefix { $0 != "?" })
                let offer = try await client.execute(uri: "/manage/\(waitToken)", method: .get, headers: [.acceptLanguage: "en"])
                #expect(offer.text.contains("A seat has freed up for you"))
                #expect(offer.text.contains("/manage/\(waitToken)/accept"))
                let accepted = try await client.execute(uri: "/manage/\(waitToken)/accept", method: .post)
                #expect(accepted.status == .seeOther)
                #expect(try await app.persistence.registrations.registration(manageToken: waitToken)?.status == .confirmed)

                #expect(try await client.execute(uri: "/manage/not-a-token", method: .get).status == .notFound)
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func invalidFormIsShownAgainWithErrorsInTheUsersLanguage(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 5)
            try await app.application.test(.router) { client in
                let fields = ["firstName": "<script>alert(1)</script>", "lastName": "", "email": "not-an-email", "jobTitle": "Coach"]
                let response = try await client.execute(uri: "/events/\(event.id)/register", method: .post,
                                                        headers: [.contentType: "application/x-www-form-urlencoded", .acceptLanguage: "fr"], body: Self.form(fields))
                #expect(response.status == .unprocessableContent)
                let html = response.text
                #expect(html.contains("Merci de corriger les champs signalés"))
                #expect(html.contains("Cette adresse e-mail n’est pas valide."))
                #expect(html.contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\""))
                #expect(!html.contains("<script>alert(1)"))
                #expect(html.contains("aria-invalid=\"true\""))
            }
            #expect(try await app.persistence.registrations.registrations(of: event.id).isEmpty)
        }
    }

    /// A quote followed by a combining accent is one Swift character, which Mustache's own
    /// escaping (per character) let through: the attribute ended at the quote and the rest became
    /// attributes of the input (an `onfocus` handler with `autofocus`). Escaped byte by byte now.
    @Test func aQuoteWithACombiningAccentDoesNotEndTheAttribute() async throws {
        try await withApp(.sqlite) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 5)
            try await app.application.test(.router) { client in
                let hostile = "x\"\u{301} autofocus onfocus=alert(1) x=\"\u{301}"
                let fields = ["firstName": hostile, "lastName": "Doe", "email": "not-an-email", "jobTitle": "Coach"]
                let response = try await client.execute(uri: "/events/\(event.id)/register", method: .post,
                                                        headers: [.contentType: "application/x-www-form-urlencoded"], body: Self.form(fields))
                #expect(response.status == .unprocessableContent)
                let html = response.text
                let raw = "\"\u{301} autofocus", escaped = "value=\"x&quot;\u{301} autofocus onfocus=alert(1) x=&quot;\u{301}\""
                #expect(!html.contains(raw), "the quote reaches the page as it is")
                #expect(html.contains(escaped))
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func hostileNamesAreEscapedEverywhere(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 5)
            var profile = Fixture.profile(1)
            profile.firstName = "\"><img src=x onerror=alert(1)>"
            profile.company = "{{chrome.title}} & Co"
            _ = try await app.persistence.registrations.register(profile, for: event.id, now: Fixture.start)
            try await app.application.test(.router) { client in
                let html = try await client.execute(uri: "/events/\(event.id)", method: .get).text
                #expect(!html.contains("<img src=x"))
                #expect(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"))
                #expect(html.contains("{{chrome.title}} &amp; Co"))
            }
        }
    }

    @Test func crossSiteFormPostsAreRefused() async throws {
        try await withApp(.sqlite) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 5)
            try await app.application.test(.router) { client in
                let fields = ["firstName": "Eve", "lastName": "Attacker", "email": "eve@example.org", "jobTitle": "Spy"]
                var headers = Self.formHeaders
                headers[.origin] = "https://evil.example"
                let response = try await client.execute(uri: "/events/\(event.id)/register", method: .post, headers: headers, body: Self.form(fields))
                #expect(response.status == .forbidden)
            }
            #expect(try await app.persistence.registrations.registrations(of: event.id).isEmpty)
        }
    }

    @Test func eventPageSeatCountIsAtMostOneSecondStale() async throws {
        try await withApp(.sqlite, pageCacheTTL: 1) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 5)
            try await app.application.test(.router) { client in
                #expect(try await client.execute(uri: "/events/\(event.id)?lang=en", method: .get).text.contains("5 seats left"))
                // A registration through this instance shows at once.
                _ = try await client.execute(uri: "/api/v1/events/\(event.id)/registrations", method: .post, headers: jsonHeaders(), body: ByteBuffer(string: Fixture.registrationJSON(1)))
                #expect(try await client.execute(uri: "/events/\(event.id)?lang=en", method: .get).text.contains("4 seats left"))
                // One written by another instance (straight to the database) shows within a second.
                _ = try await app.persistence.registrations.register(Fixture.profile(9), for: event.id, now: Fixture.start)
                try await Task.sleep(for: .milliseconds(1100))
                #expect(try await client.execute(uri: "/events/\(event.id)?lang=en", method: .get).text.contains("3 seats left"))
            }
        }
    }
}
