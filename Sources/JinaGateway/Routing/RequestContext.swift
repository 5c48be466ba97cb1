import JinaCore
import JinaProto

/// What the router works out once per request.
struct RequestContext: Sendable {
    let requestID: String
    /// `header.exec_endpoint` (`/` when unset): picks per-endpoint polling.
    let endpoint: String
    /// Per node, whether it runs under `target_executor`; nil = every node runs.
    let runs: [Bool]?
    /// The client's parameters, kept when some key is for one executor (`name__key`).
    let originalParameters: [String: JSONValue]?
    /// `parameters.top_k`, cutting the matches of a shard reduce.
    let topK: Int?

    init(_ request: LazyDataRequest, nodes: [RouteNode]) {
        requestID = request.requestID
        endpoint = request.endpoint
        let header = request.head.header
        if header.hasTargetExecutor, !header.targetExecutor.isEmpty {
            let target = header.targetExecutor
            // Jina: `re.match(target_executor, name)`; a target that is no valid pattern is a name.
            // The client writes the pattern: it runs without backtracking (`TargetPattern`).
            if let pattern = TargetPattern.cached(target) {
                runs = nodes.map { pattern.matchesPrefix($0.name) }
            } else {
                runs = nodes.map { $0.name == target }
            }
        } else {
            runs = nil
        }
        let fields = request.head.parameters.fields
        originalParameters = fields.keys.contains(where: RequestMerge.isExecutorSpecific)
            ? request.parametersJSON : nil
        if case .numberValue(let number)? = fields["top_k"]?.kind, number.isFinite {
            // Past Int's range (a client's 1e300) means every match, not a trap.
            topK = number >= Double(Int.max) ? Int.max : number <= Double(Int.min) ? Int.min : Int(number)
        } else {
            topK = nil
        }
    }
}
