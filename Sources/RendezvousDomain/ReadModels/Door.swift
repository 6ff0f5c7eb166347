import Foundation

/// One person on the door list.
public struct DoorAttendee: Sendable, Equatable, Codable {
    public var id: String
    public var firstName: String
    public var lastName: String
    public var jobTitle: String
    public var company: String
    public var status: RegistrationStatus
    public var walkIn: Bool
    public var checkedInAt: Date?
    public var checkedInBy: String?
    /// SHA-256 of the ticket secret: a door device can recognise a scanned ticket offline
    /// without holding the tickets themselves.
    public var ticketHash: String
    public init(id: String, firstName: String, lastName: String, jobTitle: String, company: String, status: RegistrationStatus, walkIn: Bool, checkedInAt: Date? = nil, checkedInBy: String? = nil, ticketHash: String) {
        self.id = id
        self.firstName = firstName
        self.lastName = lastName
        self.jobTitle = jobTitle
        self.company = company
        self.status = status
        self.walkIn = walkIn
        self.checkedInAt = checkedInAt
        self.checkedInBy = checkedInBy
        self.ticketHash = ticketHash
    }
}

public enum CheckInResult: String, Sendable, Codable {
    /// Welcome: admitted now.
    case admitted
    /// Already admitted (when and by whom is in the outcome).
    case already
    /// Cancelled, waitlisted or an expired offer: no valid ticket.
    case notConfirmed
    /// No such ticket or person.
    case unknown
    /// A valid ticket, for another event.
    case otherEvent
    /// The admission was undone.
    case undone
    /// Outside the hours around the evening (from a few hours before its start to a few after its
    /// end): the door refuses, whatever the ticket.
    case notToday
}

public struct CheckInOutcome: Sendable, Equatable, Codable {
    public var result: CheckInResult
    public var registrationID: String?
    public var firstName: String?
    public var lastName: String?
    public var status: RegistrationStatus?
    public var checkedInAt: Date?
    public var checkedInBy: String?
    /// Two devices admitted the same person while offline.
    public var conflict: Bool

    public init(result: CheckInResult, registrationID: String?, firstName: String?, lastName: String?, status: RegistrationStatus?,
                checkedInAt: Date?, checkedInBy: String?, conflict: Bool) {
        self.result = result
        self.registrationID = registrationID
        self.firstName = firstName
        self.lastName = lastName
        self.status = status
        self.checkedInAt = checkedInAt
        self.checkedInBy = checkedInBy
        self.conflict = conflict
    }
}

public struct DoorState: Sendable, Equatable, Codable {
    public struct Admission: Sendable, Equatable, Codable {
        public var id: String
        public var at: Date
        public var by: String
        public init(id: String, at: Date, by: String) {
            self.id = id
            self.at = at
            self.by = by
        }
    }
    public struct Conflict: Sendable, Equatable, Codable {
        public var name: String
        public var device: String
        public var by: String
        public var at: Date
        public init(name: String, device: String, by: String, at: Date) {
            self.name = name
            self.device = device
            self.by = by
            self.at = at
        }
    }
    public var checkedIn: Int
    public var expected: Int
    public var walkIns: Int
    public var capacity: Int
    /// The seats that can be confirmed: the capacity plus the overbooked extra seats (`Event.seatLimit`).
    public var seatLimit: Int
    /// Changes when someone joins the list (a walk-in on another device): devices reload it.
    public var listVersion: Int
    public var admissions: [Admission]
    public var conflicts: [Conflict]
    /// More people expected (walk-ins included) than seats could be confirmed: an overbooked
    /// evening that is full is not "over capacity" at the door.
    public var isOverCapacity: Bool { expected + walkIns > seatLimit }

    public init(checkedIn: Int, expected: Int, walkIns: Int, capacity: Int, seatLimit: Int? = nil, listVersion: Int, admissions: [Admission], conflicts: [Conflict]) {
        self.checkedIn = checkedIn
        self.expected = expected
        self.walkIns = walkIns
        self.capacity = capacity
        self.seatLimit = seatLimit ?? capacity
        self.listVersion = listVersion
        self.admissions = admissions
        self.conflicts = conflicts
    }
}

/// How many came to a past event.
public struct Attendance: Sendable, Equatable {
    public var eventID: Event.ID
    public var title: String
    public var startsAt: Date
    public var venueID: Venue.ID?
    /// People who held a seat (not walk-ins); everyone checked in; the walk-ins; those who held a
    /// seat and were checked in.
    public var expected: Int
    public var came: Int
    public var walkIns: Int
    public var showed: Int
    /// Expected people who did not come, as a share of those expected; nil before anyone checked in.
    public var noShowRate: Double? { Self.noShowRate(expected: expected, showed: showed, came: came) }
    public init(eventID: Event.ID, title: String, startsAt: Date, venueID: Venue.ID?, expected: Int, came: Int, walkIns: Int, showed: Int) {
        self.eventID = eventID
        self.title = title
        self.startsAt = startsAt
        self.venueID = venueID
        self.expected = expected
        self.came = came
        self.walkIns = walkIns
        self.showed = showed
    }

    /// The no-show rate, wherever it is shown: of the `expected` people who held a seat, the share
    /// who did not come (`showed`: those of them checked in; walk-ins hide no no-show). nil while
    /// the door was not used (nobody checked in: `came`, walk-ins included); 0 when nobody held a seat.
    public static func noShowRate(expected: Int, showed: Int, came: Int) -> Double? {
        guard came > 0 else { return nil }
        guard expected > 0 else { return 0 }
        return Double(max(0, expected - showed)) / Double(expected)
    }
}
