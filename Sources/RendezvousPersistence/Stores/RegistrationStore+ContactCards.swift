import Foundation
import RendezvousDomain
import SQLKit

extension RegistrationStore {
    /// Contact tokens of an event's registrations, creating any that are missing (rows from before
    /// tokens existed).
    public func contactTokens(of event: Event.ID) async throws -> [Registration.ID: String] {
        struct Row: Decodable { var id: UUID; var contactToken: String }
        var rows = try await sql.raw("SELECT id, contact_token FROM registrations WHERE event_id = \(bind: event.uuid)").rows(Row.self)
        if rows.contains(where: { $0.contactToken.isEmpty }) {
            for row in rows where row.contactToken.isEmpty {
                try await sql.raw("UPDATE registrations SET contact_token = \(bind: Secret.token()) WHERE id = \(bind: row.id) AND contact_token = ''").run()
            }
            // Read back: a concurrent call may have set some of them first.
            rows = try await sql.raw("SELECT id, contact_token FROM registrations WHERE event_id = \(bind: event.uuid)").rows(Row.self)
        }
        return Dictionary(uniqueKeysWithValues: rows.map { (.init($0.id), tokens.token(.contact, id: $0.id, salt: $0.contactToken)) })
    }

    /// One registration's contact token, created if it has none yet.
    public func contactToken(of registration: Registration.ID) async throws -> String? {
        try await ensureToken(.contact, of: registration)
    }

    /// The current token of `purpose` for a registration, creating its salt if it has none yet
    /// (rows from before the column existed). A concurrent fill is settled by reading back.
    func ensureToken(_ purpose: TokenVault.Purpose, of registration: Registration.ID) async throws -> String? {
        struct Row: Decodable { var salt: String }
        guard let column = purpose.saltColumn else { return nil }
        let select = SQLQueryString("SELECT \(unsafeRaw: column) AS salt FROM registrations WHERE id = \(bind: registration.uuid)")
        guard var row = try await sql.raw(select).row(Row.self) else { return nil }
        if row.salt.isEmpty {
            try await sql.raw("""
                UPDATE registrations SET \(unsafeRaw: column) = \(bind: Secret.token()) WHERE id = \(bind: registration.uuid) AND \(unsafeRaw: column) = ''
                """).run()
            guard let filled = try await sql.raw(select).row(Row.self) else { return nil }
            row = filled
        }
        return tokens.token(purpose, id: registration.uuid, salt: row.salt)
    }

    /// A new contact token: every badge printed before stops opening the card.
    public func renewContactToken(of registration: Registration.ID) async throws -> String {
        let salt = Secret.token()
        try await sql.raw("UPDATE registrations SET contact_token = \(bind: salt) WHERE id = \(bind: registration.uuid)").run()
        return tokens.token(.contact, id: registration.uuid, salt: salt)
    }

    public func contactCard(token: String) async throws -> ContactCard? {
        guard let row = try await registrationRow(token: token, .contact) else { return nil }
        let registration = row.registration(tokens)
        return ContactCard(registrationID: registration.id, eventID: registration.eventID, profile: registration.profile, status: registration.status)
    }
}
