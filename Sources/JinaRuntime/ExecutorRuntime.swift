#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import JinaCore
import JinaObservability
import JinaProto
import Logging
import SwiftProtobuf
import Tracing

/// Runs data requests through a loaded executor, as Jina's worker does: picks the handler for
/// the endpoint, passes documents and parameters, appends the route, and turns a thrown error
/// into an error reply. It never throws: every request gets a reply (unless its error is named in
/// `exit_on_exceptions`: then the process exits).
struct ExecutorRuntime: Sendable {
    /// The reserved endpoint that is answered without running a handler.
    static let dryRunEndpoint = Jina_DataRequestProto.dryRunEndpoint

    /// The executor's name in the Flow: what routes carry and the key of its own parameters.
    let name: String
    let executor: LoadedExecutor
    let logger: Logger
    /// nil when monitoring is off: then nothing is measured.
    let metrics: ExecutorMetrics?
    /// The key of a handler's answer in `__results__`: the replica's name as Jina's worker
    /// names it (`name/rep-0`, `name/shard-1/rep-0`), so that shards answer side by side.
    let resultsKey: String
    /// The endpoints that batch requests (nil when none does).
    let batcher: DynamicBatcher?
    /// Error type names on which the process exits instead of replying (`exit_on_exceptions`).
    let exitOnExceptions: Set<String>

    init(name: String, executor: LoadedExecutor, logger: Logger, metrics: ExecutorMetrics? = nil, resultsKey: String? = nil,
         batching: [String: DynamicBatchingSettings] = [:], exitOnExceptions: Set<String> = []) {
        self.name = name
        self.exitOnExceptions = exitOnExceptions
        batcher = DynamicBatcher(endpoints: executor.endpoints, overrides: batching, metrics: metrics, logger: logger)
        self.resultsKey = resultsKey ?? name
        self.executor = executor
        self.logger = logger
        self.metrics = metrics
    }

    /// Processes one request:
    /// * `_jina_dry_run_`: the route is appended, nothing runs, documents are untouched;
    /// * an endpoint with a handler (or a catch-all): the handler runs on the documents;
    /// * otherwise the request is returned unchanged, without a route, as Jina does.
    ///
    /// With tracing on, the request is one SERVER span named after its endpoint, a child of the
    /// caller's span when `trace` (a metadata lookup) carries a `traceparent`.
    func process(
        _ request: LazyDataRequest, docsMatrix: [[Document]]? = nil, trace: (@Sendable (String) -> String?)? = nil
    ) async -> LazyDataRequest {
        guard RequestTracing.isOn else { return await measure(request, docsMatrix: docsMatrix, span: nil) }
        return await RequestTracing.withIncoming(trace ?? { _ in nil }) {
            let endpoint = request.header.execEndpoint
            guard let span = RequestTracing.startSpan(endpoint.isEmpty ? "/" : endpoint, kind: .server) else {
                return await measure(request, docsMatrix: docsMatrix, span: nil)
            }
            span.attributes["jina.executor"] = name
            span.attributes["jina.replica_name"] = resultsKey
            span.attributes["jina.endpoint"] = endpoint
            span.attributes["jina.request_id"] = request.requestID
            let reply = await RequestTracing.within(span) {
                await measure(request, docsMatrix: docsMatrix, span: span)
            }
            span.attributes["jina.outcome"] = reply.isError ? "error" : "ok"
            if reply.isError { span.setStatus(SpanStatus(code: .error, message: reply.header.status.description_p)) }
            span.end()
            return reply
        }
    }

    /// `process(_:docsMatrix:trace:)` for a fully decoded message, answered as one (for callers
    /// that hold one; the servers pass the documents on as bytes).
    func process(_ request: Jina_DataRequestProto, trace: (@Sendable (String) -> String?)? = nil) async -> Jina_DataRequestProto {
        await process([request], trace: trace)
    }

    /// `process(_:trace:)` (several requests as one) for fully decoded messages.
    func process(_ requests: [Jina_DataRequestProto], trace: (@Sendable (String) -> String?)? = nil) async -> Jina_DataRequestProto {
        do {
            let reply = await process(try requests.map { try LazyDataRequest($0) }, trace: trace)
            return try reply.decoded()
        } catch {
            // Only a message SwiftProtobuf cannot round-trip gets here.
            var reply = requests.first ?? Jina_DataRequestProto()
            let failure = HandlerFailure(error)
            reply.setError(description: failure.description, name: failure.name, args: [failure.message], executor: executor.typeName)
            return reply
        }
    }

    private func measure(_ request: LazyDataRequest, docsMatrix: [[Document]]?, span: (any Span)?) async -> LazyDataRequest {
        let clock = ContinuousClock()
        let received = clock.now
        metrics?.pending.increment()
        let reply = await handle(request, clock: clock, docsMatrix: docsMatrix, span: span)
        let elapsed = clock.now - received
        if let metrics {
            metrics.pending.decrement()
            metrics.receivingSeconds.record(elapsed)
            (reply.isError ? metrics.failed : metrics.successful).increment()
        }
        if logger.logLevel <= .debug {
            logger.debug("request handled", metadata: [
                "request_id": "\(request.requestID)", "endpoint": "\(request.header.execEndpoint)",
                "duration_ms": "\(Self.milliseconds(elapsed))", "outcome": "\(reply.isError ? "error" : "ok")",
            ])
        }
        return reply
    }

    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let micros = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        return "\(micros / 1000).\(String(micros % 1000 + 1000).dropFirst())"
    }

    private func handle(
        _ request: LazyDataRequest, clock: ContinuousClock, docsMatrix: [[Document]]?, span: (any Span)?
    ) async -> LazyDataRequest {
        let endpoint = request.header.execEndpoint
        if endpoint == Self.dryRunEndpoint {
            var reply = request
            let now = Google_Protobuf_Timestamp.now()
            reply.appendRoute(executor: name, start: now, end: now)
            return reply
        }
        guard let entry = executor.endpoints.entry(for: endpoint) else {
            logger.debug("no handler for endpoint \(endpoint): passing request \(request.requestID) through")
            return request
        }
        let start = Google_Protobuf_Timestamp.now()
        var reply = request
        do {
            // Documents the handler leaves alone are copied into the reply, not encoded again.
            let (received, source) = try request.documentsForReply()
            var documents = received
            span?.attributes["jina.documents"] = documents.count
            if let batcher = batcher?.batcher(for: endpoint), !documents.isEmpty {
                // Batched: the batch records the handler's time and documents.
                documents = try await batcher.submit(documents, parameters: .object(parameters(of: request)))
                try reply.setDocuments(documents, reusing: source)
                reply.appendRoute(executor: name, start: start, end: .now())
                return reply
            }
            let handlerStart = clock.now
            var answer: JSONValue?
            if let matrix = entry.matrix {
                try await matrix(&documents, docsMatrix ?? [documents], .object(parameters(of: request)))
            } else {
                answer = try await entry.handler(&documents, .object(parameters(of: request)))
            }
            if let answer {
                // Jina's worker: a returned dict lands in `__results__` under the replica's name.
                let key = LazyDataRequest.resultsKey
                var parameters = reply.parametersJSON
                var results = parameters[key]?.objectValue ?? [:]
                results[resultsKey] = answer
                parameters[key] = .object(results)
                reply.parametersJSON = parameters
            }
            if let metrics {
                let handles = metrics.endpoint(endpoint)
                handles.processSeconds.record(clock.now - handlerStart)
                handles.documentsProcessed.increment(by: Int64(documents.count))
            }
            try reply.setDocuments(documents, reusing: source)
            reply.appendRoute(executor: name, start: start, end: .now())
        } catch {
            let failure = HandlerFailure(error)
            if exitOnExceptions.contains(failure.name) { exitWithoutReplying(failure, requestID: request.requestID) }
            reply.setError(
                description: failure.description, name: failure.name, args: [failure.message],
                executor: executor.typeName)
            reply.appendRoute(executor: name, start: start, end: .now(), status: reply.header.status)
            logger.error("request \(request.requestID) to \(endpoint) failed: \(failure.description)",
                         metadata: ["request_id": "\(request.requestID)", "endpoint": "\(endpoint)"])
        }
        return reply
    }

    /// `exit_on_exceptions`, as Jina's worker: the process ends (status 1) without answering;
    /// requests in flight fail at the gateway, which retries them elsewhere, and the supervisor
    /// (`jina flow`, Kubernetes) starts the executor again.
    func exitWithoutReplying(_ failure: HandlerFailure, requestID: String) -> Never {
        logger.critical("request \(requestID) raised \(failure.name), which is in exit_on_exceptions: exiting (\(failure.description))",
                        metadata: ["request_id": "\(requestID)"])
        _exit(1)
    }

    /// The parameters a handler sees: the request's, with the entries of
    /// `parameters[EXECUTOR_NAME]` (an object) laid over them, as Jina's worker does.
    func parameters(of request: LazyDataRequest) -> [String: JSONValue] {
        guard request.hasParameters else { return [:] }
        return ExecutorParameters.forExecutor(request.parametersJSON, executor: name)
    }

    /// Processes several requests for the same endpoint as one (`process_data`): the documents
    /// of all are reduced by id (`[Document](reducing:)`), into the first successful request,
    /// whose parameters gain every request's `__results__` and whose routes gain the routes of
    /// the others (once per executor), as Jina's `reduce_requests` and `merge_routes` do. A
    /// `docsMatrix` handler also gets each request's documents (Jina's `docs_matrix`).
    func process(_ requests: [LazyDataRequest], trace: (@Sendable (String) -> String?)? = nil) async -> LazyDataRequest {
        guard requests.count > 1 else {
            return await process(requests.first ?? LazyDataRequest(head: Jina_DataRequestProtoWoData()), trace: trace)
        }
        var base = requests.first(where: { !$0.isError }) ?? requests[0]
        let batches: [[Document]]
        do {
            batches = try requests.map { request throws(DocumentError) in try request.documents() }
            try base.setDocuments([Document](reducing: batches))
        } catch {
            let failure = HandlerFailure(error)
            base.setError(
                description: failure.description, name: failure.name, args: [failure.message],
                executor: executor.typeName)
            return base
        }
        let key = LazyDataRequest.resultsKey
        if requests.contains(where: { $0.parametersJSON[key] != nil }) {
            var parameters = base.parametersJSON
            var results = parameters[key]?.objectValue ?? [:]
            for request in requests {
                results.merge(request.parametersJSON[key]?.objectValue ?? [:]) { _, new in new }
            }
            parameters[key] = .object(results)
            base.parametersJSON = parameters
        }
        var seen = Set(base.routes.map(\.executor))
        for request in requests {
            for route in request.routes where !seen.contains(route.executor) {
                base.routes.append(route)
                seen.insert(route.executor)
            }
        }
        return await process(base, docsMatrix: batches, trace: trace)
    }
}

/// A handler's error as Jina's `ExceptionProto` shows it: the error's type name, its message,
/// and `Name: message` as the description.
struct HandlerFailure {
    var name: String
    var message: String
    var description: String { "\(name): \(message)" }

    init(_ error: any Error) {
        name = String(describing: type(of: error))
        message = String(describing: error)
    }
}
