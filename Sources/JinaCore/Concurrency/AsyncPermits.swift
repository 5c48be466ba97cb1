import Synchronization

/// A counting semaphore for async code: bounds how many requests of one stream are in flight
/// (the gateway's `prefetch`, the executor's `Call` limit). `acquire` suspends while all permits
/// are taken; it throws `CancellationError` if its task is cancelled meanwhile.
public final class AsyncPermits: Sendable {
    private struct State {
        var available: Int
        var waiters: [(id: Int, continuation: CheckedContinuation<Void, any Error>)] = []
        var cancelled: Set<Int> = []
        var nextID = 0
    }

    private let state: Mutex<State>

    /// `permits` > 0.
    public init(_ permits: Int) {
        precondition(permits > 0, "AsyncPermits needs at least one permit")
        state = Mutex(State(available: permits))
    }

    public func acquire() async throws {
        let id: Int? = state.withLock { state in
            if state.available > 0 {
                state.available -= 1
                return nil
            }
            defer { state.nextID += 1 }
            return state.nextID
        }
        guard let id else { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let cancelledAlready = state.withLock { state in
                    if state.cancelled.remove(id) != nil { return true }
                    state.waiters.append((id, continuation))
                    return false
                }
                if cancelledAlready { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            let waiter: CheckedContinuation<Void, any Error>? = state.withLock { state in
                if let index = state.waiters.firstIndex(where: { $0.id == id }) {
                    return state.waiters.remove(at: index).continuation
                }
                state.cancelled.insert(id)
                return nil
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    public func release(_ count: Int = 1) {
        var woken: [CheckedContinuation<Void, any Error>] = []
        state.withLock { state in
            for _ in 0..<count {
                if state.waiters.isEmpty {
                    state.available += 1
                } else {
                    woken.append(state.waiters.removeFirst().continuation)
                }
            }
        }
        for waiter in woken { waiter.resume() }
    }
}
