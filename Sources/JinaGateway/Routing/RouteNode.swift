import JinaCore

/// One executor of the graph as the router walks it, compiled once from the Flow.
struct RouteNode: Sendable {
    /// The gateway's start in `needs`.
    static let gateway = -1

    let name: String
    /// Positions of the nodes this one receives from, in `needs` order (`gateway` = -1).
    let needs: [Int]
    /// Positions of the nodes that receive this one's output.
    let consumers: [Int]
    let when: WhenFilter?
    let polling: PollingSpec
    let deployment: Deployment
    /// `uses_before`: gets the request before the shards (sharded executors only).
    let before: Deployment?
    /// `uses_after`: gets every shard's reply instead of the reduce; its reply is the node's.
    let after: Deployment?
    /// `no_reduce`: several inputs go to the executor as they are; shard replies are concatenated.
    let noReduce: Bool
    /// Whether the reply waits for this node: it leads to the gateway's output (floating
    /// executors, and whatever only they feed, do not).
    let requiredForReply: Bool
}

extension RouteNode {
    /// The nodes of `flow` in topological order, each with its deployment.
    static func plan(_ flow: Flow, deployments: [String: Deployment]) throws(GatewayError) -> [RouteNode] {
        let graph = flow.graph
        let order = graph.topologicalOrder
        var position: [String: Int] = [:]
        for (index, name) in order.enumerated() { position[name] = index }

        // Everything upstream of the gateway's inputs is needed for the reply.
        var required = Set<String>()
        var stack = graph.gatewayInputs
        while let name = stack.popLast() {
            guard required.insert(name).inserted else { continue }
            stack.append(contentsOf: graph.needs(of: name).filter { $0 != FlowGraph.gateway })
        }

        var nodes: [RouteNode] = []
        for name in order {
            guard let spec = flow.executor(named: name) else {
                throw GatewayError(.invalidInput, "the Flow's graph names executor `\(name)` but has no entry for it")
            }
            guard let deployment = deployments[name] else {
                throw GatewayError(.invalidInput, "no address for executor `\(name)`",
                                   hint: "pass --executor \(name)=ADDR (grpc://HOST:PORT, unix:///PATH or dns://NAME:PORT)")
            }
            func head(_ role: HeadRole) throws(GatewayError) -> Deployment? {
                guard spec.hasHead(role) else { return nil }
                guard let head = deployments[spec.headName(role)] else {
                    throw GatewayError(.invalidInput, "no address for `\(role.rawValue)` of executor `\(name)`",
                                       hint: "pass --executor \(spec.headName(role))=ADDR")
                }
                return head
            }
            var when: WhenFilter?
            if let condition = spec.when, !condition.isNull {
                do {
                    when = try WhenFilter(condition)
                } catch {
                    throw GatewayError(.invalidInput, "executor `\(name)`: \(error.summary)", hint: error.hint)
                }
            }
            nodes.append(RouteNode(
                name: name,
                needs: graph.needs(of: name).map { $0 == FlowGraph.gateway ? gateway : position[$0]! },
                consumers: graph.consumers(of: name).compactMap { position[$0] },
                when: when,
                polling: spec.polling,
                deployment: deployment,
                before: try head(.before),
                after: try head(.after),
                noReduce: spec.noReduce,
                requiredForReply: required.contains(name)))
        }
        return nodes
    }
}
