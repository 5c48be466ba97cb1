import GRPCCore
import JinaCore
import JinaObservability
import JinaProto

/// `JinaSingleDocumentRequestRPC/stream_doc` (Jina's `Client.stream_doc` over gRPC): one
/// document in, each produced document written as its own message as soon as the streaming
/// executor yields it (see `RequestRouter.stream`). An error is one message with status ERROR,
/// then the call ends OK, as Jina's executors answer.
struct StreamDocumentService: Jina_JinaSingleDocumentRequestRPC.ServiceProtocol {
    let router: RequestRouter
    let phase: ServingPhase

    func stream_doc(
        request: ServerRequest<Jina_SingleDocumentRequestProto>, context: ServerContext
    ) async throws -> StreamingServerResponse<Jina_SingleDocumentRequestProto> {
        if phase.phase == .draining { throw RPCError(code: .unavailable, message: "the gateway is shutting down") }
        let metadata = request.metadata
        let message = request.message
        let router = self.router
        return StreamingServerResponse { writer in
            // The client's trace context (gRPC metadata) makes the stream's span part of its trace.
            try await RequestTracing.withIncoming({ metadata[stringValues: $0].first(where: { _ in true }) }) {
                try await router.stream(message) { try await writer.write($0) }
            }
            return [:]
        }
    }
}
