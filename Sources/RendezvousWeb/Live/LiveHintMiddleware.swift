import Foundation
import Hummingbird
import RendezvousDomain

/// Tells the live channel that an evening changed, after any write that succeeded on its room
/// (organiser pages and the API) or its door: the big screen, the attendees' phones and the other
/// door phones fetch the new state at once instead of waiting for their next poll.
struct LiveHintMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let live: LiveService

    /// The event and topic a write path changes, if any.
    static func hint(for path: String) -> (Event.ID, LiveTopic)? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        func event(at index: Int) -> Event.ID? { parts.indices.contains(index) ? Event.ID(string: String(parts[index])) : nil }
        if parts.count >= 4, parts[0] == "organize", parts[1] == "events", parts[3] == "room", let id = event(at: 2) { return (id, .room) }
        if parts.count >= 5, parts[0] == "api", parts[1] == "v1", parts[2] == "events", parts[4] == "room", let id = event(at: 3) { return (id, .room) }
        if parts.count >= 3, parts[0] == "door", let id = event(at: 1) { return (id, .door) }
        if parts.count >= 5, parts[0] == "api", parts[1] == "v1", parts[2] == "events", ["door", "attendance"].contains(parts[4]), let id = event(at: 3) { return (id, .door) }
        return nil
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method != .get, request.method != .head, let (event, topic) = Self.hint(for: request.uri.path) else {
            return try await next(request, context)
        }
        let response = try await next(request, context)
        if response.status.code < 400 { live.publishSoon(event, topic, interval: .milliseconds(50)) }
        return response
    }
}
