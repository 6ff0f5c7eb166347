import Foundation
import RendezvousDomain
import SQLKit

/// An attendee's optional profile photo (already checked and re-encoded by the web layer), one
/// per address. Shown to the people they are connected with, and on their badge's contact card
/// when they share their profile there; served by an unguessable name, never listed.
public struct AttendeePhotoStore: Store { public let persistence: Persistence }

extension Persistence {
    public var attendeePhotos: AttendeePhotoStore { .init(persistence: self) }
}

extension AttendeePhotoStore {
    /// Sets (or, with nil, removes) the photo of an address; returns its new name.
    @discardableResult
    public func setPhoto(email: String, image: NewImage?, now: Date) async throws -> String? {
        let address = EmailAddress.normalize(email)
        guard let image else {
            try await write { sql in try await sql.raw("DELETE FROM attendee_photos WHERE email = \(bind: address)").run() }
            return nil
        }
        // One statement: two uploads at once (two tabs) leave one photo, never a key collision.
        let id = UUID()
        let name = image.name(id: id)
        try await write { sql in try await sql.raw("""
            INSERT INTO attendee_photos (id, email, name, content_type, bytes, width, height, created_at)
            VALUES (\(bind: id), \(bind: address), \(bind: name), \(bind: image.contentType), \(bind: Data(image.bytes)),
                    \(bind: image.width), \(bind: image.height), \(bind: now))
            ON CONFLICT (email) DO UPDATE SET id = excluded.id, name = excluded.name, content_type = excluded.content_type,
                bytes = excluded.bytes, width = excluded.width, height = excluded.height, created_at = excluded.created_at
            """).run() }
        return name
    }

    /// The photo's name for each address that has one.
    public func photos(of emails: [String]) async throws -> [String: String] {
        let addresses = Array(Set(emails.map(EmailAddress.normalize))).filter { !$0.isEmpty }
        guard !addresses.isEmpty else { return [:] }
        struct Row: Decodable { var email: String; var name: String }
        var found: [String: String] = [:]
        for chunk in stride(from: 0, to: addresses.count, by: 500).map({ Array(addresses[$0..<min($0 + 500, addresses.count)]) }) {
            for row in try await sql.raw("SELECT email, name FROM attendee_photos WHERE email IN \(SQLBind.group(chunk))").rows(Row.self) {
                found[row.email] = row.name
            }
        }
        return found
    }

    public func photo(of email: String) async throws -> String? {
        try await photos(of: [email])[EmailAddress.normalize(email)]
    }

    /// The picture behind a photo's name (nil for any other name).
    public func file(name: String) async throws -> StoredImage? {
        guard name.count > 36, let id = UUID(uuidString: String(name.prefix(36))) else { return nil }
        struct Row: Decodable { var name: String; var contentType: String; var bytes: Data }
        guard let row = try await sql.raw("SELECT name, content_type, bytes FROM attendee_photos WHERE id = \(bind: id)").row(Row.self),
              row.name == name else { return nil }
        return StoredImage(name: row.name, contentType: row.contentType, bytes: row.bytes)
    }
}
