import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Every request carries an id: the proxy's `X-Request-Id` if it is a sane token (letters,
/// digits, `-_.:`, at most 64), else a new random one. It goes into every log line of the request
/// (`request_id`) and back in the response's `X-Request-Id`, so a user's report, nginx's access
/// log and our logs meet on one value.
struct RequestIdMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    static let header = HTTPField.Name("X-Request-Id")!

    static func accepted(_ value: String?) -> String? {
        guard let value, !value.isEmpty, value.utf8.count <= 64,
              value.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.:".unicodeScalars.contains($0)) })
        else { return nil }
        return value
    }

    static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(format: "%016llx", generator.next() as UInt64)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let id = Self.accepted(request.headers[Self.header]) ?? Self.newID()
        var context = context
        context.logger[metadataKey: "request_id"] = .string(id)
        // Placed before ErrorMiddleware: errors come back here as responses, and carry the id too.
        var response = try await next(request, context)
        response.headers[Self.header] = id
        return response
    }
}
