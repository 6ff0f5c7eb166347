import Foundation
import RendezvousDomain

struct RegistrationRequest: Sendable {
    var profile: AttendeeProfile
    var eventID: Event.ID
    var now: Date
    /// Answers to the organisers' registration questions, stored with the registration.
    var answers: QuestionAnswers = [:]
}

/// Registrations committed together, in arrival order.
typealias RegistrationQueue = GroupCommit<RegistrationRequest, RegistrationOutcome>

/// Group commit. While one batch is being written, new arrivals wait here in arrival order; the
/// next transaction takes all of them (up to `maxBatch`). One request alone is written at once; a
/// rush of thousands (registrations, quiz answers in the last second) costs a few statements per
/// batch instead of per request, so the database's single writer is no longer the bottleneck.
final class GroupCommit<Request: Sendable, Outcome: Sendable>: @unchecked Sendable {
    typealias Process = @Sendable ([Request]) async -> [Result<Outcome, any Error>]

    private struct Waiting {
        var request: Request
        var continuation: CheckedContinuation<Outcome, any Error>
    }

    private let lock = NSLock()
    private var waiting: [Waiting] = []
    private var draining = false
    private var _process: Process?
    let maxBatch: Int

    init(maxBatch: Int = 256) {
        self.maxBatch = maxBatch
    }

    var process: Process? {
        get { lock.withLock { _process } }
        set { lock.withLock { _process = newValue } }
    }

    func submit(_ request: Request) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            let start: Bool = lock.withLock {
                waiting.append(Waiting(request: request, continuation: continuation))
                if draining { return false }
                draining = true
                return true
            }
            if start { Task { await drain() } }
        }
    }

    private func drain() async {
        while true {
            let (batch, process): ([Waiting], Process?) = lock.withLock {
                guard !waiting.isEmpty else {
                    draining = false
                    return ([], nil)
                }
                let batch = Array(waiting.prefix(maxBatch))
                waiting.removeFirst(batch.count)
                return (batch, _process)
            }
            guard !batch.isEmpty, let process else { return }
            let results = await process(batch.map(\.request))
            for (waiting, result) in zip(batch, results) {
                waiting.continuation.resume(with: result)
            }
        }
    }
}
