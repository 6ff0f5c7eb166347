import Foundation

/// iCalendar (RFC 5545) for meetups: one VEVENT per event with its time zone spelled out as a
/// VTIMEZONE (the actual offsets around the event, from the system's zone database), text escaped
/// and lines folded at 75 octets, so every calendar shows the right local time.
public enum ICalendar {
    public enum Method: String, Sendable { case publish = "PUBLISH", request = "REQUEST", cancel = "CANCEL" }

    public struct Entry: Sendable {
        public var uid: String
        public var sequence: Int
        public var title: String
        public var description: String
        public var location: String
        public var url: String
        public var startsAt: Date
        public var endsAt: Date
        public var cancelled: Bool
        public var organizerName: String
        public var organizerEmail: String?

        public init(uid: String, sequence: Int, title: String, description: String, location: String, url: String, startsAt: Date,
                    endsAt: Date, cancelled: Bool, organizerName: String, organizerEmail: String? = nil) {
            self.uid = uid
            self.sequence = sequence
            self.title = title
            self.description = description
            self.location = location
            self.url = url
            self.startsAt = startsAt
            self.endsAt = endsAt
            self.cancelled = cancelled
            self.organizerName = organizerName
            self.organizerEmail = organizerEmail
        }
    }

    public static func calendar(name: String, zone: TimeZone, entries: [Entry], method: Method = .publish, now: Date = Date()) -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Rendezvous//Meetups//EN", "CALSCALE:GREGORIAN", "METHOD:\(method.rawValue)",
                     "X-WR-CALNAME:\(text(name))", "X-WR-TIMEZONE:\(zone.identifier)"]
        if !entries.isEmpty { lines += timeZone(zone, around: entries.map(\.startsAt)) }
        for entry in entries {
            lines += ["BEGIN:VEVENT", "UID:\(text(entry.uid))", "SEQUENCE:\(entry.sequence)", "DTSTAMP:\(utc(now))",
                      "DTSTART;TZID=\(zone.identifier):\(local(entry.startsAt, zone))", "DTEND;TZID=\(zone.identifier):\(local(entry.endsAt, zone))",
                      "SUMMARY:\(text(entry.title))"]
            if !entry.description.isEmpty { lines.append("DESCRIPTION:\(text(entry.description))") }
            if !entry.location.isEmpty { lines.append("LOCATION:\(text(entry.location))") }
            if !entry.url.isEmpty { lines.append("URL:\(text(entry.url))") }
            if let email = entry.organizerEmail {
                lines.append("ORGANIZER;CN=\(parameter(entry.organizerName)):mailto:\(text(email))")
            }
            lines.append("STATUS:\(entry.cancelled ? "CANCELLED" : "CONFIRMED")")
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// TEXT values: backslash, semicolon, comma and newlines escaped; other control characters dropped.
    public static func text(_ value: String) -> String {
        var result = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case ";": result += "\\;"
            case ",": result += "\\,"
            case "\n": result += "\\n"
            case "\r": continue
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Parameter values cannot hold quotes; they are quoted when they hold : ; or ,.
    static func parameter(_ value: String) -> String {
        let clean = text(value).replacingOccurrences(of: "\"", with: "'").replacingOccurrences(of: "\\", with: "")
        return clean.contains(where: { ":;,".contains($0) }) ? "\"\(clean)\"" : clean
    }

    /// Lines longer than 75 octets continue on the next line after a space, never inside a UTF-8
    /// sequence. Cut between Unicode scalars, not characters: one character (an emoji sequence, a
    /// letter with many accents) can be longer than a line, and unfolding joins the scalars again.
    static func fold(_ line: String) -> String {
        var result = ""
        var count = 0
        for scalar in line.unicodeScalars {
            let size = UTF8.width(scalar)
            if count + size > 75 {
                result += "\r\n "
                count = 1
            }
            result.unicodeScalars.append(scalar)
            count += size
        }
        return result
    }

    static func utc(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }

    static func local(_ date: Date, _ zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyyMMdd'T'HHmmss"
        return formatter.string(from: date)
    }

    static func offset(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let value = abs(seconds)
        return String(format: "%@%02d%02d", sign, value / 3600, (value % 3600) / 60)
    }

    /// The zone's observances from a year before the first date to a year after the last: each
    /// transition as its own STANDARD or DAYLIGHT component with the offsets before and after.
    static func timeZone(_ zone: TimeZone, around dates: [Date]) -> [String] {
        let start = (dates.min() ?? Date()).addingTimeInterval(-400 * 86400)
        let end = (dates.max() ?? Date()).addingTimeInterval(400 * 86400)
        var lines = ["BEGIN:VTIMEZONE", "TZID:\(zone.identifier)"]
        var cursor = start
        var transitions: [Date] = []
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next < end, transitions.count < 10 {
            transitions.append(next)
            cursor = next
        }
        if transitions.isEmpty {
            let offset = offset(zone.secondsFromGMT(for: start))
            lines += ["BEGIN:STANDARD", "DTSTART:19700101T000000", "TZOFFSETFROM:\(offset)", "TZOFFSETTO:\(offset)",
                      "TZNAME:\(zone.abbreviation(for: start) ?? zone.identifier)", "END:STANDARD"]
        }
        for transition in transitions {
            let before = zone.secondsFromGMT(for: transition.addingTimeInterval(-1))
            let after = zone.secondsFromGMT(for: transition)
            let kind = zone.isDaylightSavingTime(for: transition) ? "DAYLIGHT" : "STANDARD"
            // DTSTART is the local time, in the offset before the change, when it happens.
            lines += ["BEGIN:\(kind)", "DTSTART:\(local(transition, TimeZone(secondsFromGMT: before)!))",
                      "TZOFFSETFROM:\(offset(before))", "TZOFFSETTO:\(offset(after))",
                      "TZNAME:\(zone.abbreviation(for: transition) ?? kind)", "END:\(kind)"]
        }
        lines.append("END:VTIMEZONE")
        return lines
    }
}
