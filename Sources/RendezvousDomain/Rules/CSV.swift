import Foundation

/// CSV as spreadsheets expect it: UTF-8 with a byte-order mark (so Excel reads accents right),
/// CRLF line ends, quotes doubled, and cells that a spreadsheet would run as a formula neutralised.
public enum CSV {
    public static let byteOrderMark = "\u{FEFF}"

    public static func write(_ rows: [[String]]) -> String {
        byteOrderMark + rows.map { $0.map(cell).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// A cell beginning with = + - @ (or a tab or carriage return) is run as a formula by
    /// spreadsheets: a leading apostrophe makes it text.
    static func neutralised(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) else { return value }
        return "'" + value
    }

    /// A cell as written: neutralised, then quoted if needed.
    public static func cell(_ value: String) -> String {
        let text = neutralised(value)
        // Quoted when it holds any separator the importer recognises (comma, semicolon, tab) or a
        // line break, looked for among Unicode scalars as the importer reads them (a textarea's
        // CRLF, or a comma followed by a combining accent, is a single Character).
        if text.unicodeScalars.contains(where: { [",", "\"", ";", "\t", "\n", "\r"].contains($0) }) {
            var quoted = String.UnicodeScalarView()
            quoted.append("\"")
            for scalar in text.unicodeScalars {
                quoted.append(scalar)
                if scalar == "\"" { quoted.append("\"") }
            }
            quoted.append("\"")
            return String(quoted)
        }
        return text
    }

    public enum ParseError: Error, Equatable {
        case unterminatedQuote(line: Int)
        case tooLarge
    }

    /// The separator the header line uses most, counting only outside quotes (a quoted column name
    /// may hold a semicolon or a line break); a comma when it holds none.
    static func detectSeparator(_ text: Substring.UnicodeScalarView) -> Unicode.Scalar {
        var counts: [Unicode.Scalar: Int] = [",": 0, ";": 0, "\t": 0]
        // Quotes as `parse` reads them: one opens a quoted field only as its first character (a
        // stray one, as in `Taille 12";Email`, is text), and a doubled one inside stays inside.
        var inQuotes = false
        var fieldStart = true
        var index = text.startIndex
        while index < text.endIndex {
            let scalar = text[index]
            index = text.index(after: index)
            if inQuotes {
                guard scalar == "\"" else { continue }
                if index < text.endIndex, text[index] == "\"" { index = text.index(after: index) } else { inQuotes = false }
            } else if scalar == "\"" && fieldStart {
                inQuotes = true
                fieldStart = false
            } else if scalar == "\n" || scalar == "\r" {
                break
            } else if counts[scalar] != nil {
                counts[scalar]! += 1
                fieldStart = true
            } else {
                fieldStart = false
            }
        }
        // A tie goes to the first of semicolon, tab, comma; a header line without any, to the comma.
        let most: Unicode.Scalar = [";", "\t", ","].max { a, b in counts[a]! < counts[b]! } ?? ","
        return counts[most]! > 0 ? most : ","
    }

    /// Parses RFC 4180 CSV (comma, semicolon or tab separated, detected from the header line),
    /// with or without a byte-order mark, CRLF, LF or CR line ends, quoted fields with embedded
    /// separators, quotes and newlines. Read scalar by scalar, not character by character: a
    /// separator followed by a combining accent still separates.
    public static func parse(_ input: String, maxRows: Int = 10_000) throws -> [[String]] {
        var text = Substring(input).unicodeScalars
        if text.first == "\u{FEFF}" { text = text.dropFirst() }
        let separator = detectSeparator(text)
        var rows: [[String]] = []
        var row: [String] = []
        var field = String.UnicodeScalarView()
        var inQuotes = false
        var line = 1
        var quoteStartLine = 1
        var index = text.startIndex
        while index < text.endIndex {
            let scalar = text[index]
            let next = text.index(after: index)
            if inQuotes {
                if scalar == "\"" {
                    if next < text.endIndex, text[next] == "\"" {
                        field.append("\"")
                        index = next
                    } else {
                        inQuotes = false
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.append(scalar)
                }
            } else if scalar == "\"" && field.isEmpty {
                inQuotes = true
                quoteStartLine = line
            } else if scalar == separator {
                row.append(String(field))
                field = String.UnicodeScalarView()
            } else if scalar == "\n" || scalar == "\r" {
                // CRLF is one line end.
                if scalar == "\r", next < text.endIndex, text[next] == "\n" { index = next }
                row.append(String(field))
                field = String.UnicodeScalarView()
                if !(row.count == 1 && row[0].isEmpty) { rows.append(row) }
                row = []
                line += 1
                if rows.count > maxRows { throw ParseError.tooLarge }
            } else {
                field.append(scalar)
            }
            index = text.index(after: index)
        }
        if inQuotes { throw ParseError.unterminatedQuote(line: quoteStartLine) }
        if !field.isEmpty || !row.isEmpty {
            row.append(String(field))
            rows.append(row)
        }
        return rows
    }
}

/// Reads attendee lists exported by the tools chapters use today (Eventbrite, Meetup, a spreadsheet),
/// by recognising their column names in English and French.
public enum AttendeeImport {
    public struct Row: Sendable, Equatable {
        public var line: Int
        public var input: RegistrationInput
    }

    public struct Rejection: Sendable, Equatable {
        public var line: Int
        public var reason: String
    }

    public enum Column: String, CaseIterable, Sendable {
        case firstName, lastName, fullName, email, jobTitle, company, linkedin, status
    }

    static let aliases: [Column: [String]] = [
        .firstName: ["first name", "firstname", "given name", "prenom", "attendee first name"],
        .lastName: ["last name", "lastname", "surname", "family name", "nom de famille", "attendee last name"],
        .fullName: ["name", "full name", "nom", "nom complet", "attendee name"],
        .email: ["email", "e-mail", "email address", "e-mail address", "adresse e-mail", "adresse email", "courriel", "attendee email"],
        .jobTitle: ["job title", "title", "fonction", "poste", "job"],
        .company: ["company", "organization", "organisation", "entreprise", "societe", "company name"],
        .linkedin: ["linkedin", "linkedin url", "linkedin profile", "profil linkedin"],
        .status: ["attendee status", "rsvp", "status", "statut", "response"],
    ]

    static func normalize(_ header: String) -> String {
        header.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
            .replacingOccurrences(of: "_", with: " ")
            .trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "\u{FEFF}\"")))
            .lowercased()
    }

    /// Which column index holds what, from the header row.
    public static func mapColumns(_ header: [String]) -> [Column: Int] {
        var mapping: [Column: Int] = [:]
        for (index, name) in header.enumerated() {
            let normalized = normalize(name)
            for column in Column.allCases where mapping[column] == nil && aliases[column]!.contains(normalized) {
                mapping[column] = index
                break
            }
        }
        return mapping
    }

    /// Statuses that mean the person is not coming.
    static let declined: Set<String> = ["no", "non", "not attending", "cancelled", "canceled", "refunded", "declined", "annule", "annulee"]

    /// Turns parsed CSV rows into registration inputs, and says why each other row was left out.
    public static func read(_ rows: [[String]]) -> (rows: [Row], rejected: [Rejection], missingColumns: [Column]) {
        guard let header = rows.first else { return ([], [], [.email]) }
        let columns = mapColumns(header)
        var missing: [Column] = []
        if columns[.email] == nil { missing.append(.email) }
        if columns[.firstName] == nil && columns[.fullName] == nil { missing.append(.firstName) }
        guard missing.isEmpty else { return ([], [], missing) }
        var accepted: [Row] = []
        var rejected: [Rejection] = []
        for (offset, row) in rows.dropFirst().enumerated() {
            let line = offset + 2
            func value(_ column: Column) -> String? {
                guard let index = columns[column], index < row.count else { return nil }
                let text = row[index].trimmingCharacters(in: .whitespacesAndNewlines)
                return text.isEmpty ? nil : text
            }
            if let status = value(.status), declined.contains(normalize(status)) {
                rejected.append(Rejection(line: line, reason: "status \"\(status)\": not attending"))
                continue
            }
            var first = value(.firstName)
            var last = value(.lastName)
            if first == nil, let full = value(.fullName) {
                let parts = full.split(separator: " ", maxSplits: 1).map(String.init)
                first = parts.first
                last = last ?? (parts.count > 1 ? parts[1] : nil)
            }
            accepted.append(Row(line: line, input: RegistrationInput(
                firstName: first, lastName: last ?? "", email: value(.email), jobTitle: value(.jobTitle),
                company: value(.company), linkedinUrl: value(.linkedin))))
        }
        return (accepted, rejected, [])
    }
}
