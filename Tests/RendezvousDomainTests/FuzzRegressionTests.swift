import Foundation
import RendezvousDomain
import Testing

/// Inputs `make fuzz` (Fuzz/, libFuzzer) found that broke a property, kept as tests.
@Suite struct FuzzRegressionTests {
    /// FuzzCSV: an export read back must give the same cells.
    @Test(arguments: [
        // A note typed in a textarea: browsers send CRLF, which is one Character, neither "\r" nor "\n".
        [["First name", "Note"], ["Anne", "line one\r\nline two"]],
        // A question label with a tab: the header line looked tab-separated.
        [["Email", "Allergies\tdiet"], ["a@example.org", "none"]],
        // A semicolon inside a quoted column name counted as a separator.
        [["Email", "Dietary; allergies", "Name"], ["a@example.org", "none", "Anne"]],
        // A cell starting with a combining accent after the comma: ",\u{301}" is one Character.
        [["Name", "Email"], ["\u{301}Anne", "a@example.org"]],
        // A quote followed by a combining accent was not doubled.
        [["Name", "Note"], ["Anne", "say \"\u{656}hi\""]],
        // Only one column in the header, several in the rows.
        [["Email"], ["a@example.org", "extra"]],
    ])
    func csvExportReadsBack(_ rows: [[String]]) throws {
        #expect(try CSV.parse(CSV.write(rows)) == rows)
    }

    @Test func csvSeparatorsAreScalarsNotCharacters() throws {
        #expect(try CSV.parse("a,\u{301}b\r\n") == [["a", "\u{301}b"]])
        #expect(try CSV.parse("\"Nom;complet\",Email,Ville\nAnne,a@example.org,Albi\n") == [["Nom;complet", "Email", "Ville"], ["Anne", "a@example.org", "Albi"]])
        #expect(try CSV.parse("name,email\rA,a@example.org\r") == [["name", "email"], ["A", "a@example.org"]])
    }

    /// The separator is counted outside quotes as the parser reads them: a stray quote inside a
    /// column name is text (it hid every separator after it), a doubled one stays in its field.
    @Test func csvSeparatorDetectionReadsQuotesAsTheParserDoes() throws {
        #expect(try CSV.parse("Taille 12\";Email;Nom\nM;a@example.org;Anne\n") == [["Taille 12\"", "Email", "Nom"], ["M", "a@example.org", "Anne"]])
        #expect(try CSV.parse("\"Nom \"\"court\"\", complet\";Email\nAnne;a@example.org\n") == [["Nom \"court\", complet", "Email"], ["Anne", "a@example.org"]])
    }

    /// FuzzICalendar: one character longer than a line (a letter with many accents, an emoji
    /// sequence) made a line of more than 75 octets.
    @Test func iCalendarLinesStayWithin75OctetsWhateverTheCharacters() {
        let long = "e" + String(repeating: "\u{301}", count: 60) + " 👩🏽‍💻👨‍👩‍👧‍👦🏳️‍🌈"
        let entry = ICalendar.Entry(uid: "e@x", sequence: 0, title: long, description: long + long, location: "", url: "",
                                    startsAt: Date(timeIntervalSince1970: 4_000_000_000), endsAt: Date(timeIntervalSince1970: 4_000_003_600),
                                    cancelled: false, organizerName: long, organizerEmail: "o@example.org")
        let calendar = ICalendar.calendar(name: long, zone: TimeZone(identifier: "Europe/Paris")!, entries: [entry])
        let lines = calendar.utf8.split(separator: UInt8(ascii: "\n")).map { Array($0) }
        #expect(lines.allSatisfy { $0.count <= 76 && $0.last == 13 })
        #expect(lines.allSatisfy { String(validating: $0, as: UTF8.self) != nil })
        // Unfolded as calendars do, octet by octet (a continuation may start with a combining accent).
        var octets = Array(calendar.utf8)
        while let fold = octets.indices.dropLast(2).first(where: { octets[$0] == 13 && octets[$0 + 1] == 10 && octets[$0 + 2] == 32 }) {
            octets.removeSubrange(fold...(fold + 2))
        }
        let unfolded = String(decoding: octets, as: UTF8.self).components(separatedBy: "\r\n")
        #expect(unfolded.contains("SUMMARY:" + long))
    }
}
