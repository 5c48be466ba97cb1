import GRPCCore
import GRPCProtobuf
import JinaProto

/// `JinaSingleDataRequestRPC/process_single_data`: one unary call per request. A failed request
/// is a normal reply with status ERROR, plus the trailing metadata `is-error: true` that Jina's
/// gateway looks for.
///
/// Requests are read as `DataRequestProtoWoData` (the documents stay bytes until a handler needs
/// them; see `LazyDataRequest`), as the local wire and the `Call` stream read them.
struct SingleDataRequestService: RegistrableRPCService {
    let runtime: ExecutorRuntime

    func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        router.registerHandler(
            forMethod: Jina_JinaSingleDataRequestRPC.Method.process_single_data.descriptor,
            deserializer: ProtobufDeserializer<Jina_DataRequestProtoWoData>(),
            serializer: ProtobufSerializer<Jina_DataRequestProtoWoData>()
        ) { request, _ in
            let single = try await ServerRequest(stream: request)
            let reply = await runtime.process(LazyDataRequest(head: single.message), trace: TraceLookup.of(single.metadata))
            return StreamingServerResponse(single: ServerResponse(reply: reply))
        }
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
        let reply = await runtime.process(request.message.requests, trace: TraceLookup.of(request.metadata))
        return ServerResponse(message: reply, trailingMetadata: reply.isError ? ["is-error": "true"] : [:])
    }
}

extension ServerResponse where Message == Jina_DataRequestProtoWoData {
    /// The reply, flagged `is-error: true` in the trailers when it carries an error status.
    init(reply: LazyDataRequest) {
        self.init(message: reply.head, trailingMetadata: reply.isError ? ["is-error": "true"] : [:])
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
