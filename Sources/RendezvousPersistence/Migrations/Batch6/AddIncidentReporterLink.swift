import FluentKit
import SQLKit

/// Who filed an incident report, as far as "My data" is concerned: the registration whose manage
/// link it was filed from, or the keyed hash of the address signed in to My Rendezvous. Never the
/// free-text contact field, which anyone may fill with anyone's address.
struct AddIncidentReporterLink: AsyncMigration {
    var name: String { "042_add_incident_reporter_link" }

    func prepare(on database: any Database) async throws {
        try await database.schema("incident_reports")
            .field("reporter_registration_id", .uuid)
            .update()
        try await database.schema("incident_reports")
            .field("reporter_email_hash", .string)
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("incident_reports").deleteField("reporter_email_hash").update()
        try await database.schema("incident_reports").deleteField("reporter_registration_id").update()
    }
}
