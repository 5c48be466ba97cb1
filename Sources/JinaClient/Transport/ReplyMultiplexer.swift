import JinaProto
import Synchronization

/// Matches replies to their waiting senders by request id, for the transports that stream
/// (gRPC `Call`, WebSocket), where replies arrive in completion order.
final class ReplyMultiplexer: Sendable {
    private enum State {
        case open([String: CheckedContinuation<Jina_DataRequestProto, any Error>])
        case closed(ClientError)
    }

    private let state = Mutex(State.open([:]))

    /// Registers `request`'s id, then calls `send` (so a fast reply cannot arrive first) and
    /// waits for the reply with that id, or for the connection to close. Cancelling the waiting
    /// task gives up on the reply (it is dropped when it comes).
    func exchange(_ request: Jina_DataRequestProto, send: () -> Void) async throws -> Jina_DataRequestProto {
        let id = request.requestID
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let refusal: (any Error)? = state.withLock { state in
                    switch state {
                    case .closed(let error): return error
                    case .open(var pending):
                        // Checked under the lock: `onCancel` runs after the flag is set, so
                        // either it finds this entry or this check sees the flag.
                        if Task.isCancelled { return CancellationError() }
                        pending[id] = continuation
                        state = .open(pending)
                        return nil
                    }
                }
                if let refusal {
                    continuation.resume(throwing: refusal)
                } else {
                    send()
                }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Jina_DataRequestProto, any Error>? in
                guard case .open(var pending) = state else { return nil }
                let waiter = pending.removeValue(forKey: id)
                state = .open(pending)
                return waiter
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// Hands a reply to the sender waiting for its id; a reply nobody waits for is dropped.
    func resolve(_ reply: Jina_DataRequestProto) {
        let waiter = state.withLock { state -> CheckedContinuation<Jina_DataRequestProto, any Error>? in
            guard case .open(var pending) = state else { return nil }
            let waiter = pending.removeValue(forKey: reply.requestID)
            state = .open(pending)
            return waiter
        }
        waiter?.resume(returning: reply)
    }

    /// Fails every waiting sender, and every later one, with `error`.
    func close(_ error: ClientError) {
        let waiters = state.withLock { state -> [CheckedContinuation<Jina_DataRequestProto, any Error>] in
            guard case .open(let pending) = state else { return [] }
            state = .closed(error)
            return Array(pending.values)
        }
        for waiter in waiters { waiter.resume(throwing: error) }
    }
}
