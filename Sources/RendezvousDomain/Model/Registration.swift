import Foundation

public enum RegistrationStatus: String, Sendable, Codable, CaseIterable {
    /// Holds a seat.
    case confirmed
    /// In the queue, with a position.
    case waitlisted
    /// Offered a freed seat, which is held for them until the offer expires.
    case offered
    /// Cancelled by the attendee or the organisers; the seat, if any, went back.
    case cancelled
    /// A waitlist offer ran out; the seat passed to the next in line.
    case expired

    /// Statuses that block a second registration with the same email.
    public var isActive: Bool {
        switch self {
        case .confirmed, .waitlisted, .offered: true
        case .cancelled, .expired: false
        }
    }

    /// Statuses that occupy a seat.
    public var holdsSeat: Bool { self == .confirmed || self == .offered }
}

public struct Consents: Sendable, Equatable, Codable {
    /// Appear on the event's public attendee list.
    public var attendeeList: Bool
    /// Show my profile (job title, company, LinkedIn) to people I meet.
    public var profileSharing: Bool
    /// Once I have attended, tell me when this chapter's next meetup opens (the chapter's
    /// announcements; one click in each stops them).
    public var news: Bool

    public init(attendeeList: Bool = false, profileSharing: Bool = false, news: Bool = false) {
        self.attendeeList = attendeeList
        self.profileSharing = profileSharing
        self.news = news
    }

    /// A consent left out means "no": either may be sent alone.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        attendeeList = try container.decodeIfPresent(Bool.self, forKey: .attendeeList) ?? false
        profileSharing = try container.decodeIfPresent(Bool.self, forKey: .profileSharing) ?? false
        news = try container.decodeIfPresent(Bool.self, forKey: .news) ?? false
    }
}

/// What an attendee tells about themselves, already validated.
public struct AttendeeProfile: Sendable, Equatable {
    public var firstName: String
    public var lastName: String
    public var email: String
    public var jobTitle: String
    public var company: String
    public var linkedinURL: String
    public var askMeAbout: String
    public var consents: Consents
    /// The language they registered in, for their messages; nil means the chapter's.
    public var language: Language? = nil
    /// "Things people may not guess about you", for the evening's bingo.
    public var bingoFacts: Set<BingoFact> = []
    /// Opted in to the evening's games: without it, nothing of theirs (job, company, topics,
    /// facts, first meetup) appears on a bingo card.
    public var gamesConsent: Bool = false
    /// "Any date works for me": when a second evening opens from the waitlist, moved there
    /// directly (confirmed) instead of being offered the seat.
    public var anyDate: Bool = false
    /// When they accepted the network's code of conduct (the registration form and the API ask
    /// for it; nil for people organisers add themselves or who registered before it was asked).
    public var conductAcceptedAt: Date? = nil
    /// "How did you hear about us?" (optional; nil when not said).
    public var heardFrom: HeardFrom? = nil

    public init(
        firstName: String, lastName: String, email: String, jobTitle: String, company: String = "",
        linkedinURL: String = "", askMeAbout: String = "", consents: Consents = Consents()
    ) {
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.jobTitle = jobTitle
        self.company = company
        self.linkedinURL = linkedinURL
        self.askMeAbout = askMeAbout
        self.consents = consents
    }

    /// The key that makes "one active registration per email per event" hold.
    public var normalizedEmail: String { EmailAddress.normalize(email) }
}

public struct Registration: Sendable, Equatable, Identifiable {
    public typealias ID = Identifier<Registration>

    public var id: ID
    public var eventID: Event.ID
    public var profile: AttendeeProfile
    public var status: RegistrationStatus
    /// Order of arrival in the waitlist; smaller is earlier.
    public var queueNumber: Int?
    public var offerExpiresAt: Date?
    public var manageToken: String
    public var createdAt: Date
    public var updatedAt: Date
    /// For a registration its holder cancelled: what they cancelled (a seat, an offer or a
    /// waitlist place), so they can undo it (`CancellationUndo`). Nil otherwise.
    public var cancelledFrom: RegistrationStatus? = nil

    public init(
        id: ID, eventID: Event.ID, profile: AttendeeProfile, status: RegistrationStatus, queueNumber: Int?,
        offerExpiresAt: Date?, manageToken: String, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.eventID = eventID
        self.profile = profile
        self.status = status
        self.queueNumber = queueNumber
        self.offerExpiresAt = offerExpiresAt
        self.manageToken = manageToken
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// The answer to a registration attempt.
public struct RegistrationOutcome: Sendable, Equatable {
    public var registration: Registration
    /// 1-based place in the queue, for waitlisted registrations.
    public var waitlistPosition: Int?

    public init(registration: Registration, waitlistPosition: Int?) {
        self.registration = registration
        self.waitlistPosition = waitlistPosition
    }
}
