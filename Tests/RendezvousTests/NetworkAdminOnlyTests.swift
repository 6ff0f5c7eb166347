import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RendezvousDomain
@testable import RendezvousPersistence
@testable import RendezvousWeb
import Testing

/// The API's network-admin-only endpoints (the network's insights, a new chapter): a signed-in
/// organiser's token gets 403 saying it needs a network admin, in the request's language, not
/// "Sign-in required" (they are signed in); no token is still 401 with that message.
@Suite("Network admins only")
struct NetworkAdminOnlyTests {
    @Test(arguments: DatabaseKind.available)
    func anOrganiserIsToldItNeedsANetworkAdmin(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: [chapter.slug])
            let admin = try await Accounts.signIn(app, email: "admin@example.org", role: .networkAdmin)
            let token = try await db.accounts.issueToken(for: organizer.user.id, now: app.clock.now())
            let adminToken = try await db.accounts.issueToken(for: admin.user.id, now: app.clock.now())
            let chapterBody = ByteBuffer(string: #"{"slug":"lyon","name":"Lyon","city":"Lyon","countryCode":"FR","timeZone":"Europe/Paris","locale":"fr"}"#)
            try await app.application.test(.router) { client in
                func call(_ method: HTTPRequest.Method, _ uri: String, token: String?, language: String, body: ByteBuffer? = nil) async throws -> TestResponse {
                    var headers = jsonHeaders(token)
                    headers[.acceptLanguage] = language
                    return try await client.execute(uri: uri, method: method, headers: headers, body: body)
                }
                for (method, uri, body) in [(HTTPRequest.Method.get, "/api/v1/network/insights", nil), (.post, "/api/v1/chapters", chapterBody)] {
                    let en = try await call(method, uri, token: token, language: "en", body: body)
                    #expect(en.status == .forbidden, "\(uri)")
                    #expect(try en.json()["error"] as? String == "Network admins only: you are signed in, but your account is not a network admin.")
                    let fr = try await call(method, uri, token: token, language: "fr", body: body)
                    #expect(fr.status == .forbidden)
                    #expect(try fr.json()["error"] as? String
                            == "Réservé aux administrateurs du réseau\u{202F}: vous êtes connecté·e, mais votre compte n’est pas administrateur du réseau.")
                    // Without a token: still 401, and that one does ask to sign in.
                    let anonymous = try await call(method, uri, token: nil, language: "en", body: body)
                    #expect(anonymous.status == .unauthorized)
                    #expect(try anonymous.json()["error"] as? String == "Sign-in required.")
                }
                #expect(try await call(.get, "/api/v1/network/insights", token: adminToken, language: "en").status == .ok)
                #expect(try await call(.post, "/api/v1/chapters", token: adminToken, language: "en", body: chapterBody).status == .created)
            }
        }
    }
}
