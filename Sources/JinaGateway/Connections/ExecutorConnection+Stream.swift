import GRPCCore
import GRPCProtobuf
import JinaProto
import Synchronization

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
                request: ClientRequest(message: request, metadata: callMetadata),
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

/// The receiver of a stream stopped taking messages.
private struct ReaderGone: Error {}
