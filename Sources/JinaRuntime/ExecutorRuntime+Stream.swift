import JinaCore
import JinaProto
import SwiftProtobuf

extension ExecutorRuntime {
    /// Serves one `stream_doc` request: the handler of its endpoint gets the one document, and
    /// every document it produces goes to `emit` as its own `SingleDocumentRequestProto` (with
    /// the request's id and endpoint) as soon as it is produced.
    ///
    /// * A streaming endpoint (`Endpoint.streaming`) yields as it goes; a plain endpoint runs
    ///   once on the document and its output documents are sent one by one (Jina refuses this;
    ///   it lets a chain stream through executors that do not).
    /// * No handler for the endpoint: the request comes back unchanged, as Jina's worker does.
    /// * A thrown error (or a document that cannot be decoded) ends the stream with one reply
    ///   whose `header.status` is ERROR, naming the error and the executor, as Jina's client
    ///   expects; `exit_on_exceptions` applies as for other requests.
    ///
    /// Throws only what `emit` throws (the reader went away).
    func stream(
        _ request: Jina_SingleDocumentRequestProto, emit: (Jina_SingleDocumentRequestProto) async throws -> Void
    ) async throws {
        let endpoint = request.header.execEndpoint
        guard let entry = executor.endpoints.entry(for: endpoint), endpoint != Self.dryRunEndpoint else {
            try await emit(request)
            return
        }
        metrics?.pending.increment()
        defer { metrics?.pending.decrement() }
        let clock = ContinuousClock()
        let started = clock.now
        var produced = 0
        func reply(_ document: Document) async throws {
            var message = Jina_SingleDocumentRequestProto()
            message.header.requestID = request.header.requestID
            message.header.execEndpoint = endpoint
            message.document = try document.proto(path: "document")
            produced += 1
            do { try await emit(message) } catch { throw StreamEmitFailure(cause: error) }
        }
        let parameters = JSONValue.object(
            request.hasParameters ? ExecutorParameters.forExecutor(request.parameters.jsonObject, executor: name) : [:])
        do {
            let document = try Document(proto: request.document, path: "document")
            if let stream = entry.stream {
                try await stream(document, parameters) { try await reply($0) }
            } else {
                var documents = [document]
                _ = try await entry.handler(&documents, parameters)
                for document in documents { try await reply(document) }
            }
        } catch let failure as StreamEmitFailure {
            throw failure.cause
        } catch {
            let failure = HandlerFailure(error)
            if exitOnExceptions.contains(failure.name) {
                exitWithoutReplying(failure, requestID: request.header.requestID)
            }
            metrics?.failed.increment()
            logger.error("stream request \(request.header.requestID) to \(endpoint) failed: \(failure.description)",
                         metadata: ["request_id": "\(request.header.requestID)", "endpoint": "\(endpoint)"])
            var message = Jina_SingleDocumentRequestProto()
            message.header.requestID = request.header.requestID
            message.header.execEndpoint = endpoint
            message.header.status = .error(
                description: failure.description, name: failure.name, args: [failure.message], executor: executor.typeName)
            try await emit(message)
            return
        }
        if let metrics {
            metrics.successful.increment()
            metrics.receivingSeconds.record(clock.now - started)
            metrics.endpoint(endpoint).documentsProcessed.increment(by: Int64(produced))
        }
    }
}

/// `emit` failed: the reader is gone, which is not the handler's error.
struct StreamEmitFailure: Error {
    var cause: any Error
}
