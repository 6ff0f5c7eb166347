import FluentKit

/// The token of the sender that claimed a message: its answer (sent, failed, retry) is a
/// conditional update on it, so a sender whose lease lapsed cannot settle a message another took.
struct AddOutboxClaims: AsyncMigration {
    var name: String { "025_add_outbox_claims" }

    func prepare(on database: any Database) async throws {
        try await database.schema("outbox").field("claim", .string, .required, .sql(.default(""))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("outbox").deleteField("claim").update()
    }
}
