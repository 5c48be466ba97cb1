public import JinaCore

/// A request handler: it gets the request's documents to change in place (assign a new array to
/// replace them) and the request's parameters (a JSON object; numbers arrive as `.number`,
/// since they travel as a protobuf `Struct`). A thrown error becomes the request's error reply
/// (`header.status.code = ERROR`); the documents are then returned as they came.
public typealias EndpointHandler = @Sendable (_ documents: inout [Document], _ parameters: JSONValue) async throws -> Void

/// A handler that also answers with a value, as a Jina endpoint that returns a dict: the value
/// reaches the client in the reply's `parameters["__results__"][REPLICA]`, where REPLICA is
/// named as Jina's worker names it (`indexer/rep-0`, `indexer/shard-1/rep-0`).
public typealias ResultEndpointHandler = @Sendable (_ documents: inout [Document], _ parameters: JSONValue) async throws -> JSONValue?

/// One or more endpoint names bound to a handler.
public struct Endpoint: Sendable {
    /// The name Jina gives the catch-all endpoint.
    public static let defaultName = "/default"

    /// The endpoint names this handler serves (`["/default"]` for the catch-all).
    public var names: [String]
    /// The handler.
    public var handler: EndpointHandler
    /// Set by `returning`: the handler with its answer (then `handler` runs it and drops it).
    var resultHandler: ResultEndpointHandler?
    /// Set by `dynamicBatching(_:)`.
    var batching: DynamicBatching?
    /// Set by `named(_:)`: what `uses_dynamic_batching` may call the handler.
    var handlerName: String?
    /// Set by `streaming`: the handler that yields documents one by one (`stream_doc`).
    var streamHandler: DocumentStreamHandler?
    /// Set by `docsMatrix`: the handler that also gets each incoming request's documents.
    var matrixHandler: DocsMatrixEndpointHandler?

    /// Binds `name` (and any further names) to `handler`, as Jina's `@requests(on=[...])`.
    public init(_ name: String, _ moreNames: String..., handler: @escaping EndpointHandler) {
        self.names = [name] + moreNames
        self.handler = handler
    }

    /// The catch-all handler (Jina's `@requests` without `on=`): it serves `/default` and every
    /// endpoint no other handler binds.
    public init(handler: @escaping EndpointHandler) {
        self.names = [Self.defaultName]
        self.handler = handler
    }

    /// Binds `name` (and any further names) to a handler whose non-nil answer is returned to the
    /// client under `parameters["__results__"]["NAME/rep-0"]` (Jina's endpoints that return a
    /// dict; each shard under its own key): `Endpoint.returning("/count") { _, _ in .integer(count) }`.
    public static func returning(_ name: String, _ moreNames: String..., handler: @escaping ResultEndpointHandler) -> Endpoint {
        var endpoint = Endpoint(name) { documents, parameters in _ = try await handler(&documents, parameters) }
        endpoint.names += moreNames
        endpoint.resultHandler = handler
        return endpoint
    }

    /// The handler as the runtime calls it: with its answer, nil for a plain handler.
    var answeringHandler: ResultEndpointHandler {
        if let resultHandler { return resultHandler }
        let handler = self.handler
        return { documents, parameters in
            try await handler(&documents, parameters)
            return nil
        }
    }

    /// Binds `name` (and any further names) to `transform`, run on each document in turn:
    /// `Endpoint.forEach("/shout") { $0.text = $0.text?.uppercased() }`.
    public static func forEach(
        _ name: String, _ moreNames: String..., transform: @escaping @Sendable (inout Document) async throws -> Void
    ) -> Endpoint {
        var endpoint = Endpoint(name) { documents, _ in
            for index in documents.indices { try await transform(&documents[index]) }
        }
        endpoint.names += moreNames
        return endpoint
    }
}

/// A handler that also gets Jina's `docs_matrix`: the documents of each request it was sent,
/// one list per request, in order — what a `uses_after` head executor gets from the shards
/// (one list per shard), or an executor with `no_reduce` from its predecessors. `documents`
/// are those lists reduced by id (Jina concatenates them); assign it to answer.
public typealias DocsMatrixEndpointHandler = @Sendable (
    _ documents: inout [Document], _ docsMatrix: [[Document]], _ parameters: JSONValue
) async throws -> Void

extension Endpoint {
    /// Binds `name` (and any further names) to a handler that also gets `docs_matrix` (see
    /// `DocsMatrixEndpointHandler`): `Endpoint.docsMatrix("/search") { documents, matrix, _ in
    /// documents = mergeTopK(matrix) }`. A single request's matrix is `[documents]`.
    public static func docsMatrix(_ name: String, _ moreNames: String..., handler: @escaping DocsMatrixEndpointHandler) -> Endpoint {
        var endpoint = Endpoint(name) { documents, parameters in try await handler(&documents, [documents], parameters) }
        endpoint.names += moreNames
        endpoint.matrixHandler = handler
        return endpoint
    }
}

/// Lets `Executor.endpoints` list endpoints one per line, with `if`, `for` and `switch`.
@resultBuilder
public enum EndpointBuilder {
    public static func buildExpression(_ endpoint: Endpoint) -> [Endpoint] { [endpoint] }
    public static func buildExpression(_ endpoints: [Endpoint]) -> [Endpoint] { endpoints }
    public static func buildBlock(_ parts: [Endpoint]...) -> [Endpoint] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [Endpoint]?) -> [Endpoint] { part ?? [] }
    public static func buildEither(first part: [Endpoint]) -> [Endpoint] { part }
    public static func buildEither(second part: [Endpoint]) -> [Endpoint] { part }
    public static func buildArray(_ parts: [[Endpoint]]) -> [Endpoint] { parts.flatMap { $0 } }
}

/// The endpoints of a loaded executor, by name, in declaration order.
struct EndpointTable: Sendable {
    /// One bound name.
    struct Entry: Sendable {
        var handler: ResultEndpointHandler
        var batching: DynamicBatching?
        var handlerName: String?
        /// A streaming endpoint's handler (`is_generator` in discovery); never batched.
        var stream: DocumentStreamHandler?
        /// A `docsMatrix` endpoint's handler.
        var matrix: DocsMatrixEndpointHandler?
    }

    /// Names in the order they were declared (what `endpoint_discovery` lists).
    private(set) var names: [String] = []
    private var entries: [String: Entry] = [:]

    /// Builds the table; a name bound twice is an error naming it.
    init(_ endpoints: [Endpoint], executor: String) throws(ExecutorError) {
        for endpoint in endpoints {
            for name in endpoint.names {
                guard entries[name] == nil else {
                    throw ExecutorError(
                        .runtime, "executor \(executor) binds endpoint \(name) twice",
                        hint: "each endpoint name (and the catch-all, /default) may have one handler")
                }
                guard name != ExecutorRuntime.dryRunEndpoint else {
                    throw ExecutorError(
                        .runtime, "executor \(executor) binds the reserved endpoint \(name)",
                        hint: "\(name) is answered by the runtime without running handlers")
                }
                names.append(name)
                entries[name] = Entry(handler: endpoint.answeringHandler, batching: endpoint.batching,
                                      handlerName: endpoint.handlerName, stream: endpoint.streamHandler,
                                      matrix: endpoint.matrixHandler)
            }
        }
    }

    /// The handler for a request to `endpoint`: its own, else the catch-all, else nil (the
    /// request passes through unchanged).
    func handler(for endpoint: String) -> ResultEndpointHandler? {
        entry(for: endpoint)?.handler
    }

    /// The entry serving `endpoint`: its own, else the catch-all.
    func entry(for endpoint: String) -> Entry? {
        entries[endpoint] ?? entries[Endpoint.defaultName]
    }

    /// The batching of each bound name: what the executor declares, with `overrides` laid over
    /// it as Jina does — a key naming a handler applies to all its endpoints, a key naming an
    /// endpoint wins over it; `use_dynamic_batching: false` turns batching off. Keys that name
    /// nothing bound are returned in `unmatched`.
    func batching(
        overrides: [String: DynamicBatchingSettings]
    ) -> (batching: [String: DynamicBatching], unmatched: [String]) {
        var result: [String: DynamicBatching] = [:]
        var used = Set<String>()
        for name in names {
            let entry = entries[name]!
            // Streaming endpoints are never batched (as in Jina), nor those that take a
            // `docs_matrix` (Jina: "dynamic batching does not support no_reduce"); a key naming
            // one matches nothing.
            if entry.stream != nil || entry.matrix != nil { continue }
            var settings: DynamicBatchingSettings?
            if let handlerName = entry.handlerName, let byHandler = overrides[handlerName] {
                settings = byHandler
                used.insert(handlerName)
            }
            if let byEndpoint = overrides[name] {
                settings = (settings ?? DynamicBatchingSettings()).updated(by: byEndpoint)
                used.insert(name)
            }
            let declared = entry.batching
            guard let settings else {
                if let declared { result[name] = declared }
                continue
            }
            if let batching = (declared ?? DynamicBatching()).updated(by: settings) { result[name] = batching }
        }
        return (result, overrides.keys.filter { !used.contains($0) }.sorted())
    }
}
