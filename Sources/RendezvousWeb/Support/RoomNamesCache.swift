import Foundation
import NIOConcurrencyHelpers
import RendezvousDomain

/// Every phone of a room polls every two seconds: a room's names are read once per room version
/// and reused for a few seconds (a name typed since shows within that time). One per process.
final class RoomNamesCache: Sendable {
    struct Entry { var version: Int; var read: TimeInterval; var people: [String: RoomPerson] }
    private let entries = NIOLockedValueBox([Event.ID: Entry]())
    static let ttl: TimeInterval = 5

    func people(_ event: Event.ID, version: Int, read: () async throws -> [String: RoomPerson]) async throws -> [String: RoomPerson] {
        let now = Date().timeIntervalSince1970
        if let entry = entries.withLockedValue({ $0[event] }), entry.version == version, now - entry.read < Self.ttl { return entry.people }
        let people = try await read()
        entries.withLockedValue { entries in
            if entries.count > 1_000 { entries.removeAll() }
            entries[event] = Entry(version: version, read: now, people: people)
        }
        return people
    }
}
