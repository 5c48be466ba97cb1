import JinaCore
import JinaObservability
import Logging

/// The batched endpoints of a loaded executor: what it declares, with Flow YAML's
/// `uses_dynamic_batching` laid over it, one `EndpointBatcher` each.
struct DynamicBatcher: Sendable {
    private let batchers: [String: EndpointBatcher]
    /// The executor's endpoints: a request to a name nothing binds goes to the catch-all, and
    /// so to the catch-all's batcher.
    private let endpoints: EndpointTable

    /// nil when no endpoint batches. Keys of `overrides` that name nothing are logged.
    init?(endpoints: EndpointTable, overrides: [String: DynamicBatchingSettings],
          metrics: ExecutorMetrics?, logger: Logger) {
        let (batching, unmatched) = endpoints.batching(overrides: overrides)
        for key in unmatched {
            logger.warning("uses_dynamic_batching names \(key), which is neither an endpoint nor a handler name of this executor; it is ignored",
                           metadata: ["endpoints": "\(endpoints.names.joined(separator: ", "))"])
        }
        guard !batching.isEmpty else { return nil }
        var batchers: [String: EndpointBatcher] = [:]
        for (name, settings) in batching {
            guard let entry = endpoints.entry(for: name) else { continue }
            batchers[name] = EndpointBatcher(
                endpoint: name, batching: settings, handler: entry.handler, metrics: metrics?.endpoint(name),
                batchMetrics: metrics?.batching(name))
            logger.info("dynamic batching on \(name): preferred_batch_size \(settings.preferredBatchSize), timeout \(settings.timeout)\(settings.flushAll ? ", flush_all" : "")\(settings.maxQueueDocuments.map { ", max_queue_documents \($0)" } ?? "")")
        }
        self.batchers = batchers
        self.endpoints = endpoints
    }

    /// The batcher serving a request to `endpoint`: its own, or the catch-all's when the
    /// catch-all serves it.
    func batcher(for endpoint: String) -> EndpointBatcher? {
        if let own = batchers[endpoint] { return own }
        guard !endpoints.names.contains(endpoint) else { return nil }
        return batchers[Endpoint.defaultName]
    }

    /// Runs every waiting batch now and every later request at once (graceful shutdown).
    func drain() async {
        for batcher in batchers.values { await batcher.drain() }
    }
}
