import Foundation

public enum Role: String, Sendable, Codable, CaseIterable {
    case networkAdmin = "network-admin"
    case organizer
}

/// What someone does for one chapter.
public enum ChapterRole: String, Sendable, Codable, CaseIterable {
    /// Runs the chapter: events, attendees, team.
    case organizer
    /// Checks people in at the door, nothing else.
    case door
}

public struct User: Sendable, Equatable, Identifiable {
    public typealias ID = Identifier<User>

    public var id: ID
    public var email: String
    public var name: String
    public var role: Role
    /// The chapters this user helps run, and how. A network admin may act on every chapter.
    public var memberships: [Chapter.ID: ChapterRole]

    public init(id: ID = ID(), email: String, name: String, role: Role, memberships: [Chapter.ID: ChapterRole] = [:]) {
        self.id = id
        self.email = email
        self.name = name
        self.role = role
        self.memberships = memberships
    }

    public init(id: ID = ID(), email: String, name: String, role: Role, chapterIDs: Set<Chapter.ID>) {
        self.init(id: id, email: email, name: name, role: role,
                  memberships: Dictionary(uniqueKeysWithValues: chapterIDs.map { ($0, .organizer) }))
    }

    public var isNetworkAdmin: Bool { role == .networkAdmin }

    /// Chapters this user organises.
    public var chapterIDs: Set<Chapter.ID> { Set(memberships.filter { $0.value == .organizer }.keys) }

    /// Chapter isolation: the single rule every organiser action goes through.
    public func mayOrganize(_ chapter: Chapter.ID) -> Bool {
        isNetworkAdmin || memberships[chapter] == .organizer
    }

    /// Door staff and organisers may check people in.
    public func mayCheckIn(_ chapter: Chapter.ID) -> Bool {
        isNetworkAdmin || memberships[chapter] != nil
    }
}
