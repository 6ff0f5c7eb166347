import Foundation
import RendezvousDomain
import SQLKit

/// Reads for the pages and mails about a second evening: the waitlist place an offer came from,
/// and the second-evening registration a waitlist place led to. Read only; the changes are in
/// RegistrationStore+Overflow.
extension RegistrationStore {
    /// For a registration on a second evening (an offer, accepted or not): the place on the
    /// original's waiting list it came from. Nil for any other registration.
    public func origin(of id: Registration.ID) async throws -> Registration? {
        try await sql.raw("""
            SELECT \(unsafeRaw: RegistrationRow.columns) FROM registrations r
            JOIN registrations s ON s.origin_registration_id = r.id WHERE s.id = \(bind: id.uuid)
            """).row(RegistrationRow.self)?.registration(tokens)
    }

    /// The latest registration on a second evening made from this waitlist place (an offer, a
    /// move, whatever became of it since). Nil when none was.
    public func latestSecondEvening(from origin: Registration.ID) async throws -> Registration? {
        try await sql.raw("""
            SELECT \(unsafeRaw: RegistrationRow.columns) FROM registrations r
            WHERE r.origin_registration_id = \(bind: origin.uuid) ORDER BY r.created_at DESC LIMIT 1
            """).row(RegistrationRow.self)?.registration(tokens)
    }
}
