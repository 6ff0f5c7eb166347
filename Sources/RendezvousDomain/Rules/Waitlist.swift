import Foundation

/// The rules of the fair waitlist: first come, first offered; an offer is time-boxed.
public enum WaitlistRules {
    public static let defaultOfferHours = 24
    /// The longest offer window a chapter may set: two weeks.
    public static let offerHoursRange = 1...(24 * 14)

    /// When an offer made `now` must be answered: the chapter's offer window,
    /// but never past the event's start.
    public static func offerDeadline(now: Date, offerHours: Int, eventStartsAt: Date) -> Date {
        let window = now.addingTimeInterval(TimeInterval(max(1, offerHours)) * 3600)
        return min(window, eventStartsAt)
    }

    /// Whether a freed seat can still be offered: no point offering once the event has begun.
    public static func canOffer(now: Date, eventStartsAt: Date) -> Bool {
        now < eventStartsAt
    }

    /// Whether an offer may be accepted at `now`.
    public static func isOfferOpen(expiresAt: Date?, now: Date) -> Bool {
        guard let expiresAt else { return false }
        return now < expiresAt
    }
}

/// Why an attendee's action on their registration was refused.
public enum RegistrationActionError: Error, Sendable, Equatable {
    case notFound
    case eventNotOpen
    case duplicateEmail
    case notCancellable
    case noOpenOffer
    case offerExpired
    case capacityBelowConfirmed(confirmed: Int)
}
