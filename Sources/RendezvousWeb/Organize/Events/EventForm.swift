import Foundation
import RendezvousDomain

/// The organiser's event form: local date and times in the chapter's zone, a venue from the
/// directory or a new one, up to three speakers, and an agenda of "18:30 Welcome" lines.
struct EventForm {
    var title = ""
    var date = ""
    var startTime = "18:30"
    var endTime = "21:30"
    var capacity = "70"
    var description = ""
    var venueID = ""
    var venueName = ""
    var venueAddress = ""
    var speakers: [(name: String, jobTitle: String)] = Array(repeating: ("", ""), count: 3)
    var agenda = ""
    var status = "draft"
    /// A status the form never offers (neither draft nor published): refused, not read as a draft.
    var unknownStatus = false

    init() {}

    init(_ fields: FormFields) {
        title = fields.text("title")
        date = fields.text("date")
        startTime = fields.text("startTime")
        endTime = fields.text("endTime")
        capacity = fields.text("capacity")
        description = fields.text("description")
        venueID = fields.text("venueId")
        venueName = fields.text("venueName")
        venueAddress = fields.text("venueAddress")
        speakers = (1...3).map { (fields.text("speaker\($0)Name"), fields.text("speaker\($0)Title")) }
        agenda = fields.text("agenda")
        status = fields.text("status") == "published" ? "published" : "draft"
        unknownStatus = !["", "draft", "published"].contains(fields.text("status"))
    }

    init(_ detail: EventDetail) {
        let zone = detail.chapter.zone
        title = detail.event.title
        date = Self.localDay(detail.event.startsAt, zone)
        startTime = Self.localTime(detail.event.startsAt, zone)
        endTime = Self.localTime(detail.event.endsAt, zone)
        capacity = String(detail.event.capacity)
        description = detail.event.description
        venueID = detail.venue?.id.description ?? ""
        venueName = detail.venue?.name ?? ""
        venueAddress = detail.venue?.address ?? ""
        speakers = (0..<3).map { detail.speakers.indices.contains($0) ? (detail.speakers[$0].name, detail.speakers[$0].jobTitle) : ("", "") }
        agenda = detail.agenda.map { "\(Self.localTime($0.startsAt, zone)) \($0.title)" }.joined(separator: "\n")
        status = detail.event.status == .published ? "published" : "draft"
    }

    static func calendar(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    static func localDay(_ date: Date, _ zone: TimeZone) -> String {
        let c = calendar(zone).dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    static func localTime(_ date: Date, _ zone: TimeZone) -> String {
        let c = calendar(zone).dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", c.hour!, c.minute!)
    }

    /// "2027-01-20" + "18:30" in the zone, as an instant; nil if either does not parse.
    static func instant(day: String, time: String, zone: TimeZone) -> Date? {
        let d = day.split(separator: "-").compactMap { Int($0) }
        let t = time.split(separator: ":").compactMap { Int($0) }
        guard d.count == 3, t.count >= 2, (1...12).contains(d[1]), (1...31).contains(d[2]), (0...23).contains(t[0]), (0...59).contains(t[1]) else { return nil }
        let components = DateComponents(year: d[0], month: d[1], day: d[2], hour: t[0], minute: t[1])
        let calendar = calendar(zone)
        guard let date = calendar.date(from: components), calendar.component(.day, from: date) == d[2] else { return nil }
        return date
    }

    /// The longest evening an end time before the start stands for (one that ends after midnight).
    static let longestOvernight: TimeInterval = 12 * 3600

    /// The domain's input, and problems with the parts only this form has (dates and times).
    /// With `now`, a start that has passed is refused on `date`, unless it is the event's `original`
    /// start (an event that took place can still be corrected).
    func input(zone: TimeZone, directory: [Venue], now: Date? = nil, original: Date? = nil) -> (EventInput, ValidationErrors) {
        var errors = ValidationErrors()
        let start = Self.instant(day: date, time: startTime, zone: zone)
        var end = Self.instant(day: date, time: endTime, zone: zone)
        // One error, on the field that is wrong, in words a person reads: a missing or unreadable
        // date is the date's error only (the times and the programme hang on it, they are not
        // blamed too); a time that does not read asks for "18:30".
        let day = Self.instant(day: date, time: "00:00", zone: zone)
        if date.trimmingCharacters(in: .whitespaces).isEmpty { errors.add("date", .required) }
        else if day == nil { errors.add("date", .format(example: "2027-03-17")) }
        else if start == nil { errors.add("startTime", .format(example: "18:30")) }
        if day != nil, end == nil { errors.add("endTime", .format(example: "21:30")) }
        // An evening that ends after midnight ends the next day; an end just before the start is a mistake.
        if let s = start, let e = end, e <= s {
            let nextDay = e.addingTimeInterval(86400)
            if nextDay.timeIntervalSince(s) <= Self.longestOvernight { end = nextDay } else { errors.add("endTime", .endsBeforeStart) }
        }
        if let s = start, let now, s < now, original.map({ abs($0.timeIntervalSince(s)) >= 60 }) ?? true { errors.add("date", .inThePast) }
        if unknownStatus { errors.add("status", .notAChoice) }
        var venue: EventInput.VenueInput?
        if let chosen = directory.first(where: { $0.id.description == venueID }) {
            venue = .init(name: chosen.name, address: chosen.address)
        } else if !venueName.trimmingCharacters(in: .whitespaces).isEmpty {
            venue = .init(name: venueName, address: venueAddress)
        }
        var agendaItems: [EventInput.AgendaInput] = []
        for line in agenda.split(whereSeparator: \.isNewline) {
            let text = line.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { continue }
            let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
            if parts.count == 2, let when = Self.instant(day: date, time: parts[0], zone: zone) {
                agendaItems.append(.init(startsAt: ISO8601.format(when), title: parts[1]))
            } else if day != nil, errors["agenda"] == nil {
                errors.add("agenda", .format(example: "18:30 …"))
            }
        }
        let input = EventInput(
            title: title, startsAt: start.map { ISO8601.format($0) } ?? "", endsAt: end.map { ISO8601.format($0) } ?? "",
            // Not a number ("abc", or too large for one): out of range, not "required".
            capacity: capacity.trimmingCharacters(in: .whitespaces).isEmpty ? nil : Int(capacity.trimmingCharacters(in: .whitespaces)) ?? -1, description: description, venue: venue,
            speakers: speakers.filter { !$0.name.trimmingCharacters(in: .whitespaces).isEmpty }.map { .init(name: $0.name, jobTitle: $0.jobTitle) },
            agenda: agendaItems, status: status == "published" ? .published : .draft)
        return (input, errors)
    }
}
