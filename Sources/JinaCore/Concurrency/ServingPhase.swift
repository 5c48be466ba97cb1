import Synchronization

/// A server's serving phase as its health service reports it (executor or gateway): `starting`
/// until it is loaded and listening, `serving`, then `draining` once shutdown begins. Watchers
/// get every change; RPCs that outlive a request (`Call` streams, health `Watch`) use it to end
/// themselves when draining starts.
public final class ServingPhase: Sendable {
    public enum Phase: Sendable, Equatable {
        case starting, serving, draining
    }

    private struct State {
        var phase: Phase = .starting
        var watchers: [Int: AsyncStream<Phase>.Continuation] = [:]
        var nextWatcher = 0
    }

    private let state = Mutex(State())

    public init() {}

    public var phase: Phase { state.withLock { $0.phase } }

    /// Moves to `phase` (never back from `draining`) and tells every watcher.
    public func set(_ phase: Phase) {
        let watchers: [AsyncStream<Phase>.Continuation] = state.withLock { state in
            guard state.phase != phase, state.phase != .draining else { return [] }
            state.phase = phase
            return Array(state.watchers.values)
        }
        for watcher in watchers { watcher.yield(phase) }
    }

    /// The current phase, then every change. Ends when the consuming task is cancelled.
    public func changes() -> AsyncStream<Phase> {
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

    /// Returns once draining has begun (or at once if it has); also returns if the calling task
    /// is cancelled.
    public func waitUntilDraining() async {
        for await phase in changes() where phase == .draining { return }
    }
}
