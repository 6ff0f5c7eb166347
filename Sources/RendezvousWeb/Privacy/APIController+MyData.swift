import Foundation
import Hummingbird
import RendezvousDomain
import RendezvousPersistence

extension API {
    /// Consents to set; a consent left out is left as it is.
    struct ConsentsInput: Decodable {
        var list: Bool?; var profile: Bool?; var games: Bool?; var news: Bool?; var mail: Bool?

        var values: [ConsentKind: Bool] {
            var values: [ConsentKind: Bool] = [:]
            values[.list] = list; values[.profile] = profile; values[.games] = games; values[.news] = news; values[.mail] = mail
            return values
        }
    }
    struct ConsentsSaved: Encodable { var consents: [String: Bool] }
    struct Erased: Encodable { var status = "erased"; var registrations: Int }
}

extension APIController {
    /// Whose data a call is about: one registration (`X-Manage-Token`), else the address of the
    /// attendee session (`rv_me` cookie, SameSite=Lax: a cross-site page cannot send it with a
    /// PUT or DELETE); 401 without either, 404 for a token that opens nothing.
    func personScope(_ request: Request) async throws -> (scope: PersonScope, signedIn: Bool) {
        if let token = request.headers[.xManageToken], !token.isEmpty {
            guard let registration = try await services.persistence.registrations.registration(manageToken: token),
                  !registration.profile.email.isEmpty else { throw AppError.notFound }
            return (.registration(registration.id.uuid), false)
        }
        if let (session, _) = try await MeController(services: services).session(request) {
            return (.email(session.email), true)
        }
        throw AppError.unauthorized
    }

    /// Everything held about the caller, as the JSON download (docs/data-export.md).
    @Sendable func exportMyData(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (scope, _) = try await personScope(request)
        let data = try await services.persistence.personalData.export(scope, now: services.clock.now())
        return JSONBody.response(status: .ok, data)
    }

    /// Sets the consents given (each a boolean) on every registration in scope; recorded.
    @Sendable func changeMyConsents(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (scope, _) = try await personScope(request)
        let input = try await Self.decode(API.ConsentsInput.self, from: request, context: context)
        try await MyDataController(services: services).setConsents(scope, input.values, source: "api")
        let data = try await services.persistence.personalData.export(scope, now: services.clock.now())
        let given = Dictionary(grouping: data.registrations.flatMap(\.consents), by: \.consent).mapValues { $0.contains(where: \.given) }
        return JSONBody.response(status: .ok, API.ConsentsSaved(consents: Dictionary(uniqueKeysWithValues: given.map { ($0.key.rawValue, $0.value) })))
    }

    /// Erases the caller (as the page's button does); a session is signed out.
    @Sendable func eraseMyData(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (scope, signedIn) = try await personScope(request)
        let reference: String? = if case .email(let email) = scope { services.persistence.personalData.reference(email: email) } else { nil }
        let erasure = try await MyDataController(services: services).erase(scope, reference: reference)
        var response = JSONBody.response(status: .ok, API.Erased(registrations: erasure.registrations))
        if signedIn { response.setCookie(MeController(services: services).cookie("", maxAge: 0)) }
        return response
    }
}
