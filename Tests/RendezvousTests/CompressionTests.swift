import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import NIOCore
import RendezvousDomain
@testable import RendezvousWeb
import Testing

/// Pages, JSON and static assets travel gzip-compressed to clients that take it, and decompress to
/// exactly what a client without gzip gets; pictures and PDFs never are.
@Suite struct CompressionTests {
    static let gzip: HTTPFields = [.acceptEncoding: "gzip, deflate, br"]

    /// gzip's own `gzip -dc`, not the library the server uses: the bytes are real gzip.
    static func gunzip(_ body: ByteBuffer) throws -> Data {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gz-\(UUID().uuidString).gz").path
        try Data(body.readableBytesView).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return data
    }

    static func varies(_ response: TestResponse) -> Bool {
        response.headers[values: .vary].joined(separator: ",").lowercased().contains("accept-encoding")
    }

    /// Asks twice, with and without gzip: the gzip answer says so, is smaller and decompresses to
    /// the plain answer byte for byte; both say `Vary: Accept-Encoding`.
    static func checkCompressed(_ client: some TestClientProtocol, _ uri: String, headers: HTTPFields = [:], type: String) async throws {
        let plain = try await client.execute(uri: uri, method: .get, headers: headers)
        var withGzip = headers
        withGzip[.acceptEncoding] = "gzip, deflate, br"
        let compressed = try await client.execute(uri: uri, method: .get, headers: withGzip)
        #expect(plain.status == .ok, "\(uri)")
        #expect(compressed.status == .ok, "\(uri)")
        #expect(plain.headers[.contentType]?.hasPrefix(type) == true, "\(uri): \(plain.headers[.contentType] ?? "")")
        #expect(plain.headers[.contentEncoding] == nil, "\(uri)")
        #expect(compressed.headers[.contentEncoding] == "gzip", "\(uri)")
        #expect(varies(plain), "\(uri)")
        #expect(varies(compressed), "\(uri)")
        #expect(compressed.headers[.contentLength] == String(compressed.body.readableBytes), "\(uri)")
        #expect(compressed.body.readableBytes < plain.body.readableBytes / 2, "\(uri): \(compressed.body.readableBytes) of \(plain.body.readableBytes)")
        #expect(try gunzip(compressed.body) == Data(plain.body.readableBytesView), "\(uri)")
    }

    @Test(arguments: DatabaseKind.available)
    func pagesJSONAndAssetsTravelCompressed(_ kind: DatabaseKind) async throws {
        // With the page cache on, as in production: the second request is served from the cache.
        try await withApp(kind, pageCacheTTL: 30) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 40)
            for day in 1...4 { _ = try await Fixture.event(app.persistence, chapter: chapter, capacity: 20, startsIn: Double(30 + day), title: "Soirée \(day)") }
            try await app.application.test(.router) { client in
                for _ in 0..<2 {
                    try await Self.checkCompressed(client, "/events/\(event.id)", type: "text/html")
                    try await Self.checkCompressed(client, "/chapters/toulouse", type: "text/html")
                }
                try await Self.checkCompressed(client, "/api/v1/chapters/toulouse/events", type: "application/json")
                try await Self.checkCompressed(client, "/static/app.css", type: "text/css")
                try await Self.checkCompressed(client, "/static/app.js", type: "text/javascript")
                try await Self.checkCompressed(client, "/api/openapi.json", type: "application/json")
                try await Self.checkCompressed(client, "/chapters/toulouse/calendar.ics", type: "text/calendar")

                // An error page is a page too.
                let missing = try await client.execute(uri: "/events/\(UUID())", method: .get, headers: Self.gzip)
                #expect(missing.status == .notFound)
                #expect(missing.headers[.contentEncoding] == "gzip")
                #expect(String(decoding: try Self.gunzip(missing.body), as: UTF8.self).contains("</html>"))

                // A client that refuses gzip (q=0) gets plain bytes; one that takes anything gets gzip.
                let refused = try await client.execute(uri: "/static/app.css", method: .get, headers: [.acceptEncoding: "gzip;q=0, identity"])
                #expect(refused.headers[.contentEncoding] == nil)
                let anything = try await client.execute(uri: "/api/v1/chapters/toulouse/events", method: .get, headers: [.acceptEncoding: "*"])
                #expect(anything.headers[.contentEncoding] == "gzip")

                // Small answers are not worth it.
                let health = try await client.execute(uri: "/healthz", method: .get, headers: Self.gzip)
                #expect(health.headers[.contentEncoding] == nil)
                #expect(health.text == #"{"status":"ok"}"#)
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func picturesAndPDFsAreNeverCompressed(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 40)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            _ = try await app.persistence.registrations.register(Fixture.profile(1, first: "Zoé"), for: event.id, now: Fixture.start)
            try await app.application.test(.router) { client in
                let png = try await client.execute(uri: "/events/\(event.id)/share.png", method: .get, headers: Self.gzip)
                #expect(png.status == .ok)
                #expect(png.headers[.contentType] == "image/png")
                #expect(png.headers[.contentEncoding] == nil)
                #expect(Array(png.body.readableBytesView.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])

                var headers = organizer.headers
                headers[.acceptEncoding] = "gzip"
                let pdf = try await client.execute(uri: "/organize/events/\(event.id)/badges.pdf?layout=a4-8&include=confirmed", method: .get, headers: headers)
                #expect(pdf.status == .ok)
                #expect(pdf.headers[.contentType] == "application/pdf")
                #expect(pdf.headers[.contentEncoding] == nil)
                #expect(String(decoding: pdf.body.readableBytesView.prefix(5), as: UTF8.self) == "%PDF-")

                // A 304 has no body to compress.
                let etag = try #require(png.headers[.eTag])
                let again = try await client.execute(uri: "/events/\(event.id)/share.png", method: .get, headers: [.acceptEncoding: "gzip", .ifNoneMatch: etag])
                #expect(again.status == .notModified)
                #expect(again.headers[.contentEncoding] == nil)
                #expect(again.body.readableBytes == 0)
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func headAnswersWithTheCompressedLength(_ kind: DatabaseKind) async throws {
        try await withApp(kind, pageCacheTTL: 30) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 40)
            for day in 1...4 { _ = try await Fixture.event(app.persistence, chapter: chapter, capacity: 20, startsIn: Double(30 + day), title: "Soirée \(day)") }
            try await app.application.test(.router) { client in
                for uri in ["/static/app.css", "/events/\(event.id)", "/api/v1/chapters/toulouse/events"] {
                    let get = try await client.execute(uri: uri, method: .get, headers: Self.gzip)
                    let head = try await client.execute(uri: uri, method: .head, headers: Self.gzip)
                    #expect(get.headers[.contentEncoding] == "gzip", "\(uri)")
                    #expect(head.status == .ok, "\(uri)")
                    #expect(head.headers[.contentEncoding] == "gzip", "\(uri)")
                    #expect(Self.varies(head), "\(uri)")
                    #expect(head.headers[.contentLength] == String(get.body.readableBytes), "\(uri)")
                    #expect(head.body.readableBytes == 0, "\(uri)")
                    let plainHead = try await client.execute(uri: uri, method: .head)
                    #expect(plainHead.headers[.contentEncoding] == nil, "\(uri)")
                    #expect(Int(plainHead.headers[.contentLength] ?? "") ?? 0 > Int(head.headers[.contentLength] ?? "") ?? 0, "\(uri)")
                }
            }
        }
    }

    /// The middleware alone, on a router of its own: what it must leave as it is.
    @Test func streamsEventStreamsAndStrongTags() async throws {
        let router = Router()
        router.add(middleware: CompressionMiddleware<BasicRequestContext>())
        let json = ByteBuffer(string: "[" + (0..<200).map { "{\"n\":\($0)}" }.joined(separator: ",") + "]")
        router.get("/state") { request, _ in
            if request.headers[.ifNoneMatch] == "\"v7\"" { return Response(status: .notModified, headers: [.eTag: "\"v7\""]) }
            return Response(status: .ok, headers: [.contentType: "application/json", .eTag: "\"v7\""], body: .init(byteBuffer: json))
        }
        router.get("/events") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/event-stream"], body: .init(byteBuffer: json))
        }
        router.get("/stream") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain"], body: .init { writer in
                try await writer.write(json)
                try await writer.finish(nil)
            })
        }
        try await Application(router: router).test(.router) { client in
            let state = try await client.execute(uri: "/state", method: .get, headers: Self.gzip)
            #expect(state.headers[.contentEncoding] == "gzip")
            #expect(try Self.gunzip(state.body) == Data(json.readableBytesView))
            // The compressed bytes are another representation: the tag becomes weak…
            let tag = try #require(state.headers[.eTag])
            #expect(tag == "W/\"v7\"")
            // …and sent back, it still matches (If-None-Match compares weakly).
            let unchanged = try await client.execute(uri: "/state", method: .get, headers: [.acceptEncoding: "gzip", .ifNoneMatch: tag])
            #expect(unchanged.status == .notModified)
            #expect(unchanged.headers[.eTag] == tag)
            let plain = try await client.execute(uri: "/state", method: .get)
            #expect(plain.headers[.eTag] == "\"v7\"")
            #expect(plain.headers[.contentEncoding] == nil)

            // A cross-site request with cookies (what another site can make a browser send) gets
            // plain bytes, so the compressed size reveals nothing (BREACH); same-site ones get gzip.
            let crossSite = try await client.execute(uri: "/state", method: .get, headers: [.acceptEncoding: "gzip", .secFetchSite: "cross-site", .cookie: "rv_session=abc"])
            #expect(crossSite.headers[.contentEncoding] == nil)
            #expect(crossSite.body == json)
            let sameSite = try await client.execute(uri: "/state", method: .get, headers: [.acceptEncoding: "gzip", .secFetchSite: "same-origin", .cookie: "rv_session=abc"])
            #expect(sameSite.headers[.contentEncoding] == "gzip")
            let anonymousLink = try await client.execute(uri: "/state", method: .get, headers: [.acceptEncoding: "gzip", .secFetchSite: "cross-site"])
            #expect(anonymousLink.headers[.contentEncoding] == "gzip")

            let events = try await client.execute(uri: "/events", method: .get, headers: Self.gzip)
            #expect(events.headers[.contentEncoding] == nil)
            let stream = try await client.execute(uri: "/stream", method: .get, headers: Self.gzip)
            #expect(stream.headers[.contentEncoding] == nil)
            #expect(stream.body == json)
        }
    }

    /// A cached page is compressed once and kept in both forms; pages nobody read within the TTL
    /// are dropped, so the cache's memory follows the pages being read.
    @Test func cachedPagesAreKeptCompressedAndDroppedWhenStale() async throws {
        let clock = NIOLockedValueBox<TimeInterval>(1_000)
        let cache = PageCache(ttl: 10, now: { clock.withLockedValue { $0 } })
        let html = String(repeating: "<p>Rencontre trimestrielle à Toulouse</p>\n", count: 200)
        let entry = try await cache.page("event:1:fr") { (ByteBuffer(string: html), "fr") }
        let gzip = try #require(entry.gzip)
        #expect(gzip.readableBytes < entry.body.readableBytes / 5)
        // Kept in a buffer of its own size (rounded to a power of two), not the input-sized one zlib wrote into.
        #expect(gzip.capacity < 2 * gzip.readableBytes, "\(gzip.capacity) for \(gzip.readableBytes)")
        #expect(try Self.gunzip(gzip) == Data(html.utf8))
        let small = try await cache.page("event:2:fr") { (ByteBuffer(string: "<p>court</p>"), "fr") }
        #expect(small.gzip == nil)

        for n in 0..<300 { _ = try await cache.page("event:\(n + 10):fr") { (ByteBuffer(string: "\(n)"), "fr") } }
        #expect(cache.count == 302)
        clock.withLockedValue { $0 += 11 }
        _ = try await cache.page("home:fr") { (ByteBuffer(string: "home"), "fr") }
        #expect(cache.count == 1)
    }

    @Test func acceptEncodingIsReadAsBrowsersWriteIt() {
        func accepts(_ value: String) -> Bool { Gzip.accepted(by: [.acceptEncoding: value]) }
        #expect(accepts("gzip"))
        #expect(accepts("gzip, deflate, br, zstd"))
        #expect(accepts("br;q=1.0, gzip;q=0.8, *;q=0.1"))
        #expect(accepts("x-gzip"))
        #expect(accepts("*"))
        #expect(accepts("GZIP"))
        #expect(!accepts("identity"))
        #expect(!accepts("br"))
        #expect(!accepts("gzip;q=0"))
        #expect(!accepts("*;q=0"))
        #expect(!accepts("gzip;q=0, *"))
        #expect(!Gzip.accepted(by: [:]))
        #expect(Gzip.compressible(contentType: "text/html; charset=utf-8"))
        #expect(Gzip.compressible(contentType: "text/vcard; charset=utf-8"))
        #expect(Gzip.compressible(contentType: "application/problem+json"))
        #expect(Gzip.compressible(contentType: "image/svg+xml"))
        #expect(!Gzip.compressible(contentType: "image/png"))
        #expect(!Gzip.compressible(contentType: "application/pdf"))
        #expect(!Gzip.compressible(contentType: "text/event-stream"))
        #expect(!Gzip.compressible(contentType: nil))
    }
}
