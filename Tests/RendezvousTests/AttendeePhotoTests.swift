import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RendezvousDomain
import RendezvousImages
@testable import RendezvousPersistence
@testable import RendezvousWeb
import SQLKit
import Testing

/// The optional photo of "My Rendezvous": uploaded from the profile (checked, re-encoded, cropped
/// square, metadata gone), shown only to people one is connected with or on a card one shares,
/// served privately, removed in one tap.
@Suite("My Rendezvous: profile photo")
struct AttendeePhotoTests {
    static func upload(_ client: some TestClientProtocol, cookie: String, csrf: String, fields: [(String, String)] = [],
                       file: (field: String, filename: String, type: String, bytes: [UInt8])?) async throws -> TestResponse {
        var headers: HTTPFields = [.cookie: "rv_me=\(cookie)", .acceptLanguage: "en",
                                   .contentType: "multipart/form-data; boundary=\(ImageTests.boundary)"]
        headers[.accept] = "text/html"
        return try await client.execute(uri: "/me/photo", method: .post, headers: headers,
                                        body: ByteBuffer(bytes: ImageTests.multipart([("_csrf", csrf)] + fields, files: file.map { [$0] } ?? [])))
    }

    @Test(arguments: DatabaseKind.available)
    func aPhotoIsUploadedShownOnlyWithConsentAndRemoved(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10)
            let karim = try await app.persistence.registrations.register(Fixture.profile(1, first: "Karim"), for: event.id, now: app.clock.now()).registration
            let lea = try await app.persistence.registrations.register(Fixture.profile(2, first: "Léa"), for: event.id, now: app.clock.now()).registration
            let leaCard = try #require(try await app.persistence.registrations.contactToken(of: lea.id))
            try await app.application.test(.router) { client in
                let leaCookie = try await MeTests.signIn(client, app, email: "person2@example.org")
                let karimCookie = try await MeTests.signIn(client, app, email: "person1@example.org")
                let profile = String(buffer: try await client.execute(uri: "/me/profile", method: .get, headers: MeTests.headers(leaCookie)).body)
                #expect(profile.contains("enctype=\"multipart/form-data\""))
                let csrf = try MeTests.csrf(profile)
                // Without the session's token: refused.
                let forged = try await Self.upload(client, cookie: leaCookie, csrf: "nope",
                                                   file: ("photo", "me.jpg", "image/jpeg", try ImageTests.cameraJPEG(width: 600, height: 400)))
                #expect(forged.status == .forbidden)
                // Not a picture: the error on the field, in the person's language.
                let refused = try await Self.upload(client, cookie: leaCookie, csrf: csrf, file: ("photo", "cv.pdf", "application/pdf", Array("%PDF-1.4".utf8)))
                #expect(refused.status == .unprocessableContent)
                #expect(String(buffer: refused.body).contains("photo-error"))
                // A camera's photo: stored square, at most 400 px, without its GPS position.
                let saved = try await Self.upload(client, cookie: leaCookie, csrf: csrf,
                                                  file: ("photo", "me.jpg", "image/jpeg", try ImageTests.cameraJPEG(width: 900, height: 600)))
                #expect(saved.status == .seeOther)
                let page = String(buffer: try await client.execute(uri: "/me/profile?done=photo", method: .get, headers: MeTests.headers(leaCookie)).body)
                #expect(page.contains("Photo saved."))
                let name = try #require(try await app.persistence.attendeePhotos.photo(of: "person2@example.org"))
                #expect(page.contains("/me/photos/\(name)"))
                let file = try await client.execute(uri: "/me/photos/\(name)", method: .get)
                #expect(file.status == .ok)
                #expect(file.headers[.cacheControl] == "private, max-age=86400")
                let bytes = Array(Data(buffer: file.body))
                #expect(!ImageTests.contains(bytes, "CAM-SECRET"))
                let stored = try #require(try await app.persistence.attendeePhotos.file(name: name))
                #expect(stored.contentType == "image/jpeg")
                #expect(try await client.execute(uri: "/me/photos/\(name.dropLast(5))x.jpg", method: .get).status == .notFound)

                // Karim scans her badge: she does not share her profile on the card, so no photo.
                let card = String(buffer: try await client.execute(uri: "/c/\(leaCard)", method: .get, headers: MeTests.headers(karimCookie)).body)
                #expect(!card.contains("/me/photos/"))
                // Until they are connected, his list shows no photo of her; once she accepts, it does.
                _ = try await app.persistence.contacts.weMet(me: karim.id, other: lea.id, note: "", now: app.clock.now())
                var karimMe = String(buffer: try await client.execute(uri: "/me", method: .get, headers: MeTests.headers(karimCookie)).body)
                #expect(!karimMe.contains("/me/photos/"))
                _ = try await app.persistence.contacts.weMet(me: lea.id, other: karim.id, note: "", now: app.clock.now())
                karimMe = String(buffer: try await client.execute(uri: "/me", method: .get, headers: MeTests.headers(karimCookie)).body)
                #expect(karimMe.contains("/me/photos/\(name)"))

                // Removed in one tap: gone from the database and from the address.
                let removed = try await Self.upload(client, cookie: leaCookie, csrf: csrf, fields: [("remove", "yes")], file: nil)
                #expect(removed.status == .seeOther)
                #expect(try await app.persistence.attendeePhotos.photo(of: "person2@example.org") == nil)
                #expect(try await client.execute(uri: "/me/photos/\(name)", method: .get).status == .notFound)
            }
        }
    }
}
