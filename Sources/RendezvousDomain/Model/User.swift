import Foundation

public enum Role: String, Sendable, Codable, CaseIterable {
    case networkAdmin = "network-admin"
    case organizer
}

public struct User: Sendable, Equatable, Identifiable {
    public typealias ID = Identifier<User>

    public var id: ID
    public var email: String
    public var name: String
    public var role: Role
    /// Chapters this user organises (empty for a network admin, who may act on all).
    public var chapterIDs: Set<Chapter.ID>

    public init(id: ID = ID(), email: String, name: String, role: Role, chapterIDs: Set<Chapter.ID> = []) {
        self.id = id
        self.email = email
        self.name = name
        self.role = role
        self.chapterIDs = chapterIDs
    }

    /// Chapter isolation: the single rule every organiser action goes through.
    public func mayOrganize(_ chapter: Chapter.ID) -> Bool {
        role == .networkAdmin || chapterIDs.contains(chapter)
    }
}
