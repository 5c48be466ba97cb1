import Synchronization

/// The metrics of one executor replica, as Jina's worker exports them: per request
/// (`runtime_name`) and per endpoint (`executor` = the executor's type, `executor_endpoint`,
/// `runtime_name`). Endpoint handles are made on first use and kept.
public final class ExecutorMetrics: Sendable {
    public let receivingSeconds: MetricDurations
    public let successful: MetricCounter
    public let failed: MetricCounter
    public let pending: MetricGauge

    private let registry: MetricsRegistry
    private let executorType: String
    private let runtimeName: String
    private let endpoints = Mutex<[String: EndpointMetrics]>([:])
    /// Distinct endpoints kept apart; beyond that they share the label `other` (a client must
    /// not be able to grow the registry without bound).
    static let endpointLimit = 200

    /// - Parameters:
    ///   - executorType: the executor's type name (Jina: its class name).
    ///   - runtimeName: see `RuntimeName.executor`.
    public init(registry: MetricsRegistry, executorType: String, runtimeName: String) {
        self.registry = registry
        self.executorType = executorType
        self.runtimeName = runtimeName
        let labels = [("runtime_name", runtimeName)]
        receivingSeconds = registry.durationHistogram(MetricName.receivingRequestSeconds, labels)
        successful = registry.counter(MetricName.successfulRequests, labels)
        failed = registry.counter(MetricName.failedRequests, labels)
        pending = registry.gauge(MetricName.pendingRequests, labels)
    }

    /// The handles of `endpoint`.
    public func endpoint(_ endpoint: String) -> EndpointMetrics {
        endpoints.withLock { table in
            if let known = table[endpoint] { return known }
            let label = table.count < Self.endpointLimit ? endpoint : "other"
            if let shared = table[label] { return shared }
            let made = EndpointMetrics(registry: registry, labels: [
                ("executor", executorType), ("executor_endpoint", label), ("runtime_name", runtimeName),
            ])
            table[label] = made
            return made
        }
    }
}

extension ExecutorMetrics {
    /// The batching handles of a dynamically batched endpoint (made once per endpoint, at start).
    public func batching(_ endpoint: String) -> BatchingMetrics {
        BatchingMetrics(registry: registry, labels: [
            ("executor", executorType), ("executor_endpoint", endpoint), ("runtime_name", runtimeName),
        ])
    }
}

/// The handles of one dynamically batched endpoint.
public final class BatchingMetrics: Sendable {
    public let batchSize: MetricValues
    public let queueSeconds: MetricDurations

    init(registry: MetricsRegistry, labels: [(String, String)]) {
        batchSize = registry.documentHistogram(MetricName.batchSize, labels)
        queueSeconds = registry.durationHistogram(MetricName.batchQueueSeconds, labels)
    }
}

/// Per-endpoint handles of an executor. (Jina's executor-side byte sizes are left out: the
/// executor holds decoded messages, and sizing one means encoding it again on every request.
/// The gateway measures the same bytes per hop.)
public final class EndpointMetrics: Sendable {
    public let processSeconds: MetricDurations
    public let documentsProcessed: MetricCounter

    init(registry: MetricsRegistry, labels: [(String, String)]) {
        processSeconds = registry.durationHistogram(MetricName.processRequestSeconds, labels)
        documentsProcessed = registry.counter(MetricName.documentsProcessed, labels)
    }
}
