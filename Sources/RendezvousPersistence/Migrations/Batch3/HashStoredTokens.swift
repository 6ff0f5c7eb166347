import Crypto
import FluentKit
import Foundation
import SQLKit

/// Invitation links and the outbox's password-reset messages held their tokens in clear. Links
/// are now derived from the server key (`TokenVault`); what was stored is replaced by its
/// SHA-256, so links already mailed keep working and a copy of the database opens nothing.
/// Messages waiting in the outbox name their invitation or reset by id. Revert cannot restore a
/// hash to its token: it leaves the hashes.
struct HashStoredTokens: AsyncMigration {
    var name: String { "024_hash_stored_tokens" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        // Messages not yet sent name their invitation or reset by id instead of carrying its token.
        struct Message: Decodable { var id: UUID; var kind: String; var payload: String }
        struct Found: Decodable { var id: UUID }
        for row in try await sql.raw("SELECT id, kind, payload FROM outbox WHERE kind IN ('passwordReset', 'invitation')").all(decoding: Message.self) {
            var payload = (try? JSONDecoder().decode([String: String].self, from: Data(row.payload.utf8))) ?? [:]
            guard let token = payload.removeValue(forKey: "token") else { continue }
            if row.kind == "invitation",
               let found = try await sql.raw("SELECT id FROM invitations WHERE token = \(bind: token)").first(decoding: Found.self) {
                payload["invitation"] = found.id.uuidString
            } else if row.kind == "passwordReset",
                      let found = try await sql.raw("SELECT id FROM password_resets WHERE token_hash = \(bind: Self.hash(token))").first(decoding: Found.self) {
                payload["reset"] = found.id.uuidString
            }
            let text = String(decoding: try JSONEncoder().encode(payload), as: UTF8.self)
            try await sql.raw("UPDATE outbox SET payload = \(bind: text) WHERE id = \(bind: row.id)").run()
        }
        struct Invitation: Decodable { var id: UUID; var token: String }
        for row in try await sql.raw("SELECT id, token FROM invitations").all(decoding: Invitation.self) where row.token.count != 64 {
            try await sql.raw("UPDATE invitations SET token = \(bind: Self.hash(row.token)) WHERE id = \(bind: row.id)").run()
        }
    }

    func revert(on database: any Database) async throws {}

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
