import NIOConcurrencyHelpers
import NIOCore

/// Share images, drawn once per version of what they show and then served from memory. A link
/// posted in a busy group brings many previewers at once: they wait for one drawing, not one each.
final class ShareImageCache: Sendable {
    struct Image: Sendable {
        var png: ByteBuffer
        var etag: String
    }

    private struct State {
        var entries: [String: Task<Image, any Error>] = [:]
        var order: [String] = []
    }

    private let state = NIOLockedValueBox(State())
    private let capacity: Int
    private let drawings = NIOLockedValueBox(0)

    init(capacity: Int = 256) {
        self.capacity = capacity
    }

    /// How many images were drawn (a test checks the cache spares the work).
    var drawn: Int { drawings.withLockedValue { $0 } }

    /// The image for `key` (everything the picture shows), drawing it with `draw` on `CPUWork` if needed.
    func image(for key: String, draw: @escaping @Sendable () throws -> [UInt8]) async throws -> Image {
        let task = state.withLockedValue { state -> Task<Image, any Error> in
            if let existing = state.entries[key] { return existing }
            let task = Task {
                let bytes = try await CPUWork.run(draw)
                self.drawings.withLockedValue { $0 += 1 }
                return Image(png: ByteBuffer(bytes: bytes), etag: Self.etag(key))
            }
            state.entries[key] = task
            state.order.append(key)
            if state.order.count > capacity {
                let oldest = state.order.removeFirst()
                state.entries[oldest] = nil
            }
            return task
        }
        do {
            return try await task.value
        } catch {
            state.withLockedValue { state in
                state.entries[key] = nil
                state.order.removeAll { $0 == key }
            }
            throw error
        }
    }

    /// The image for `key` if it is drawn or being drawn, without drawing it: lets a caller skip
    /// loading what a drawing needs (an event's cover) when the picture is already there.
    func existing(for key: String) async -> Image? {
        guard let task = state.withLockedValue({ $0.entries[key] }) else { return nil }
        return try? await task.value
    }

    /// FNV-1a over the key: the same picture has the same tag in every instance.
    static func etag(_ key: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return "\"" + String(hash, radix: 16) + "\""
    }
}
