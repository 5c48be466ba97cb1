
/// The gateway's metrics: per client request (label `runtime_name`, as Jina), and per
/// executor it sends to (labels `runtime_name` and `executor`, the executor's name in the Flow).
/// Every handle exists from the start: the request path only increments.
public final class GatewayMetrics: Sendable {
    public let receivingSeconds: MetricDurations
    public let successful: MetricCounter
    public let failed: MetricCounter
    public let pending: MetricGauge
    public let receivedBytes: MetricValues
    public let sentBytes: MetricValues
    private let executors: [String: HopMetrics]

    /// - Parameter executors: the names of the Flow's executors.
    public init(registry: MetricsRegistry, executors: [String], runtimeName: String = RuntimeName.gateway) {
        let labels = [("runtime_name", runtimeName)]
        receivingSeconds = registry.durationHistogram(MetricName.receivingRequestSeconds, labels)
        successful = registry.counter(MetricName.successfulRequests, labels)
        failed = registry.counter(MetricName.failedRequests, labels)
        pending = registry.gauge(MetricName.pendingRequests, labels)
        receivedBytes = registry.byteHistogram(MetricName.receivedRequestBytes, labels)
        sentBytes = registry.byteHistogram(MetricName.sentResponseBytes, labels)
        var table: [String: HopMetrics] = [:]
        for name in executors {
            table[name] = HopMetrics(registry: registry, labels: [("executor", name), ("runtime_name", runtimeName)])
        }
        self.executors = table
    }

    /// The handles of the hop to `executor` (nil for a name the Flow does not have).
    public func executor(_ name: String) -> HopMetrics? { executors[name] }
}

/// The gateway's handles for one executor.
public final class HopMetrics: Sendable {
    public let sendingSeconds: MetricDurations
    public let sentBytes: MetricValues
    public let receivedBytes: MetricValues
    public let pending: MetricGauge

    init(registry: MetricsRegistry, labels: [(String, String)]) {
        sendingSeconds = registry.durationHistogram(MetricName.sendingRequestSeconds, labels)
        sentBytes = registry.byteHistogram(MetricName.sentRequestBytes, labels)
        receivedBytes = registry.byteHistogram(MetricName.receivedResponseBytes, labels)
        pending = registry.gauge(MetricName.executorPendingRequests, labels)
    }
}
