import Foundation
import HummingbirdTesting
import RendezvousDomain
@testable import RendezvousPersistence
import SQLKit
import Testing

/// A copy of the database lets nobody cancel, admit or read: the tokens in links are derived
/// from a server key the database does not hold, and only per-registration salts are stored.
@Suite("Secrets in links are not stored")
struct TokenStorageTests {
    @Test(arguments: DatabaseKind.available)
    func theDatabaseHoldsNoLinkToken(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 10)
            let registration = try await db.registrations.register(Fixture.profile(1), for: event.id, now: Fixture.start).registration
            let tokens = [
                registration.manageToken,
                try #require(try await db.door.ticketToken(of: registration.id)),
                try #require(try await db.registrations.contactToken(of: registration.id)),
                try #require(try await db.outbox.unsubscribeToken(of: registration.id)),
            ]
            #expect(Set(tokens).count == 4, "each purpose has its own token")
            // Every text value of the person's row, as a copy of the database would show it.
            let row = try #require(try await db.sql.raw("SELECT * FROM registrations WHERE id = \(bind: registration.id.uuid)").first())
            var stored: [String] = []
            for column in row.allColumns { if let text = try? row.decode(column: column, as: String.self) { stored.append(text) } }
            #expect(stored.count > 5)
            for token in tokens {
                #expect(!stored.contains { $0.contains(token) || $0.contains(String(token.suffix(22))) }, "a link's token is stored in clear")
            }
            // Each token still works for its purpose, through the pages.
            try await app.application.test(.router) { client in
                let manage = try await client.execute(uri: "/manage/\(tokens[0])", method: .get)
                #expect(manage.status == .ok)
                #expect(try await client.execute(uri: "/c/\(tokens[2])", method: .get).status == .ok)
                #expect(try await client.execute(uri: "/unsubscribe/\(tokens[3])", method: .get).status == .ok)
                // The unsubscribe link is narrow: it manages nothing; the manage link does not unsubscribe.
                #expect(try await client.execute(uri: "/manage/\(tokens[3])", method: .get).status == .notFound)
                #expect(try await client.execute(uri: "/manage/\(tokens[3])/cancel", method: .post).status == .notFound)
                #expect(try await client.execute(uri: "/unsubscribe/\(tokens[0])", method: .post).status == .notFound)
                // A ticket or a badge's code cannot manage the registration either.
                #expect(try await client.execute(uri: "/manage/\(tokens[1])", method: .get).status == .notFound)
                #expect(try await client.execute(uri: "/manage/\(tokens[2])", method: .get).status == .notFound)
            }
            #expect(try await db.registrations.registration(id: registration.id)?.status == .confirmed)
        }
    }

    /// Invitation links and password-reset links: neither the invitations, the resets nor the
    /// outbox hold a usable token; the links the mails carry work.
    @Test(arguments: DatabaseKind.available)
    func invitationAndResetLinksAreNotStored(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let db = app.persistence
            let chapter = try await Fixture.chapter(db)
            _ = try await db.accounts.createUser(email: "ana@example.org", name: "Ana", role: .organizer, passwordHash: "x", chapterSlugs: [chapter.slug], now: Fixture.start)
            let invitation = try await db.team.createInvitation(chapter: chapter.id, email: "new@example.org", role: .door, invitedBy: "Ana", now: Fixture.start)
            try await db.accounts.requestPasswordReset(email: "ana@example.org", now: Fixture.start)
            struct Reset: Decodable { var id: UUID }
            let reset = try #require(try await db.sql.raw("SELECT id FROM password_resets").first(decoding: Reset.self))
            let resetToken = db.accounts.passwordResetToken(for: reset.id)
            var stored: [String] = []
            for table in ["invitations", "password_resets", "outbox"] {
                for row in try await db.sql.raw("SELECT * FROM \(unsafeRaw: table)").all() {
                    for column in row.allColumns { if let text = try? row.decode(column: column, as: String.self) { stored.append(text) } }
                }
            }
            for token in [invitation.token, resetToken] {
                #expect(!stored.contains { $0.contains(token) || $0.contains(String(token.suffix(22))) }, "a link's token is stored in clear")
            }
            try await app.application.test(.router) { client in
                let invited = try await client.execute(uri: "/invitations/\(invitation.token)", method: .get)
                #expect(invited.status == .ok)
                #expect(try await client.execute(uri: "/password/reset/\(resetToken)", method: .get).status == .ok)
                #expect(try await client.execute(uri: "/invitations/\(resetToken)", method: .get).status == .notFound)
            }
            #expect(try await db.team.invitation(token: invitation.token)?.id == invitation.id)
            #expect(try await db.accounts.passwordResetUser(token: resetToken, now: Fixture.start)?.email == "ana@example.org")
        }
    }

    /// With the database but another server key (a stolen copy), no token verifies and none can be made.
    @Test(arguments: DatabaseKind.available)
    func anotherKeyOpensNothing(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { db in
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 10)
            let registration = try await db.registrations.register(Fixture.profile(1), for: event.id, now: Fixture.start).registration
            let ticket = try #require(try await db.door.ticketToken(of: registration.id))
            let thief = try Persistence(url: db.url, logger: testLogger, tokens: TokenVault(secret: Data("another key of more than thirty-two bytes".utf8)))
            #expect(try await thief.registrations.registration(manageToken: registration.manageToken) == nil)
            #expect(try await thief.door.ticket(ticket) == nil)
            let forged = try #require(try await thief.registrations.registration(id: registration.id)).manageToken
            await #expect(throws: RegistrationActionError.notFound) {
                _ = try await db.registrations.cancel(registration.id, token: forged, now: Fixture.start)
            }
            await thief.shutdown()
            #expect(try await db.registrations.registration(manageToken: registration.manageToken)?.id == registration.id)
            // A token with a changed character is refused.
            var tampered = Array(registration.manageToken)
            tampered[30] = tampered[30] == "A" ? "B" : "A"
            #expect(try await db.registrations.registration(manageToken: String(tampered)) == nil)
        }
    }
}
