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

    /// Routes the requests of one `Call` stream; the body writes the replies as they come.
    private func serveStream(_ requests: RPCAsyncSequence<Message, any Error>, _ writer: RPCWriter<Message>) async throws {
        let limit = prefetch > 0 ? AsyncPermits(prefetch) : nil
        let replies = ReplyQueue()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { replies.finish() }
                try await intake(requests, limit: limit, replies: replies)
            }
            // Ends when the intake has finished and every reply is written, or throws (the
            // client went away), which cancels the intake.
            while let batch = await replies.next() {
                try await writer.write(contentsOf: batch)
                limit?.release(batch.count)
            }
            try await group.waitForAll()
        }
    }

    /// Reads requests (one permit each) until the client half-closes or draining begins, and
    /// routes them concurrently; returns when every one has produced its reply.
    private func intake(_ requests: RPCAsyncSequence<Message, any Error>, limit: AsyncPermits?, replies: ReplyQueue) async throws {
        let (incoming, incomingIn) = AsyncThrowingStream.makeStream(of: Message.self)
        try await withThrowingTaskGroup(of: Void.self) { sources in
            sources.addTask {
                var iterator = requests.makeAsyncIterator()
                do {
                    while true {
                        try await limit?.acquire()
                        guard let request = try await iterator.next() else {
                            limit?.release()
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
                await phase.waitUntilDraining()
                incomingIn.finish()
            }
            var failure: (any Error)?
            await withDiscardingTaskGroup { processors in
                do {
                    for try await request in incoming {
                        processors.addTask {
                            let request = LazyDataRequest(head: request)
                            if let rejected = limits.rejection(of: request) {
                                replies.add(rejected.head)
                            } else {
                                await router.route(request) { reply in replies.add(reply.head) }
                            }
                        }
                    }
                } catch {
                    failure = error
                }
            }
            sources.cancelAll()
            if let failure { throw failure }
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
