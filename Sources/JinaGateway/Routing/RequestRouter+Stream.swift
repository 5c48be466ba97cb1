public import JinaProto
import JinaCore
import JinaObservability
import SwiftProtobuf
import Synchronization
import Tracing

extension RequestRouter {
    /// Routes a `stream_doc` request: one document in, documents out one message at a time, each
    /// handed to `onMessage` as soon as the executor produces it.
    ///
    /// Jina streams only through a Flow with a single executor; here the executors may form a
    /// chain: all but the last run once on the input (as a data request, `when` and parameters
    /// as for `post`), and the last one streams, from one shard (round-robin when sharded). Its
    /// input documents (usually the one) are streamed in turn. A Flow whose graph branches,
    /// an executor's error and an unreachable executor each end the stream with one message
    /// whose `header.status` is ERROR (what Jina's client raises on). A Flow without executors
    /// sends the document back.
    ///
    /// Throws only what `onMessage` throws (the reader went away).
    /// With tracing on, the stream is one SERVER span (named after its endpoint).
    public func stream(
        _ request: Jina_SingleDocumentRequestProto,
        onMessage: @escaping @Sendable (Jina_SingleDocumentRequestProto) async throws -> Void
    ) async throws {
        var request = request
        if request.header.requestID.isEmpty { request.header.requestID = Document.generateID() }
        let endpoint = request.header.execEndpoint.isEmpty ? "/" : request.header.execEndpoint
        guard let span = RequestTracing.startSpan(endpoint, kind: .server) else {
            return try await streamUntraced(request, onMessage: onMessage)
        }
        span.attributes["jina.request_id"] = request.header.requestID
        span.attributes["jina.endpoint"] = endpoint
        span.attributes["jina.stream"] = true
        let messages = Atomic<Int>(0)
        defer { span.end() }
        do {
            try await RequestTracing.within(span) {
                try await streamUntraced(request) { message in
                    messages.add(1, ordering: .relaxed)
                    if message.header.status.code == .error {
                        span.setStatus(SpanStatus(code: .error, message: message.header.status.description_p))
                    }
                    try await onMessage(message)
                }
            }
            span.attributes["jina.documents"] = messages.load(ordering: .relaxed)
        } catch {
            span.attributes["jina.outcome"] = "cancelled"
            throw error
        }
    }

    private func streamUntraced(
        _ request: Jina_SingleDocumentRequestProto,
        onMessage: @escaping @Sendable (Jina_SingleDocumentRequestProto) async throws -> Void
    ) async throws {
        guard let last = nodes.indices.last else {
            try await onMessage(request)
            return
        }
        guard isChain else {
            try await onMessage(Self.streamError(
                request, name: "BadRequest",
                message: "stream_doc needs executors in a single chain; this Flow's graph branches or merges"))
            return
        }
        // The executors before the last run once, as a data request.
        var head = Jina_DataRequestProtoWoData()
        head.header = request.header
        if request.hasParameters { head.parameters = request.parameters }
        var current = LazyDataRequest(head: head)
        let document: Document
        do {
            document = try Document(proto: request.document, path: "document")
            var documents = [document]
            _ = documents[0].ensureID()
            try current.setDocuments(documents)
        } catch {
            try await onMessage(Self.streamError(request, name: "DocumentError", message: "DocumentError: \(error.description)"))
            return
        }
        let context = RequestContext(current, nodes: nodes)
        for index in 0..<last {
            switch await run(index, inputs: [current], context) {
            case .reply(let reply): current = reply
            case .error(let reply):
                var message = Jina_SingleDocumentRequestProto()
                message.header = reply.head.header
                message.routes = reply.head.routes
                try await onMessage(message)
                return
            }
        }

        // The last executor streams each of its input documents.
        let node = nodes[last]
        var inputs: [Document]
        do {
            inputs = try current.documents()
            if let when = node.when { inputs = when.filter(inputs) }
        } catch {
            try await onMessage(Self.streamError(request, name: "DocumentError", message: "DocumentError: \(error.description)"))
            return
        }
        var parameters = current.parametersJSON
        if let original = context.originalParameters {
            parameters = RequestMerge.scopedParameters(original, for: node.name, results: parameters[RequestMerge.resultsKey])
        }
        let deployment = node.deployment
        let shard = deployment.shardCount > 1 ? deployment.nextShard() : 0
        for input in inputs {
            var single = Jina_SingleDocumentRequestProto()
            single.header = request.header
            if !parameters.isEmpty { single.parameters = Google_Protobuf_Struct(json: parameters) }
            do {
                single.document = try input.proto(path: "document")
            } catch {
                try await onMessage(Self.streamError(request, name: "DocumentError", message: "DocumentError: \(error.description)"))
                return
            }
            let failed = SendableFlag()
            let failure = await deployment.stream(single, shard: shard) { message in
                if message.header.status.code == .error { failed.set() }
                try await onMessage(message)
            }
            if let failure {
                if failure.reason == .cancelled { throw CancellationError() }
                logger.error("\(failure.message)")
                try await onMessage(Self.streamError(request, name: "InternalNetworkError", message: failure.message, executor: node.name))
                return
            }
            if failed.isSet { return }
        }
    }

    /// A stream's ERROR message, as `Jina_StatusProto.error` describes it.
    static func streamError(
        _ request: Jina_SingleDocumentRequestProto, name: String, message: String, executor: String = FlowGraph.gateway
    ) -> Jina_SingleDocumentRequestProto {
        var reply = Jina_SingleDocumentRequestProto()
        reply.header = request.header
        reply.header.status = .error(description: message, name: name, args: [message], executor: executor)
        return reply
    }
}

/// Set once from a stream's message handler, read after the stream ends.
private final class SendableFlag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
