import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RendezvousDomain
@testable import RendezvousPersistence
@testable import RendezvousWeb
import Testing

/// A form page's own message (the summary above the form) belongs to the page: a field shows only
/// its own error and hint. Mustache reads a value a field lacks from the enclosing page, so a field
/// without an error once showed the page's `error` under it.
@Suite("Form errors")
struct FormErrorTests {
    static let correct = "Please correct the fields marked below."

    /// How many times `needle` appears in `html`.
    static func count(_ needle: String, in html: String) -> Int {
        html.components(separatedBy: needle).count - 1
    }

    /// The `<div class="field…">…</div>` that holds the control `id`.
    static func field(_ id: String, in html: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Substring {
        let control = try #require(html.range(of: "id=\"\(id)\""), "no control \(id)", sourceLocation: sourceLocation)
        let start = try #require(html.range(of: "<div class=\"field", options: .backwards, range: html.startIndex..<control.lowerBound),
                                 "no field around \(id)", sourceLocation: sourceLocation)
        let end = try #require(html.range(of: "</div>", range: control.upperBound..<html.endIndex), sourceLocation: sourceLocation)
        return html[start.lowerBound..<end.upperBound]
    }

    /// A field that the person filled in correctly: no error of any kind.
    static func expectValid(_ id: String, in html: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let block = try field(id, in: html, sourceLocation: sourceLocation)
        #expect(!block.contains("error"), "\(id) is valid and shows an error: \(block)", sourceLocation: sourceLocation)
        #expect(!block.contains("aria-invalid"), "\(id) is valid and is marked invalid: \(block)", sourceLocation: sourceLocation)
    }

    /// The one field in error: its own message, once, and marked invalid.
    static func expectInvalid(_ id: String, message: String? = nil, in html: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let block = try field(id, in: html, sourceLocation: sourceLocation)
        #expect(block.contains("has-error") && block.contains("class=\"error\""), "\(id): \(block)", sourceLocation: sourceLocation)
        if let message {
            #expect(block.contains(message), "\(id): \(block)", sourceLocation: sourceLocation)
        }
        #expect(!block.contains(correct), "\(id) repeats the page's message: \(block)", sourceLocation: sourceLocation)
    }

    @Test(arguments: DatabaseKind.available)
    func wrongPasswordIsSaidOnceAboveTheForm(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            _ = try await app.persistence.accounts.createUser(email: "natalajia@example.org", name: "Natalajia", role: .organizer,
                                                              passwordHash: Accounts.hash, chapterSlugs: [], now: Fixture.start)
            try await app.application.test(.router) { client in
                let form = try await client.execute(uri: "/signin", method: .get, headers: [.acceptLanguage: "en"])
                let cookie = try #require(form.headers[.setCookie]?.split(separator: ";").first.map(String.init))
                let csrf = String(cookie.dropFirst("rv_csrf=".count))
                let wrong = try await client.execute(uri: "/signin", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie, .acceptLanguage: "en"],
                    body: PageTests.form(["email": "natalajia@example.org", "password": "not the password", "_csrf": csrf]))
                #expect(wrong.status == .unauthorized)
                let html = wrong.text
                #expect(Self.count("Wrong email or password.", in: html) == 1, "the page's message, once: \(html)")
                #expect(html.contains("<p class=\"error-summary\" role=\"alert\">Wrong email or password.</p>"))
                #expect(!html.contains("class=\"error\""), "no field has an error of its own")
                #expect(!html.contains("has-error"))
                #expect(!html.contains("aria-invalid"))
                try Self.expectValid("f-email", in: html)
                try Self.expectValid("f-password", in: html)
                #expect(try Self.field("f-email", in: html).contains("value=\"natalajia@example.org\""), "the email is kept")
            }
        }
    }

    /// Applying to start a chapter with one bad field: the summary once, the email's own error,
    /// nothing under the other fields, the text area included.
    @Test(arguments: DatabaseKind.available)
    func chapterApplicationWithOneInvalidField(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            try await app.application.test(.router) { client in
                let response = try await client.execute(uri: "/apply", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .acceptLanguage: "en"],
                    body: PageTests.form(["name": "Kate Palmer", "email": "kate@", "city": "Coffs Harbour", "countryCode": "au",
                                          "timeZone": "Australia/Sydney", "locale": "en", "motivation": "Where it all began."]))
                #expect(response.status == .unprocessableContent)
                let html = response.text
                #expect(Self.count(Self.correct, in: html) == 1, "the page's message, once: \(html)")
                #expect(Self.count("class=\"error\"", in: html) == 1, "one field in error")
                #expect(Self.count("has-error", in: html) == 1)
                #expect(Self.count("aria-invalid=\"true\"", in: html) == 1)
                try Self.expectInvalid("f-email", in: html)
                for id in ["f-name", "f-city", "f-timeZone", "f-motivation"] { try Self.expectValid(id, in: html) }
                // The country's hint is its own, not the page's message.
                let country = try Self.field("f-countryCode", in: html)
                #expect(country.contains("class=\"hint\"") && !country.contains("error"), "\(country)")
                #expect(try Self.field("f-motivation", in: html).contains(">Where it all began.</textarea>"))
            }
            #expect(try await app.persistence.network.applications(status: .pending).isEmpty)
        }
    }

    /// A new account from an invitation with a short password: the name field stays clean.
    @Test(arguments: DatabaseKind.available)
    func invitationAccountWithOneInvalidField(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            try await app.application.test(.router) { client in
                let invited = try await client.post("/organize/toulouse/team/invite", as: organizer, ["email": "door@example.org", "role": "door"])
                #expect(invited.status == .ok)
                let invitation = try #require(try await app.persistence.team.invitations(of: chapter.id, now: Fixture.start).first)
                let short = try await client.execute(uri: "/invitations/\(invitation.token)", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .acceptLanguage: "en"],
                    body: PageTests.form(["name": "Door Person", "password": "short"]))
                #expect(short.status == .unprocessableContent)
                let html = short.text
                #expect(Self.count(Self.correct, in: html) == 1, "the page's message, once: \(html)")
                #expect(Self.count("class=\"error\"", in: html) == 1, "one field in error")
                try Self.expectValid("f-name", in: html)
                try Self.expectInvalid("f-password", in: html)
                #expect(try Self.field("f-password", in: html).contains("aria-describedby=\"f-password-hint f-password-error\""))
            }
        }
    }

    /// The event's registration form: the summary once, the one missing field marked, the others
    /// clean (their hints kept).
    @Test(arguments: DatabaseKind.available)
    func eventRegistrationWithOneInvalidField(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 5)
            try await app.application.test(.router) { client in
                let fields = ["firstName": "Zoé", "lastName": "Prinčeva", "email": "zoe@example.org", "jobTitle": "",
                              "company": "Atelier", "consentList": "on"]
                let response = try await client.execute(uri: "/events/\(event.id)/register", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .acceptLanguage: "en"], body: PageTests.form(fields))
                #expect(response.status == .unprocessableContent)
                let html = response.text
                #expect(Self.count(Self.correct, in: html) == 1, "the page's message, once: \(html)")
                #expect(Self.count("class=\"error\"", in: html) == 1, "one field in error")
                try Self.expectInvalid("f-jobTitle", in: html)
                for id in ["f-firstName", "f-lastName", "f-email", "f-company", "f-linkedinUrl", "f-askMeAbout"] {
                    try Self.expectValid(id, in: html)
                }
                #expect(try Self.field("f-firstName", in: html).contains("value=\"Zoé\""))
                #expect(!(try Self.field("f-firstName", in: html).contains("class=\"hint\"")), "a field without a hint shows none")
            }
            #expect(try await app.persistence.registrations.registrations(of: event.id).isEmpty)
        }
    }
}
