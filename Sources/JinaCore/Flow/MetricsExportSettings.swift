/// OpenTelemetry metrics of one process (gateway or executor), from Jina's keys `metrics`,
/// `metrics_exporter_host` and `metrics_exporter_port`: the instruments of the Prometheus
/// endpoint, exported over OTLP/gRPC as well (docs/monitoring.md).
public struct MetricsExportSettings: Sendable, Equatable, Codable {
    /// Where metrics go.
    public var collector: OTLPCollector

    public init(host: String? = nil, port: Int? = nil) {
        collector = OTLPCollector(host: host, port: port)
    }

    /// The flags of `jina executor` / `jina gateway` — ours and Python Jina's worker's alike
    /// (the host with its scheme written out, so Jina's exporter agrees on TLS).
    public var arguments: [String] {
        ["--metrics", "--metrics-exporter-host", collector.schemeHost, "--metrics-exporter-port", String(collector.port)]
    }

    /// The settings from a section's values; nil when `metrics` is off.
    static func from(_ values: SectionValues) -> MetricsExportSettings? {
        guard values.bool("metrics") == true else { return nil }
        return MetricsExportSettings(host: values.string("metrics_exporter_host"), port: values.int("metrics_exporter_port"))
    }
}
