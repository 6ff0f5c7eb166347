import Crypto
import Foundation
import RendezvousDomain
import SQLKit

/// Pictures organisers upload (already re-encoded by the web layer): event covers, chapter logos,
/// speaker photos; and the chapter's colour. Every write names the chapter and changes a row
/// only if it belongs to that chapter.
public struct ImageStore: Store {
    public let persistence: Persistence
}

extension Persistence {
    public var images: ImageStore { .init(persistence: self) }
}

/// A picture to store: the bytes the server encoded, never the upload's.
public struct NewImage: Sendable {
    public var kind: String
    public var contentType: String
    public var bytes: [UInt8]
    public var width: Int
    public var height: Int

    public init(kind: String, contentType: String, bytes: [UInt8], width: Int, height: Int) {
        self.kind = kind
        self.contentType = contentType
        self.bytes = bytes
        self.width = width
        self.height = height
    }

    /// `<id>-<first 16 hex digits of the SHA-256>.<ext>`: the public file name.
    func name(id: UUID) -> String {
        let digest = SHA256.hash(data: bytes).prefix(8).map { String(format: "%02x", $0) }.joined()
        return "\(id.uuidString.lowercased())-\(digest).\(contentType == "image/png" ? "png" : "jpg")"
    }
}

/// A stored picture, as served.
public struct StoredImage: Sendable {
    public var name: String
    public var contentType: String
    public var bytes: Data
}

/// What the public pages show of a chapter's look.
public struct ChapterBrand: Sendable, Equatable {
    /// The logo's file name, if any.
    public var logo: String?
    public var color: BrandColor?

    public init(logo: String? = nil, color: BrandColor? = nil) {
        self.logo = logo
        self.color = color
    }
}

/// The pictures of one event: its cover and alternative text, its speakers' photos, its chapter's look.
public struct EventLook: Sendable, Equatable {
    public var cover: String?
    public var coverAlt: String
    public var brand: ChapterBrand
    public var speakerPhotos: [Speaker.ID: String]
    /// The venue's access notes from the directory (step-free access, floor, entrance).
    public var venueAccess: String

    public init(cover: String? = nil, coverAlt: String = "", brand: ChapterBrand = .init(), speakerPhotos: [Speaker.ID: String] = [:],
                venueAccess: String = "") {
        self.cover = cover
        self.coverAlt = coverAlt
        self.brand = brand
        self.speakerPhotos = speakerPhotos
        self.venueAccess = venueAccess
    }
}

extension ImageStore {
    public enum ImageError: Error { case notFound }

    /// A picture by its file name; nil when the name is not exactly one we gave.
    public func image(name: String) async throws -> StoredImage? {
        guard name.count > 36, let id = UUID(uuidString: String(name.prefix(36))) else { return nil }
        struct Row: Decodable { var name: String; var contentType: String; var bytes: Data }
        guard let row = try await sql.raw("SELECT name, content_type, bytes FROM images WHERE id = \(bind: id)").row(Row.self),
              row.name == name else { return nil }
        return StoredImage(name: row.name, contentType: row.contentType, bytes: row.bytes)
    }

    public func brand(of chapter: Chapter.ID) async throws -> ChapterBrand {
        struct Row: Decodable { var logoImage: String?; var brandColor: String? }
        let row = try await sql.raw("SELECT logo_image, brand_color FROM chapters WHERE id = \(bind: chapter.uuid)").row(Row.self)
        return ChapterBrand(logo: row?.logoImage, color: row?.brandColor.flatMap(BrandColor.init))
    }

    /// The covers of a chapter's events, by event.
    public func covers(of chapter: Chapter.ID) async throws -> [Event.ID: String] {
        struct Row: Decodable { var id: UUID; var coverImage: String }
        let rows = try await sql.raw("""
            SELECT id, cover_image FROM events WHERE chapter_id = \(bind: chapter.uuid) AND cover_image IS NOT NULL
            """).rows(Row.self)
        return Dictionary(rows.map { (Event.ID($0.id), $0.coverImage) }, uniquingKeysWith: { first, _ in first })
    }

    /// The event's cover, its speakers' photos and its chapter's look: two small queries.
    public func look(of event: Event.ID) async throws -> EventLook {
        struct Row: Decodable { var coverImage: String?; var coverAlt: String?; var logoImage: String?; var brandColor: String?; var venueAccess: String? }
        guard let row = try await sql.raw("""
            SELECT e.cover_image, e.cover_alt, c.logo_image, c.brand_color, v.accessibility AS venue_access
            FROM events e JOIN chapters c ON c.id = e.chapter_id LEFT JOIN venues v ON v.id = e.venue_id
            WHERE e.id = \(bind: event.uuid)
            """).row(Row.self) else { return EventLook() }
        struct PhotoRow: Decodable { var id: UUID; var photoImage: String }
        let photos = try await sql.raw("""
            SELECT s.id, s.photo_image FROM speakers s JOIN event_speakers es ON es.speaker_id = s.id
            WHERE es.event_id = \(bind: event.uuid) AND s.photo_image IS NOT NULL
            """).rows(PhotoRow.self)
        return EventLook(
            cover: row.coverImage, coverAlt: row.coverAlt ?? "",
            brand: ChapterBrand(logo: row.logoImage, color: row.brandColor.flatMap(BrandColor.init)),
            speakerPhotos: Dictionary(photos.map { (Speaker.ID($0.id), $0.photoImage) }, uniquingKeysWith: { first, _ in first }),
            venueAccess: row.venueAccess ?? "")
    }

    /// Sets or removes an event's cover (`image` replaces it; `remove` drops it) and its
    /// alternative text. The replaced picture is deleted. Throws `notFound` when the event is not
    /// the chapter's.
    public func setCover(event: Event.ID, chapter: Chapter.ID, image: NewImage?, remove: Bool, alt: String, now: Date) async throws {
        try await write { sql in
            struct Row: Decodable { var coverImage: String? }
            guard let row = try await sql.raw("""
                SELECT cover_image FROM events WHERE id = \(bind: event.uuid) AND chapter_id = \(bind: chapter.uuid)
                """).row(Row.self) else { throw ImageError.notFound }
            var name = row.coverImage
            if let image {
                name = try await Self.insert(image, chapter: chapter, now: now, on: sql)
            } else if remove {
                name = nil
            }
            try await sql.raw("""
                UPDATE events SET cover_image = \(bind: name), cover_alt = \(bind: alt), updated_at = \(bind: now)
                WHERE id = \(bind: event.uuid) AND chapter_id = \(bind: chapter.uuid)
                """).run()
            if let old = row.coverImage, old != name { try await Self.delete(old, on: sql) }
        }
    }

    /// Gives a copy of an event its original's cover and description (the picture is shared: it is
    /// deleted only when neither uses it any more).
    public func copyCover(from original: Event.ID, to copy: Event.ID, chapter: Chapter.ID) async throws {
        try await write { sql in
            struct Row: Decodable { var coverImage: String?; var coverAlt: String? }
            guard let row = try await sql.raw("""
                SELECT cover_image, cover_alt FROM events WHERE id = \(bind: original.uuid) AND chapter_id = \(bind: chapter.uuid)
                """).row(Row.self), let cover = row.coverImage else { return }
            try await sql.raw("""
                UPDATE events SET cover_image = \(bind: cover), cover_alt = \(bind: row.coverAlt ?? "")
                WHERE id = \(bind: copy.uuid) AND chapter_id = \(bind: chapter.uuid)
                """).run()
        }
    }

    /// Sets or removes a chapter's logo and sets its colour (nil: the default).
    public func setBrand(chapter: Chapter.ID, logo: NewImage?, removeLogo: Bool, color: BrandColor?, now: Date) async throws {
        try await write { sql in
            struct Row: Decodable { var logoImage: String? }
            guard let row = try await sql.raw("SELECT logo_image FROM chapters WHERE id = \(bind: chapter.uuid)").row(Row.self) else {
                throw ImageError.notFound
            }
            var name = row.logoImage
            if let logo {
                name = try await Self.insert(logo, chapter: chapter, now: now, on: sql)
            } else if removeLogo {
                name = nil
            }
            try await sql.raw("""
                UPDATE chapters SET logo_image = \(bind: name), brand_color = \(bind: color?.hex) WHERE id = \(bind: chapter.uuid)
                """).run()
            if let old = row.logoImage, old != name { try await Self.delete(old, on: sql) }
        }
    }

    /// Sets or removes the photo of one of the event's speakers. The speaker must speak at this
    /// event and belong to the chapter (a network-wide speaker is not the chapter's to change).
    public func setSpeakerPhoto(speaker: Speaker.ID, event: Event.ID, chapter: Chapter.ID, image: NewImage?, now: Date) async throws {
        try await write { sql in
            struct Row: Decodable { var photoImage: String? }
            guard let row = try await sql.raw("""
                SELECT s.photo_image FROM speakers s
                JOIN event_speakers es ON es.speaker_id = s.id JOIN events e ON e.id = es.event_id
                WHERE s.id = \(bind: speaker.uuid) AND es.event_id = \(bind: event.uuid)
                  AND e.chapter_id = \(bind: chapter.uuid) AND s.chapter_id = \(bind: chapter.uuid)
                """).row(Row.self) else { throw ImageError.notFound }
            var name: String?
            if let image { name = try await Self.insert(image, chapter: chapter, now: now, on: sql) }
            try await sql.raw("UPDATE speakers SET photo_image = \(bind: name) WHERE id = \(bind: speaker.uuid)").run()
            if let old = row.photoImage, old != name { try await Self.delete(old, on: sql) }
        }
    }

    /// The photos of the event's speakers the chapter may change, by speaker.
    public func editableSpeakers(of event: Event.ID, chapter: Chapter.ID) async throws -> [(speaker: Speaker.ID, name: String, photo: String?)] {
        struct Row: Decodable { var id: UUID; var name: String; var photoImage: String? }
        return try await sql.raw("""
            SELECT s.id, s.name, s.photo_image FROM speakers s
            JOIN event_speakers es ON es.speaker_id = s.id JOIN events e ON e.id = es.event_id
            WHERE es.event_id = \(bind: event.uuid) AND e.chapter_id = \(bind: chapter.uuid) AND s.chapter_id = \(bind: chapter.uuid)
            ORDER BY es.position
            """).rows(Row.self).map { (Speaker.ID($0.id), $0.name, $0.photoImage) }
    }

    static func insert(_ image: NewImage, chapter: Chapter.ID, now: Date, on sql: any SQLDatabase) async throws -> String {
        let id = UUID()
        let name = image.name(id: id)
        try await sql.raw("""
            INSERT INTO images (id, chapter_id, name, kind, content_type, bytes, width, height, created_at)
            VALUES (\(bind: id), \(bind: chapter.uuid), \(bind: name), \(bind: image.kind), \(bind: image.contentType),
                    \(bind: Data(image.bytes)), \(bind: image.width), \(bind: image.height), \(bind: now))
            """).run()
        return name
    }

    /// Deletes a picture no longer used, unless another row still names it (a duplicated event
    /// shares its original's cover).
    static func delete(_ name: String, on sql: any SQLDatabase) async throws {
        guard name.count > 36, let id = UUID(uuidString: String(name.prefix(36))) else { return }
        struct Row: Decodable { var count: Int }
        let uses = try await sql.raw("""
            SELECT (SELECT COUNT(*) FROM events WHERE cover_image = \(bind: name))
                 + (SELECT COUNT(*) FROM chapters WHERE logo_image = \(bind: name))
                 + (SELECT COUNT(*) FROM speakers WHERE photo_image = \(bind: name)) AS count
            """).row(Row.self)?.count ?? 0
        guard uses == 0 else { return }
        try await sql.raw("DELETE FROM images WHERE id = \(bind: id)").run()
    }
}
