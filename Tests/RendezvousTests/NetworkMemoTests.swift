import Foundation
import Synchronization
import Testing
@testable import RendezvousPersistence

/// The admins' network roll-up (issue 15) is computed at most once at a time per instance: many
/// reloads past its age wait for one computation or are served the last one, never compute it each.
@Suite("Network roll-up memo")
struct NetworkMemoTests {
    static let empty: NetworkRollup = ([], [])

    @Test func manyRequestsPastItsAgeComputeItOnce() async throws {
        let memo = NetworkMemo()
        let computations = Atomic<Int>(0)
        let start = Date(timeIntervalSince1970: 1_000_000)
        let compute: @Sendable () async throws -> NetworkRollup = {
            computations.add(1, ordering: .relaxed)
            try await Task.sleep(for: .milliseconds(200))
            return Self.empty
        }
        // Nothing kept: twenty requests at once wait for one computation.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    switch memo.decide(now: start, maxAge: 30, compute: compute) {
                    case .kept: Issue.record("nothing was kept yet")
                    case .wait(let task): _ = try await task.value
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(computations.load(ordering: .relaxed) == 1)
        // Within its age: kept, nothing computed.
        guard case .kept = memo.decide(now: start.addingTimeInterval(29), maxAge: 30, compute: compute) else { Issue.record("fresh"); return }
        #expect(computations.load(ordering: .relaxed) == 1)
        // Past its age, within twice: the last one is served while one computation starts.
        for _ in 0..<10 {
            guard case .kept = memo.decide(now: start.addingTimeInterval(45), maxAge: 30, compute: compute) else { Issue.record("stale served"); return }
        }
        try await Task.sleep(for: .milliseconds(400))
        #expect(computations.load(ordering: .relaxed) == 2)
        // Kept from the computation at 45 s: fresh again until 75 s.
        guard case .kept = memo.decide(now: start.addingTimeInterval(70), maxAge: 30, compute: compute) else { Issue.record("recomputed"); return }
        #expect(computations.load(ordering: .relaxed) == 2)
        // Long past: wait for the new one.
        guard case .wait = memo.decide(now: start.addingTimeInterval(500), maxAge: 30, compute: compute) else { Issue.record("too old to serve"); return }
    }
}
