import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import RendezvousDomain
@testable import RendezvousPersistence
@testable import RendezvousWeb
import Testing

/// The real application on a fresh database, wired by the same `buildRouter` as production.
struct TestApp: Sendable {
    let services: AppServices
    let clock: ManualClock
    var persistence: Persistence { services.persistence }

    var application: some ApplicationProtocol {
        get throws { Application(router: try buildRouter(services: services)) }
    }
}

func withApp<T: Sendable>(
    _ kind: DatabaseKind, rateLimit: RateLimit = .off, pageCacheTTL: TimeInterval = 0,
    configure: (inout WebConfiguration) -> Void = { _ in },
    _ body: @Sendable (TestApp) async throws -> T
) async throws -> T {
    var configuration = WebConfiguration(baseURL: "https://rendezvous.test", rateLimit: rateLimit, pageCacheTTL: pageCacheTTL)
    configure(&configuration)
    return try await withDatabase(kind) { [configuration] persistence in
        let clock = ManualClock(Fixture.start)
        let services = try await AppServices(
            persistence: persistence, clock: clock,
            configuration: configuration,
            logger: testLogger)
        // The live channel's timers stop before the database closes.
        defer { services.live.stop() }
        return try await body(TestApp(services: services, clock: clock))
    }
}

/// Runs the real HTTP server on a free loopback port for the duration of `body`.
func withLiveServer<T: Sendable>(_ app: TestApp, _ body: @Sendable (Int) async throws -> T) async throws -> T {
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    let application = try buildApplication(services: app.services, hostname: "127.0.0.1", port: 0) { channel in
        continuation.yield(channel.localAddress?.port ?? 0)
    }
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
            try await application.runService(gracefulShutdownSignals: [])
            return nil
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        let result = try await body(port)
        group.cancelAll()
        return result
    }
}

/// One request on its own connection, as a separate browser or phone would send it.
func send(_ port: Int, _ method: HTTPRequest.Method, _ path: String, json: String? = nil, headers: HTTPFields = [:]) async throws -> TestClient.Response {
    // A storm of requests on two shared cores can queue one for longer than the default 15 s;
    // the tests judge outcomes, not speed (that is `make bench`).
    try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(120))) { client in
        var fields = headers
        if json != nil { fields[.contentType] = "application/json" }
        return try await client.execute(.init(path, method: method, headers: fields, body: json.map { ByteBuffer(string: $0) }))
    }
}

extension TestClient.Response {
    var text: String { String(buffer: body ?? ByteBuffer()) }

    func json() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(buffer: body ?? ByteBuffer()))
        return try #require(object as? [String: Any])
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(buffer: body ?? ByteBuffer()))
    }
}

func jsonHeaders(_ token: String? = nil) -> HTTPFields {
    var fields: HTTPFields = [.contentType: "application/json"]
    if let token { fields[.authorization] = "Bearer \(token)" }
    return fields
}

extension TestResponse {
    var text: String { String(buffer: body) }

    func json() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(buffer: body))
        return try #require(object as? [String: Any])
    }
}
