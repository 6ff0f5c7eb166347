import Hummingbird
import RendezvousDomain
import RendezvousLocalization

/// Every refusal the web layer gives, with its status. Messages are looked up in the user's language.
public enum AppError: Error, Sendable {
    case notFound
    case validation(ValidationErrors)
    case conflict(messageKey: String)
    /// The request is well formed but conflicts with what is stored (409), with the field it concerns.
    case stateConflict(ValidationErrors)
    case unprocessable(messageKey: String)
    case rateLimited(retryAfter: Int)
    case badRequest(detail: String?, fields: [String: String] = [:])
    case unauthorized
    case forbidden(messageKey: String)
    case payloadTooLarge
    case unsupportedMediaType

    var status: HTTPResponse.Status {
        switch self {
        case .notFound: .notFound
        case .validation: .unprocessableContent
        case .conflict, .stateConflict: .conflict
        case .unprocessable: .unprocessableContent
        case .rateLimited: .tooManyRequests
        case .badRequest: .badRequest
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .payloadTooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        }
    }

    func message(_ language: Language) -> String {
        switch self {
        case .notFound: Strings.text("error.notFound", language)
        case .validation, .stateConflict: Strings.text("form.errors", language)
        case .conflict(let key), .unprocessable(let key), .forbidden(let key): Strings.text(key, language)
        case .rateLimited(let seconds): Strings.plural("error.rateLimited", count: seconds, language)
        case .badRequest(let detail, _):
            detail.map { Strings.text("error.badRequest", language) + " " + $0 } ?? Strings.text("error.badRequest", language)
        case .unauthorized: Strings.text("error.unauthorized", language)
        case .payloadTooLarge: Strings.text("error.tooLarge", language)
        case .unsupportedMediaType: Strings.text("error.badRequest", language) + " Content-Type: application/json"
        }
    }

    func fields(_ language: Language) -> [String: String] {
        switch self {
        case .validation(let errors), .stateConflict(let errors):
            Dictionary(errors.problems.map { ($0.field, Strings.message(for: $0.problem, language)) }, uniquingKeysWith: { a, _ in a })
        case .badRequest(_, let fields): fields
        default: [:]
        }
    }

    /// Maps the domain's refusals to HTTP.
    static func from(_ error: RegistrationActionError) -> AppError {
        switch error {
        case .notFound: .notFound
        // What is stored (a closed meetup, the seats already held) refuses it, not the request itself: 409.
        case .eventNotOpen: .conflict(messageKey: "error.eventClosed")
        case .duplicateEmail: .conflict(messageKey: "error.duplicate")
        case .notCancellable: .conflict(messageKey: "error.notCancellable")
        case .noOpenOffer: .conflict(messageKey: "error.noOffer")
        case .offerExpired: .conflict(messageKey: "error.offerExpired")
        case .seatGiven: .conflict(messageKey: "error.seatGiven")
        case .notRestorable: .conflict(messageKey: "error.notRestorable")
        case .refused: .unprocessable(messageKey: "error.registrationRefused")
        case .eventCancelled: .conflict(messageKey: "error.eventCancelledFinal")
        case .capacityBelowConfirmed(let confirmed):
            .stateConflict(ValidationErrors([("capacity", .outOfRange(min: confirmed, max: EventInput.maxCapacity))]))
        }
    }
}
