import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RendezvousDomain
@testable import RendezvousPersistence
@testable import RendezvousWeb
import Testing

/// The network's code of conduct: a default in both languages, edited by network admins, linked
/// from every meetup page, the manage page, the badges page and the big screen.
@Suite("Code of conduct")
struct ConductTests {
    @Test(arguments: DatabaseKind.available)
    func theCodeOfConductIsPublicEditableAndLinkedEverywhere(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10)
            let registration = try await app.persistence.registrations.register(Fixture.profile(1), for: event.id, now: app.clock.now())
            let admin = try await Accounts.signIn(app, email: "admin@example.org", role: .networkAdmin)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            try await app.application.test(.router) { client in
                // The default, in both languages, in paragraphs.
                let english = try await client.execute(uri: "/code-of-conduct", method: .get)
                #expect(english.status == .ok)
                #expect(english.text.contains("<h1>Code of conduct</h1>"))
                #expect(english.text.contains("<p>Our meetups are for everyone."))
                let french = try await client.execute(uri: "/code-of-conduct", method: .get, headers: [.acceptLanguage: "fr"])
                #expect(french.text.contains("<h1>Code de conduite</h1>"))
                #expect(french.text.contains("<p>Nos rencontres sont ouvertes à toutes et à tous."))

                // Linked from the meetup page, the manage page (with the report form), the badges page and the big screen.
                #expect(try await client.execute(uri: "/events/\(event.id)", method: .get, headers: [.acceptLanguage: "en"]).text.contains("<a href=\"/code-of-conduct\">Code of conduct</a>"))
                let manage = try await client.execute(uri: "/manage/\(registration.registration.manageToken)", method: .get, headers: [.acceptLanguage: "en"])
                #expect(manage.text.contains("<a href=\"/code-of-conduct\">Code of conduct</a> · <a href=\"/report/\(event.id)?manage=\(registration.registration.manageToken)\">Report an incident</a>"))
                #expect(try await client.get("/organize/events/\(event.id)/badges", as: organizer).text.contains("<a href=\"/code-of-conduct\">Code of conduct</a>"))
                let screen = try await client.execute(uri: "/screen/\(event.id)?key=\(RoomLiveController.screenKey(event.id, vault: app.persistence.tokens))", method: .get)
                #expect(screen.text.contains("https://rendezvous.test/report/\(event.id)"))
                #expect(screen.text.contains("https://rendezvous.test/code-of-conduct"))
                #expect(screen.text.contains("<img src=\"data:image/png;base64,"))

                // Admins edit it (organisers cannot); an empty language keeps the default.
                let register = try await client.get("/admin/privacy", as: admin)
                #expect(register.text.contains("name=\"conduct_en\""))
                #expect(register.text.contains("Our meetups are for everyone."))
                #expect(try await client.post("/admin/privacy/conduct", as: organizer, ["conduct_en": "Mine"]).status == .notFound)
                let saved = try await client.post("/admin/privacy/conduct", as: admin, ["conduct_en": "Be excellent.\r\n\r\nNo harassment.", "conduct_fr": ""])
                #expect(saved.status == .seeOther)
                let edited = try await client.execute(uri: "/code-of-conduct", method: .get)
                #expect(edited.text.contains("<p>Be excellent.</p>") && edited.text.contains("<p>No harassment.</p>"))
                #expect(try await client.execute(uri: "/code-of-conduct", method: .get, headers: [.acceptLanguage: "fr"]).text.contains("Nos rencontres sont ouvertes"))
                let bad = try await client.post("/admin/privacy/conduct", as: admin, ["conduct_en": "Bad \u{202E} text"])
                #expect(bad.status == .unprocessableContent)
                #expect(bad.text.contains("id=\"f-conduct_en-error\""))
            }
        }
    }
}
