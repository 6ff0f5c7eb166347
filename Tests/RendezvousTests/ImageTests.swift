import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RendezvousBadges
import RendezvousDomain
import RendezvousImages
@testable import RendezvousPersistence
@testable import RendezvousWeb
import Testing

@Suite("Pictures and colours: covers, logos, speaker photos")
struct ImageTests {
    static let boundary = "----RendezvousImageBoundary"

    static func multipart(_ fields: [(String, String)], files: [(field: String, filename: String, type: String, bytes: [UInt8])]) -> [UInt8] {
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        for file in files {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.filename)\"\r\nContent-Type: \(file.type)\r\n\r\n".utf8)
            body += file.bytes + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return body
    }

    static func post(_ client: some TestClientProtocol, _ uri: String, as person: SignedIn, _ fields: [(String, String)] = [],
                     file: (field: String, filename: String, type: String, bytes: [UInt8])? = nil, language: String = "en") async throws -> TestResponse {
        var headers = person.headers
        headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
        headers[.acceptLanguage] = language
        return try await client.execute(uri: uri, method: .post, headers: headers,
                                        body: ByteBuffer(bytes: multipart([("_csrf", person.csrf)] + fields, files: file.map { [$0] } ?? [])))
    }

    /// A camera's JPEG: `width` × `height` pixels stored sideways, with an EXIF block saying
    /// "rotate 90°" (orientation 6) and, after it, a GPS position and the camera's serial number.
    static func cameraJPEG(width: Int, height: Int) throws -> [UInt8] {
        let plain = try #require(ImageProcessor.canvas(width: width, height: height, red: 200, green: 60, blue: 40, png: false))
        var tiff: [UInt8] = Array("MM".utf8) + [0, 42, 0, 0, 0, 8]
        tiff += [0, 1] // one entry
        tiff += [0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0] // Orientation = 6
        tiff += [0, 0, 0, 0] // no next IFD
        tiff += Array("GPS 43.604652N 1.444209E SerialNumber CAM-SECRET-4242".utf8)
        let payload = Array("Exif".utf8) + [0, 0] + tiff
        let length = payload.count + 2
        let app1: [UInt8] = [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
        return Array(plain[0..<2]) + app1 + Array(plain[2...])
    }

    static func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
        let needle = Array(needle.utf8)
        guard haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { haystack[$0..<$0 + needle.count].elementsEqual(needle) }
    }

    static func storedSize(_ app: TestApp, _ name: String) async throws -> (width: Int, height: Int, type: String) {
        struct Row: Decodable { var width: Int; var height: Int; var contentType: String }
        let row = try #require(try await app.persistence.sql.raw("SELECT width, height, content_type FROM images WHERE name = \(bind: name)").row(Row.self))
        return (row.width, row.height, row.contentType)
    }

    // MARK: Covers

    @Test(arguments: DatabaseKind.available)
    func aCameraPhotoIsReencodedResizedAndServedWithoutItsHiddenData(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 40)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            let page = "/organize/events/\(event.id)/images"
            let photo = try Self.cameraJPEG(width: 3000, height: 2000)
            #expect(Self.contains(photo, "CAM-SECRET-4242"))
            try await app.application.test(.router) { client in
                #expect(try await client.get(page, as: organizer).status == .ok)
                // A cover needs its description, for people who cannot see it: refused on that field.
                let undescribed = try await Self.post(client, page, as: organizer, file: ("cover", "IMG_0042.JPG", "image/jpeg", photo))
                #expect(undescribed.status == .unprocessableContent)
                #expect(undescribed.text.contains(#"id="f-coverAlt-error""#))
                #expect(!undescribed.text.contains(#"id="f-cover-error""#))
                #expect(try await app.persistence.images.look(of: event.id).cover == nil)

                let saved = try await Self.post(client, page, as: organizer, [("coverAlt", "The hall at night, <full> of people")],
                                                file: ("cover", "IMG_0042.JPG", "image/jpeg", photo))
                #expect(saved.status == .ok)
                let look = try await app.persistence.images.look(of: event.id)
                let name = try #require(look.cover)
                #expect(look.coverAlt == "The hall at night, <full> of people")
                #expect(name.hasSuffix(".jpg"))
                // Turned upright (the EXIF orientation applied), then fitted into 1600 × 1000.
                let size = try await Self.storedSize(app, name)
                #expect(size.height == 1000 && size.width == 667)
                #expect(size.type == "image/jpeg")

                let served = try await client.execute(uri: "/images/\(name)", method: .get)
                #expect(served.status == .ok)
                #expect(served.headers[.contentType] == "image/jpeg")
                #expect(served.headers[.cacheControl] == "public, max-age=31536000, immutable")
                #expect(served.headers[.xContentTypeOptions] == "nosniff")
                let bytes = Array(served.body.readableBytesView)
                #expect(bytes.starts(with: [0xFF, 0xD8, 0xFF]))
                #expect(!Self.contains(bytes, "Exif"))
                #expect(!Self.contains(bytes, "CAM-SECRET-4242"))
                #expect(!Self.contains(bytes, "GPS"))
                #expect(bytes != photo && bytes.count < photo.count)
                // The same picture under another digest, or another id, is not served.
                #expect(try await client.execute(uri: "/images/\(name.prefix(37))0000000000000000.jpg", method: .get).status == .notFound)
                #expect(try await client.execute(uri: "/images/\(UUID().uuidString.lowercased())-0123456789abcdef.jpg", method: .get).status == .notFound)
                #expect(try await client.execute(uri: "/images/..%2F..%2Fetc%2Fpasswd", method: .get).status == .notFound)

                // The public page shows it with the organisers' words, escaped.
                let public_ = try await client.execute(uri: "/events/\(event.id)", method: .get)
                #expect(public_.text.contains(#"<img class="cover" src="/images/\#(name)" alt="The hall at night, &lt;full&gt; of people""#))
                // The chapter page's card for the event shows it too (decorative there: the title follows).
                let chapterPage = try await client.execute(uri: "/chapters/toulouse", method: .get)
                #expect(chapterPage.text.contains(#"<img class="card-cover" src="/images/\#(name)" alt="""#))
                // The share image is drawn with it (and is a PNG of 1200 × 630).
                let share = try await client.execute(uri: "/events/\(event.id)/share.png", method: .get)
                #expect(share.status == .ok)
                #expect(Array(share.body.readableBytesView).starts(with: [0x89, 0x50, 0x4E, 0x47]))

                // A copy of the meetup keeps the cover; removing it from the original leaves the copy's.
                let duplicated = try await client.post("/organize/events/\(event.id)/duplicate", as: organizer, ["date": "2027-04-21"])
                #expect(duplicated.status == .seeOther)
                let copyPath = try #require(duplicated.headers[.location]).replacingOccurrences(of: "/edit", with: "")
                let copy = try #require(Event.ID(string: String(copyPath.split(separator: "/").last ?? "")))
                #expect(try await app.persistence.images.look(of: copy).cover == name)
                let removed = try await Self.post(client, page, as: organizer, [("coverAlt", "ignored"), ("removeCover", "on")])
                #expect(removed.status == .ok)
                #expect(try await app.persistence.images.look(of: event.id).cover == nil)
                #expect(try await client.execute(uri: "/images/\(name)", method: .get).status == .ok)
                // Removed from the copy too: the picture is deleted.
                #expect(try await Self.post(client, "/organize/events/\(copy)/images", as: organizer, [("removeCover", "on")]).status == .ok)
                #expect(try await client.execute(uri: "/images/\(name)", method: .get).status == .notFound)
                #expect(!(try await client.execute(uri: "/events/\(event.id)", method: .get).text.contains(#"class="cover""#)))
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func aFakeAHugeAndADecompressionBombAreRefusedOnTheFieldInTheUsersLanguage(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 40)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            let page = "/organize/events/\(event.id)/images"
            let alt = [("coverAlt", "A hall")]
            try await app.application.test(.router) { client in
                // A text file named .png and sent as image/png.
                let fake = try await Self.post(client, page, as: organizer, alt, file: ("cover", "cover.png", "image/png", Array("<svg onload=alert(1)>".utf8)))
                #expect(fake.status == .unprocessableContent)
                #expect(fake.text.contains(#"<p class="error" id="f-cover-error">This file is not a PNG, JPEG or WebP picture.</p>"#))
                #expect(!fake.text.contains(#"id="f-coverAlt-error""#))
                let fakeFR = try await Self.post(client, page, as: organizer, alt, file: ("cover", "cover.png", "image/png", Array("GIF89a".utf8)), language: "fr")
                #expect(fakeFR.text.contains("Ce fichier n’est pas une image PNG, JPEG ou WebP."))

                // More than 8 MiB, whatever it is.
                let big = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 0, count: ImageProcessor.maxBytes)
                let tooLarge = try await Self.post(client, page, as: organizer, alt, file: ("cover", "big.png", "image/png", big))
                #expect(tooLarge.status == .unprocessableContent)
                #expect(tooLarge.text.contains("This picture is larger than 8 MB"))

                // A small file announcing 30,000 × 30,000 pixels: refused from its header, never decoded.
                let bomb = try #require(Self.pngHeader(width: 30_000, height: 30_000))
                let bombed = try await Self.post(client, page, as: organizer, alt, file: ("cover", "bomb.png", "image/png", bomb))
                #expect(bombed.status == .unprocessableContent)
                #expect(bombed.text.contains("This picture has too many pixels (at most 40 megapixels)"))

                // A PNG cut short.
                let whole = try #require(ImageProcessor.canvas(width: 300, height: 200, red: 1, green: 2, blue: 3, png: true))
                let truncated = try await Self.post(client, page, as: organizer, alt, file: ("cover", "cut.png", "image/png", Array(whole.prefix(60))))
                #expect(truncated.status == .unprocessableContent)
                #expect(truncated.text.contains("This picture cannot be read"))
                #expect(try await app.persistence.images.look(of: event.id).cover == nil)
                struct Count: Decodable { var count: Int }
                #expect(try await app.persistence.sql.raw("SELECT COUNT(*) AS count FROM images").row(Count.self)?.count == 0)
            }
        }
    }

    /// A PNG signature and IHDR chunk announcing the size, then an empty IDAT and IEND.
    static func pngHeader(width: Int, height: Int) -> [UInt8]? {
        func be(_ value: Int) -> [UInt8] { [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let body = Array(type.utf8) + data
            return be(data.count) + body + be(Int(crc32(body)))
        }
        let ihdr = be(width) + be(height) + [8, 2, 0, 0, 0]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", ihdr) + chunk("IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])
            + chunk("IEND", [])
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return crc ^ 0xFFFF_FFFF
    }

    // MARK: Logo and colour

    @Test(arguments: DatabaseKind.available)
    func aChaptersLogoAndColourShowOnItsPagesWithReadableText(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 40)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            let page = "/organize/toulouse/branding"
            let logo = try #require(ImageProcessor.canvas(width: 1024, height: 600, red: 10, green: 102, blue: 194, alpha: 200, png: true))
            try await app.application.test(.router) { client in
                #expect(try await client.get(page, as: organizer).status == .ok)
                // A colour that is no colour: refused on its field, nothing saved.
                let wrong = try await Self.post(client, page, as: organizer, [("color", "blue")], file: ("logo", "logo.png", "image/png", logo))
                #expect(wrong.status == .unprocessableContent)
                #expect(wrong.text.contains(#"id="f-color-error""#))
                #expect(!wrong.text.contains(#"id="f-logo-error""#))
                #expect(try await app.persistence.images.brand(of: chapter.id) == ChapterBrand())

                let saved = try await Self.post(client, page, as: organizer, [("color", " #F2C94C ")], file: ("logo", "logo.png", "image/png", logo))
                #expect(saved.status == .ok)
                let brand = try await app.persistence.images.brand(of: chapter.id)
                #expect(brand.color?.hex == "#f2c94c")
                let name = try #require(brand.logo)
                let size = try await Self.storedSize(app, name)
                #expect(size.type == "image/png" && size.width == 512 && size.height == 300)
                // A light colour: dark text on it, said on the page.
                #expect(saved.text.contains("Text on this colour is dark"))

                let css = try await client.execute(uri: "/brand/f2c94c.css", method: .get)
                #expect(css.status == .ok)
                #expect(css.headers[.contentType] == "text/css; charset=utf-8")
                #expect(css.text == ".branded{--brand:#f2c94c;--on-brand:#1a1f24}\n")
                #expect(try await client.execute(uri: "/brand/F2C94C.css", method: .get).status == .notFound)
                #expect(try await client.execute(uri: "/brand/zzzzzz.css", method: .get).status == .notFound)
                #expect(try await client.execute(uri: "/brand/0a5ea8.css", method: .get).text.contains("--on-brand:#ffffff"))

                let chapterPage = try await client.execute(uri: "/chapters/toulouse", method: .get)
                #expect(chapterPage.text.contains(#"<link rel="stylesheet" href="/brand/f2c94c.css">"#))
                #expect(chapterPage.text.contains(##"src="/images/\##(name)" alt="#LinkedInLocal Toulouse""##))
                let eventPage = try await client.execute(uri: "/events/\(event.id)", method: .get)
                #expect(eventPage.text.contains(#"<link rel="stylesheet" href="/brand/f2c94c.css">"#))
                #expect(eventPage.text.contains(##"class="chapter-logo" src="/images/\##(name)" alt="#LinkedInLocal Toulouse""##))

                // The badge preview carries the logo (the band is not the same without it).
                let builder = BadgeBuilder(persistence: app.persistence, baseURL: "https://rendezvous.test")
                let detail = try #require(try await app.persistence.events.eventDetail(id: event.id))
                let look = try await builder.look(of: chapter.id)
                #expect(look.logoPNG != nil)
                let with = builder.content(Fixture.profile(1), detail: detail, contactToken: nil, look: look)
                var without = with
                without.logoPNG = nil
                let bandText: (Double, Double, Double) = with.bandText
                #expect(bandText.0 < 0.2 && bandText.1 < 0.2 && bandText.2 < 0.2)
                #expect(try BadgeRenderer.png(with) != (try BadgeRenderer.png(without)))

                // Removing the logo and the colour.
                let cleared = try await Self.post(client, page, as: organizer, [("color", ""), ("removeLogo", "on")])
                #expect(cleared.status == .ok)
                #expect(try await app.persistence.images.brand(of: chapter.id) == ChapterBrand())
                #expect(try await client.execute(uri: "/images/\(name)", method: .get).status == .notFound)
                #expect(!(try await client.execute(uri: "/chapters/toulouse", method: .get).text.contains("/brand/")))
            }
        }
    }

    // MARK: Speakers and isolation

    @Test(arguments: DatabaseKind.available)
    func speakerPhotosAndEveryUploadStayWithinTheOrganisersChapter(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let toulouse = try await Fixture.chapter(app.persistence)
            let lyon = try await Fixture.chapter(app.persistence, slug: "lyon")
            let event = try await Fixture.event(app.persistence, chapter: toulouse, capacity: 40)
            let lyonEvent = try await Fixture.event(app.persistence, chapter: lyon, capacity: 40, title: "Lyon")
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            let intruder = try await Accounts.signIn(app, email: "lyon@example.org", chapters: ["lyon"])
            let speakers = try await app.persistence.images.editableSpeakers(of: event.id, chapter: toulouse.id)
            let speaker = try #require(speakers.first).speaker
            let lyonSpeaker = try #require(try await app.persistence.images.editableSpeakers(of: lyonEvent.id, chapter: lyon.id).first).speaker
            let portrait = try #require(ImageProcessor.canvas(width: 600, height: 900, red: 90, green: 90, blue: 90, png: true))
            let photo = ("photo", "me.png", "image/png", portrait)
            try await app.application.test(.router) { client in
                // Another chapter's organiser sees nothing and changes nothing.
                #expect(try await client.get("/organize/events/\(event.id)/images", as: intruder).status == .notFound)
                #expect(try await Self.post(client, "/organize/events/\(event.id)/images", as: intruder, [("coverAlt", "x")],
                                            file: ("cover", "c.png", "image/png", portrait)).status == .notFound)
                #expect(try await Self.post(client, "/organize/events/\(event.id)/speakers/\(speaker)/photo", as: intruder, file: photo).status == .notFound)
                #expect(try await client.get("/organize/toulouse/branding", as: intruder).status == .notFound)
                #expect(try await Self.post(client, "/organize/toulouse/branding", as: intruder, [("color", "#000000")]).status == .notFound)
                // Nor a speaker of another chapter's event through one's own event.
                #expect(try await Self.post(client, "/organize/events/\(event.id)/speakers/\(lyonSpeaker)/photo", as: organizer, file: photo).status == .notFound)
                #expect(try await app.persistence.images.look(of: event.id) == EventLook(venueAccess: ""))
                #expect(try await app.persistence.images.brand(of: toulouse.id) == ChapterBrand())
                struct Count: Decodable { var count: Int }
                #expect(try await app.persistence.sql.raw("SELECT COUNT(*) AS count FROM images").row(Count.self)?.count == 0)

                // The organiser gives the speaker a photo: a square, cropped from the portrait.
                let saved = try await Self.post(client, "/organize/events/\(event.id)/speakers/\(speaker)/photo", as: organizer, file: photo)
                #expect(saved.status == .ok)
                let name = try #require(try await app.persistence.images.look(of: event.id).speakerPhotos[speaker])
                let size = try await Self.storedSize(app, name)
                #expect(size.width == 400 && size.height == 400)
                let page = try await client.execute(uri: "/events/\(event.id)", method: .get)
                #expect(page.text.contains(#"<img class="avatar photo" src="/images/\#(name)""#))
                // The image belongs to the chapter that uploaded it.
                struct Owner: Decodable { var chapterId: UUID }
                #expect(try await app.persistence.sql.raw("SELECT chapter_id FROM images WHERE name = \(bind: name)").row(Owner.self)?.chapterId == toulouse.id.uuid)

                let removed = try await Self.post(client, "/organize/events/\(event.id)/speakers/\(speaker)/photo", as: organizer, [("removePhoto", "on")])
                #expect(removed.status == .ok)
                #expect(try await app.persistence.images.look(of: event.id).speakerPhotos.isEmpty)
            }
        }
    }

    // MARK: The event page

    @Test(arguments: DatabaseKind.available)
    func theEventPageInvitesAndSharesWithoutThirdPartyScripts(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 40)
            _ = try await app.persistence.registrations.register(Fixture.profile(1, first: "Éloïse"), for: event.id, now: Fixture.start)
            _ = try await app.persistence.registrations.register(Fixture.profile(2, consent: false), for: event.id, now: Fixture.start)
            try await app.application.test(.router) { client in
                let page = try await client.execute(uri: "/events/\(event.id)", method: .get).text
                let url = "http" // the event's address, encoded
                #expect(page.contains(#"href="https://www.linkedin.com/sharing/share-offsite/?url=\#(url)"#))
                #expect(page.contains(#"<input id="share-url" type="text" readonly value=""#))
                #expect(page.contains(#"href="mailto:?subject=Rencontre%20trimestrielle&amp;body="#))
                // LinkedIn first, then mail, then the link to copy.
                let linkedIn = try #require(page.range(of: "share-offsite")), mail = try #require(page.range(of: "mailto:")),
                    copy = try #require(page.range(of: "share-url"))
                #expect(linkedIn.lowerBound < mail.lowerBound && mail.lowerBound < copy.lowerBound)
                // No script but the site's own and the JSON-LD.
                let scripts = page.components(separatedBy: "<script").dropFirst().map { String($0.prefix(60)) }
                #expect(scripts.count == 2)
                #expect(scripts.allSatisfy { $0.hasPrefix(#" src="/static/app.js"#) || $0.hasPrefix(#" type="application/ld+json""#) })
                // The "Register" button comes before the story, and leads to the form.
                let button = try #require(page.range(of: ##"<a class="button register-button" href="#register">S’inscrire</a>"##))
                let story = try #require(page.range(of: #"<div class="story">"#))
                #expect(button.lowerBound < story.lowerBound)
                #expect(page.contains(#"id="register""#))
                // Who is coming: the count of everyone, initials of those listed.
                #expect(page.contains("2 personnes viennent"))
                #expect(page.contains(#"<span class="avatar" aria-hidden="true">ÉQ</span>"#))
                #expect(!page.contains("Quinquies 2"))
                // Getting there: address and the OpenStreetMap link, no embedded map.
                #expect(page.contains("https://www.openstreetmap.org/search?query="))
                #expect(!page.contains("<iframe"))
            }
        }
    }

    // MARK: Rules

    @Test func everyChapterColourGetsTextAtFourAndAHalfToOne() {
        var worst = 21.0
        for red in stride(from: 0, through: 255, by: 15) {
            for green in stride(from: 0, through: 255, by: 15) {
                for blue in stride(from: 0, through: 255, by: 15) {
                    let color = BrandColor(String(format: "#%02x%02x%02x", red, green, blue))!
                    worst = min(worst, color.textContrast)
                }
            }
        }
        #expect(worst >= 4.5)
        #expect(BrandColor("#0A66C2")?.textHex == "#ffffff")
        #expect(BrandColor("f2c94c")?.textHex == "#1a1f24")
        #expect(BrandColor("#777777")?.textHex == "#000000")
        for wrong in ["", "#fff", "blue", "#12345g", "#1234567", "##123456", "#12 456"] { #expect(BrandColor(wrong) == nil, "\(wrong)") }
    }

    @Test func onlyPNGJPEGAndWebPAreDecodedAndLogosStayPNG() throws {
        #expect(ImageProcessor.loaderType(of: Array("<svg xmlns=".utf8)) == nil)
        #expect(ImageProcessor.loaderType(of: Array("GIF89a".utf8)) == nil)
        #expect(ImageProcessor.loaderType(of: Array("BM".utf8) + [0, 0, 0, 0]) == nil)
        let jpeg = try #require(ImageProcessor.canvas(width: 800, height: 800, red: 1, green: 2, blue: 3, png: false))
        let logo = try ImageProcessor.process(jpeg, kind: .logo).get()
        #expect(logo.contentType == "image/png" && logo.width == 512)
        // WebP (1 × 1, lossless) through webp-pixbuf-loader, stored as PNG or JPEG like the rest.
        let webp = try #require(Data(base64Encoded: "UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA=="))
        #expect(ImageProcessor.loaderType(of: [UInt8](webp)) == "webp")
        let fromWebP = try ImageProcessor.process([UInt8](webp), kind: .cover).get()
        #expect(fromWebP.width == 1 && fromWebP.height == 1 && ["image/png", "image/jpeg"].contains(fromWebP.contentType))
        // Never enlarged.
        let small = try #require(ImageProcessor.canvas(width: 120, height: 80, red: 1, green: 2, blue: 3, png: false))
        let cover = try ImageProcessor.process(small, kind: .cover).get()
        #expect(cover.width == 120 && cover.height == 80 && cover.contentType == "image/jpeg")
    }
}
