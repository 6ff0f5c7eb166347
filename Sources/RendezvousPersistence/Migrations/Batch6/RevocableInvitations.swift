import FluentKit

/// Invitations an organiser can withdraw (when, by whom), and the invitee's name when it is known
/// (an approved chapter application), which the invitation page and mail then use.
struct RevocableInvitations: AsyncMigration {
    var name: String { "032_revocable_invitations" }

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        try await database.schema("invitations").field("revoked_at", .datetime).update()
        try await database.schema("invitations").field("revoked_by", .string).update()
        try await database.schema("invitations").field("invitee_name", .string, .required, .sql(.default(""))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("invitations").deleteField("invitee_name").update()
        try await database.schema("invitations").deleteField("revoked_by").update()
        try await database.schema("invitations").deleteField("revoked_at").update()
    }
}
