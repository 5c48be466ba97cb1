public import CoreMetrics
public import JinaCore
public import Logging
import OTel
import Synchronization

/// OpenTelemetry metrics of one process (docs/monitoring.md): swift-otel's OTLP/gRPC metrics
/// backend, fed by the same instruments as the Prometheus endpoint. Once `bootstrap` ran, every
/// `MetricsRegistry` made in the process mirrors its handles into it (`current`).
public enum MetricsExport {
    private static let factory = Mutex<(any MetricsFactory)?>(nil)

    /// The OTLP metrics factory of this process; nil while OpenTelemetry metrics are off.
    public static var current: (any MetricsFactory)? { factory.withLock { $0 } }

    /// Makes the OTLP metrics backend of this process, exporting every 60 s (Jina's interval;
    /// `OTEL_METRIC_EXPORT_INTERVAL` changes it) and once more when the process stops, with
    /// `serviceName` as the resource's `service.name` and `instance` as its
    /// `service.instance.id`. Only the first call in a process takes effect.
    public static func bootstrap(
        _ settings: MetricsExportSettings, serviceName: String, instance: String, logger: Logger
    ) throws(TelemetryError) -> TelemetryExporter? {
        var configuration = OTel.Configuration.jina(serviceName: serviceName, instance: instance, logger: logger)
        configuration.metrics.enabled = true
        configuration.metrics.exporter = .otlp
        configuration.metrics.otlpExporter.protocol = .grpc
        configuration.metrics.otlpExporter.endpoint = settings.collector.endpoint
        // The Prometheus endpoint's buckets.
        configuration.metrics.defaultDurationHistogramBuckets = MetricName.durationBuckets
        for name in MetricName.byteHistograms { configuration.metrics.valueHistogramBuckets[name] = MetricName.byteBuckets }
        configuration.metrics.valueHistogramBuckets[MetricName.batchSize] = MetricName.documentBuckets
        return try factory.withLock { current throws(TelemetryError) -> TelemetryExporter? in
            guard current == nil else { return nil }
            do {
                let backend = try OTel.makeMetricsBackend(configuration: configuration)
                current = backend.factory
                return TelemetryExporter(services: [backend.service], logger: logger)
            } catch {
                throw TelemetryError(
                    hint: "check metrics_exporter_host and metrics_exporter_port",
                    "the OpenTelemetry metrics exporter for \(settings.collector.endpoint) could not be made: \(error)")
            }
        }
    }
}
