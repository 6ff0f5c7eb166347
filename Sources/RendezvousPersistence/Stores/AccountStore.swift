import Crypto
import Foundation
import RendezvousDomain
import SQLKit

extension AccountStore {
    public enum UserError: Error, Equatable {
        case emailTaken
        case unknownChapter(String)
    }

    /// Creates a user with an already-computed bcrypt hash (hashing happens off the event loop, in the caller).
    public func createUser(email: String, name: String, role: Role, passwordHash: String, chapterSlugs: [String], now: Date) async throws -> User {
        let normalized = EmailAddress.normalize(email)
        do {
            return try await write { sql in
                let id = UUID()
                try await sql.raw("""
                    INSERT INTO users (id, email, name, role, password_hash, created_at)
                    VALUES (\(bind: id), \(bind: normalized), \(bind: name), \(bind: role.rawValue), \(bind: passwordHash), \(bind: now))
                    """).run()
                var chapters: Set<Chapter.ID> = []
                for slug in chapterSlugs {
                    struct Row: Decodable { var id: UUID }
                    guard let chapter = try await sql.raw("SELECT id FROM chapters WHERE slug = \(bind: slug)").row(Row.self) else {
                        throw UserError.unknownChapter(slug)
                    }
                    try await sql.raw("""
                        INSERT INTO chapter_organizers (id, chapter_id, user_id, created_at, role)
                        VALUES (\(bind: UUID()), \(bind: chapter.id), \(bind: id), \(bind: now), 'organizer')
                        """).run()
                    chapters.insert(.init(chapter.id))
                }
                return User(id: .init(id), email: normalized, name: name, role: role, chapterIDs: chapters)
            }
        } catch where Persistence.isUniqueViolation(error) {
            throw UserError.emailTaken
        }
    }

    /// The user and their password hash, for sign-in.
    public func credentials(email: String) async throws -> (user: User, passwordHash: String)? {
        struct Row: Decodable { var id: UUID; var email: String; var name: String; var role: String; var passwordHash: String }
        guard let row = try await sql.raw("""
            SELECT id, email, name, role, password_hash FROM users WHERE email = \(bind: EmailAddress.normalize(email))
            """).row(Row.self) else { return nil }
        let user = try await user(id: .init(row.id))
        return user.map { ($0, row.passwordHash) }
    }

    public func user(id: User.ID) async throws -> User? {
        struct Row: Decodable { var id: UUID; var email: String; var name: String; var role: String }
        guard let row = try await sql.raw("SELECT id, email, name, role FROM users WHERE id = \(bind: id.uuid)").row(Row.self) else {
            return nil
        }
        struct Membership: Decodable { var chapterId: UUID; var role: String }
        let memberships = try await sql.raw("SELECT chapter_id, role FROM chapter_organizers WHERE user_id = \(bind: id.uuid)")
            .rows(Membership.self)
        return User(id: id, email: row.email, name: row.name, role: Role(rawValue: row.role) ?? .organizer,
                    memberships: Dictionary(memberships.map { (.init($0.chapterId), ChapterRole(rawValue: $0.role) ?? .door) },
                                            uniquingKeysWith: { a, _ in a }))
    }

    /// Issues a bearer token; only its SHA-256 is stored.
    public func issueToken(for user: User.ID, now: Date, lifetime: TimeInterval = 30 * 24 * 3600) async throws -> String {
        let token = Secret.token()
        try await sql.raw("""
            INSERT INTO api_tokens (id, user_id, token_hash, created_at, expires_at)
            VALUES (\(bind: UUID()), \(bind: user.uuid), \(bind: Persistence.hash(token)), \(bind: now), \(bind: now.addingTimeInterval(lifetime)))
            """).run()
        return token
    }

    public func user(bearerToken token: String, now: Date) async throws -> User? {
        guard !token.isEmpty, token.count <= 200 else { return nil }
        struct Row: Decodable { var userId: UUID }
        guard let row = try await sql.raw("""
            SELECT user_id FROM api_tokens WHERE token_hash = \(bind: Persistence.hash(token)) AND expires_at > \(bind: now)
            """).row(Row.self) else { return nil }
        return try await user(id: .init(row.userId))
    }

    public func passwordHash(of user: User.ID) async throws -> String? {
        struct Row: Decodable { var passwordHash: String }
        return try await sql.raw("SELECT password_hash FROM users WHERE id = \(bind: user.uuid)").row(Row.self)?.passwordHash
    }

    /// Sets a new password and signs the user out everywhere else.
    public func changePassword(of user: User.ID, to hash: String, keepingSession token: String?) async throws {
        try await write { sql in
            try await sql.raw("UPDATE users SET password_hash = \(bind: hash) WHERE id = \(bind: user.uuid)").run()
            try await sql.raw("""
                DELETE FROM sessions WHERE user_id = \(bind: user.uuid) AND token_hash <> \(bind: token.map(Persistence.hash) ?? "")
                """).run()
            try await sql.raw("DELETE FROM api_tokens WHERE user_id = \(bind: user.uuid)").run()
        }
    }

}

extension AccountStore {
    /// Starts a password reset for the account with this email, if there is one: the link's token
    /// and the reset message are written together. Says nothing about whether the account exists.
    public func requestPasswordReset(email: String, now: Date) async throws {
        guard let user = try await credentials(email: email)?.user else { return }
        // The message names the reset, not its token: the token is derived again when the mail is
        // written, so neither the outbox nor password_resets holds a usable link.
        let id = UUID()
        let token = passwordResetToken(for: id)
        try await write { sql in
            try await sql.raw("""
                INSERT INTO password_resets (id, user_id, token_hash, expires_at) VALUES (\(bind: id), \(bind: user.id.uuid), \(bind: Persistence.hash(token)),
                \(bind: now.addingTimeInterval(3600)))
                """).run()
            try await Persistence.enqueue(.passwordReset, chapter: user.chapterIDs.first?.uuid, recipient: user.email, payload: ["reset": id.uuidString], now: now, on: sql)
        }
    }

    /// A password reset link's token, derived from the reset's id under the server key.
    public func passwordResetToken(for id: UUID) -> String {
        tokens.token(.passwordReset, id: id, salt: "reset")
    }

    /// The user a reset link is for, while it is unused and fresh.
    public func passwordResetUser(token: String, now: Date) async throws -> User? {
        guard token.count >= 20, token.count <= 100 else { return nil }
        struct Row: Decodable { var userId: UUID }
        guard let row = try await sql.raw("""
            SELECT user_id FROM password_resets WHERE token_hash = \(bind: Persistence.hash(token)) AND used_at IS NULL AND expires_at > \(bind: now)
            """).row(Row.self) else { return nil }
        return try await user(id: .init(row.userId))
    }

    /// Sets the new password once: the link is spent, other sessions and tokens end.
    public func completePasswordReset(token: String, hash: String, now: Date) async throws -> User? {
        let id: UUID? = try await write { sql in
            struct Row: Decodable { var id: UUID; var userId: UUID }
            guard let row = try await sql.raw("""
                SELECT id, user_id FROM password_resets WHERE token_hash = \(bind: Persistence.hash(token)) AND used_at IS NULL AND expires_at > \(bind: now)
                """).row(Row.self) else { return nil }
            let spent = try await sql.raw("UPDATE password_resets SET used_at = \(bind: now) WHERE id = \(bind: row.id) AND used_at IS NULL RETURNING id").all()
            guard !spent.isEmpty else { return nil }
            try await sql.raw("UPDATE users SET password_hash = \(bind: hash) WHERE id = \(bind: row.userId)").run()
            try await sql.raw("DELETE FROM sessions WHERE user_id = \(bind: row.userId)").run()
            try await sql.raw("DELETE FROM api_tokens WHERE user_id = \(bind: row.userId)").run()
            return row.userId
        }
        guard let id else { return nil }
        return try await user(id: .init(id))
    }
}

extension Persistence {
    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
