import Foundation

/// "How did you hear about us?": an optional choice on the registration form and the API's
/// registration body, stored as its code on the registration (`registrations.heard_from`) and
/// counted, never shown per person, on the chapter's insights.
public enum HeardFrom: String, Sendable, Codable, CaseIterable {
    case linkedin
    case friendOrColleague = "friend_or_colleague"
    case chapterMail = "chapter_mail"
    case search
    case eventListing = "event_listing"
    case other

    /// The code as typed or sent: empty or absent means "not said" (nil); anything else must be one
    /// of the codes (otherwise `notAChoice` on `field`).
    public static func parse(_ code: String?, field: String, into errors: inout ValidationErrors) -> HeardFrom? {
        let trimmed = code?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !trimmed.isEmpty else { return nil }
        guard let value = HeardFrom(rawValue: trimmed) else { errors.add(field, .notAChoice); return nil }
        return value
    }
}

/// The answers to "How did you hear about us?" over some evenings: registrations per answer
/// (every answer present, in `HeardFrom`'s order), and how many did not say.
public struct HeardFromCounts: Sendable, Equatable {
    public var counts: [HeardFrom: Int]
    public var unanswered: Int

    public init(counts: [HeardFrom: Int] = [:], unanswered: Int = 0) {
        self.counts = counts
        self.unanswered = unanswered
    }

    /// Every answer with its count (zeros included), in the form's order.
    public var items: [(source: HeardFrom, count: Int)] { HeardFrom.allCases.map { ($0, counts[$0] ?? 0) } }
    public var answered: Int { counts.values.reduce(0, +) }
}
