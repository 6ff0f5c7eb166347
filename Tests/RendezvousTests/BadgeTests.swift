import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RendezvousDomain
@testable import RendezvousPersistence
@testable import RendezvousWeb
import Testing

@Suite("Badges, contact cards and previews")
struct BadgeTests {
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test(arguments: DatabaseKind.available)
    func organisersDownloadBadgesWhoseCodesOpenContactCards(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 3)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            var sharing = Fixture.profile(1, first: "Zoé")
            sharing.linkedinURL = "https://www.linkedin.com/in/zoe"
            sharing.consents.profileSharing = true
            sharing.askMeAbout = "le pitch"
            var private_ = Fixture.profile(2, first: "Дмитрий")
            private_.linkedinURL = "https://www.linkedin.com/in/secret"
            let zoe = try await app.persistence.registrations.register(sharing, for: event.id, now: Fixture.start)
            _ = try await app.persistence.registrations.register(private_, for: event.id, now: Fixture.start)
            _ = try await app.persistence.registrations.register(Fixture.profile(3, first: "王芳"), for: event.id, now: Fixture.start)
            let waiting = try await app.persistence.registrations.register(Fixture.profile(4, first: "Waiting"), for: event.id, now: Fixture.start)
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("badges-\(UUID().uuidString)").path
            defer {
                try? FileManager.default.removeItem(atPath: path + ".pdf")
                try? FileManager.default.removeItem(atPath: path + "-1.png")
            }
            try await app.application.test(.router) { client in
                let form = try await client.get("/organize/events/\(event.id)/badges", as: organizer)
                #expect(form.text.contains("A4 · 8 × (90 × 55 mm)"))
                let pdf = try await client.get("/organize/events/\(event.id)/badges.pdf?layout=a4-8&include=confirmed", as: organizer)
                #expect(pdf.status == .ok)
                #expect(pdf.headers[.contentType] == "application/pdf")
                try Data(pdf.body.readableBytesView).write(to: URL(fileURLWithPath: path + ".pdf"))
                let text = try Self.run("pdftotext", [path + ".pdf", "-"])
                for name in ["Zoé", "Дмитрий", "王芳", "Quinquies 1", "Consultante"] { #expect(text.contains(name), "\(name)") }
                #expect(!text.contains("Waiting"), "waitlisted people get no badge")
                _ = try Self.run("pdftoppm", ["-r", "200", "-png", "-f", "1", "-l", "1", path + ".pdf", path])
                let urls = try Self.run("zbarimg", ["--quiet", "--raw", path + "-1.png"]).split(separator: "\n").map(String.init)
                #expect(urls.count == 3)
                let tokens = try await app.persistence.registrations.contactTokens(of: event.id)
                let confirmed = try await app.persistence.registrations.registrations(of: event.id).filter { $0.status == .confirmed }.map(\.id)
                #expect(Set(urls) == Set(confirmed.map { "https://rendezvous.test/c/\(tokens[$0]!)" }))
                #expect(urls.allSatisfy { $0.hasPrefix("https://rendezvous.test/c/") })
                #expect(!urls.contains { $0.contains(zoe.registration.manageToken) }, "the badge never carries the manage token")

                // The card shows what the person chose to share.
                for url in urls {
                    let card = try await client.execute(uri: String(url.dropFirst("https://rendezvous.test".count)), method: .get, headers: [.acceptLanguage: "en"])
                    #expect(card.status == .ok)
                    if card.text.contains("Zoé") {
                        #expect(card.text.contains("https://www.linkedin.com/in/zoe"))
                    } else {
                        #expect(!card.text.contains("linkedin.com/in/secret"))
                        #expect(card.text.contains("has not chosen to share"))
                    }
                }
                let zoeCard = "/c/\(tokens[zoe.registration.id]!)"
                let vcard = try await client.execute(uri: zoeCard + "/vcard", method: .get)
                #expect(vcard.headers[.contentType] == "text/vcard; charset=utf-8")
                #expect(vcard.text.contains("FN:Zoé Quinquies 1\r\n"))
                #expect(vcard.text.contains("URL:https://www.linkedin.com/in/zoe"))

                // The attendee renews the code: old badges open nothing.
                let renewed = try await client.execute(uri: "/manage/\(zoe.registration.manageToken)/contact", method: .post)
                #expect(renewed.status == .seeOther)
                #expect(try await client.execute(uri: zoeCard, method: .get).status == .notFound)

                // The manage page shows a preview of the badge.
                let manage = try await client.execute(uri: "/manage/\(zoe.registration.manageToken)", method: .get)
                #expect(manage.text.contains("/manage/\(zoe.registration.manageToken)/badge.png"))
                let png = try await client.execute(uri: "/manage/\(zoe.registration.manageToken)/badge.png", method: .get)
                #expect(png.headers[.contentType] == "image/png")
                #expect(Array(png.body.readableBytesView.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
                #expect(try await client.execute(uri: "/manage/\(waiting.registration.manageToken)/badge.png", method: .get).status == .ok)

                // A selection prints only the ticked people.
                let one = try await client.get("/organize/events/\(event.id)/badges.pdf?layout=label-89x36&include=selection&ids=\(waiting.registration.id)", as: organizer)
                try Data(one.body.readableBytesView).write(to: URL(fileURLWithPath: path + ".pdf"))
                let single = try Self.run("pdftotext", [path + ".pdf", "-"])
                #expect(single.contains("Waiting") && !single.contains("Zoé"))
                #expect(try await client.get("/organize/events/\(event.id)/badges.pdf?layout=poster", as: organizer).status == .badRequest)
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func organisersPreviewABadgeOnTheChosenPaper(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            var arabic = Fixture.profile(1, first: "محمد")
            arabic.lastName = "العلي"
            arabic.company = "PowerPitch Consulting"
            arabic.askMeAbout = "the 60-second pitch"
            let mohammed = try await app.persistence.registrations.register(arabic, for: event.id, now: Fixture.start)
            let marie = try await app.persistence.registrations.register(Fixture.profile(2), for: event.id, now: Fixture.start)
            try await app.application.test(.router) { client in
                // Without a choice: the first person by last name, on A4 sheets of 8, every line of the badge in its text.
                let page = try await client.get("/organize/events/\(event.id)/badges", as: organizer)
                #expect(page.status == .ok)
                #expect(page.text.contains("<img src=\"data:image/png;base64,"))
                #expect(page.text.contains("Marie Quinquies 2’s badge on A4 · 8 × (90 × 55 mm)") || page.text.contains("Marie Quinquies 2&#39;s badge on A4 · 8 × (90 × 55 mm)")
                        || page.text.contains("Le badge de Marie Quinquies 2 sur A4 · 8 × (90 × 55 mm)"), "\(page.text)")
                // The Arabic name on a 62 mm roll: name, company and "ask me about" all on it, and the form keeps its choices.
                let roll = try await client.get("/organize/events/\(event.id)/badges?layout=roll-62&include=selection&ids=\(marie.registration.id)&preview=\(mohammed.registration.id)", as: organizer)
                #expect(roll.text.contains("alt=\"محمد · العلي · Consultante · PowerPitch Consulting · "), "\(roll.text)")
                #expect(roll.text.contains("the 60-second pitch\" class=\"badge-preview\""))
                #expect(roll.text.contains("<option value=\"roll-62\" selected>"))
                #expect(roll.text.contains("value=\"selection\" checked"))
                #expect(roll.text.contains("value=\"\(marie.registration.id)\" checked"))
                #expect(!roll.text.contains("value=\"\(mohammed.registration.id)\" checked"))
                #expect(roll.text.contains("<option value=\"\(mohammed.registration.id)\" selected>"))
                let png = try #require(roll.text.components(separatedBy: "data:image/png;base64,").dropFirst().first?.prefix { $0 != "\"" })
                let data = try #require(Data(base64Encoded: String(png)))
                #expect(data.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
                // Another chapter's registration id shows the first person instead, never someone else's badge.
                let stranger = try await client.get("/organize/events/\(event.id)/badges?preview=\(UUID())", as: organizer)
                #expect(stranger.text.contains("<option value=\"\(marie.registration.id)\" selected>") || stranger.text.contains("<option value=\"\(mohammed.registration.id)\" selected>"))
            }
        }
    }

    @Test func vCardValuesAreEscaped() {
        var profile = Fixture.profile(1)
        profile.firstName = "Eve;X"
        profile.company = "Acme, Inc.\nEND:VCARD\nBEGIN:VCARD"
        let card = VCard.make(profile, note: "Rencontre")
        #expect(card.contains("FN:Eve\\;X Quinquies 1"))
        #expect(card.contains("ORG:Acme\\, Inc.\\nEND:VCARD\\nBEGIN:VCARD"))
        #expect(card.split(separator: "\r\n").filter { $0.hasPrefix("BEGIN:") || $0.hasPrefix("END:") }.count == 2)
    }
}
