import Foundation

/// An email as RFC 5322 + MIME: text and HTML alternatives, optional attachments, every header
/// value that is not plain ASCII encoded, every body base64-wrapped, so nothing a user typed can
/// add a header or end the message.
public struct MailMessage: Sendable, Equatable {
    public struct Address: Sendable, Equatable {
        public var name: String
        public var email: String
        public init(name: String = "", email: String) {
            self.name = name
            self.email = email
        }
    }

    public struct Attachment: Sendable, Equatable {
        public var filename: String
        public var contentType: String
        public var data: Data
        public init(filename: String, contentType: String, data: Data) {
            self.filename = filename
            self.contentType = contentType
            self.data = data
        }
    }

    /// An image the HTML shows by `cid:` (the ticket's QR code), sent with it in multipart/related.
    public struct InlineImage: Sendable, Equatable {
        public var contentID: String
        public var filename: String
        public var contentType: String
        public var data: Data
        public init(contentID: String, filename: String, contentType: String = "image/png", data: Data) {
            self.contentID = contentID
            self.filename = filename
            self.contentType = contentType
            self.data = data
        }
    }

    public var from: Address
    public var to: Address
    /// Where replies go (the chapter's organisers or its Reply-To address), when not to `from`.
    public var replyTo: [Address]
    public var subject: String
    public var text: String
    public var html: String
    public var messageID: String
    public var date: Date
    /// Automatic messages say so (RFC 3834), so auto-responders stay quiet.
    public var autoSubmitted: Bool
    /// For anything not strictly transactional: the one-click unsubscribe address (RFC 8058).
    public var unsubscribeURL: String?
    public var attachments: [Attachment]
    public var inlineImages: [InlineImage]
    public var language: String

    public init(from: Address, to: Address, replyTo: [Address] = [], subject: String, text: String, html: String, messageID: String, date: Date = Date(),
                autoSubmitted: Bool = true, unsubscribeURL: String? = nil, attachments: [Attachment] = [], inlineImages: [InlineImage] = [],
                language: String = "en") {
        self.from = from
        self.to = to
        self.replyTo = replyTo
        self.subject = subject
        self.text = text
        self.html = html
        self.messageID = messageID
        self.date = date
        self.autoSubmitted = autoSubmitted
        self.unsubscribeURL = unsubscribeURL
        self.attachments = attachments
        self.inlineImages = inlineImages
        self.language = language
    }

    /// The whole message, CRLF line ends, ready for SMTP DATA (before dot-stuffing) or an .eml file.
    public func rendered() -> String {
        let boundary = "rv-" + messageID.filter { $0.isLetter || $0.isNumber }.prefix(24)
        var headers = [
            "Date: \(Self.rfc5322Date(date))",
            "From: \(Self.address(from))",
            "To: \(Self.address(to))",
        ]
        if !replyTo.isEmpty { headers.append("Reply-To: " + replyTo.map(Self.address).joined(separator: ", ")) }
        headers += [
            "Subject: \(Self.encodedWord(subject))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Content-Language: \(language)",
        ]
        if autoSubmitted { headers.append("Auto-Submitted: auto-generated") }
        if let unsubscribeURL {
            headers.append("List-Unsubscribe: <\(unsubscribeURL)>")
            headers.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
        }
        var body: [String] = []
        let alternative = "\(boundary)-alt"
        func part(_ contentType: String, _ data: Data, extra: [String] = []) -> [String] {
            ["Content-Type: \(contentType)", "Content-Transfer-Encoding: base64"] + extra + ["", Self.base64Lines(data)]
        }
        var alternatives = ["--\(alternative)"] + part("text/plain; charset=utf-8", Data(text.utf8))
            + ["--\(alternative)"] + part("text/html; charset=utf-8", Data(html.utf8)) + ["--\(alternative)--"]
        var content = "multipart/alternative; boundary=\"\(alternative)\""
        if !inlineImages.isEmpty {
            // The HTML and the images it shows by cid: one multipart/related (RFC 2387).
            let related = "\(boundary)-rel"
            var parts = ["--\(related)", "Content-Type: \(content)", ""] + alternatives
            for image in inlineImages {
                let name = Self.safeFilename(image.filename)
                let id = image.contentID.filter { $0.isLetter || $0.isNumber || "-._@".contains($0) }
                parts += ["--\(related)"] + part("\(image.contentType); name=\"\(name)\"", image.data,
                                                  extra: ["Content-ID: <\(id)>", "Content-Disposition: inline; filename=\"\(name)\""])
            }
            alternatives = parts + ["--\(related)--"]
            content = "multipart/related; type=\"multipart/alternative\"; boundary=\"\(related)\""
        }
        if attachments.isEmpty {
            headers.append("Content-Type: \(content)")
            body = alternatives
        } else {
            headers.append("Content-Type: multipart/mixed; boundary=\"\(boundary)\"")
            body = ["--\(boundary)", "Content-Type: \(content)", ""] + alternatives
            for attachment in attachments {
                let name = Self.safeFilename(attachment.filename)
                body += ["--\(boundary)"] + part("\(attachment.contentType); name=\"\(name)\"", attachment.data,
                                                  extra: ["Content-Disposition: attachment; filename=\"\(name)\""])
            }
            body.append("--\(boundary)--")
        }
        return (headers.map(Self.foldHeader) + [""] + body).joined(separator: "\r\n") + "\r\n"
    }

    static func base64Lines(_ data: Data) -> String {
        let encoded = data.base64EncodedString()
        var lines: [Substring] = []
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(encoded[index..<end])
            index = end
        }
        return lines.joined(separator: "\r\n")
    }

    /// RFC 2047 encoded-word for any header text that is not printable ASCII; line breaks removed.
    static func encodedWord(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if flat.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) && !flat.contains("=?") { return flat }
        // Chunks of whole characters, each encoded word at most 75 characters.
        var words: [String] = []
        var chunk = ""
        for character in flat {
            if (chunk + String(character)).utf8.count > 45 {
                words.append("=?UTF-8?B?\(Data(chunk.utf8).base64EncodedString())?=")
                chunk = ""
            }
            chunk.append(character)
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(Data(chunk.utf8).base64EncodedString())?=") }
        return words.joined(separator: " ")
    }

    static func address(_ address: Address) -> String {
        let email = address.email.filter { !$0.isWhitespace && $0 != "<" && $0 != ">" && $0 != "," && $0 != ";" }
        guard !address.name.isEmpty else { return "<\(email)>" }
        let name = address.name.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        let plain = name.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }
        let shown = plain ? "\"\(name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\"" : encodedWord(name)
        return "\(shown) <\(email)>"
    }

    static func safeFilename(_ name: String) -> String {
        String(name.unicodeScalars.filter { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || ".-_".unicodeScalars.contains($0)) }.map(Character.init)).prefix(60).description
    }

    /// Long header lines fold at spaces (RFC 5322 §2.2.3).
    static func foldHeader(_ line: String) -> String {
        guard line.utf8.count > 78 else { return line }
        var result = ""
        var current = ""
        var first = true
        for word in line.split(separator: " ", omittingEmptySubsequences: false) {
            // Never fold between the field name and its first word.
            defer { first = false }
            if !current.isEmpty, !(first || current.hasSuffix(":") && !current.contains(" ")), current.utf8.count + word.utf8.count + 1 > 76 {
                result += current + "\r\n"
                current = " " + word
            } else {
                current += current.isEmpty ? String(word) : " " + word
            }
        }
        return result + current
    }

    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
