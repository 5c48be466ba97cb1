import Synchronization

/// The gateway's serving state: `starting` until it listens, `serving`, then `draining` once
/// shutdown begins. Health answers from it; `Call` streams stop taking requests when it turns
/// to `draining`; `run` waits on it to start the drain.
final class ServingPhase: Sendable {
    enum Phase: Sendable, Equatable {
        case starting, serving, draining
    }

    private struct State {
        var phase = Phase.starting
        var watchers: [Int: AsyncStream<Phase>.Continuation] = [:]
        var nextWatcher = 0
    }

    private let state = Mutex(State())

    var phase: Phase { state.withLock { $0.phase } }

    /// Moves to `phase` (never back from `draining`) and tells every watcher.
    func set(_ phase: Phase) {
        let watchers: [AsyncStream<Phase>.Continuation] = state.withLock { state in
            guard state.phase != phase, state.phase != .draining else { return [] }
            state.phase = phase
            return Array(state.watchers.values)
        }
        for watcher in watchers { watcher.yield(phase) }
    }

    /// The current phase, then every change; ends when the consuming task is cancelled.
    func changes() -> AsyncStream<Phase> {
        let (stream, continuation) = AsyncStream.makeStream(of: Phase.self, bufferingPolicy: .bufferingNewest(8))
        let id: Int = state.withLock { state in
            let id = state.nextWatcher
            state.nextWatcher += 1
            state.watchers[id] = continuation
            continuation.yield(state.phase)
            return id
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.watchers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Returns once draining has begun (at once if it has), or when the task is cancelled.
    func waitUntilDraining() async {
        for await phase in changes() where phase == .draining { return }
    }
}
