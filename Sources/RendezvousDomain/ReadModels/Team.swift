import Foundation

public struct TeamMember: Sendable, Equatable {
    public var user: User
    public var role: ChapterRole
    public init(user: User, role: ChapterRole) {
        self.user = user
        self.role = role
    }
}

public struct Invitation: Sendable, Equatable {
    public var id: UUID
    public var chapterID: Chapter.ID
    public var email: String
    public var role: ChapterRole
    public var token: String
    public var invitedBy: String
    public var createdAt: Date
    public var expiresAt: Date
    public var acceptedAt: Date?
    /// Withdrawn by an organiser: the link then says so.
    public var revokedAt: Date?
    /// The invitee's name when it is known (an approved chapter application), else empty.
    public var name: String

    public func isOpen(at now: Date) -> Bool { acceptedAt == nil && revokedAt == nil && now < expiresAt }
    public init(id: UUID, chapterID: Chapter.ID, email: String, role: ChapterRole, token: String, invitedBy: String, createdAt: Date, expiresAt: Date,
                acceptedAt: Date? = nil, revokedAt: Date? = nil, name: String = "") {
        self.id = id
        self.chapterID = chapterID
        self.email = email
        self.role = role
        self.token = token
        self.invitedBy = invitedBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.acceptedAt = acceptedAt
        self.revokedAt = revokedAt
        self.name = name
    }
}

public struct AuditEntry: Sendable, Equatable {
    public var userName: String
    public var action: String
    public var subject: String
    public var createdAt: Date
    public init(userName: String, action: String, subject: String, createdAt: Date) {
        self.userName = userName
        self.action = action
        self.subject = subject
        self.createdAt = createdAt
    }
}
