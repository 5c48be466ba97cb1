/// OpenTelemetry tracing of one process (gateway or executor), from Jina's keys `tracing`,
/// `traces_exporter_host`, `traces_exporter_port` and our `traces_sampling_ratio`.
///
/// Spans go to an OTLP/gRPC collector. Where Jina's exporter turns a host without a scheme into
/// a TLS connection (and `tracing: true` without a host into the endpoint `None:None`), the host's
/// scheme decides here: `https://` is TLS, `http://` or none is plain; no host is OpenTelemetry's
/// default collector, `localhost:4317`.
public struct TracingSettings: Sendable, Equatable, Codable {
    /// The collector's host as written, without its scheme.
    public var host: String
    public var port: Int
    /// Whether the collector is reached over TLS (`https://` host).
    public var tls: Bool
    /// The share of requests traced, 0 to 1; a request whose caller traced it is always traced
    /// (parent-based sampling).
    public var samplingRatio: Double

    public static let defaultHost = "localhost"
    public static let defaultPort = 4317

    public init(host: String? = nil, port: Int? = nil, samplingRatio: Double = 1) {
        var host = host ?? Self.defaultHost
        tls = false
        if host.hasPrefix("https://") {
            host.removeFirst("https://".count)
            tls = true
        } else if host.hasPrefix("http://") {
            host.removeFirst("http://".count)
        }
        while host.hasSuffix("/") { host.removeLast() }
        self.host = host.isEmpty ? Self.defaultHost : host
        self.port = port ?? Self.defaultPort
        self.samplingRatio = samplingRatio
    }

    /// The collector as an OTLP endpoint URL (`http://localhost:4317`).
    public var endpoint: String {
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(tls ? "https" : "http")://\(bracketed):\(port)"
    }

    /// The host as Jina's worker must get it so that its exporter agrees on TLS (it reads a
    /// plain connection only from an `http://` scheme).
    public var schemeHost: String { "\(tls ? "https" : "http")://\(host)" }

    /// Python Jina's worker flags for these settings (it has no sampling ratio: it follows the
    /// gateway's decision, carried in `traceparent`).
    public var jinaArguments: [String] {
        ["--tracing", "--traces-exporter-host", schemeHost, "--traces-exporter-port", String(port)]
    }

    /// An executor's environment for these settings. Python Jina's worker has no sampling flag,
    /// but the OpenTelemetry SDK under it reads its sampler from `OTEL_TRACES_SAMPLER(_ARG)`,
    /// which a ratio below 1 sets (unless the environment already chose a sampler); `jina flow`
    /// sets them for Python executors, an export for every traced executor (swift-otel reads
    /// the same variables, to the same effect).
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
