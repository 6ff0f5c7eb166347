import Foundation

/// One past evening of a chapter, as its insights page counts it (issue 15).
public struct EveningInsight: Sendable, Equatable {
    public var eventID: Event.ID
    public var title: String
    public var startsAt: Date
    /// People who held a seat (not walk-ins); everyone who came; the walk-ins; those who held a seat and came.
    public var expected: Int
    public var came: Int
    public var walkIns: Int
    public var showed: Int
    /// Among those who came: first time at one of the chapter's evenings, or already came before.
    public var newcomers: Int
    public var regulars: Int
    /// People who joined the waitlist (whether or not a seat came to them later).
    public var waitlisted: Int
    /// Cumulative registrations (seat or waitlist) `d` days before the evening, d = 0…`DemandCurve.days`.
    public var demand: [Int]
    /// Feedback answers, their average (0…10), contacts exchanged.
    public var answers: Int
    public var averageScore: Double?
    public var contacts: Int

    public init(eventID: Event.ID, title: String, startsAt: Date, expected: Int, came: Int, walkIns: Int, showed: Int, newcomers: Int, regulars: Int,
                waitlisted: Int, demand: [Int], answers: Int, averageScore: Double?, contacts: Int) {
        self.eventID = eventID; self.title = title; self.startsAt = startsAt; self.expected = expected; self.came = came; self.walkIns = walkIns
        self.showed = showed
        self.newcomers = newcomers; self.regulars = regulars; self.waitlisted = waitlisted; self.demand = demand
        self.answers = answers; self.averageScore = averageScore; self.contacts = contacts
    }

    /// Registered people who did not come, over those expected; nil when the door was not used.
    public var noShowRate: Double? { Attendance.noShowRate(expected: expected, showed: showed, came: came) }

    /// Contacts exchanged per person who came.
    public var contactsPerAttendee: Double? { came > 0 ? Double(contacts) / Double(came) : nil }
}

/// A chapter's insights: its last evenings, and who came to them.
public struct ChapterInsights: Sendable, Equatable {
    /// Oldest first (charts read left to right).
    public var evenings: [EveningInsight]
    /// Job families of the people who came, most frequent first (counts only).
    public var jobFamilies: [(family: JobFamily, count: Int)]
    /// Companies of the people who came, the top ones (counts only; names as typed, grouped case-insensitively).
    public var companies: [(name: String, count: Int)]
    /// Feedback scores 0…10 over those evenings.
    public var scoreCounts: [Int]

    public init(evenings: [EveningInsight], jobFamilies: [(family: JobFamily, count: Int)], companies: [(name: String, count: Int)], scoreCounts: [Int]) {
        self.evenings = evenings; self.jobFamilies = jobFamilies; self.companies = companies; self.scoreCounts = scoreCounts
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.evenings == b.evenings && a.scoreCounts == b.scoreCounts
            && a.jobFamilies.map(\.family) == b.jobFamilies.map(\.family) && a.jobFamilies.map(\.count) == b.jobFamilies.map(\.count)
            && a.companies.map(\.name) == b.companies.map(\.name) && a.companies.map(\.count) == b.companies.map(\.count)
    }
}

/// Registrations over time before an evening: how many had registered d days before it.
public enum DemandCurve {
    public static let days = 30

    /// Index d (0…`days`) holds the registrations made at least d days before the start;
    /// registrations made earlier than `days` count everywhere, those after the start nowhere.
    public static func cumulative(_ registeredAt: [Date], startsAt: Date, days: Int = DemandCurve.days) -> [Int] {
        (0...days).map { d in
            let limit = startsAt.addingTimeInterval(-Double(d) * 86400)
            return registeredAt.filter { $0 <= limit }.count
        }
    }
}

/// How a chapter is doing, for the network's admins.
public enum ChapterHealth: String, Sendable, CaseIterable {
    /// Evenings held recently, attendance not falling.
    case active
    /// No evening for six months (or never one, six months after it opened), and none announced.
    case dormant
    /// Attendance falling: the last three evenings' average is under 80 % of the three before.
    case struggling
    /// Opened less than six months ago and no evening yet.
    case new

    public static let dormantAfter: TimeInterval = 182 * 86400
    public static let fallingBelow = 0.8

    /// `came`: attendance of the chapter's past evenings, oldest first; `nextEvening`: its next
    /// published evening, if one is announced (a chapter back from a pause is not dormant).
    public static func assess(lastEvening: Date?, nextEvening: Date? = nil, came: [Int], openedAt: Date, now: Date) -> ChapterHealth {
        guard let lastEvening else { return nextEvening != nil || now.timeIntervalSince(openedAt) < dormantAfter ? .new : .dormant }
        if now.timeIntervalSince(lastEvening) >= dormantAfter, nextEvening == nil { return .dormant }
        guard came.count >= 6 else { return .active }
        let recent = came.suffix(3), before = came.dropLast(3).suffix(3)
        let recentMean = Double(recent.reduce(0, +)) / 3, beforeMean = Double(before.reduce(0, +)) / 3
        return beforeMean > 0 && recentMean < beforeMean * fallingBelow ? .struggling : .active
    }
}

/// One chapter in the network's insights.
public struct ChapterRollup: Sendable, Equatable {
    public var chapter: Chapter
    public var evenings: Int
    public var lastEvening: Date?
    /// Its next published evening, if one is announced.
    public var nextEvening: Date?
    /// Attendance of its last past evenings, oldest first (the health rule reads the last six).
    public var came: [Int]
    /// Everyone who came, over all its evenings.
    public var attendees: Int
    /// People who held a seat, and those of them who came (walk-ins apart: they hide no no-show).
    public var expected: Int
    public var showed: Int
    public var people: Int
    public var returning: Int
    public var contacts: Int
    public var answers: Int
    public var scoreSum: Int
    public var rotations: Int
    public var quizzes: Int

    public init(chapter: Chapter, evenings: Int, lastEvening: Date?, came: [Int], attendees: Int? = nil, expected: Int, showed: Int, people: Int, returning: Int,
                contacts: Int, answers: Int, scoreSum: Int, rotations: Int, quizzes: Int) {
        self.chapter = chapter; self.evenings = evenings; self.lastEvening = lastEvening; self.came = came
        self.attendees = attendees ?? came.reduce(0, +); self.expected = expected; self.showed = showed
        self.people = people; self.returning = returning; self.contacts = contacts; self.answers = answers; self.scoreSum = scoreSum
        self.rotations = rotations; self.quizzes = quizzes
    }

    public var returnRate: Double? { people > 0 ? Double(returning) / Double(people) : nil }
    public var averageScore: Double? { answers > 0 ? Double(scoreSum) / Double(answers) : nil }
    /// Contacts exchanged per person who came, over all its evenings.
    public var contactsPerAttendee: Double? { attendees > 0 ? Double(contacts) / Double(attendees) : nil }
    public func health(now: Date) -> ChapterHealth {
        ChapterHealth.assess(lastEvening: lastEvening, nextEvening: nextEvening, came: came, openedAt: chapter.createdAt, now: now)
    }
}

/// Evenings held and people who came, per calendar quarter ("2027 Q1").
public enum Quarter {
    /// A label as a page in `language` shows it: "2027 Q1" in English, "T1 2027" in French.
    public static func display(_ label: String, _ language: Language) -> String {
        let parts = label.split(separator: " ")
        guard language == .fr, parts.count == 2, parts[1].hasPrefix("Q") else { return label }
        return "T\(parts[1].dropFirst())\u{00A0}\(parts[0])"
    }

    /// The quarters from the first to the last of these (sorted) labels, the empty ones included with
    /// zeros, so that a chart of growth does not hide a quarter without evenings.
    public static func filled(_ quarters: [(quarter: String, evenings: Int, people: Int)]) -> [(quarter: String, evenings: Int, people: Int)] {
        func parse(_ label: String) -> (year: Int, q: Int)? {
            let parts = label.split(separator: " ")
            guard parts.count == 2, let year = Int(parts[0]), parts[1].hasPrefix("Q"), let q = Int(parts[1].dropFirst()), (1...4).contains(q) else { return nil }
            return (year, q)
        }
        guard let first = quarters.first.flatMap({ parse($0.quarter) }), let last = quarters.last.flatMap({ parse($0.quarter) }) else { return quarters }
        let known = Dictionary(quarters.map { ($0.quarter, $0) }, uniquingKeysWith: { a, _ in a })
        var result: [(quarter: String, evenings: Int, people: Int)] = []
        var (year, q) = first
        while year < last.year || (year == last.year && q <= last.q) {
            let label = "\(year) Q\(q)"
            result.append(known[label] ?? (label, 0, 0))
            (year, q) = q == 4 ? (year + 1, 1) : (year, q + 1)
        }
        return result
    }

    public static func label(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month], from: date)
        return "\(parts.year ?? 0) Q\(((parts.month ?? 1) - 1) / 3 + 1)"
    }
}
