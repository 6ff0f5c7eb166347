import Foundation

/// A signed-in browser: who, and the token its forms must send back.
public struct WebSession: Sendable, Equatable {
    public var user: User
    public var csrfToken: String
    public var expiresAt: Date
    public init(user: User, csrfToken: String, expiresAt: Date) {
        self.user = user
        self.csrfToken = csrfToken
        self.expiresAt = expiresAt
    }
}
