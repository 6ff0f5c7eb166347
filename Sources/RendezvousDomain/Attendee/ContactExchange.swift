import Foundation

/// "We met": one link between two registrations of the same evening, started by one of them
/// (the initiator), and accepted, declined or removed by the other. Mutual and consent-first:
/// until the other person accepts, the initiator sees only what the badge's contact card already
/// shows; after it, each sees what the other chose to share (LinkedIn, email). Notes stay private
/// to their writer. The rules below are pure: the stores and pages only apply them.
public enum ContactStatus: String, Sendable, Codable, CaseIterable {
    /// Said by one side, not (yet) answered by the other.
    case pending
    /// Both agree they met.
    case accepted
    /// The other side said no: hidden from them, still "waiting" for the initiator (a refusal is
    /// never announced).
    case declined
}

/// Which end of a link someone is.
public enum ContactSide: String, Sendable, Equatable {
    case initiator, recipient
}

/// One side's settings for people they accepted: default off, kept once per email.
public struct SharingChoices: Sendable, Equatable, Codable {
    public var email: Bool
    public var linkedin: Bool
    public init(email: Bool = false, linkedin: Bool = false) {
        self.email = email
        self.linkedin = linkedin
    }
}

/// What one person may see of the other in a link.
public struct ContactVisibility: Sendable, Equatable {
    public var linkedin: Bool
    public var email: Bool
    public var askMeAbout: Bool
    public init(linkedin: Bool, email: Bool, askMeAbout: Bool) {
        self.linkedin = linkedin
        self.email = email
        self.askMeAbout = askMeAbout
    }
}

/// How a link appears in one side's "People I met".
public enum ContactState: String, Sendable, Equatable {
    /// I said we met; they have not accepted (or declined: I am not told).
    case waiting
    /// They said we met: I may accept or decline.
    case theySaidYouMet
    /// Both agree.
    case connected
}

/// What tapping "We met" does, given the link already there between the two.
public enum WeMetOutcome: Sendable, Equatable {
    /// No link yet: one is started, pending the other's answer.
    case start
    /// The other had already said so: the link is accepted (both tapped).
    case accept
    /// Nothing changes (already said, or already connected).
    case unchanged
}

public enum ContactExchange {
    /// The state one side sees, or nil when the link is not shown to them at all (a recipient who
    /// declined).
    public static func state(_ status: ContactStatus, side: ContactSide) -> ContactState? {
        switch (status, side) {
        case (.accepted, _): .connected
        case (.pending, .initiator), (.declined, .initiator): .waiting
        case (.pending, .recipient): .theySaidYouMet
        case (.declined, .recipient): nil
        }
    }

    /// What `viewer` sees of the other person. Their profile consent (`cardSharing`) governs their
    /// LinkedIn and "ask me about" everywhere, before and after acceptance: withdrawn, neither is
    /// shown to anyone, connected or not. The email only ever after acceptance, if they chose to
    /// share it with people they accept.
    public static func visibility(status: ContactStatus, cardSharing: Bool, choices: SharingChoices) -> ContactVisibility {
        let connected = status == .accepted
        // The profile consent shows LinkedIn and "ask me about" to everyone met; the profile's own
        // explicit choice still shares LinkedIn (and email) with the people one accepted.
        return ContactVisibility(
            linkedin: cardSharing || (connected && choices.linkedin),
            email: connected && choices.email,
            askMeAbout: cardSharing)
    }

    /// Tapping "We met" on someone, from `side` of the link already there (nil: no link).
    public static func weMet(existing status: ContactStatus?, tapper side: ContactSide?) -> WeMetOutcome {
        guard let status, let side else { return .start }
        switch (status, side) {
        case (.accepted, _): return .unchanged
        // The initiator tapping again changes nothing, whether or not the other declined.
        case (_, .initiator): return .unchanged
        // The other had said it first: tapping is agreeing (even after declining: a change of mind).
        case (.pending, .recipient), (.declined, .recipient): return .accept
        }
    }

    /// Only the recipient answers, and only a link not yet accepted.
    public static func canAnswer(_ status: ContactStatus, side: ContactSide) -> Bool {
        side == .recipient && status != .accepted
    }

    /// Whose note a side reads and writes: only their own.
    public static func noteColumn(for side: ContactSide) -> String {
        side == .initiator ? "initiator_note" : "recipient_note"
    }

    /// A private note's maximum length.
    public static let noteMaxLength = 500

    /// Two people can say they met only at the same evening, both holding an active registration,
    /// and not with themselves (another registration of the same address included). Once the
    /// evening's door has admitted anyone, only people it admitted can meet: someone who never came
    /// cannot "meet" the whole attendee list.
    public static func mayMeet(sameEvent: Bool, bothActive: Bool, sameEmail: Bool, doorUsed: Bool = false, bothCame: Bool = false) -> Bool {
        sameEvent && bothActive && !sameEmail && (!doorUsed || bothCame)
    }

    /// The key that makes one link per pair, whoever started it.
    public static func pairKey(_ a: UUID, _ b: UUID) -> String {
        let (x, y) = (a.uuidString.lowercased(), b.uuidString.lowercased())
        return x < y ? "\(x)|\(y)" : "\(y)|\(x)"
    }
}

/// Signing in to "My Rendezvous" with a link mailed to the address: no password.
public enum AttendeeSignIn {
    /// How long a sign-in link works (once).
    public static let linkLifetime: TimeInterval = 15 * 60
    /// At most one sign-in mail per address in this interval, whatever the number of requests.
    public static let mailInterval: TimeInterval = 2 * 60
    /// How long the attendee session lasts.
    public static let sessionLifetime: TimeInterval = 30 * 24 * 3600

    /// Whether a link created at `createdAt` and used `usedAt` (nil: never) still signs in at `now`.
    public static func linkWorks(createdAt: Date, usedAt: Date?, now: Date) -> Bool {
        usedAt == nil && now >= createdAt && now < createdAt.addingTimeInterval(linkLifetime)
    }

    /// Whether another sign-in mail may go to an address whose last one was queued at `last`.
    public static func mayMail(last: Date?, now: Date) -> Bool {
        guard let last else { return true }
        return now >= last.addingTimeInterval(mailInterval)
    }
}
