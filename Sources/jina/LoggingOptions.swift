import ArgumentParser
import Foundation
import JinaCore
import JinaObservability
import Logging

/// `--log-format`, `--log-level`, `--quiet`: the logging flags of `jina flow`, `jina gateway`
/// and `jina executor`.
struct LoggingOptions: ParsableArguments {
    @Option(name: .customLong("log-format"), help: ArgumentHelp("Log lines as text, or json (one object per line).", valueName: "text|json"))
    var format: String = LogFormat.text.rawValue

    @Option(name: .customLong("log-level"), help: ArgumentHelp("The lowest level logged: debug, info, warning, error, critical (default: JINA_LOG_LEVEL, else info).", valueName: "LEVEL"))
    var level: String?

    @Flag(name: .long, help: "Log errors only.")
    var quiet = false

    func validate() throws {
        guard LogFormat(rawValue: format) != nil else {
            throw ValidationError("--log-format must be text or json, not \(format)")
        }
        if let level, LoggingConfiguration.parseLevel(level) == nil {
            throw ValidationError("--log-level must be debug, info, warning, error or critical, not \(level)")
        }
    }

    /// The configuration these flags give (level from `JINA_LOG_LEVEL` when not set).
    var configuration: LoggingConfiguration {
        var configuration = LoggingConfiguration.fromEnvironment(ProcessInfo.processInfo.environment)
        configuration.format = LogFormat(rawValue: format) ?? .text
        if let level, let parsed = LoggingConfiguration.parseLevel(level) { configuration.level = parsed }
        configuration.quiet = quiet
        return configuration
    }
}

/// The OpenTelemetry flags of `jina gateway` and `jina executor`: Jina's tracing and metrics
/// flags, plus the sampling ratio.
struct TelemetryOptions: ParsableArguments {
    @Flag(name: .long, help: "Send OpenTelemetry spans to an OTLP/gRPC collector.")
    var tracing = false

    @Option(name: .customLong("traces-exporter-host"), help: ArgumentHelp("The collector's host (https:// for TLS; default localhost).", valueName: "H"))
    var tracesExporterHost: String?

    @Option(name: .customLong("traces-exporter-port"), help: ArgumentHelp("The collector's port (default 4317).", valueName: "P"))
    var tracesExporterPort: Int?

    @Option(name: .customLong("traces-sampling-ratio"), help: ArgumentHelp("Share of requests traced without a traced caller (0-1, default 1).", valueName: "R"))
    var tracesSamplingRatio: Double?

    @Flag(name: .long, help: "Send the Prometheus endpoint's metrics to an OTLP/gRPC collector too.")
    var metrics = false

    @Option(name: .customLong("metrics-exporter-host"), help: ArgumentHelp("The metrics collector's host (https:// for TLS; default localhost).", valueName: "H"))
    var metricsExporterHost: String?

    @Option(name: .customLong("metrics-exporter-port"), help: ArgumentHelp("The metrics collector's port (default 4317).", valueName: "P"))
    var metricsExporterPort: Int?

    func validate() throws {
        if let metricsExporterPort, !(1...65535).contains(metricsExporterPort) {
            throw ValidationError("--metrics-exporter-port \(metricsExporterPort) is out of range 1-65535")
        }
        if let tracesExporterPort, !(1...65535).contains(tracesExporterPort) {
            throw ValidationError("--traces-exporter-port \(tracesExporterPort) is out of range 1-65535")
        }
        if let tracesSamplingRatio, !(0...1).contains(tracesSamplingRatio) {
            throw ValidationError("--traces-sampling-ratio \(tracesSamplingRatio) is outside 0-1")
        }
    }

    /// The metrics export these flags give; nil without `--metrics`.
    var metricsSettings: MetricsExportSettings? {
        metrics ? MetricsExportSettings(host: metricsExporterHost, port: metricsExporterPort) : nil
    }

    /// The tracing these flags give; nil without `--tracing`.
    var tracingSettings: TracingSettings? {
        tracing ? TracingSettings(host: tracesExporterHost, port: tracesExporterPort, samplingRatio: tracesSamplingRatio ?? 1) : nil
    }
}

/// `--monitoring` and `--port-monitoring`: the metrics flags of `jina gateway` and `jina executor`.
struct MonitoringOptions: ParsableArguments {
    @Flag(name: .long, help: "Serve Prometheus metrics (GET /metrics).")
    var monitoring = false

    @Option(name: .customLong("port-monitoring"), help: ArgumentHelp("Port of the metrics endpoint (0 = a free port; implies --monitoring).", valueName: "P"))
    var portMonitoring: Int?

    func validate() throws {
        if let portMonitoring, !(0...65535).contains(portMonitoring) {
            throw ValidationError("--port-monitoring \(portMonitoring) is out of range 0-65535")
        }
    }
}
