public import JinaCore
public import JinaObservability
import JinaProto
public import Logging
import SwiftProtobuf
import Tracing

/// Routes each data request through the Flow's graph, as Jina's gateway does:
///
/// * an executor runs once everything it `needs` has answered; independent branches run
///   concurrently; at a merge point the inputs are reduced by document id in `needs` order;
/// * `when` filters the documents an executor receives; `target_executor` (a regular
///   expression matched at the start of the name, as Jina's `re.match`) limits which executors
///   run — the others pass their input on unchanged;
/// * shards: polling ANY sends to one shard (round-robin), ALL to every shard and reduces;
/// * an executor's ERROR reply (or a failure to reach it) ends the walk and is the reply;
/// * the reply is the reduce of the executors feeding the gateway's end.
///
/// It never throws: every request gets a reply. It touches documents only where it must (see
/// `LazyDataRequest`); a chain without `when`, merge or shard reduce passes them through as bytes.
public final class RequestRouter: Sendable {
    let nodes: [RouteNode]
    /// Positions of the nodes whose outputs make the reply, in the graph's order.
    let gatewayInputs: [Int]
    /// Whether the graph is a single chain (each node feeds only the next): walked without tasks.
    let isChain: Bool
    let logger: Logger
    /// nil when monitoring is off: then nothing is measured.
    let metrics: GatewayMetrics?
    /// Per node, the handles of the hop to its executor.
    let hops: [HopMetrics?]

    /// A router for `flow` reaching its executors through `deployments` (by executor name).
    init(flow: Flow, deployments: [String: Deployment], logger: Logger, metrics: GatewayMetrics? = nil) throws(GatewayError) {
        let nodes = try RouteNode.plan(flow, deployments: deployments)
        var position: [String: Int] = [:]
        for (index, node) in nodes.enumerated() { position[node.name] = index }
        let gatewayInputs = flow.graph.gatewayInputs.compactMap { position[$0] }
        self.nodes = nodes
        self.gatewayInputs = gatewayInputs
        isChain = nodes.enumerated().allSatisfy { index, node in
            node.needs == [index == 0 ? RouteNode.gateway : index - 1]
                && node.consumers == (index == nodes.count - 1 ? [] : [index + 1])
        } && gatewayInputs == (nodes.isEmpty ? [] : [nodes.count - 1])
        self.logger = logger
        self.metrics = metrics
        hops = nodes.map { metrics?.executor($0.name) }
    }

    /// A router whose executors are reached through `callers`: executor name → shards →
    /// replicas. `timeoutSend` and `retries` come from the Flow (executor over gateway).
    public convenience init(
        flow: Flow, callers: [String: [[any ExecutorCaller]]], logger: Logger, metrics: GatewayMetrics? = nil
    ) throws(GatewayError) {
        var deployments: [String: Deployment] = [:]
        for spec in flow.executors {
            guard let shards = callers[spec.name] else { continue }
            deployments[spec.name] = Deployment(
                name: spec.name, shards: shards.map { FixedReplicas(replicas: $0) },
                retries: spec.retries, timeout: spec.sendTimeout ?? flow.gateway.sendTimeout,
                retryOnTimeout: spec.retryOnTimeout)
        }
        try self.init(flow: flow, deployments: deployments, logger: logger, metrics: metrics)
    }

    /// Routes `request` and returns the reply (after floating executors have finished too).
    public func route(_ request: LazyDataRequest) async -> LazyDataRequest {
        let reply = ReplySlot()
        await route(request) { reply.set($0) }
        return reply.value ?? request
    }

    /// Routes `request`, handing the reply to `onReply` as soon as it is known; returns once
    /// every executor the request reached (floating ones included) has finished.
    /// With tracing on, the request is one SERVER span (named after its endpoint) whose children
    /// are the hops to executors.
    public func route(_ request: LazyDataRequest, onReply: @Sendable (LazyDataRequest) -> Void) async {
        var request = request
        if request.requestID.isEmpty { request.requestID = Document.generateID() }
        guard let span = RequestTracing.startSpan(request.endpoint, kind: .server) else {
            return await walk(request, onReply: onReply)
        }
        span.attributes["jina.request_id"] = request.requestID
        span.attributes["jina.endpoint"] = request.endpoint
        if let count = DocumentCount.of(request) { span.attributes["jina.documents"] = count }
        await RequestTracing.within(span) {
            await walk(request) { reply in
                span.attributes["jina.outcome"] = reply.isError ? "error" : "ok"
                if reply.isError { span.setStatus(Self.errorStatus(reply)) }
                onReply(reply)
            }
        }
        span.end()
    }

    private func walk(_ request: LazyDataRequest, onReply: @Sendable (LazyDataRequest) -> Void) async {
        var request = request
        let metrics = self.metrics
        let measured = metrics != nil || logger.logLevel <= .debug
        let received = measured ? ContinuousClock.now : nil
        if let metrics {
            metrics.pending.increment()
            metrics.receivedBytes.record(Double(request.encodedData.count))
        }
        let gatewayRoute = request.head.routes.count
        var route = Jina_RouteProto()
        route.executor = FlowGraph.gateway
        route.startTime = .now()
        request.head.routes.append(route)

        func finish(_ reply: LazyDataRequest) {
            var reply = reply
            if gatewayRoute < reply.head.routes.count, reply.head.routes[gatewayRoute].executor == FlowGraph.gateway {
                reply.head.routes[gatewayRoute].endTime = .now()
            }
            if let received { observe(request, reply, elapsed: ContinuousClock.now - received) }
            onReply(reply)
        }

        do {
            try Self.ensureDocumentIDs(&request)
        } catch {
            finish(Self.gatewayError(request, error))
            return
        }
        let context = RequestContext(request, nodes: nodes)
        if nodes.isEmpty {
            finish(request)
        } else if isChain {
            finish(await walkChain(request, context))
        } else {
            await walkGraph(request, context, onReply: finish)
        }
    }

    /// Records a finished request in the metrics and (debug) the log.
    private func observe(_ request: LazyDataRequest, _ reply: LazyDataRequest, elapsed: Duration) {
        if let metrics {
            metrics.pending.decrement()
            metrics.receivingSeconds.record(elapsed)
            metrics.sentBytes.record(Double(reply.encodedData.count))
            (reply.isError ? metrics.failed : metrics.successful).increment()
        }
        if logger.logLevel <= .debug {
            let (seconds, attoseconds) = elapsed.components
            let micros = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
            logger.debug("request routed", metadata: [
                "request_id": "\(request.requestID)", "endpoint": "\(request.endpoint)",
                "duration_ms": "\(Double(micros) / 1000)", "outcome": "\(reply.isError ? "error" : "ok")",
            ])
        }
    }

    /// Sends to one shard of node `index`'s executor, measuring the hop when monitoring is on.
    func send(_ index: Int, _ request: LazyDataRequest, shard: Int) async -> Result<LazyDataRequest, DeploymentFailure> {
        await hop(to: nodes[index].name, shard: shard, request) { span in
            await measuredSend(index, request, shard: shard, span: span)
        }
    }

    /// Runs one hop to `executor` (`send` does it; head executors and `process_data` calls go
    /// through it too): with tracing on, a CLIENT span with the hop's attributes and outcome.
    func hop(
        to executor: String, shard: Int, _ request: LazyDataRequest,
        _ body: ((any Span)?) async -> Result<LazyDataRequest, DeploymentFailure>
    ) async -> Result<LazyDataRequest, DeploymentFailure> {
        guard let span = RequestTracing.startSpan(executor, kind: .client) else { return await body(nil) }
        span.attributes["jina.executor"] = executor
        span.attributes["jina.shard"] = shard
        span.attributes["jina.endpoint"] = request.endpoint
        span.attributes["jina.request_id"] = request.requestID
        if let count = DocumentCount.of(request) { span.attributes["jina.documents"] = count }
        let result = await RequestTracing.within(span) { await body(span) }
        switch result {
        case .success(let reply):
            span.attributes["jina.outcome"] = reply.isError ? "error" : "ok"
            if reply.isError { span.setStatus(Self.errorStatus(reply)) }
        case .failure(let failure):
            span.attributes["jina.outcome"] = "\(failure.reason)"
            span.setStatus(SpanStatus(code: .error, message: failure.message))
        }
        span.end()
        return result
    }

    /// A span's status for an ERROR reply: the reply's description.
    static func errorStatus(_ reply: LazyDataRequest) -> SpanStatus {
        SpanStatus(code: .error, message: reply.head.header.status.description_p)
    }

    private func measuredSend(
        _ index: Int, _ request: LazyDataRequest, shard: Int, span: (any Span)?
    ) async -> Result<LazyDataRequest, DeploymentFailure> {
        let deployment = nodes[index].deployment
        guard let hop = hops[index] else { return await deployment.send(request, shard: shard, span: span) }
        hop.pending.increment()
        hop.sentBytes.record(Double(request.encodedData.count))
        let started = ContinuousClock.now
        let result = await deployment.send(request, shard: shard, span: span)
        hop.sendingSeconds.record(ContinuousClock.now - started)
        hop.pending.decrement()
        if case .success(let reply) = result { hop.receivedBytes.record(Double(reply.encodedData.count)) }
        return result
    }

    /// A chain: each node's reply is the next one's input; no tasks needed.
    private func walkChain(_ request: LazyDataRequest, _ context: RequestContext) async -> LazyDataRequest {
        var current = request
        for index in nodes.indices {
            switch await run(index, inputs: [current], context) {
            case .reply(let reply): current = reply
            case .error(let reply): return reply
            }
        }
        return current
    }

    /// Any DAG: nodes start as soon as all they need has answered.
    private func walkGraph(
        _ request: LazyDataRequest, _ context: RequestContext, onReply: (LazyDataRequest) -> Void
    ) async {
        var outputs = [LazyDataRequest?](repeating: nil, count: nodes.count)
        var waitingFor = nodes.map { node in node.needs.filter { $0 != RouteNode.gateway }.count }
        var requiredLeft = nodes.filter(\.requiredForReply).count
        var replied = false
        var stopped = false

        await withTaskGroup(of: (Int, NodeResult).self) { group in
            var ready = nodes.indices.filter { waitingFor[$0] == 0 }
            while true {
                for index in ready where !stopped {
                    let inputs = nodes[index].needs.map { $0 == RouteNode.gateway ? request : outputs[$0]! }
                    group.addTask { (index, await self.run(index, inputs: inputs, context)) }
                }
                ready = []
                guard let (index, result) = await group.next() else { break }
                let node = nodes[index]
                switch result {
                case .reply(let reply):
                    outputs[index] = reply
                    for consumer in node.consumers {
                        waitingFor[consumer] -= 1
                        if waitingFor[consumer] == 0 { ready.append(consumer) }
                    }
                    if node.requiredForReply { requiredLeft -= 1 }
                case .error(let reply):
                    if node.requiredForReply {
                        if !replied {
                            replied = true
                            onReply(reply)
                        }
                        // Nothing more starts; the tasks still running end (cancelled).
                        stopped = true
                        group.cancelAll()
                        continue
                    }
                    logger.warning("floating executor \(node.name) failed request \(request.requestID): \(reply.head.header.status.description_p)")
                }
                if !replied, requiredLeft == 0 {
                    replied = true
                    onReply(gatewayReply(outputs, request: request))
                }
            }
        }
        if !replied { onReply(gatewayReply(outputs, request: request)) }
    }

    /// The reduce of the outputs that feed the gateway's end.
    private func gatewayReply(_ outputs: [LazyDataRequest?], request: LazyDataRequest) -> LazyDataRequest {
        let parts = gatewayInputs.compactMap { outputs[$0] }
        guard parts.count > 1 else { return parts.first ?? request }
        do {
            return try RequestMerge.reduce(parts)
        } catch {
            return Self.gatewayError(request, error)
        }
    }

    /// Gives every document without an id one (decoding only when the scan finds one missing).
    static func ensureDocumentIDs(_ request: inout LazyDataRequest) throws(DocumentError) {
        if DocumentIDScan.allDocumentsHaveIDs(request.encodedData) == true { return }
        var documents = try request.documents()
        for index in documents.indices { documents[index].ensureID() }
        try request.setDocuments(documents)
    }

    /// An ERROR reply for a problem the gateway itself found in the request's documents.
    static func gatewayError(_ request: LazyDataRequest, _ error: DocumentError) -> LazyDataRequest {
        var reply = request
        reply.setError(description: "DocumentError: \(error.description)", name: "DocumentError",
                       args: [error.description], executor: FlowGraph.gateway)
        reply.rejection = .invalidDocuments
        return reply
    }
}

/// What one node produced: a reply to pass on, or an ERROR reply that ends the walk.
enum NodeResult: Sendable {
    case reply(LazyDataRequest)
    case error(LazyDataRequest)
}

/// Holds the reply handed to `onReply` (called once, from the routing task).
private final class ReplySlot: @unchecked Sendable {
    // Written once by `route(_:onReply:)` before it returns, read after: no concurrent access.
    private(set) var value: LazyDataRequest?
    func set(_ reply: LazyDataRequest) { if value == nil { value = reply } }
}
