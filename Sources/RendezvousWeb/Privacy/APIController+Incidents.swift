import Foundation
import Hummingbird
import RendezvousDomain
import RendezvousPersistence

extension API {
    struct IncidentInput: Decodable { var description: String?; var name: String?; var contact: String? }
    struct IncidentReceived: Encodable { var status = "received" }
}

extension APIController {
    /// A confidential incident report, as the public form files it: the same checks (errors name
    /// the field), the same mail to the chapter's organisers and the network admins. The answer
    /// echoes nothing of the report.
    @Sendable func reportIncident(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let id = context.parameters.get("id").flatMap(Event.ID.init(string:)),
              let detail = try await services.persistence.events.eventDetail(id: id), detail.event.status != .draft else { throw AppError.notFound }
        let input = try await Self.decode(API.IncidentInput.self, from: request, context: context)
        let (checked, errors) = IncidentRules.check(description: input.description, name: input.name, contact: input.contact)
        guard errors.isEmpty else { throw AppError.validation(errors) }
        _ = try await services.persistence.incidents.report(event: detail.event.id, description: checked.description, reporterName: checked.name,
                                                            reporterContact: checked.contact, now: services.clock.now())
        return JSONBody.response(status: .created, API.IncidentReceived())
    }
}
