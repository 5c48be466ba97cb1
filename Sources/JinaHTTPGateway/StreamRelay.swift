import JinaCore
import JinaGateway
import JinaObservability
import JinaProto

/// Runs one `stream_doc` request through the router and hands its messages, in order, to a
/// consumer that writes them somewhere slower (an HTTP body, a WebSocket). At most `window`
/// messages wait between the two: past that the router's side waits, so a reader that falls
/// behind holds the executor back instead of filling the gateway's memory.
enum StreamRelay {
    static let window = 16

    /// Streams `request`; `consume` gets each message as the router produces it. Returns when
    /// the stream has ended and every message is consumed; an error thrown by `consume` (the
    /// reader went away) cancels the routing and is rethrown. `trace`: the client's trace context
    /// (`traceparent`, `tracestate`), when tracing is on.
    static func run(
        _ request: Jina_SingleDocumentRequestProto, router: RequestRouter, trace: [String: String]? = nil,
        consume: (Jina_SingleDocumentRequestProto) async throws -> Void
    ) async throws {
        let permits = AsyncPermits(window)
        let (messages, messagesIn) = AsyncThrowingStream.makeStream(of: Jina_SingleDocumentRequestProto.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await RequestTracing.withIncoming({ trace?[$0] }) {
                        try await router.stream(request) { message in
                            try await permits.acquire()
                            messagesIn.yield(message)
                        }
                    }
                    messagesIn.finish()
                } catch {
                    messagesIn.finish(throwing: error)
                }
            }
            do {
                for try await message in messages {
                    try await consume(message)
                    permits.release()
                }
            } catch {
                group.cancelAll()
                throw error
            }
            try await group.waitForAll()
        }
    }
}
