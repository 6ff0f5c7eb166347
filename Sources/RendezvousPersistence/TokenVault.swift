import Crypto
import Foundation
import RendezvousDomain

/// The secrets in links (manage, ticket, contact card, unsubscribe) are never stored.
///
/// A token is the registration's id followed by an HMAC of (purpose, id, salt) under a server key
/// that the database does not hold. The database keeps only the per-registration salt, in the
/// `manage_token`, `ticket_token` and `contact_token` columns; a new salt revokes every earlier
/// token of that purpose (a renewed badge QR code). A copy of the database therefore lets nobody
/// cancel, admit or read: without the key no token can be made, and none can be read back.
public struct TokenVault: Sendable {
    public enum Purpose: String, Sendable, CaseIterable {
        case manage, ticket, contact, unsubscribe
        /// The attendee's bingo cookie: names their card on the phone that scans badges; derived
        /// from the manage salt under its own purpose, so it opens nothing else.
        case bingo
        /// Not registrations: an invitation to a chapter's team, a password reset link, an
        /// event's big-screen link (for a projector's computer that nobody signs in on).
        case invitation, passwordReset, screen
        /// A quiz player's phone (its cookie): names one player of one game.
        case quizPlayer
        /// A chapter audience's address: confirms following the chapter, or unsubscribes from its
        /// news (one purpose each, so a confirmation link cannot unsubscribe and the reverse).
        case follow, audienceUnsubscribe
        /// "My Rendezvous": the one-time sign-in link mailed to an attendee (only its hash is stored).
        case attendeeSignIn
        /// "We met" without signing in: the cookie a holder's phone gets when it opens their manage
        /// page; derived from the manage salt under its own purpose, so it names them and opens nothing.
        case holder
        /// The morning-after mail's feedback form: answers one registration's two questions, nothing else.
        case feedback

        /// The registrations column holding the salt this purpose is derived from; nil for links
        /// that are not a registration's. Unsubscribe links are derived from the manage salt under
        /// their own purpose: they can unsubscribe, nothing else.
        var saltColumn: String? {
            switch self {
            case .manage, .unsubscribe, .bingo, .holder, .feedback: "manage_token"
            case .ticket: "ticket_token"
            case .contact: "contact_token"
            case .invitation, .passwordReset, .screen, .quizPlayer, .follow, .audienceUnsubscribe, .attendeeSignIn: nil
            }
        }
    }

    /// The HMAC key, kept as bytes (SymmetricKey is not Sendable).
    private let key: Data

    /// `secret` should hold at least 32 random bytes (see `rendezvous serve`'s SECRET_KEY).
    public init(secret: Data) {
        key = Data(SHA256.hash(data: secret))
    }

    /// A random key for one process: tests, and commands that never show a link.
    public static func ephemeral() -> TokenVault {
        TokenVault(secret: Data(Secret.random().utf8))
    }

    /// 22 characters of id, then 22 of authentication code (128 bits).
    public func token(_ purpose: Purpose, id: UUID, salt: String) -> String {
        Self.base64URL(Self.bytes(of: id)) + Self.base64URL(mac(purpose, id: id, salt: salt))
    }

    /// The registration a token names, if it is well formed; the caller then checks it with `verify`.
    public static func registrationID(in token: String) -> UUID? {
        guard token.count == 44, let bytes = data(fromBase64URL: String(token.prefix(22))), bytes.count == 16 else { return nil }
        return bytes.withUnsafeBytes { raw in
            UUID(uuid: raw.loadUnaligned(as: uuid_t.self))
        }
    }

    /// Whether `token` is the current token of this purpose for this registration (constant time).
    public func verify(_ token: String, _ purpose: Purpose, id: UUID, salt: String) -> Bool {
        guard !salt.isEmpty else { return false }
        return constantTimeEquals(token, self.token(purpose, id: id, salt: salt))
    }

    /// A blocked person's email as stored: HMAC-SHA-256 of the normalised address under the server
    /// key, hex. A copy of the database does not tell whose address it is, nor can anyone test a
    /// guess without the key.
    public func emailHash(_ email: String) -> String {
        let message = Data("blocked-email|\(EmailAddress.normalize(email))".utf8)
        return HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)).map { String(format: "%02x", $0) }.joined()
    }

    /// The hashes a block matches for an address, the one to store first: of the address without
    /// its `+tag` (mail servers deliver `name+anything@` to `name@`, so a tag would let a blocked
    /// person back in), then of the address as written (blocks made before tags were dropped).
    /// Dots are kept: only some providers ignore them (docs/security.md).
    public func blockHashes(_ email: String) -> [String] {
        let full = EmailAddress.normalize(email)
        let base = Self.untagged(full)
        return base == full ? [emailHash(base)] : [emailHash(base), emailHash(full)]
    }

    /// `name+tag@domain` → `name@domain`; any other address as it is.
    static func untagged(_ email: String) -> String {
        guard let at = email.lastIndex(of: "@") else { return email }
        let local = email[..<at]
        guard let plus = local.firstIndex(of: "+"), plus > local.startIndex else { return email }
        return String(local[..<plus]) + email[at...]
    }

    private func mac(_ purpose: Purpose, id: UUID, salt: String) -> Data {
        let message = Data("\(purpose.rawValue)|\(id.uuidString.lowercased())|\(salt)".utf8)
        return Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key))).prefix(16)
    }

    private static func bytes(of id: UUID) -> Data {
        withUnsafeBytes(of: id.uuid) { Data($0) }
    }

    private static func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    private static func data(fromBase64URL text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64.append("=") }
        return Data(base64Encoded: base64)
    }
}
