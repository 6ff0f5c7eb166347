import Foundation
import RendezvousPersistence

/// The server's key for the tokens in links (see `TokenVault`): never in the database.
///
/// `SECRET_KEY` (at least 32 characters) or `SECRET_KEY_FILE` name it; otherwise it is read from,
/// or created once with the system CSPRNG in, `secret.key` beside the SQLite file (`./data/` for
/// PostgreSQL). Every instance of a deployment must share it: a new key invalidates every link
/// already sent (manage, ticket, badge and unsubscribe links).
enum ServerSecret {
    struct Invalid: Error, CustomStringConvertible { var description: String }

    static func load(databaseURL: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> TokenVault {
        if let key = environment["SECRET_KEY"], !key.isEmpty {
            guard key.utf8.count >= 32 else { throw Invalid(description: "SECRET_KEY must be at least 32 characters (try `openssl rand -base64 48`)") }
            return TokenVault(secret: Data(key.utf8))
        }
        let path = environment["SECRET_KEY_FILE"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultPath(databaseURL: databaseURL)
        if let existing = FileManager.default.contents(atPath: path), existing.count >= 32 {
            return TokenVault(secret: existing)
        }
        var generator = SystemRandomNumberGenerator()
        let bytes = Data((0..<48).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // Created readable by the owner only; `.withoutOverwriting` so two instances starting at
        // once keep the first key, which both then read.
        do {
            try bytes.write(to: URL(fileURLWithPath: path), options: [.withoutOverwriting])
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        } catch {
            guard let existing = FileManager.default.contents(atPath: path), existing.count >= 32 else { throw error }
            return TokenVault(secret: existing)
        }
        return TokenVault(secret: bytes)
    }

    static func defaultPath(databaseURL: String) -> String {
        if databaseURL.hasPrefix("sqlite://") || !databaseURL.contains("://") {
            let path = databaseURL.hasPrefix("sqlite://") ? String(databaseURL.dropFirst("sqlite://".count)) : databaseURL
            if !path.isEmpty, path != ":memory:" {
                return URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("secret.key").path
            }
        }
        return "./data/secret.key"
    }
}
