import Foundation
import RendezvousDomain
import SQLKit

extension TeamStore {
    public enum TeamError: Error, Equatable {
        case invitationClosed
        case lastOrganizer
        /// The invitation's email already has an account: it accepts signed in, as itself.
        case accountExists
        /// Signed in as someone other than the invited email.
        case wrongAccount
    }

    public func team(of chapter: Chapter.ID) async throws -> [TeamMember] {
        struct Row: Decodable { var id: UUID; var email: String; var name: String; var userRole: String; var role: String }
        return try await sql.raw("""
            SELECT u.id, u.email, u.name, u.role AS user_role, co.role FROM users u
            JOIN chapter_organizers co ON co.user_id = u.id
            WHERE co.chapter_id = \(bind: chapter.uuid) ORDER BY co.role DESC, u.name
            """).rows(Row.self).map {
                let role = ChapterRole(rawValue: $0.role) ?? .door
                return TeamMember(user: User(id: .init($0.id), email: $0.email, name: $0.name, role: Role(rawValue: $0.userRole) ?? .organizer,
                                             memberships: [chapter: role]), role: role)
            }
    }

    /// Adds (or changes) someone's role in a chapter.
    public func setMembership(user: User.ID, chapter: Chapter.ID, role: ChapterRole, now: Date) async throws {
        try await write { sql in
            try await sql.raw("DELETE FROM chapter_organizers WHERE user_id = \(bind: user.uuid) AND chapter_id = \(bind: chapter.uuid)").run()
            try await sql.raw("""
                INSERT INTO chapter_organizers (id, chapter_id, user_id, created_at, role)
                VALUES (\(bind: UUID()), \(bind: chapter.uuid), \(bind: user.uuid), \(bind: now), \(bind: role.rawValue))
                """).run()
        }
    }

    /// Removes someone from a chapter's team; a chapter always keeps at least one organiser.
    public func removeMembership(user: User.ID, chapter: Chapter.ID) async throws {
        try await write { sql in
            struct Row: Decodable { var userId: UUID; var role: String }
            let members = try await sql.raw("SELECT user_id, role FROM chapter_organizers WHERE chapter_id = \(bind: chapter.uuid)").rows(Row.self)
            let organizers = members.filter { $0.role == ChapterRole.organizer.rawValue }
            if organizers.count == 1, organizers[0].userId == user.uuid { throw TeamError.lastOrganizer }
            try await sql.raw("DELETE FROM chapter_organizers WHERE user_id = \(bind: user.uuid) AND chapter_id = \(bind: chapter.uuid)").run()
        }
    }

    /// `name` is the invitee's when it is known (an approved application): their account will carry it.
    public func createInvitation(chapter: Chapter.ID, email: String, role: ChapterRole, invitedBy: String, name: String = "", now: Date) async throws -> Invitation {
        let id = UUID()
        let invitation = Invitation(
            id: id, chapterID: chapter, email: EmailAddress.normalize(email), role: role, token: invitationToken(for: id),
            invitedBy: invitedBy, createdAt: now, expiresAt: now.addingTimeInterval(Self.invitationLifetime), acceptedAt: nil, name: name)
        try await sql.raw("""
            INSERT INTO invitations (id, chapter_id, email, role, token, invited_by, created_at, expires_at, invitee_name)
            VALUES (\(bind: invitation.id), \(bind: chapter.uuid), \(bind: invitation.email), \(bind: role.rawValue), \(bind: Persistence.hash(invitation.token)),
                    \(bind: invitedBy), \(bind: now), \(bind: invitation.expiresAt), \(bind: name))
            """).run()
        return invitation
    }

    /// How long an invitation link works: 14 days, counted again when it is sent again.
    public static let invitationLifetime: TimeInterval = 14 * 24 * 3600

    /// Withdraws a pending invitation of this chapter (not one accepted or withdrawn already): its
    /// link then says it was withdrawn. Nil when there is no such pending invitation.
    public func revokeInvitation(_ id: UUID, chapter: Chapter.ID, by name: String, now: Date) async throws -> Invitation? {
        let tokens = self.tokens
        return try await write { sql in
            let changed = try await sql.raw("""
                UPDATE invitations SET revoked_at = \(bind: now), revoked_by = \(bind: name)
                WHERE id = \(bind: id) AND chapter_id = \(bind: chapter.uuid) AND accepted_at IS NULL AND revoked_at IS NULL RETURNING id
                """).all()
            guard !changed.isEmpty else { return nil }
            return try await sql.raw("SELECT \(unsafeRaw: InvitationRow.columns) FROM invitations WHERE id = \(bind: id)")
                .row(InvitationRow.self)?.invitation(tokens)
        }
    }

    /// Sends a pending invitation again: the same link, valid 14 days from now (an expired one
    /// opens again). Nil when the chapter has no such invitation, or it was accepted or withdrawn.
    public func renewInvitation(_ id: UUID, chapter: Chapter.ID, now: Date) async throws -> Invitation? {
        let tokens = self.tokens
        return try await write { sql in
            let changed = try await sql.raw("""
                UPDATE invitations SET expires_at = \(bind: now.addingTimeInterval(Self.invitationLifetime))
                WHERE id = \(bind: id) AND chapter_id = \(bind: chapter.uuid) AND accepted_at IS NULL AND revoked_at IS NULL RETURNING id
                """).all()
            guard !changed.isEmpty else { return nil }
            return try await sql.raw("SELECT \(unsafeRaw: InvitationRow.columns) FROM invitations WHERE id = \(bind: id)")
                .row(InvitationRow.self)?.invitation(tokens)
        }
    }

    /// One of the chapter's invitations, whatever its state.
    public func invitation(_ id: UUID, chapter: Chapter.ID) async throws -> Invitation? {
        try await sql.raw("SELECT \(unsafeRaw: InvitationRow.columns) FROM invitations WHERE id = \(bind: id) AND chapter_id = \(bind: chapter.uuid)")
            .row(InvitationRow.self)?.invitation(tokens)
    }

    struct InvitationRow: Decodable, Sendable {
        var id: UUID; var chapterId: UUID; var email: String; var role: String; var token: String; var invitedBy: String
        var createdAt: Date; var expiresAt: Date; var acceptedAt: Date?; var revokedAt: Date?; var inviteeName: String
        static let columns = "id, chapter_id, email, role, token, invited_by, created_at, expires_at, accepted_at, revoked_at, invitee_name"
        /// `token` holds a hash; the link's token is derived again from the id under the server key.
        func invitation(_ tokens: TokenVault) -> Invitation {
            Invitation(id: id, chapterID: .init(chapterId), email: email, role: ChapterRole(rawValue: role) ?? .door,
                       token: tokens.token(.invitation, id: id, salt: "invitation"),
                       invitedBy: invitedBy, createdAt: createdAt, expiresAt: expiresAt, acceptedAt: acceptedAt, revokedAt: revokedAt, name: inviteeName)
        }
    }

    /// An invitation link's token: derived from the invitation's id under the server key, never stored.
    public func invitationToken(for id: UUID) -> String {
        tokens.token(.invitation, id: id, salt: "invitation")
    }

    /// Which invitation a link names: by its authentication code, or (links sent before tokens were
    /// derived) by the SHA-256 that replaced the clear token.
    static func invitationCondition(_ token: String, _ tokens: TokenVault) -> SQLQueryString {
        if let id = TokenVault.registrationID(in: token), tokens.verify(token, .invitation, id: id, salt: "invitation") {
            return "id = \(bind: id)"
        }
        return "token = \(bind: Persistence.hash(token))"
    }

    public func invitation(token: String) async throws -> Invitation? {
        guard !token.isEmpty, token.count <= 100 else { return nil }
        return try await sql.raw("""
            SELECT \(unsafeRaw: InvitationRow.columns) FROM invitations
            WHERE \(Self.invitationCondition(token, tokens))
            """).row(InvitationRow.self)?.invitation(tokens)
    }

    /// The chapter's pending invitations (neither accepted nor withdrawn, not expired), newest first.
    public func invitations(of chapter: Chapter.ID, now: Date) async throws -> [Invitation] {
        try await sql.raw("""
            SELECT \(unsafeRaw: InvitationRow.columns) FROM invitations
            WHERE chapter_id = \(bind: chapter.uuid) AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > \(bind: now) ORDER BY created_at DESC
            """).rows(InvitationRow.self).map { $0.invitation(self.tokens) }
    }

    /// Invitations neither accepted nor withdrawn, expired ones included (the team page offers to
    /// send those again), newest first.
    public func unansweredInvitations(of chapter: Chapter.ID, limit: Int = 200) async throws -> [Invitation] {
        try await sql.raw("""
            SELECT \(unsafeRaw: InvitationRow.columns) FROM invitations
            WHERE chapter_id = \(bind: chapter.uuid) AND accepted_at IS NULL AND revoked_at IS NULL ORDER BY created_at DESC LIMIT \(bind: limit)
            """).rows(InvitationRow.self).map { $0.invitation(self.tokens) }
    }

    /// Accepts an invitation for an account that already exists: the signed-in person, whose
    /// email must be the invited one. Never creates nor signs in anyone.
    public func acceptInvitation(token: String, existingUser: User.ID, now: Date) async throws -> User {
        try await acceptInvitation(token: token, now: now) { sql, row in
            struct Existing: Decodable { var email: String }
            guard let existing = try await sql.raw("SELECT email FROM users WHERE id = \(bind: existingUser.uuid)").row(Existing.self),
                  EmailAddress.normalize(existing.email) == row.email else { throw TeamError.wrongAccount }
            return existingUser.uuid
        }
    }

    /// Accepts an invitation by creating the account of its email, with this name and password.
    /// If an account with that email exists (even one created a moment ago), nothing changes:
    /// that account must sign in and accept as itself.
    public func acceptInvitation(token: String, newAccountName name: String, passwordHash: String, now: Date) async throws -> User {
        do {
            return try await acceptInvitation(token: token, now: now) { sql, row in
                struct Existing: Decodable { var id: UUID }
                if try await sql.raw("SELECT id FROM users WHERE email = \(bind: row.email)").row(Existing.self) != nil { throw TeamError.accountExists }
                let userID = UUID()
                try await sql.raw("""
                    INSERT INTO users (id, email, name, role, password_hash, created_at)
                    VALUES (\(bind: userID), \(bind: row.email), \(bind: name), 'organizer', \(bind: passwordHash), \(bind: now))
                    """).run()
                return userID
            }
        } catch where Persistence.isUniqueViolation(error) {
            throw TeamError.accountExists
        }
    }

    /// Spends the link (once: a conditional update decides between two concurrent accepts), finds
    /// the account with `account`, and gives it the invited role, in one transaction.
    private func acceptInvitation(
        token: String, now: Date, account: @escaping @Sendable (any SQLDatabase, InvitationRow) async throws -> UUID
    ) async throws -> User {
        let condition = Self.invitationCondition(token, tokens)
        let tokens = self.tokens
        let userID: UUID = try await write { sql in
            guard let row = try await sql.raw("""
                SELECT \(unsafeRaw: InvitationRow.columns) FROM invitations WHERE \(condition)
                """).row(InvitationRow.self), row.invitation(tokens).isOpen(at: now) else { throw TeamError.invitationClosed }
            let claimed = try await sql.raw("""
                UPDATE invitations SET accepted_at = \(bind: now) WHERE id = \(bind: row.id) AND accepted_at IS NULL AND revoked_at IS NULL RETURNING id
                """).all()
            guard !claimed.isEmpty else { throw TeamError.invitationClosed }
            let userID = try await account(sql, row)
            try await sql.raw("DELETE FROM chapter_organizers WHERE user_id = \(bind: userID) AND chapter_id = \(bind: row.chapterId)").run()
            try await sql.raw("""
                INSERT INTO chapter_organizers (id, chapter_id, user_id, created_at, role)
                VALUES (\(bind: UUID()), \(bind: row.chapterId), \(bind: userID), \(bind: now), \(bind: row.role))
                """).run()
            return userID
        }
        guard let user = try await persistence.accounts.user(id: .init(userID)) else { throw TeamError.invitationClosed }
        return user
    }

    public func userExists(email: String) async throws -> Bool {
        try await sql.raw("SELECT COUNT(*) AS count FROM users WHERE email = \(bind: EmailAddress.normalize(email))").row(CountRow.self)?.count ?? 0 > 0
    }

    // MARK: Audit log

    public func audit(chapter: Chapter.ID?, by user: User, action: String, subject: String, now: Date) async throws {
        try await sql.raw("""
            INSERT INTO audit_log (id, chapter_id, user_id, user_name, action, subject, created_at)
            VALUES (\(bind: UUID()), \(bind: chapter?.uuid), \(bind: user.id.uuid), \(bind: user.name), \(bind: action), \(bind: subject), \(bind: now))
            """).run()
    }

    /// A page of the chapter's audit log, newest first.
    public func auditLog(of chapter: Chapter.ID, limit: Int = 200, offset: Int = 0) async throws -> [AuditEntry] {
        struct Row: Decodable { var userName: String; var action: String; var subject: String; var createdAt: Date }
        return try await sql.raw("""
            SELECT user_name, action, subject, created_at FROM audit_log WHERE chapter_id = \(bind: chapter.uuid)
            ORDER BY created_at DESC, id LIMIT \(bind: limit) OFFSET \(bind: max(0, offset))
            """).rows(Row.self).map { AuditEntry(userName: $0.userName, action: $0.action, subject: $0.subject, createdAt: $0.createdAt) }
    }

    public func auditCount(of chapter: Chapter.ID) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS count FROM audit_log WHERE chapter_id = \(bind: chapter.uuid)").row(CountRow.self)?.count ?? 0
    }
}

extension TeamStore {
    /// Hand-over removes every member, organisers included: the chapter's events and history stay,
    /// and the invited newcomer becomes its organiser on accepting.
    public func removeTeam(of chapter: Chapter.ID) async throws {
        try await sql.raw("DELETE FROM chapter_organizers WHERE chapter_id = \(bind: chapter.uuid)").run()
    }
}
