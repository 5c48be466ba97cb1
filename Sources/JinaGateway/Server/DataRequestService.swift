import GRPCCore
import GRPCProtobuf
import JinaCore
import JinaObservability
import JinaProto

/// The data methods clients call on the gateway, registered by hand so that requests are
/// decoded as `LazyDataRequest` (documents left encoded):
///
/// * `jina.JinaRPC/Call`: a bidirectional stream; requests are routed concurrently (at most
///   `prefetch` of one stream in flight; 0 = no limit) and answered in completion order.
///   When the gateway starts draining, the stream stops taking requests, answers those it
///   holds and ends with status OK.
/// * `jina.JinaSingleDataRequestRPC/process_single_data`: one request, one reply.
///
/// An error reply carries `is-error: true` in its trailers, as the executors' replies do.
struct DataRequestService: RegistrableRPCService {
    typealias Message = Jina_DataRequestProtoWoData

    let router: RequestRouter
    let phase: ServingPhase
    let prefetch: Int
    var limits = GatewayLimits()

    func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        router.registerHandler(
            forMethod: Jina_JinaRPC.Method.Call.descriptor,
            deserializer: ProtobufDeserializer<Message>(), serializer: ProtobufSerializer<Message>()
        ) { request, _ in
            StreamingServerResponse { writer in
                let metadata = request.metadata
                try await RequestTracing.withIncoming({ metadata[stringValues: $0].first(where: { _ in true }) }) {
                    try await serveStream(request.messages, writer)
                }
                return [:]
            }
        }
        router.registerHandler(
            forMethod: Jina_JinaSingleDataRequestRPC.Method.process_single_data.descriptor,
            deserializer: ProtobufDeserializer<Message>(), serializer: ProtobufSerializer<Message>()
        ) { request, _ in
            let single = try await ServerRequest(stream: request)
            let metadata = single.metadata
            let request = LazyDataRequest(head: single.message)
            let reply = if let rejected = limits.rejection(of: request) {
                rejected
            } else {
                await RequestTracing.withIncoming({ metadata[stringValues: $0].first(where: { _ in true }) }) { await self.router.route(request) }
            }
            let trailers: Metadata = reply.isError ? ["is-error": "true"] : [:]
            return StreamingServerResponse(single: ServerResponse(message: reply.head, trailingMetadata: trailers))
        }
    }

    /// Routes the requests of one `Call` stream (the stream engine, `RequestStream`); the body
    /// writes the replies as they come.
    private func serveStream(_ requests: RPCAsyncSequence<Message, any Error>, _ writer: RPCWriter<Message>) async throws {
        let limit = prefetch > 0 ? AsyncPermits(prefetch) : nil
        let replies = ReplyQueue()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { replies.finish() }
                // A drain ends the stream with status OK: every request read was answered.
                _ = try await RequestStream.intake(SequenceSource(requests), permits: limit, phase: phase) { request in
                    let request = LazyDataRequest(head: request)
                    if let rejected = limits.rejection(of: request) {
                        replies.add(rejected.head)
                    } else {
                        await router.route(request) { reply in replies.add(reply.head) }
                    }
                }
            }
            // Ends when the intake has finished and every reply is written, or throws (the
            // client went away), which cancels the intake.
            try await RequestStream.write(replies, permits: limit, onFailure: .stop) { batch in
                try await writer.write(contentsOf: batch)
            }
            try await group.waitForAll()
        }
    }
}

/// Replies of one `Call` stream waiting to be written; the writer takes all at once.
typealias ReplyQueue = OutboundQueue<Jina_DataRequestProtoWoData>

extension OutboundQueue {
    /// Adds a reply (after `finish()` it is dropped: the client is gone).
    func add(_ element: Element) {
        _ = enqueue(element)
    }
}
