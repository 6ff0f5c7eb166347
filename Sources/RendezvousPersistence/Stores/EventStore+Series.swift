import Crypto
import Foundation
import RendezvousDomain
import SQLKit

extension EventStore {
    public enum SeriesOutcome: Sendable, Equatable {
        /// The events were created now.
        case created([Event.ID])
        /// A request with the same key had already created them (a retry, a form sent twice).
        case alreadyCreated([Event.ID])
    }

    /// The events of a series, all in one transaction: a process killed halfway leaves none of them.
    ///
    /// `key` (the form's `seriesKey`, given when the form was shown) makes the request idempotent:
    /// the events' ids are derived from the chapter, the key and their position, so the same request
    /// sent again (a browser retrying after the connection dropped, a double click) finds them and
    /// creates nothing; two at once collide on the primary key and the second finds the first's.
    public func createSeries(_ inputs: [EventInput.Valid], in chapter: Chapter.ID, key: UUID, now: Date) async throws -> SeriesOutcome {
        let ids = inputs.indices.map { Self.seriesEventID(chapter: chapter, key: key, position: $0) }
        guard !ids.isEmpty else { return .created([]) }
        // The series is there when its first event is (they are written together); the ones an
        // organiser has deleted since are not made again.
        func existing() async throws -> [Event.ID]? {
            struct Row: Decodable { var id: UUID }
            let found = try await sql.raw("SELECT id FROM events WHERE id IN (\(binds: ids.map(\.uuid)))").all(decoding: Row.self)
            let present = Set(found.map(\.id))
            guard present.contains(ids[0].uuid) else { return nil }
            return ids.filter { present.contains($0.uuid) }
        }
        if let done = try await existing() { return .alreadyCreated(done) }
        do {
            return try await write { sql in
                for (id, input) in zip(ids, inputs) {
                    _ = try await Persistence.insertEvent(id, input, in: chapter, now: now, on: sql)
                }
                return .created(ids)
            }
        } catch let error where Persistence.isUniqueViolation(error) {
            // The same key, sent twice at once: the other request created the series.
            if let done = try await existing() { return .alreadyCreated(done) }
            throw error
        }
    }

    /// A version-8 UUID from SHA-256 of the chapter, the key and the position: the same for a
    /// retried request, never the same for another chapter or another key.
    public static func seriesEventID(chapter: Chapter.ID, key: UUID, position: Int) -> Event.ID {
        var bytes = Array(SHA256.hash(data: Data("rendezvous-series:\(chapter.uuid.uuidString):\(key.uuidString):\(position)".utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let uuid = UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                               bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
        return Event.ID(uuid)
    }
}

extension Persistence {
    /// The event's row (and its venue, found or added to the chapter's directory), inside the
    /// caller's transaction; speakers and agenda are the caller's. Returns the venue's id.
    static func insertEvent(_ id: Event.ID, _ input: EventInput.Valid, in chapter: Chapter.ID, now: Date, on sql: any SQLDatabase) async throws -> UUID? {
        var venueID: UUID?
        if let place = input.venue {
            venueID = try await findOrCreateVenue(name: place.name, address: place.address, chapter: chapter, now: now, on: sql)
        }
        try await sql.raw("""
            INSERT INTO events (id, chapter_id, title, description, starts_at, ends_at, capacity, status, venue_id,
                                seats_taken, queue_counter, created_at, updated_at)
            VALUES (\(bind: id.uuid), \(bind: chapter.uuid), \(bind: input.title), \(bind: input.description),
                    \(bind: input.startsAt), \(bind: input.endsAt), \(bind: input.capacity), \(bind: input.status.rawValue),
                    \(bind: venueID), 0, 0, \(bind: now), \(bind: now))
            """).run()
        return venueID
    }
}
