import Foundation
import HTTPTypes
import HummingbirdBcrypt
import HummingbirdTesting
import NIOCore
import RendezvousDomain
@testable import RendezvousPersistence
@testable import RendezvousWeb
import Testing

/// A signed-in browser, as far as the server can tell: its session cookie and CSRF token.
struct SignedIn: Sendable {
    var user: User
    var cookie: String
    var csrf: String

    var headers: HTTPFields { [.cookie: "rv_session=\(cookie)"] }

    func form(_ fields: [String: String], csrf overriding: String? = nil) -> (HTTPFields, ByteBuffer) {
        var headers = self.headers
        headers[.contentType] = "application/x-www-form-urlencoded"
        var all = fields
        all["_csrf"] = overriding ?? csrf
        return (headers, PageTests.form(all))
    }
}

enum Accounts {
    static let password = "correct horse battery"
    static let hash = Bcrypt.hash(password, cost: 4)

    static func signIn(_ app: TestApp, email: String, role: Role = .organizer, chapters: [String] = []) async throws -> SignedIn {
        let user = try await app.persistence.accounts.createUser(email: email, name: email.split(separator: "@")[0].capitalized, role: role,
                                                        passwordHash: hash, chapterSlugs: chapters, now: app.clock.now())
        let cookie = try await app.persistence.sessions.createSession(for: user.id, now: app.clock.now())
        let session = try #require(try await app.persistence.sessions.session(token: cookie, now: app.clock.now()))
        return SignedIn(user: session.user, cookie: cookie, csrf: session.csrfToken)
    }
}

extension TestClientProtocol {
    func post(_ uri: String, as person: SignedIn, _ fields: [String: String] = [:], csrf: String? = nil) async throws -> TestResponse {
        let (headers, body) = person.form(fields, csrf: csrf)
        return try await execute(uri: uri, method: .post, headers: headers, body: body)
    }

    func get(_ uri: String, as person: SignedIn, language: String = "en") async throws -> TestResponse {
        var headers = person.headers
        headers[.acceptLanguage] = language
        return try await execute(uri: uri, method: .get, headers: headers)
    }
}
