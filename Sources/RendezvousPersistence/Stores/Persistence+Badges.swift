import Foundation
import RendezvousDomain
import SQLKit

/// What a badge's QR code shows to the person who scans it.
public struct ContactCard: Sendable, Equatable {
    public var registrationID: Registration.ID
    public var eventID: Event.ID
    public var profile: AttendeeProfile
    public var status: RegistrationStatus
}

extension Persistence {
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
        return Dictionary(uniqueKeysWithValues: rows.map { (.init($0.id), $0.contactToken) })
    }

    /// One registration's contact token, created if it has none yet.
    public func contactToken(of registration: Registration.ID) async throws -> String? {
        try await ensureToken("contact_token", of: registration)
    }

    /// Reads a per-registration secret column, filling it once if empty (rows from before the
    /// column existed). A concurrent fill is settled by reading back.
    func ensureToken(_ column: String, of registration: Registration.ID) async throws -> String? {
        struct Row: Decodable { var token: String }
        let select = SQLQueryString("SELECT \(unsafeRaw: column) AS token FROM registrations WHERE id = \(bind: registration.uuid)")
        guard let row = try await sql.raw(select).row(Row.self) else { return nil }
        guard row.token.isEmpty else { return row.token }
        try await sql.raw("""
            UPDATE registrations SET \(unsafeRaw: column) = \(bind: Secret.token()) WHERE id = \(bind: registration.uuid) AND \(unsafeRaw: column) = ''
            """).run()
        return try await sql.raw(select).row(Row.self)?.token
    }

    /// A new contact token: every badge printed before stops opening the card.
    public func renewContactToken(of registration: Registration.ID) async throws -> String {
        let token = Secret.token()
        try await sql.raw("UPDATE registrations SET contact_token = \(bind: token) WHERE id = \(bind: registration.uuid)").run()
        return token
    }

    public func contactCard(token: String) async throws -> ContactCard? {
        guard token.count >= 20, token.count <= 100 else { return nil }
        guard let row = try await sql.raw("""
            SELECT \(unsafeRaw: RegistrationRow.columns) FROM registrations r WHERE r.contact_token = \(bind: token)
            """).row(RegistrationRow.self) else { return nil }
        let registration = row.registration
        return ContactCard(registrationID: registration.id, eventID: registration.eventID, profile: registration.profile, status: registration.status)
    }
}
