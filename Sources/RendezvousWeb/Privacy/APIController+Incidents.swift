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
        // Tied to the caller's "My data" only by their manage token (a registration of this
        // meetup) or their My Rendezvous session, never by the contact text.
        var registration: UUID?
        if let token = request.headers[.xManageToken], !token.isEmpty,
           let found = try await services.persistence.registrations.registration(manageToken: token), found.eventID == detail.event.id {
            registration = found.id.uuid
        }
        let email = registration == nil ? try await MeController(services: services).session(request)?.0.email : nil
        _ = try await services.persistence.incidents.report(event: detail.event.id, description: checked.description, reporterName: checked.name,
                                                            reporterContact: checked.contact, reporterRegistration: registration, reporterEmail: email,
                                                            now: services.clock.now())
        return JSONBody.response(status: .created, API.IncidentReceived())
    }
}
