import Foundation

/// An attendee as organisers see them: the registration, its note, where it came from.
public struct AttendeeRecord: Sendable, Equatable {
    public var registration: Registration
    public var note: String
    public var source: String
    public var waitlistPosition: Int?
    public var checkedInAt: Date? = nil
    public var walkIn: Bool
    public init(registration: Registration, note: String, source: String, waitlistPosition: Int? = nil, checkedInAt: Date? = nil, walkIn: Bool = false) {
        self.registration = registration
        self.note = note
        self.source = source
        self.waitlistPosition = waitlistPosition
        self.checkedInAt = checkedInAt
        self.walkIn = walkIn
    }
}
