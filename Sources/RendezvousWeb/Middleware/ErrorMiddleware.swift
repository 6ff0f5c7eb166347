import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Logging
import RendezvousDomain
import RendezvousLocalization

/// Turns every error into a clear answer in the user's language: JSON under /api, a page elsewhere.
/// Unknown errors are logged and answered with a generic message, never with internals.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let renderer: PageRenderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return respond(to: error, request: request, context: context)
        }
    }

    func respond(to error: any Error, request: Request, context: Context) -> Response {
        let appError: AppError
        switch error {
        case let error as AppError: appError = error
        case let error as RegistrationActionError: appError = AppError.from(error)
        case let error as HTTPError:
            switch error.status {
            case .notFound: appError = .notFound
            case .contentTooLarge: appError = .payloadTooLarge
            case .methodNotAllowed:
                return Response(status: .methodNotAllowed)
            case .badRequest: appError = .badRequest(detail: nil)
            default:
                if error.status.code < 500 { appError = .badRequest(detail: nil) } else { return serverError(error, request: request, context: context) }
            }
        case is DecodingError: appError = .badRequest(detail: nil)
        case is NIOTooManyBytesError: appError = .payloadTooLarge
        default:
            return serverError(error, request: request, context: context)
        }
        var response = render(appError, request: request, context: context)
        if case .rateLimited(let seconds) = appError {
            response.headers[.retryAfter] = String(seconds)
        }
        if case .unauthorized = appError, request.uri.path.hasPrefix(APIRoute.areaPrefix) {
            response.headers[.wwwAuthenticate] = "Bearer"
        }
        return response
    }

    private func serverError(_ error: any Error, request: Request, context: Context) -> Response {
        // No personal data in logs: tokens in the path and addresses in the error are masked.
        context.logger.error("Unhandled error on \(request.method) \(LogRedaction.path(request.uri.path)): \(LogRedaction.redact(String(reflecting: error)))")
        let language = context.language
        if Self.wantsJSON(request) {
            return JSONBody.response(status: .internalServerError, APIErrorBody(error: Strings.text("error.server", language), fields: [:]))
        }
        return renderer.errorPage(status: .internalServerError, message: Strings.text("error.server", language), context: context)
    }

    private func render(_ error: AppError, request: Request, context: Context) -> Response {
        let language = context.language
        if Self.wantsJSON(request) {
            return JSONBody.response(status: error.status, APIErrorBody(error: error.message(language), fields: error.fields(language)))
        }
        return renderer.errorPage(status: error.status, message: error.message(language), context: context)
    }

    static func wantsJSON(_ request: Request) -> Bool {
        request.uri.path.hasPrefix(APIRoute.areaPrefix) || request.uri.path == PublicRoute.healthz.path
    }
}

struct APIErrorBody: Codable, Sendable {
    var error: String
    var fields: [String: String]
}

enum JSONBody {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Every date as ISO 8601, as the OpenAPI document says (never the encoder's seconds since 2001).
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    static func response(status: HTTPResponse.Status, _ value: some Encodable, headers: HTTPFields = [:]) -> Response {
        let data = (try? encoder().encode(value)) ?? Data("{\"error\":\"encoding\"}".utf8)
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        fields[.cacheControl] = "no-store"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
