import GRPCCore
import JinaCore
import JinaProto

/// `JinaSingleDocumentRequestRPC/stream_doc` (Jina's `Client.stream_doc` over gRPC): one
/// document in, each produced document written as its own message as soon as the streaming
/// executor yields it (see `RequestRouter.stream`). An error is one message with status ERROR,
/// then the call ends OK, as Jina's executors answer.
struct StreamDocumentService: Jina_JinaSingleDocumentRequestRPC.SimpleServiceProtocol {
    let router: RequestRouter
    let phase: ServingPhase

    func stream_doc(
        request: Jina_SingleDocumentRequestProto, response: RPCWriter<Jina_SingleDocumentRequestProto>, context: ServerContext
    ) async throws {
        if phase.phase == .draining { throw RPCError(code: .unavailable, message: "the gateway is shutting down") }
        try await router.stream(request) { try await response.write($0) }
    }
}
