import CompressNIO
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// gzip for answers a browser will read: pages, JSON, CSS, JS, SVG, calendars, CSV, vCards. An
/// event page (~48 KB of HTML) travels as ~13 KB, which is what a phone on a venue's wifi waits for.
///
/// Pictures, PDFs and PNGs are already compressed; server-sent events and anything else without a
/// known length are streams and go as they are; small answers (< 1 KiB) gain nothing.
enum Gzip {
    /// Below this, the gzip header and the extra work cost more than they save.
    static let minimumSize = 1024
    /// Above this an answer is not held in memory to be compressed (none of ours is that large).
    static let maximumSize = 16 << 20
    /// Above this the compression runs on `CPUWork`, not on the threads that serve requests.
    static let offloadSize = 128 << 10

    /// Whether the request's `Accept-Encoding` takes gzip (`gzip`, `x-gzip` or `*`, with q > 0).
    static func accepted(by headers: HTTPFields) -> Bool {
        var gzip: Double?
        var any: Double?
        for value in headers[values: .acceptEncoding] {
            for item in value.split(separator: ",") {
                let parts = item.split(separator: ";")
                guard let first = parts.first else { continue }
                let coding = first.trimmingCharacters(in: .whitespaces).lowercased()
                var quality = 1.0
                for parameter in parts.dropFirst() {
                    let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    if pair.count == 2, pair[0].lowercased() == "q" { quality = Double(pair[1]) ?? 0 }
                }
                if coding == "gzip" || coding == "x-gzip" {
                    gzip = max(gzip ?? 0, quality)
                } else if coding == "*" {
                    any = quality
                }
            }
        }
        return (gzip ?? any ?? 0) > 0
    }

    /// Text formats only: images, PDFs, archives and streams are left alone.
    static func compressible(contentType: String?) -> Bool {
        guard let type = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() else { return false }
        if type == "text/event-stream" { return false }
        if type.hasPrefix("text/") { return true }
        return type == "application/json" || type.hasSuffix("+json") || type == "application/javascript"
            || type == "image/svg+xml" || type == "application/xml" || type.hasSuffix("+xml")
    }

    /// The gzip form of `body`, in a buffer of its own size (nil if zlib refused, never seen).
    static func compress(_ body: ByteBuffer, level: ZlibConfiguration.CompressionLevel = .defaultCompressionLevel) -> ByteBuffer? {
        var input = body
        guard let output = try? input.compress(with: .gzip, configuration: .init(compressionLevel: level)) else { return nil }
        // The compressor allocates for the worst case (the input's size): keep only what was written.
        var exact = ByteBufferAllocator().buffer(capacity: output.readableBytes)
        exact.writeImmutableBuffer(output)
        return exact
    }

    /// Adds `Accept-Encoding` to the response's `Vary`, keeping what is there.
    static func addVary(to headers: inout HTTPFields) {
        let existing = headers[values: .vary]
        if existing.contains(where: { $0.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces).lowercased() == "accept-encoding" || $0.trimmingCharacters(in: .whitespaces) == "*" } }) {
            return
        }
        if existing.isEmpty {
            headers[.vary] = "Accept-Encoding"
        } else {
            headers[.vary] = (existing + ["Accept-Encoding"]).joined(separator: ", ")
        }
    }

    /// An answer kept in memory in both forms (static assets, cached pages): whichever the client
    /// takes is sent as it is, without compressing anything per request.
    static func response(
        status: HTTPResponse.Status = .ok, headers: HTTPFields, plain: ByteBuffer, gzip: ByteBuffer?, request: Request
    ) -> Response {
        var headers = headers
        headers[.contentLength] = nil  // set again for the body sent
        guard let gzip else { return Response(status: status, headers: headers, body: .init(byteBuffer: plain)) }
        addVary(to: &headers)
        if accepted(by: request.headers) {
            headers[.contentEncoding] = "gzip"
            return Response(status: status, headers: headers, body: .init(byteBuffer: gzip))
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: plain))
    }
}

/// Compresses text answers for clients that accept gzip, and says `Vary: Accept-Encoding` on every
/// answer that could have been compressed. Sits outside the error middleware (error pages are
/// compressed too) and inside the metrics and request-id middlewares. Answers that already carry a
/// `Content-Encoding` (the cached pages and static assets, compressed once ahead) pass as they are.
///
/// A strong `ETag` on a compressed answer becomes weak (`W/"…"`), since the bytes differ from the
/// plain answer's; `If-None-Match` compares weakly (RFC 9110), so a weak tag sent back is read as
/// its strong form before the handlers compare it, and a 304 answers with the tag the client has.
struct CompressionMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        let sentWeakTag = request.headers[.ifNoneMatch]?.hasPrefix("W/") == true
        if sentWeakTag, let tag = request.headers[.ifNoneMatch] {
            var head = request.head
            head.headerFields[.ifNoneMatch] = String(tag.dropFirst(2))
            request = Request(head: head, body: request.body)
        }
        var response = try await next(request, context)
        let accepts = Gzip.accepted(by: request.headers)

        if response.status == .notModified {
            if sentWeakTag, accepts, let tag = response.headers[.eTag], !tag.hasPrefix("W/") { response.headers[.eTag] = "W/" + tag }
            return response
        }
        guard Gzip.compressible(contentType: response.headers[.contentType]),
              let length = response.body.contentLength, length >= Gzip.minimumSize, length <= Gzip.maximumSize,
              response.status != .noContent, response.status != .partialContent,
              response.status.kind != .informational,
              response.headers[.contentRange] == nil
        else { return response }
        Gzip.addVary(to: &response.headers)
        guard accepts, response.headers[.contentEncoding] == nil else { return response }
        // BREACH: another site's page can make a browser ask with the visitor's cookies and text of
        // its choosing reflected in the answer, and learn a secret on the page (a CSRF token) from
        // how the compressed size changes. Such requests come marked cross-site: their answers are
        // sent plain. Cached public pages hold no secret and stay compressed (they do not pass here).
        if request.headers[.secFetchSite] == "cross-site", request.headers[.cookie] != nil { return response }

        let plain = try await Self.collect(response.body, capacity: length)
        let compressed = plain.readableBytes > Gzip.offloadSize
            ? try await CPUWork.run { Gzip.compress(plain) }
            : Gzip.compress(plain)
        guard let compressed, compressed.readableBytes < plain.readableBytes else {
            response.body = .init(byteBuffer: plain)
            return response
        }
        response.headers[.contentEncoding] = "gzip"
        if let tag = response.headers[.eTag], !tag.hasPrefix("W/") { response.headers[.eTag] = "W/" + tag }
        response.body = .init(byteBuffer: compressed)
        return response
    }

    /// The body's bytes, written into memory (its length is known and bounded).
    static func collect(_ body: ResponseBody, capacity: Int) async throws -> ByteBuffer {
        let sink = Sink(buffer: ByteBufferAllocator().buffer(capacity: capacity))
        try await body.write(CollectingWriter(sink: sink))
        return sink.buffer
    }

    final class Sink {
        var buffer: ByteBuffer
        init(buffer: ByteBuffer) { self.buffer = buffer }
    }

    struct CollectingWriter: ResponseBodyWriter {
        let sink: Sink
        mutating func write(_ buffer: ByteBuffer) async throws {
            var buffer = buffer
            sink.buffer.writeBuffer(&buffer)
        }
        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}
