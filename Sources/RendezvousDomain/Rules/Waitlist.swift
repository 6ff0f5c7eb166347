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
    /// Undoing a cancellation came too late: the seat went to someone else (or the event began).
    case seatGiven
    /// Nothing to undo: the registration was not cancelled by its holder.
    case notRestorable
    /// The network admins blocked this address: refused with a neutral message that does not say why.
    case refused
    /// The meetup is cancelled, which is final: it is not published again and its capacity no longer changes.
    case eventCancelled
}

/// Undoing one's own cancellation: what comes back, if anything.
public enum CancellationUndo {
    /// Where an undo would put the registration back, for a registration cancelled from `from`:
    /// a held seat comes back as a seat (only if one is still free); a waitlist place comes back at
    /// its old place in the queue. Nil: nothing to undo (an organiser's cancellation, a declined offer).
    public static func restoredStatus(cancelledFrom from: RegistrationStatus?) -> RegistrationStatus? {
        switch from {
        case .confirmed?, .offered?: .confirmed
        case .waitlisted?: .waitlisted
        default: nil
        }
    }

    /// Whether undo may be offered at `now`: only before the evening begins.
    public static func isPossible(cancelledFrom from: RegistrationStatus?, eventStartsAt: Date, eventCancelled: Bool, now: Date) -> Bool {
        restoredStatus(cancelledFrom: from) != nil && !eventCancelled && now < eventStartsAt
    }
}
