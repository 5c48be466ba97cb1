import GRPCCore
import JinaCore
import JinaProto
import Synchronization

/// `JinaRPC/Call`: a bidirectional stream of requests, answered in completion order.
///
/// Up to `maxInFlight` requests of one stream are processed concurrently (each in its own
/// child task); a request counts until its reply is written, so a client that stops reading
/// stops the stream from reading more. When the executor starts draining, the stream stops
/// taking new requests, finishes and writes those in flight, then ends with status UNAVAILABLE
/// (a request the client sent after that point was not processed and may be retried elsewhere).
/// A client that half-closes gets its replies and status OK.
struct CallService: Jina_JinaRPC.StreamingServiceProtocol {
    let runtime: ExecutorRuntime
    let state: ServingPhase
    let maxInFlight: Int

    func call(
        request: StreamingServerRequest<Jina_DataRequestProto>, context: ServerContext
    ) async throws -> StreamingServerResponse<Jina_DataRequestProto> {
        StreamingServerResponse { writer in
            // The stream's metadata is the trace context of every request on it.
            let trace = TraceLookup.of(request.metadata)
            try await serve(request.messages, writer, trace: trace)
            return [:]
        }
    }

    private func serve(
        _ requests: RPCAsyncSequence<Jina_DataRequestProto, any Error>, _ writer: RPCWriter<Jina_DataRequestProto>,
        trace: (@Sendable (String) -> String?)?
    ) async throws {
        let limit = AsyncPermits(maxInFlight)
        let (replies, repliesOut) = AsyncStream.makeStream(of: Jina_DataRequestProto.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { repliesOut.finish() }
                try await intake(requests, limit: limit, replies: repliesOut, trace: trace)
            }
            // The writer is the body: it ends when the intake has finished and every reply
            // is written, or throws (client gone), which cancels the intake.
            for await reply in replies {
                try await writer.write(reply)
                limit.release()
            }
            try await group.waitForAll()
        }
    }

    /// Reads requests (one permit each) until the client half-closes or draining begins, and
    /// processes them concurrently; returns when all of them have yielded their reply.
    private func intake(
        _ requests: RPCAsyncSequence<Jina_DataRequestProto, any Error>, limit: AsyncPermits,
        replies: AsyncStream<Jina_DataRequestProto>.Continuation, trace: (@Sendable (String) -> String?)?
    ) async throws {
        let (incoming, incomingIn) = AsyncThrowingStream.makeStream(of: Jina_DataRequestProto.self)
        let drained = DrainedFlag()
        try await withThrowingTaskGroup(of: Void.self) { sources in
            sources.addTask {
                var iterator = requests.makeAsyncIterator()
                do {
                    while true {
                        try await limit.acquire()
                        guard let request = try await iterator.next() else {
                            limit.release()
                            break
                        }
                        incomingIn.yield(request)
                    }
                    incomingIn.finish()
                } catch is CancellationError {
                    incomingIn.finish()
                } catch {
                    incomingIn.finish(throwing: error)
                }
            }
            sources.addTask {
                await state.waitUntilDraining()
                if !Task.isCancelled { drained.set() }
                incomingIn.finish()
            }
            var failure: (any Error)?
            await withDiscardingTaskGroup { processors in
                do {
                    for try await request in incoming {
                        processors.addTask { replies.yield(await runtime.process(request, trace: trace)) }
                    }
                } catch {
                    failure = error
                }
            }
            sources.cancelAll()
            if let failure { throw failure }
        }
        if drained.isSet {
            throw RPCError(code: .unavailable, message: "the executor is shutting down; the stream takes no more requests")
        }
    }
}

/// Set once a stream's intake stopped because the executor began draining.
private final class DrainedFlag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
