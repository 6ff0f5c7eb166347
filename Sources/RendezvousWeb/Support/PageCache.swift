import Foundation
import NIOConcurrencyHelpers
import NIOCore

/// Rendered public pages kept for at most `ttl` seconds, so a full event page costs a dictionary
/// lookup while its seat count is never staler than `ttl`. Writes in this process drop the
/// affected pages at once; other instances see the change within `ttl`.
final class PageCache: Sendable {
    struct Entry {
        var expires: TimeInterval
        var body: ByteBuffer
        var language: String
    }

    private let ttl: TimeInterval
    private let entries = NIOLockedValueBox<[String: Entry]>([:])

    init(ttl: TimeInterval) {
        self.ttl = ttl
    }

    func get(_ key: String, now: TimeInterval = Date().timeIntervalSince1970) -> Entry? {
        guard ttl > 0 else { return nil }
        return entries.withLockedValue { entries in
            guard let entry = entries[key], entry.expires > now else { return nil }
            return entry
        }
    }

    func set(_ key: String, _ body: ByteBuffer, language: String, now: TimeInterval = Date().timeIntervalSince1970) {
        guard ttl > 0 else { return }
        entries.withLockedValue { entries in
            if entries.count > 10_000 { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(expires: now + ttl, body: body, language: language)
        }
    }

    /// Drops every page whose key starts with one of the prefixes.
    func invalidate(prefixes: [String]) {
        entries.withLockedValue { entries in
            entries = entries.filter { key, _ in !prefixes.contains { key.hasPrefix($0) } }
        }
    }
}
