import Foundation
import Hummingbird
import NIOCore

/// A `multipart/form-data` body (RFC 7578), as a browser posts a form with a file input. Strict:
/// anything that is not the shape browsers send (a part without a name, headers past 8 KiB, more
/// than 64 parts, a missing closing delimiter) is refused whole rather than half-read.
struct MultipartForm: Sendable {
    struct File: Sendable, Equatable {
        var filename: String
        /// What the browser claims; never trusted for what the bytes are.
        var contentType: String
        var bytes: [UInt8]
    }

    enum ParseError: Error, Equatable {
        case notMultipart
        case malformed
        case tooManyParts
    }

    /// Text fields, last value wins (as `FormFields`).
    private(set) var fields: [String: String] = [:]
    /// File fields with a file chosen; an empty file input (no filename, no bytes) is left out.
    private(set) var files: [String: File] = [:]

    /// A body larger than this is refused before it is read whole: the largest upload (a cover
    /// or photo straight from a phone, 8 MiB: `ImageProcessor.maxBytes`) and the fields around it.
    /// Each form checks its own file's limit (a quiz picture: 2 MiB).
    static let maxBodySize = 8 * 1024 * 1024 + 64 * 1024
    static let maxParts = 64
    static let maxHeaderSize = 8 * 1024

    subscript(_ name: String) -> String? { fields[name] }

    func text(_ name: String) -> String { fields[name] ?? "" }

    /// The boundary of a `multipart/form-data` Content-Type, or nil for any other type.
    static func boundary(contentType: String?) -> String? {
        guard let contentType else { return nil }
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.lowercased() == "multipart/form-data" else { return nil }
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            // RFC 2046: 1 to 70 characters, no control characters.
            guard (1...70).contains(value.utf8.count), value.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) else { return nil }
            return value
        }
        return nil
    }

    init(fields: [String: String] = [:], files: [String: File] = [:]) {
        self.fields = fields
        self.files = files
    }

    init(_ buffer: ByteBuffer, contentType: String?) throws {
        guard let boundary = Self.boundary(contentType: contentType) else { throw ParseError.notMultipart }
        try self.init(Array(buffer.readableBytesView), boundary: boundary)
    }

    init(_ body: [UInt8], boundary: String) throws {
        let dashBoundary = Array("--\(boundary)".utf8)
        let delimiter = Array("\r\n--\(boundary)".utf8)
        // The body opens with the first delimiter (a preamble before it is allowed and ignored).
        guard let first = Self.find(dashBoundary, in: body, from: 0) else { throw ParseError.malformed }
        var position = first + dashBoundary.count
        var count = 0
        while true {
            // After a delimiter: "--" closes the body, CRLF opens a part.
            guard position + 2 <= body.count else { throw ParseError.malformed }
            if body[position] == UInt8(ascii: "-"), body[position + 1] == UInt8(ascii: "-") { return }
            guard body[position] == 13, body[position + 1] == 10 else { throw ParseError.malformed }
            position += 2
            count += 1
            guard count <= Self.maxParts else { throw ParseError.tooManyParts }
            guard let headerEnd = Self.find([13, 10, 13, 10], in: body, from: position),
                  headerEnd - position <= Self.maxHeaderSize else { throw ParseError.malformed }
            let headers = try Self.headers(body[position..<headerEnd])
            let contentStart = headerEnd + 4
            guard let end = Self.find(delimiter, in: body, from: contentStart) else { throw ParseError.malformed }
            let content = Array(body[contentStart..<end])
            position = end + delimiter.count
            guard let disposition = headers["content-disposition"], let parameters = Self.disposition(disposition),
                  let name = parameters["name"], !name.isEmpty else { throw ParseError.malformed }
            if let filename = parameters["filename"] {
                if filename.isEmpty && content.isEmpty { continue }
                files[name] = File(filename: filename, contentType: headers["content-type"] ?? "application/octet-stream", bytes: content)
            } else {
                guard let text = String(validating: content, as: UTF8.self) else { throw ParseError.malformed }
                // Browsers send text areas with CRLF; the url-encoded form gives the same text.
                fields[name] = text
            }
        }
    }

    /// A part's headers, names lowercased. Only ASCII header lines are accepted, except in the
    /// filename, which browsers send as UTF-8.
    static func headers(_ bytes: ArraySlice<UInt8>) throws -> [String: String] {
        guard let text = String(validating: Array(bytes), as: UTF8.self) else { throw ParseError.malformed }
        var headers: [String: String] = [:]
        for line in text.components(separatedBy: "\r\n") where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { throw ParseError.malformed }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            guard !name.isEmpty, !name.contains(" ") else { throw ParseError.malformed }
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return headers
    }

    /// `form-data; name="picture"; filename="a.png"` as its parameters; nil if not form-data.
    /// Browsers escape a quote in a value as %22 and leave everything else as typed.
    static func disposition(_ value: String) -> [String: String]? {
        var rest = Substring(value)
        func skipSpaces() { while rest.first == " " || rest.first == "\t" { rest = rest.dropFirst() } }
        skipSpaces()
        let type = rest.prefix { $0 != ";" }
        guard type.trimmingCharacters(in: .whitespaces).lowercased() == "form-data" else { return nil }
        rest = rest.dropFirst(type.count)
        var parameters: [String: String] = [:]
        while rest.first == ";" {
            rest = rest.dropFirst()
            skipSpaces()
            let name = rest.prefix { $0 != "=" && $0 != ";" }
            rest = rest.dropFirst(name.count)
            guard rest.first == "=" else { return nil }
            rest = rest.dropFirst()
            let parameter: String
            if rest.first == "\"" {
                rest = rest.dropFirst()
                guard let close = rest.firstIndex(of: "\"") else { return nil }
                parameter = String(rest[..<close])
                rest = rest[rest.index(after: close)...]
            } else {
                let token = rest.prefix { $0 != ";" }
                parameter = token.trimmingCharacters(in: .whitespaces)
                rest = rest.dropFirst(token.count)
            }
            parameters[name.trimmingCharacters(in: .whitespaces).lowercased()] = parameter
            skipSpaces()
        }
        guard rest.isEmpty else { return nil }
        return parameters
    }

    /// The first index of `needle` in `haystack` at or after `start`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var index = start
        let last = haystack.count - needle.count
        return haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pin in
                while index <= last {
                    if hay[index] == first {
                        var matched = true
                        for offset in 1..<pin.count where hay[index + offset] != pin[offset] {
                            matched = false
                            break
                        }
                        if matched { return index }
                    }
                    index += 1
                }
                return nil
            }
        }
    }
}

extension MultipartForm {
    /// A posted form that may carry files: multipart, or url-encoded from a client without a file
    /// (its fields only). A multipart body that cannot be read is a 400.
    static func read(_ request: Request) async throws -> MultipartForm {
        let body = try await request.body.collect(upTo: maxBodySize)
        guard boundary(contentType: request.headers[.contentType]) != nil else {
            return MultipartForm(fields: FormFields(String(buffer: body)).values)
        }
        do {
            return try MultipartForm(body, contentType: request.headers[.contentType])
        } catch {
            throw AppError.badRequest(detail: nil)
        }
    }
}
