import JinaCore
import JinaProto
import SwiftProtobuf

extension RequestRouter {
    /// Runs one node: filter its inputs (`when`), reduce them, then — unless `target_executor`
    /// leaves it out — send to its shards as the endpoint's polling says, as Jina's head does:
    /// through `uses_before` first, and to `uses_after` (every shard's reply) instead of the
    /// reduce when the executor has them.
    func run(_ index: Int, inputs: [LazyDataRequest], _ context: RequestContext) async -> NodeResult {
        let node = nodes[index]
        var input: LazyDataRequest
        var parts = inputs
        do {
            if let when = node.when {
                for position in parts.indices {
                    try parts[position].setDocuments(when.filter(try parts[position].documents()))
                }
            }
            input = parts.count == 1 ? parts[0] : try RequestMerge.reduce(parts)
        } catch {
            return .error(Self.gatewayError(inputs[0], error))
        }
        if let runs = context.runs, !runs[index] { return .reply(input) }
        // `no_reduce` at a merge point: the executor gets every input as one `process_data`
        // call (its `docs_matrix`), as Jina's gateway sends them, instead of their reduce.
        if node.noReduce, parts.count > 1, node.before == nil {
            let deployment = node.deployment
            let shard = deployment.shardCount > 1 ? deployment.nextShard() : 0
            let sent = await hop(to: node.name, shard: shard, input) { span in await deployment.send(all: parts, shard: shard, span: span) }
            return outcome(sent, input: input, node: node)
        }
        if let original = context.originalParameters {
            input.parametersJSON = RequestMerge.scopedParameters(
                original, for: node.name, results: input.parametersJSON[RequestMerge.resultsKey])
        }

        // `uses_before`: its reply is what the shards get.
        if let before = node.before {
            let sent = await hop(to: before.name, shard: 0, input) { span in await before.send(input, shard: 0, span: span) }
            switch outcome(sent, input: input, node: node, head: before.name) {
            case .reply(let reply): input = reply
            case .error(let reply): return .error(reply)
            }
        }
        let deployment = node.deployment
        let shards = deployment.shardCount
        let polling = shards > 1 ? node.polling.polling(for: context.endpoint) : .any
        if polling == .any {
            let shard = shards > 1 ? deployment.nextShard() : 0
            let result = outcome(await send(index, input, shard: shard), input: input, node: node)
            guard let after = node.after, case .reply(let reply) = result else { return result }
            let sent = await hop(to: after.name, shard: 0, reply) { span in await after.send(all: [reply], shard: 0, span: span) }
            return outcome(sent, input: reply, node: node, head: after.name)
        }

        // ALL (and ALL_ASYNC): every shard, then reduce in shard order.
        let sent = input
        let results = await withTaskGroup(of: (Int, Result<LazyDataRequest, DeploymentFailure>).self) { group in
            for shard in 0..<shards {
                group.addTask { (shard, await self.send(index, sent, shard: shard)) }
            }
            var results = [Result<LazyDataRequest, DeploymentFailure>?](repeating: nil, count: shards)
            for await (shard, result) in group { results[shard] = result }
            return results.map { $0! }
        }
        var replies: [LazyDataRequest] = []
        for result in results {
            switch outcome(result, input: input, node: node) {
            case .reply(let reply): replies.append(reply)
            case .error(let reply): return .error(reply)
            }
        }
        // `uses_after`: every shard's reply (its `docs_matrix`), in shard order, instead of the reduce.
        if let after = node.after {
            let sent = await hop(to: after.name, shard: 0, replies[0]) { span in await after.send(all: replies, shard: 0, span: span) }
            return outcome(sent, input: replies[0], node: node, head: after.name)
        }
        do {
            // `no_reduce`: the shards' documents one after another, as Jina's head does.
            if node.noReduce { return .reply(try RequestMerge.concatenate(replies)) }
            return .reply(try RequestMerge.reduce(replies, sortingMatches: true, topK: context.topK))
        } catch {
            return .error(Self.gatewayError(input, error))
        }
    }

    /// An executor's reply as the walk sees it; a failure to get one becomes an ERROR reply
    /// naming the executor (exception `InternalNetworkError`, as Jina's gateway names it).
    func outcome(
        _ result: Result<LazyDataRequest, DeploymentFailure>, input: LazyDataRequest, node: RouteNode, head: String? = nil
    ) -> NodeResult {
        switch result {
        case .success(let reply):
            return reply.isError ? .error(reply) : .reply(reply)
        case .failure(let failure):
            if failure.reason != .cancelled { logger.error("\(failure.message)") }
            var reply = input
            reply.setError(description: failure.message, name: "InternalNetworkError", args: [failure.message],
                           executor: head ?? node.name)
            reply.networkFailure = switch failure.reason {
            case .unavailable: .unavailable
            case .timeout: .timeout
            case .failed: .failed
            case .cancelled: .cancelled
            }
            let now = Google_Protobuf_Timestamp.now()
            reply.appendRoute(executor: head ?? node.name, start: now, end: now, status: reply.head.header.status)
            return .error(reply)
        }
    }
}
