/// OpenTelemetry tracing of one process (gateway or executor), from Jina's keys `tracing`,
/// `traces_exporter_host`, `traces_exporter_port` and our `traces_sampling_ratio`.
public struct TracingSettings: Sendable, Equatable, Codable {
    /// Where spans go.
    public var collector: OTLPCollector
    /// The share of requests traced when no caller decided, 0 to 1; a request whose caller sent
    /// a sampled `traceparent` is always traced.
    public var samplingRatio: Double

    public init(host: String? = nil, port: Int? = nil, samplingRatio: Double = 1) {
        collector = OTLPCollector(host: host, port: port)
        self.samplingRatio = samplingRatio
    }

    public var host: String { collector.host }
    public var port: Int { collector.port }
    public var tls: Bool { collector.tls }
    public var endpoint: String { collector.endpoint }
    public var schemeHost: String { collector.schemeHost }

    /// Python Jina's worker flags for these settings (it has no sampling ratio: it follows the
    /// gateway's decision, carried in `traceparent`).
    public var jinaArguments: [String] {
        ["--tracing", "--traces-exporter-host", schemeHost, "--traces-exporter-port", String(port)]
    }

    /// A Python Jina executor's environment for these settings. Jina's worker has no sampling
    /// flag, but the OpenTelemetry SDK under it reads its sampler from `OTEL_TRACES_SAMPLER(_ARG)`,
    /// which a ratio below 1 sets (unless the environment already chose a sampler). Only for
    /// Python executors: swift-otel reads the same variables and would sample a second time.
    public func samplerEnvironment(_ base: [String: String]) -> [String: String] {
        guard samplingRatio != 1, base["OTEL_TRACES_SAMPLER"] == nil else { return base }
        var environment = base
        environment["OTEL_TRACES_SAMPLER"] = "parentbased_traceidratio"
        environment["OTEL_TRACES_SAMPLER_ARG"] = String(samplingRatio)
        return environment
    }

    /// The flags of our `jina executor`, `jina gateway` and SDK executors for these settings.
    public var arguments: [String] {
        jinaArguments + (samplingRatio != 1 ? ["--traces-sampling-ratio", String(samplingRatio)] : [])
    }

    /// The settings from a section's values; nil when `tracing` is off.
    static func from(_ values: SectionValues) -> TracingSettings? {
        guard values.bool("tracing") == true else { return nil }
        return TracingSettings(host: values.string("traces_exporter_host"), port: values.int("traces_exporter_port"),
                               samplingRatio: values.double("traces_sampling_ratio") ?? 1)
    }
}
