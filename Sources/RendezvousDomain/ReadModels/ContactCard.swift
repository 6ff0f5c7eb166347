import Foundation

/// What a badge's QR code shows to the person who scans it.
public struct ContactCard: Sendable, Equatable {
    public var registrationID: Registration.ID
    public var eventID: Event.ID
    public var profile: AttendeeProfile
    public var status: RegistrationStatus
    public init(registrationID: Registration.ID, eventID: Event.ID, profile: AttendeeProfile, status: RegistrationStatus) {
        self.registrationID = registrationID
        self.eventID = eventID
        self.profile = profile
        self.status = status
    }
}
