public import CoreMetrics
public import Prometheus
import Synchronization

/// The metrics of one process: a Prometheus registry for the `jina_*` metrics, plus the
/// `process_*` metrics read from `/proc` when scraped. `exposition()` is what `/metrics` serves.
///
/// Metric handles are made once (at start-up, per executor, per endpoint) and then only
/// incremented: the request path takes no label dictionaries and no registry lock. With
/// OpenTelemetry metrics on (`MetricsExport`), each handle also records into an instrument of
/// the same name and labels for the OTLP exporter.
public final class MetricsRegistry: Sendable {
    /// The registry behind the `jina_*` metrics (and whatever swift-metrics users record, once
    /// `bootstrapSwiftMetrics()` ran).
    public let prometheus: PrometheusCollectorRegistry
    /// The OTLP metrics factory the handles mirror into; nil when OpenTelemetry metrics are off.
    let otel: (any MetricsFactory)?

    public init(otel: (any MetricsFactory)? = MetricsExport.current) {
        prometheus = PrometheusCollectorRegistry()
        self.otel = otel
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

    public func counter(_ name: String, _ labels: [(String, String)]) -> MetricCounter {
        MetricCounter(
            prometheus: prometheus.makeCounter(descriptor: Self.descriptor(name), labels: labels),
            otel: otel.map { CoreMetrics.Counter(label: MetricName.instrumentName(name), dimensions: labels, factory: $0) })
    }

    public func gauge(_ name: String, _ labels: [(String, String)]) -> MetricGauge {
        MetricGauge(
            prometheus: prometheus.makeGauge(descriptor: Self.descriptor(name), labels: labels),
            otel: otel.map { Meter(label: name, dimensions: labels, factory: $0) })
    }

    public func durationHistogram(_ name: String, _ labels: [(String, String)]) -> MetricDurations {
        MetricDurations(
            prometheus: prometheus.makeDurationHistogram(
                descriptor: Self.descriptor(name), labels: labels, buckets: MetricName.durationBuckets),
            otel: otel.map { CoreMetrics.Timer(label: name, dimensions: labels, factory: $0) })
    }

    public func byteHistogram(_ name: String, _ labels: [(String, String)]) -> MetricValues {
        MetricValues(
            prometheus: prometheus.makeValueHistogram(descriptor: Self.descriptor(name), labels: labels, buckets: MetricName.byteBuckets),
            otel: otel.map { Recorder(label: name, dimensions: labels, aggregate: true, factory: $0) })
    }

    public func documentHistogram(_ name: String, _ labels: [(String, String)]) -> MetricValues {
        MetricValues(
            prometheus: prometheus.makeValueHistogram(descriptor: Self.descriptor(name), labels: labels, buckets: MetricName.documentBuckets),
            otel: otel.map { Recorder(label: name, dimensions: labels, aggregate: true, factory: $0) })
    }

    /// swift-prometheus builds a name from parts joined by `_`: the last part is the unit.
    static func descriptor(_ name: String) -> MetricNameDescriptor {
        let split = name.lastIndex(of: "_") ?? name.endIndex
        let base = String(name[..<split])
        let unit = split == name.endIndex ? "" : String(name[name.index(after: split)...])
        return MetricNameDescriptor(metricName: base, unitName: unit, helpText: MetricName.help[name] ?? "")
    }
}
