import Foundation
import RendezvousDomain

/// The iCalendar writer with strangers' text in every field (title, description, venue, URL,
/// organiser name and address, calendar name; split on NUL bytes). Whatever the text:
/// - every physical line ends with CRLF, holds no other CR or LF, and is at most 75 octets;
/// - unfolded (RFC 5545 §3.1), the calendar has exactly the properties the writer meant, in order:
///   no text starts a property of its own;
/// - each TEXT value unescapes to the field as given (control characters other than LF dropped),
///   and holds no unescaped `,` `;` or `\`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzICalendar(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let text = String(decoding: bytes, as: UTF8.self)
    var fields = text.split(separator: "\u{0}", omittingEmptySubsequences: false).map(String.init)
    while fields.count < 7 { fields.append("") }
    let entry = ICalendar.Entry(uid: fields[6] + "@rendezvous", sequence: 1, title: fields[0], description: fields[1], location: fields[2], url: fields[3],
                                startsAt: Date(timeIntervalSince1970: 4_000_000_000), endsAt: Date(timeIntervalSince1970: 4_000_010_800),
                                cancelled: false, organizerName: fields[4], organizerEmail: fields[5].isEmpty ? nil : fields[5])
    let calendar = ICalendar.calendar(name: fields[0], zone: TimeZone(identifier: "Europe/Paris")!, entries: [entry], now: Date(timeIntervalSince1970: 0))
    let octets = Array(calendar.utf8)
    // Physical lines: CRLF only, at most 75 octets each.
    var physical: [[UInt8]] = []
    var current: [UInt8] = []
    var index = 0
    while index < octets.count {
        let byte = octets[index]
        if byte == 13 {
            precondition(index + 1 < octets.count && octets[index + 1] == 10, "CR without LF")
            physical.append(current)
            current = []
            index += 2
            continue
        }
        precondition(byte != 10, "LF without CR")
        current.append(byte)
        index += 1
    }
    precondition(current.isEmpty, "the calendar does not end with CRLF")
    for line in physical {
        precondition(line.count <= 75, "a line of \(line.count) octets")
        precondition(String(validating: line, as: UTF8.self) != nil, "a line that is not UTF-8 (a fold inside a character)")
    }
    // Unfolded: a line starting with a space continues the one before.
    var logical: [String] = []
    for line in physical {
        let string = String(decoding: line, as: UTF8.self)
        if line.first == 32 {
            precondition(!logical.isEmpty, "a continuation line first")
            logical[logical.count - 1] += String(decoding: line.dropFirst(), as: UTF8.self)
        } else {
            logical.append(string)
        }
    }
    // Calendars read octets, not characters: a colon followed by a combining accent is still a colon.
    func starts(_ line: String, _ prefix: String) -> Bool { line.utf8.starts(with: prefix.utf8) }
    let names = logical.map { line in String(String.UnicodeScalarView(line.unicodeScalars.prefix { $0 != ":" && $0 != ";" })) }
    precondition(Array(names.prefix(7)) == ["BEGIN", "VERSION", "PRODID", "CALSCALE", "METHOD", "X-WR-CALNAME", "X-WR-TIMEZONE"], "header: \(names.prefix(7))")
    guard let event = logical.firstIndex(where: { $0.utf8.elementsEqual("BEGIN:VEVENT".utf8) }) else { fatalError("no VEVENT") }
    var eventNames = ["BEGIN", "UID", "SEQUENCE", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"]
    if !fields[1].isEmpty { eventNames.append("DESCRIPTION") }
    if !fields[2].isEmpty { eventNames.append("LOCATION") }
    if !fields[3].isEmpty { eventNames.append("URL") }
    if !fields[5].isEmpty { eventNames.append("ORGANIZER") }
    eventNames += ["STATUS", "END", "END"]
    precondition(Array(names[event...]) == eventNames, "properties \(names[event...]) instead of \(eventNames)")
    // TEXT values read back as given.
    func value(_ name: String) -> String {
        let line = logical[event...].first { starts($0, name + ":") }!
        return String(String.UnicodeScalarView(line.unicodeScalars.dropFirst(name.count + 1)))
    }
    func unescape(_ escaped: String) -> String {
        var result = ""
        var scalars = escaped.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            switch scalar {
            case "\\":
                switch scalars.next() {
                case "\\": result += "\\"
                case ";": result += ";"
                case ",": result += ","
                case "n", "N": result += "\n"
                case let other: fatalError("an unknown escape \\\(other.map(String.init) ?? "")")
                }
            case ",", ";": fatalError("an unescaped \(scalar) in a TEXT value: \(escaped)")
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
    func plain(_ field: String) -> String {
        String(String.UnicodeScalarView(field.unicodeScalars.filter { $0 == "\n" || ($0.value >= 0x20 && $0.value != 0x7F) }))
    }
    let summary = value("SUMMARY")
    precondition(unescape(summary) == plain(fields[0]), "SUMMARY \(summary) for \(fields[0].debugDescription)")
    if !fields[1].isEmpty { precondition(unescape(value("DESCRIPTION")) == plain(fields[1]), "DESCRIPTION") }
    if !fields[2].isEmpty { precondition(unescape(value("LOCATION")) == plain(fields[2]), "LOCATION") }
    if !fields[5].isEmpty {
        // ORGANIZER;CN=<parameter>:mailto:<address>: the name is one parameter value.
        let line = logical[event...].first { starts($0, "ORGANIZER;CN=") }!
        let rest = line.unicodeScalars.dropFirst("ORGANIZER;CN=".count)
        let afterName: String.UnicodeScalarView.SubSequence
        if rest.first == "\"" {
            let body = rest.dropFirst()
            guard let close = body.firstIndex(of: "\"") else { fatalError("an unterminated quoted parameter") }
            afterName = body[body.index(after: close)...]
        } else {
            precondition(!rest.prefix { $0 != ":" }.contains(where: { $0 == ";" || $0 == "," || $0 == "\"" }), "an unquoted parameter with ; , or a quote")
            afterName = rest.drop { $0 != ":" }
        }
        precondition(String(afterName).utf8.starts(with: ":mailto:".utf8), "the organiser's name runs into the address: \(line)")
    }
    return 0
}
