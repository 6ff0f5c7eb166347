import Foundation
import RendezvousDomain
import SQLKit

extension SessionStore {
    public static let sessionLifetime: TimeInterval = 14 * 24 * 3600

    /// Opens a session; returns the cookie value (only its hash is stored).
    public func createSession(for user: User.ID, now: Date) async throws -> String {
        let token = Secret.token()
        try await sql.raw("""
            INSERT INTO sessions (id, token_hash, user_id, csrf_token, created_at, expires_at)
            VALUES (\(bind: UUID()), \(bind: Persistence.hash(token)), \(bind: user.uuid), \(bind: Secret.token()), \(bind: now),
                    \(bind: now.addingTimeInterval(Self.sessionLifetime)))
            """).run()
        return token
    }

    public func session(token: String, now: Date) async throws -> WebSession? {
        guard !token.isEmpty, token.count <= 100 else { return nil }
        struct Row: Decodable { var userId: UUID; var csrfToken: String; var expiresAt: Date }
        guard let row = try await sql.raw("""
            SELECT user_id, csrf_token, expires_at FROM sessions WHERE token_hash = \(bind: Persistence.hash(token)) AND expires_at > \(bind: now)
            """).row(Row.self), let user = try await persistence.accounts.user(id: .init(row.userId)) else { return nil }
        return WebSession(user: user, csrfToken: row.csrfToken, expiresAt: row.expiresAt)
    }

    public func deleteSession(token: String) async throws {
        try await sql.raw("DELETE FROM sessions WHERE token_hash = \(bind: Persistence.hash(token))").run()
    }

    public func deleteExpiredSessions(now: Date) async throws {
        try await sql.raw("DELETE FROM sessions WHERE expires_at <= \(bind: now)").run()
    }
}
