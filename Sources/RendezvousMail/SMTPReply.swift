import Foundation

/// The server's side of an SMTP conversation, read without any networking (RFC 5321 §4.2): bytes
/// split into CRLF lines, lines gathered into replies. Foundation only, so the fuzzer
/// (`make fuzz`, Fuzz/) compiles it on its own.
public struct SMTPReply: Sendable, Equatable {
    /// The three-digit reply code (200…599).
    public var code: Int
    /// The text of each line, after the code and its separator.
    public var lines: [String]

    /// RFC 5321 allows 512 octets per reply line; a server that sends far more without a line
    /// break is not an SMTP server, and is not allowed to fill our memory.
    public static let maxLineLength = 4096
    /// Enough for the longest EHLO answer seen in the wild, several times over.
    public static let maxLines = 200

    public enum Problem: Error, Equatable, CustomStringConvertible {
        /// A line whose first three characters are not a reply code, or whose fourth is neither a
        /// space nor a hyphen, or a multi-line reply whose lines change code.
        case garbled(String)
        /// A line longer than `maxLineLength`, or a reply of more than `maxLines` lines.
        case tooLong

        public var description: String {
            switch self {
            case .garbled(let line): "garbled reply: \(line)"
            case .tooLong: "reply longer than an SMTP server sends"
            }
        }
    }

    /// Splits the bytes received so far into CRLF-terminated lines (without the CRLF); what
    /// follows the last CRLF stays in `pending` until more bytes come.
    public struct LineSplitter: Sendable {
        public private(set) var pending: [UInt8] = []

        public init() {}

        /// Bytes received that do not make a whole line yet.
        public var hasPartialLine: Bool { !pending.isEmpty }

        public mutating func append<Bytes: Sequence>(_ bytes: Bytes) throws(Problem) -> [String] where Bytes.Element == UInt8 {
            pending.append(contentsOf: bytes)
            var lines: [String] = []
            var start = 0
            var index = 0
            while index + 1 < pending.count {
                if pending[index] == 13, pending[index + 1] == 10 {
                    lines.append(String(decoding: pending[start..<index], as: UTF8.self))
                    index += 2
                    start = index
                } else {
                    index += 1
                }
            }
            pending.removeFirst(start)
            if pending.count > SMTPReply.maxLineLength { throw .tooLong }
            return lines
        }
    }

    /// Gathers lines into replies: `250-…` lines continue, `250 …` (or a bare `250`) ends one.
    public struct Reader: Sendable {
        var collected: [String] = []
        var code: Int?

        public init() {}

        /// The whole reply this line ends, or nil when the reply goes on.
        public mutating func read(_ line: String) throws(Problem) -> SMTPReply? {
            let bytes = Array(line.utf8)
            guard bytes.count >= 3, bytes[0...2].allSatisfy({ (48...57).contains($0) }),
                  bytes.count == 3 || bytes[3] == UInt8(ascii: " ") || bytes[3] == UInt8(ascii: "-") else {
                throw .garbled(String(line.prefix(80)))
            }
            let lineCode = Int(bytes[0] - 48) * 100 + Int(bytes[1] - 48) * 10 + Int(bytes[2] - 48)
            guard (200...599).contains(lineCode), code == nil || code == lineCode else { throw .garbled(String(line.prefix(80))) }
            code = lineCode
            collected.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
            guard collected.count <= SMTPReply.maxLines else { throw .tooLong }
            guard bytes.count == 3 || bytes[3] == UInt8(ascii: " ") else { return nil }
            defer { collected = []; code = nil }
            return SMTPReply(code: lineCode, lines: collected)
        }
    }

    /// Every complete reply in a transcript (the fuzzer's view of a whole conversation).
    public static func parse<Bytes: Sequence>(_ bytes: Bytes) throws(Problem) -> [SMTPReply] where Bytes.Element == UInt8 {
        var splitter = LineSplitter()
        var reader = Reader()
        var replies: [SMTPReply] = []
        for line in try splitter.append(bytes) {
            if let reply = try reader.read(line) { replies.append(reply) }
        }
        return replies
    }
}
