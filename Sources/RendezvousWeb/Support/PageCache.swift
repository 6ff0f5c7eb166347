import Foundation
import NIOConcurrencyHelpers
import NIOCore

/// Rendered public pages, so a busy event page costs a dictionary lookup while its seat count is
/// never staler than `ttl`.
///
/// A page is fresh for half the `ttl`; in the second half it is still served while one request
/// renders it anew; past `ttl` every request waits for that one rendering. So when a popular page
/// expires, it is rendered once, not once per waiting connection. Writes in this process drop the
/// affected pages at once; on PostgreSQL they are also published on the bus (`CacheBus`), so the
/// other instances drop theirs within a moment too.
///
/// A page is compressed once, when it is rendered, and kept in both forms: a client that takes
/// gzip (every browser) gets the ready gzip bytes, any other the plain ones, so serving a cached
/// page stays a lookup for both (see docs/architecture.md, "Compression").
final class PageCache: Sendable {
    struct Entry: Sendable {
        var rendered: TimeInterval
        var body: ByteBuffer
        /// The page gzip-compressed (nil when too small to be worth it).
        var gzip: ByteBuffer?
        var language: String

        init(rendered: TimeInterval, body: ByteBuffer, language: String) {
            self.rendered = rendered
            self.body = body
            self.language = language
            gzip = body.readableBytes >= Gzip.minimumSize ? Gzip.compress(body) : nil
        }
    }

    typealias Render = @Sendable () async throws -> (body: ByteBuffer, language: String)

    private struct State {
        var entries: [String: Entry] = [:]
        var renderings: [String: Task<Entry, any Error>] = [:]
        /// Bumped by `invalidate`, so a rendering started before a write never stores its stale page.
        var generation = 0
        /// When pages past their `ttl` were last dropped (they are never served again).
        var lastSweep: TimeInterval = 0
    }

    private let ttl: TimeInterval
    private let state = NIOLockedValueBox(State())
    private let now: @Sendable () -> TimeInterval

    /// Tells the other instances which pages to drop (set when there is a bus).
    private let publisher = NIOLockedValueBox<(@Sendable ([String]) -> Void)?>(nil)

    func publish(with publish: @escaping @Sendable ([String]) -> Void) {
        publisher.withLockedValue { $0 = publish }
    }

    init(ttl: TimeInterval, now: @escaping @Sendable () -> TimeInterval = { Date().timeIntervalSince1970 }) {
        self.ttl = ttl
        self.now = now
    }

    func page(_ key: String, render: @escaping Render) async throws -> Entry {
        guard ttl > 0 else {
            let (body, language) = try await render()
            return Entry(rendered: now(), body: body, language: language)
        }
        let time = now()
        enum Decision { case serve(Entry), wait(Task<Entry, any Error>) }
        let decision: Decision = state.withLockedValue { state in
            let entry = state.entries[key]
            if let entry, time - entry.rendered < ttl / 2 { return .serve(entry) }
            let task = state.renderings[key] ?? startRendering(key, render: render, generation: state.generation, in: &state)
            if let entry, time - entry.rendered < ttl { return .serve(entry) }
            return .wait(task)
        }
        switch decision {
        case .serve(let entry): return entry
        case .wait(let task): return try await task.value
        }
    }

    private func startRendering(_ key: String, render: @escaping Render, generation: Int, in state: inout State) -> Task<Entry, any Error> {
        let task = Task<Entry, any Error> {
            let started = self.now()
            do {
                let (body, language) = try await render()
                let entry = Entry(rendered: started, body: body, language: language)
                self.state.withLockedValue { state in
                    state.renderings[key] = nil
                    if state.generation == generation {
                        // Pages nobody asked for within `ttl` would only be rendered again: dropped,
                        // at most once per `ttl`, so memory follows the pages being read.
                        if state.entries.count >= 256, started - state.lastSweep >= self.ttl {
                            state.lastSweep = started
                            state.entries = state.entries.filter { started - $0.value.rendered < self.ttl }
                        }
                        if state.entries.count > 10_000 { state.entries.removeAll(keepingCapacity: true) }
                        state.entries[key] = entry
                    }
                }
                return entry
            } catch {
                self.state.withLockedValue { $0.renderings[key] = nil }
                throw error
            }
        }
        state.renderings[key] = task
        return task
    }

    /// How many pages are kept (tests).
    var count: Int { state.withLockedValue { $0.entries.count } }

    /// Drops every page whose key starts with one of the prefixes, here and on every other instance.
    func invalidate(prefixes: [String]) {
        invalidateHere(prefixes: prefixes)
        publisher.withLockedValue { $0 }?(prefixes)
    }

    /// Drops pages here only (what another instance's write made stale).
    func invalidateHere(prefixes: [String]) {
        state.withLockedValue { state in
            state.generation += 1
            state.entries = state.entries.filter { key, _ in !prefixes.contains { key.hasPrefix($0) } }
            for key in state.renderings.keys where prefixes.contains(where: { key.hasPrefix($0) }) {
                state.renderings[key] = nil
            }
        }
    }
}
