import Foundation
import HummingbirdTesting
@testable import RendezvousWeb
import Testing

@Suite("OpenAPI document")
struct OpenAPITests {
    @Test func documentsExactlyTheRoutesTheServerHas() async throws {
        try await withApp(.sqlite) { app in
            try await app.application.test(.router) { client in
                let response = try await client.execute(uri: "/api/openapi.json", method: .get)
                #expect(response.status == .ok)
                let document = try response.json()
                #expect(document["openapi"] as? String == "3.1.0")
                let paths = try #require(document["paths"] as? [String: [String: Any]])
                var documented = Set<String>()
                for (path, operations) in paths {
                    for method in operations.keys where ["get", "post", "patch", "put", "delete"].contains(method) {
                        documented.insert("\(method.uppercased()) \(path)")
                    }
                }
                let controller = APIController(services: app.services)
                // The door (6), attendance (2) and badges (2): all there, each once.
                let door = controller.routes.map { "\($0.method.rawValue) \($0.route.pattern)" }
                    .filter { $0.contains("/door") || $0.contains("/attendance/") || $0.hasSuffix("/attendance") || $0.contains("/badges") }
                #expect(door.count == 10 && Set(door).count == 10, "\(door)")
                var served = Set(controller.routes.map { route in
                    let path = route.route.pattern.split(separator: "/", omittingEmptySubsequences: false)
                        .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
                    return "\(route.method.rawValue) \(path)"
                })
                served.insert("GET /healthz")
                // An attendee's own data, read with their session cookie (MeController).
                served.formUnion(["GET /me/people.json", "GET /me/profile.json"])
                #expect(documented == served)
            }
        }
    }
}
