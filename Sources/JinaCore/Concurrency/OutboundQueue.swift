import Synchronization

/// Messages waiting to be written on one stream. Callers add one at a time; the stream's
/// writer takes everything queued at once, so under load one wake-up writes many.
public final class OutboundQueue<Element: Sendable>: Sendable {
    private struct State {
        var items: [Element] = []
        var waiter: CheckedContinuation<[Element]?, Never>?
        var finished = false
    }

    private let state = Mutex(State())

    public init() {}

    /// Queues `element`; false once the queue is finished (the stream is gone).
    public func enqueue(_ element: Element) -> Bool {
        // A waiting writer means the queue is empty: hand the element straight over.
        let (accepted, waiter) = state.withLock { state -> (Bool, CheckedContinuation<[Element]?, Never>?) in
            if state.finished { return (false, nil) }
            if let waiter = state.waiter {
                state.waiter = nil
                return (true, waiter)
            }
            state.items.append(element)
            return (true, nil)
        }
        waiter?.resume(returning: [element])
        return accepted
    }

    /// Ends the queue: `next()` returns what is left, then nil.
    public func finish() {
        let waiter: CheckedContinuation<[Element]?, Never>? = state.withLock { state in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// Everything queued (waiting until there is something); nil once finished and drained,
    /// or when the calling task is cancelled.
    public func next() async -> [Element]? {
        let ready: [Element]?? = state.withLock { state in
            if !state.items.isEmpty {
                defer { state.items = [] }
                return .some(state.items)
            }
            return state.finished ? .some(nil) : nil
        }
        if let ready { return ready }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<[Element]?, Never>) in
                let immediate: [Element]?? = state.withLock { state in
                    if !state.items.isEmpty {
                        defer { state.items = [] }
                        return .some(state.items)
                    }
                    if state.finished || Task.isCancelled { return .some(nil) }
                    state.waiter = continuation
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            finish()
        }
    }
}
