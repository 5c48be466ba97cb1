import CoreMetrics
public import Prometheus
import Synchronization

/// The metrics of one process: a Prometheus registry for the `jina_*` metrics, plus the
/// `process_*` metrics read from `/proc` when scraped. `exposition()` is what `/metrics` serves.
///
/// Metric handles are made once (at start-up, per executor, per endpoint) and then only
/// incremented: the request path takes no label dictionaries and no registry lock.
public final class MetricsRegistry: Sendable {
    /// The registry behind the `jina_*` metrics (and whatever swift-metrics users record, once
    /// `bootstrapSwiftMetrics()` ran).
    public let prometheus: PrometheusCollectorRegistry

    public init() {
        prometheus = PrometheusCollectorRegistry()
    }

    /// The Prometheus text exposition (format 0.0.4) of every metric, `process_*` included.
    public func exposition() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16 * 1024)
        prometheus.emit(into: &buffer)
        buffer.append(contentsOf: ProcessMetrics.read().exposition.utf8)
        return buffer
    }

    /// Routes swift-metrics' global `Counter`/`Timer`/`Recorder` (e.g. in a custom executor) to
    /// this registry. Only the first call in a process has an effect (swift-metrics allows one
    /// bootstrap).
    public func bootstrapSwiftMetrics() {
        let first = Self.bootstrapped.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        var factory = PrometheusMetricsFactory(registry: prometheus)
        factory.defaultDurationHistogramBuckets = MetricName.durationBuckets
        MetricsSystem.bootstrap(factory)
    }

    private static let bootstrapped = Mutex(false)

    // MARK: handles

    public func counter(_ name: String, _ labels: [(String, String)]) -> Prometheus.Counter {
        prometheus.makeCounter(descriptor: Self.descriptor(name), labels: labels)
    }

    public func gauge(_ name: String, _ labels: [(String, String)]) -> Prometheus.Gauge {
        prometheus.makeGauge(descriptor: Self.descriptor(name), labels: labels)
    }

    public func durationHistogram(_ name: String, _ labels: [(String, String)]) -> DurationHistogram {
        prometheus.makeDurationHistogram(descriptor: Self.descriptor(name), labels: labels, buckets: MetricName.durationBuckets)
    }

    public func byteHistogram(_ name: String, _ labels: [(String, String)]) -> ValueHistogram {
        prometheus.makeValueHistogram(descriptor: Self.descriptor(name), labels: labels, buckets: MetricName.byteBuckets)
    }

    public func documentHistogram(_ name: String, _ labels: [(String, String)]) -> ValueHistogram {
        prometheus.makeValueHistogram(descriptor: Self.descriptor(name), labels: labels, buckets: MetricName.documentBuckets)
    }

    /// swift-prometheus builds a name from parts joined by `_`: the last part is the unit.
    static func descriptor(_ name: String) -> MetricNameDescriptor {
        let split = name.lastIndex(of: "_") ?? name.endIndex
        let base = String(name[..<split])
        let unit = split == name.endIndex ? "" : String(name[name.index(after: split)...])
        return MetricNameDescriptor(metricName: base, unitName: unit, helpText: MetricName.help[name] ?? "")
    }
}
