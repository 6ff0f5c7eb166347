import Foundation

/// The follow-up after an evening: the two mails the seed says nobody sends. The morning after
/// (D+1, 9:00 in the chapter's time zone) everyone who came gets the people they met, those who
/// want to meet them, the speaker's links and a two-question feedback form; two weeks later
/// (D+14, 9:00) those with contacts they have not followed up get one gentle nudge. Never more than
/// these two per evening and person, never to someone who did not come, and the unsubscribe link
/// in the first stops the second. These rules are pure; the store claims each run once.
public enum FollowUpKind: String, Sendable, CaseIterable, Codable {
    /// D+1: the people you met, the speaker's links, how was it?
    case morningAfter
    /// D+14: you have contacts you have not followed up.
    case nudge

    /// Days after the evening's date (in the chapter's time zone).
    public var dayOffset: Int { self == .morningAfter ? 1 : 14 }
}

public enum FollowUpSchedule {
    /// The local hour the mails leave.
    public static let hour = 9
    /// A run missed by more than this (the server was down, the event was imported late) is not
    /// sent at all: a "the morning after" mail a week late would be worse than none.
    public static let lateness: TimeInterval = 36 * 3600

    /// When `kind` is due for an evening starting at `startsAt`: 9:00 local time, `dayOffset`
    /// calendar days after the evening's local date. Calendar arithmetic, so a change of daylight
    /// saving time between the evening and the mail keeps the mail at 9:00 on the wall clock.
    public static func due(_ kind: FollowUpKind, startsAt: Date, timeZone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let day = calendar.startOfDay(for: startsAt)
        let later = calendar.date(byAdding: .day, value: kind.dayOffset, to: day) ?? day.addingTimeInterval(Double(kind.dayOffset) * 86_400)
        var parts = calendar.dateComponents([.year, .month, .day], from: later)
        parts.hour = hour
        parts.minute = 0
        return calendar.date(from: parts) ?? later.addingTimeInterval(Double(hour) * 3600)
    }

    /// Whether the run for `kind` should happen now: due, and not hopelessly late.
    public static func isDue(_ kind: FollowUpKind, startsAt: Date, timeZone: TimeZone, now: Date) -> Bool {
        let due = due(kind, startsAt: startsAt, timeZone: timeZone)
        return now >= due && now.timeIntervalSince(due) < lateness
    }

    /// The window of evening start times a sweep at `now` may find due, for a query on an index
    /// (time zones span ±14 h, the nudge is 14 days after, and a run may be late by `lateness`).
    public static func candidateStarts(_ kind: FollowUpKind, now: Date) -> ClosedRange<Date> {
        let days = Double(kind.dayOffset + 1)
        return now.addingTimeInterval(-days * 86_400 - lateness - 15 * 3600)...now.addingTimeInterval(-Double(kind.dayOffset - 1) * 86_400 + 15 * 3600)
    }
}

/// One attendee's situation when a run happens.
public struct FollowUpRecipient: Sendable, Equatable {
    public var checkedIn: Bool
    public var hasEmail: Bool
    /// Clicked "stop these mails" in one of them (or the reminder before).
    public var unsubscribed: Bool
    /// Contacts of the evening this person has not marked "followed up", and links others
    /// started that they have not answered.
    public var openContacts: Int

    public init(checkedIn: Bool, hasEmail: Bool, unsubscribed: Bool, openContacts: Int = 0) {
        self.checkedIn = checkedIn
        self.hasEmail = hasEmail
        self.unsubscribed = unsubscribed
        self.openContacts = openContacts
    }
}

public enum FollowUpRules {
    /// Whether this person gets `kind` for the evening.
    public static func shouldSend(_ kind: FollowUpKind, to person: FollowUpRecipient) -> Bool {
        guard person.checkedIn, person.hasEmail, !person.unsubscribed else { return false }
        switch kind {
        case .morningAfter: return true
        case .nudge: return person.openContacts > 0
        }
    }
}

/// The two-question form: a 0–10 rating and one comment.
public struct FeedbackInput: Sendable, Equatable {
    public static let commentLimit = 2000
    public var score: Int
    public var comment: String

    public init(score: Int, comment: String) {
        self.score = score
        self.comment = comment
    }

    /// The answer as stored, or the problem with the one field that is wrong.
    public static func validated(score: String?, comment: String?) -> Result<FeedbackInput, ValidationErrors> {
        var errors = ValidationErrors()
        let value = Int((score ?? "").trimmingCharacters(in: .whitespaces))
        if value == nil { errors.add("score", .required) } else if !(0...10).contains(value!) { errors.add("score", .outOfRange(min: 0, max: 10)) }
        let text = TextRules.clean(comment, field: "comment", required: false, maxLength: commentLimit, multiline: true, into: &errors)
        if let value, errors.isEmpty { return .success(FeedbackInput(score: value, comment: text)) }
        return .failure(errors)
    }
}

/// An evening's real result, for its organisers: how people rated it, how many contacts were
/// made, and how many people met at least three others.
public struct EveningResult: Sendable, Equatable {
    public var checkedIn: Int
    /// Feedback answers by score, 0 through 10 (eleven counts).
    public var scoreCounts: [Int]
    public var comments: [String]
    /// "We met" links made at the evening (any answer but a decline), and those both accepted.
    public var contacts: Int
    public var acceptedContacts: Int
    /// Attendees (checked in) linked to at least `metThreshold` others of the evening.
    public var metAtLeastThree: Int
    public static let metThreshold = 3

    public init(checkedIn: Int, scoreCounts: [Int], comments: [String], contacts: Int, acceptedContacts: Int, metAtLeastThree: Int) {
        self.checkedIn = checkedIn
        self.scoreCounts = scoreCounts.count == 11 ? scoreCounts : Array((scoreCounts + Array(repeating: 0, count: 11)).prefix(11))
        self.comments = comments
        self.contacts = contacts
        self.acceptedContacts = acceptedContacts
        self.metAtLeastThree = metAtLeastThree
    }

    public var answers: Int { scoreCounts.reduce(0, +) }

    /// The mean rating, nil without answers.
    public var averageScore: Double? {
        answers == 0 ? nil : Double(scoreCounts.enumerated().reduce(0) { $0 + $1.offset * $1.element }) / Double(answers)
    }

    /// Net Promoter Score (promoters 9–10 minus detractors 0–6, in points), nil without answers.
    public var netPromoterScore: Int? {
        guard answers > 0 else { return nil }
        let promoters = scoreCounts[9] + scoreCounts[10]
        let detractors = scoreCounts[0...6].reduce(0, +)
        return Int((Double(promoters - detractors) * 100 / Double(answers)).rounded())
    }

    /// Share (0–1) of the people who came that met at least three others; nil when nobody came.
    public var shareMetThree: Double? { checkedIn == 0 ? nil : Double(metAtLeastThree) / Double(checkedIn) }

    /// How many people each person is linked to, from the evening's links (pairs of registration
    /// ids), counting each other person once.
    public static func peopleMet(links: [(String, String)]) -> [String: Int] {
        var others: [String: Set<String>] = [:]
        for (a, b) in links where a != b {
            others[a, default: []].insert(b)
            others[b, default: []].insert(a)
        }
        return others.mapValues(\.count)
    }
}

/// The speaker's slides and links an organiser adds for the morning-after mail: one per line,
/// "label https://…" or just the address.
public struct EventResource: Sendable, Equatable {
    public var label: String
    public var url: String

    public init(label: String, url: String) {
        self.label = label
        self.url = url
    }

    public static let maxLines = 12
    public static let maxLength = 3000

    /// The lines as links, or the problem (field `resources`): only http(s) addresses.
    public static func parse(_ text: String) -> Result<[EventResource], ValidationErrors> {
        var errors = ValidationErrors()
        let clean = TextRules.clean(text, field: "resources", required: false, maxLength: maxLength, multiline: true, into: &errors)
        guard errors.isEmpty else { return .failure(errors) }
        var items: [EventResource] = []
        let lines = clean.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard let address = words.last(where: { $0.lowercased().hasPrefix("http://") || $0.lowercased().hasPrefix("https://") }),
                  let url = URL(string: address), let host = url.host, !host.isEmpty
            else {
                if !line.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    errors.add("resources", .notALink(line: index + 1))
                    return .failure(errors)
                }
                continue
            }
            let label = words.filter { $0 != address }.joined(separator: " ").trimmingCharacters(in: CharacterSet(charactersIn: " -–—:"))
            items.append(EventResource(label: label.isEmpty ? host : label, url: address))
        }
        if items.count > maxLines { errors.add("resources", .outOfRange(min: 0, max: maxLines)); return .failure(errors) }
        return .success(items)
    }
}
