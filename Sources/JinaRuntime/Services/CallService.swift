import GRPCCore
import GRPCProtobuf
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
/// A client that half-closes gets its replies and status OK. Messages are read and written as
/// `DataRequestProtoWoData`: the documents stay bytes until a handler needs them.
struct CallService: RegistrableRPCService {
    typealias Message = Jina_DataRequestProtoWoData

    let runtime: ExecutorRuntime
    let state: ServingPhase
    let maxInFlight: Int

    func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        router.registerHandler(
            forMethod: Jina_JinaRPC.Method.Call.descriptor,
            deserializer: ProtobufDeserializer<Message>(), serializer: ProtobufSerializer<Message>()
        ) { request, _ in
            StreamingServerResponse { writer in
                // The stream's metadata is the trace context of every request on it.
                let trace = TraceLookup.of(request.metadata)
                try await serve(request.messages, writer, trace: trace)
                return [:]
            }
        }
    }

    /// The stream engine (`RequestStream`) with the executor's runtime as the processing.
    private func serve(
        _ requests: RPCAsyncSequence<Message, any Error>, _ writer: RPCWriter<Message>,
        trace: (@Sendable (String) -> String?)?
    ) async throws {
        let limit = AsyncPermits(maxInFlight)
        let replies = OutboundQueue<Message>()
        try await withThrowingTaskGroup(of: RequestStream.Ending.self) { group in
            group.addTask {
                defer { replies.finish() }
                return try await RequestStream.intake(SequenceSource(requests), permits: limit, phase: state) { request in
                    _ = replies.enqueue(await runtime.process(LazyDataRequest(head: request), trace: trace).head)
                }
            }
            // The writer is the body: it ends when the intake has finished and every reply is
            // written, or throws (client gone), which cancels the intake.
            try await RequestStream.write(replies, permits: limit, onFailure: .stop) { batch in
                try await writer.write(contentsOf: batch)
            }
            if try await group.next() == .drained {
                throw RPCError(code: .unavailable, message: "the executor is shutting down; the stream takes no more requests")
            }
        }
    }
}
