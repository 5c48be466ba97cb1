import GRPCCore
import GRPCProtobuf
import JinaProto
import Synchronization

/// The methods besides the data path: `stream_doc` and `process_data`.
extension ExecutorConnection {
    /// `stream_doc` over the connection's gRPC client (whatever the data transport): one call
    /// per request, each streamed message handed on as it arrives.
    func stream(
        _ request: Jina_SingleDocumentRequestProto, readyWait: Duration?,
        onMessage: @escaping @Sendable (Jina_SingleDocumentRequestProto) async throws -> Void
    ) async throws(ExecutorCallFailure) {
        if isClosed { throw .unavailable("the gateway is shutting down") }
        if let readyWait { await waitUntilReachable(upTo: readyWait) }
        let delivered = Atomic<Bool>(false)
        do {
            try await client.serverStreaming(
                request: ClientRequest(message: request, metadata: tracedCallMetadata),
                descriptor: Jina_JinaSingleDocumentRequestRPC.Method.stream_doc.descriptor,
                serializer: ProtobufSerializer<Jina_SingleDocumentRequestProto>(),
                deserializer: ProtobufDeserializer<Jina_SingleDocumentRequestProto>(),
                options: Self.callOptions
            ) { response in
                for try await message in response.messages {
                    delivered.store(true, ordering: .relaxed)
                    do {
                        try await onMessage(message)
                    } catch {
                        throw ReaderGone()
                    }
                }
            }
        } catch is ReaderGone {
            throw .cancelled
        } catch {
            let failure = Self.failure(error)
            // Once documents went out, another replica cannot take over: the stream failed.
            if case .unavailable(let problem) = failure, delivered.load(ordering: .relaxed) {
                throw .failed("the stream broke after it started: \(problem)")
            }
            throw failure
        }
    }
}

extension ExecutorConnection {
    /// `process_data` over the connection's gRPC client: the requests as one list, one reply.
    func call(all requests: [LazyDataRequest], readyWait: Duration?) async throws(ExecutorCallFailure) -> LazyDataRequest {
        if isClosed { throw .unavailable("the gateway is shutting down") }
        if let readyWait { await waitUntilReachable(upTo: readyWait) }
        var list = Jina_DataRequestListProto()
        do {
            list.requests = try requests.map { try $0.decoded() }
        } catch {
            throw .failed("the requests cannot be encoded: \(error)")
        }
        do {
            let reply = try await client.unary(
                request: ClientRequest(message: list, metadata: tracedCallMetadata),
                descriptor: Jina_JinaDataRequestRPC.Method.process_data.descriptor,
                serializer: ProtobufSerializer<Jina_DataRequestListProto>(), deserializer: ProtobufDeserializer<Message>(),
                options: Self.callOptions
            ) { try $0.message }
            return LazyDataRequest(head: reply)
        } catch {
            throw Self.failure(error)
        }
    }
}

/// The receiver of a stream stopped taking messages.
private struct ReaderGone: Error {}
