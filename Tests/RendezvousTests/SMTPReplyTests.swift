import Foundation
@testable import RendezvousMail
import Testing

/// The SMTP client's reading of the server's replies (SMTPReply; fuzzed by `make fuzz`).
@Suite struct SMTPReplyTests {
    @Test func readsSingleAndMultiLineReplies() throws {
        let replies = try SMTPReply.parse(Array("220 mail.example.org ESMTP\r\n250-mail.example.org\r\n250-AUTH PLAIN LOGIN\r\n250 SMTPUTF8\r\n354\r\n".utf8))
        #expect(replies == [SMTPReply(code: 220, lines: ["mail.example.org ESMTP"]),
                            SMTPReply(code: 250, lines: ["mail.example.org", "AUTH PLAIN LOGIN", "SMTPUTF8"]),
                            SMTPReply(code: 354, lines: [""])])
    }

    @Test(arguments: ["+25 signed", "-12 negative", "25 short", "2x0 letters", "250x glued", "099 too low", "600 too high", "250-one\r\n251 other code"])
    func refusesWhatIsNotAReplyCode(_ text: String) {
        #expect(throws: SMTPReply.Problem.self) { try SMTPReply.parse(Array((text + "\r\n").utf8)) }
    }

    @Test func linesCutAnywhereByTheNetworkReadTheSame() throws {
        let bytes = Array("250-caf\u{e9}\r\n250 d\u{e9}j\u{e0} vu\r\n".utf8)
        for cut in 1..<bytes.count {
            var splitter = SMTPReply.LineSplitter()
            var reader = SMTPReply.Reader()
            var replies: [SMTPReply] = []
            for chunk in [bytes[..<cut], bytes[cut...]] {
                for line in try splitter.append(chunk) { if let reply = try reader.read(line) { replies.append(reply) } }
            }
            #expect(replies == [SMTPReply(code: 250, lines: ["café", "déjà vu"])], "cut at \(cut)")
        }
    }

    @Test func aServerThatNeverEndsItsLineIsCutOff() {
        var splitter = SMTPReply.LineSplitter()
        #expect(throws: SMTPReply.Problem.tooLong) {
            for _ in 0..<100 { _ = try splitter.append(Array(repeating: UInt8(ascii: "a"), count: 100)) }
        }
        var reader = SMTPReply.Reader()
        #expect(throws: SMTPReply.Problem.tooLong) {
            for _ in 0...SMTPReply.maxLines { _ = try reader.read("250-more") }
        }
    }
}
