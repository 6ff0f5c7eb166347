import Foundation

/// An attendee as organisers see them: the registration, its note, where it came from.
public struct AttendeeRecord: Sendable, Equatable {
    public var registration: Registration
    public var note: String
    public var source: RegistrationSource
    public var waitlistPosition: Int?
    public var checkedInAt: Date? = nil
    public var walkIn: Bool
    public init(registration: Registration, note: String, source: RegistrationSource, waitlistPosition: Int? = nil, checkedInAt: Date? = nil, walkIn: Bool = false) {
        self.registration = registration
        self.note = note
        self.source = source
        self.waitlistPosition = waitlistPosition
        self.checkedInAt = checkedInAt
        self.walkIn = walkIn
    }
}

/// How a registration came in.
public enum RegistrationSource: String, Sendable, Codable, CaseIterable {
    /// The public form or the API.
    case online
    /// Added by hand by an organiser.
    case organizer
    /// A CSV import.
    case `import`
    /// A walk-in at the door.
    case door
}
