import GRPCCore
import JinaProto

/// `JinaSingleDataRequestRPC/process_single_data`: one unary call per request. A failed request
/// is a normal reply with status ERROR, plus the trailing metadata `is-error: true` that Jina's
/// gateway looks for.
struct SingleDataRequestService: Jina_JinaSingleDataRequestRPC.ServiceProtocol {
    let runtime: ExecutorRuntime

    func process_single_data(
        request: ServerRequest<Jina_DataRequestProto>, context: ServerContext
    ) async throws -> ServerResponse<Jina_DataRequestProto> {
        ServerResponse(reply: await runtime.process(request.message, trace: TraceLookup.of(request.metadata)))
    }
}

/// `JinaDataRequestRPC/process_data`: several requests for one endpoint (the results of several
/// branches), reduced by document id and processed as one.
struct DataRequestListService: Jina_JinaDataRequestRPC.ServiceProtocol {
    let runtime: ExecutorRuntime

    func process_data(
        request: ServerRequest<Jina_DataRequestListProto>, context: ServerContext
    ) async throws -> ServerResponse<Jina_DataRequestProto> {
        guard !request.message.requests.isEmpty else {
            throw RPCError(code: .invalidArgument, message: "process_data needs at least one request")
        }
        return ServerResponse(reply: await runtime.process(request.message.requests, trace: TraceLookup.of(request.metadata)))
    }
}

extension ServerResponse where Message == Jina_DataRequestProto {
    /// The reply, flagged `is-error: true` in the trailers when it carries an error status.
    fileprivate init(reply: Jina_DataRequestProto) {
        self.init(message: reply, trailingMetadata: reply.isError ? ["is-error": "true"] : [:])
    }
}

/// `JinaSingleDocumentRequestRPC/stream_doc`: one document in, the produced documents out one
/// message each, as they are produced (see `ExecutorRuntime.stream`).
struct SingleDocumentService: Jina_JinaSingleDocumentRequestRPC.SimpleServiceProtocol {
    let runtime: ExecutorRuntime

    func stream_doc(
        request: Jina_SingleDocumentRequestProto, response: RPCWriter<Jina_SingleDocumentRequestProto>, context: ServerContext
    ) async throws {
        try await runtime.stream(request) { try await response.write($0) }
    }
}
