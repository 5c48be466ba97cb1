public import JinaCore
public import Logging
import OTel
public import ServiceLifecycle

/// The OpenTelemetry exporters of a process (spans, metrics): they run beside the process's work
/// and, when that work ends, send what they still hold before the process exits.
public struct TelemetryExporter: Sendable {
    /// The exporters, to run in a process's `ServiceGroup` before the services they watch (so
    /// they shut down after them and send what those left).
    public let services: [any Service]
    let logger: Logger

    /// Starts this process's OpenTelemetry tracing and metrics as the settings say (either may be
    /// nil: off); the exporters of both, or nil when both are off.
    public static func bootstrap(
        tracing: TracingSettings?, metrics: MetricsExportSettings?, serviceName: String, instance: String, logger: Logger
    ) throws(TelemetryError) -> TelemetryExporter? {
        var exporter: TelemetryExporter?
        if let tracing {
            exporter = try RequestTracing.bootstrap(tracing, serviceName: serviceName, instance: instance, logger: logger)
        }
        if let metrics {
            exporter = combining(
                exporter, try MetricsExport.bootstrap(metrics, serviceName: serviceName, instance: instance, logger: logger))
        }
        return exporter
    }

    /// Both sets of exporters; nil when neither has any.
    public static func combining(_ first: TelemetryExporter?, _ second: TelemetryExporter?) -> TelemetryExporter? {
        guard let first else { return second }
        guard let second else { return first }
        return TelemetryExporter(services: first.services + second.services, logger: first.logger)
    }

    /// Runs `body` with the exporters working beside it; once `body` returns (or throws), what
    /// they still hold is flushed (bounded by the exporters' timeouts) and they stop.
    public func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        let group = ServiceGroup(configuration: .init(services: services, logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                let result = try await body()
                await group.triggerGracefulShutdown()
                do {
                    try await tasks.waitForAll()
                } catch {
                    // The work is done; a last export that fails costs spans, not the result.
                    logger.warning("OpenTelemetry exporters stopped with an error: \(error)")
                }
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }
}

extension OTel.Configuration {
    /// Every signal off, the resource named (`service.name`, `service.instance.id`), swift-otel's
    /// own problems (a collector that cannot be reached…) logged as warnings by `logger`; the
    /// caller switches on one signal.
    ///
    /// An export gives up after `exportTimeout` (OpenTelemetry's default is 30 s): the last flush
    /// runs while a process stops, and `jina flow` SIGKILLs an executor 5 s after SIGTERM, so
    /// with a collector that is down every stop took those 5 s and ended in a kill.
    static func jina(serviceName: String, instance: String, logger: Logger) -> OTel.Configuration {
        var configuration = OTel.Configuration.default
        configuration.traces.batchSpanProcessor.exportTimeout = exportTimeout
        configuration.traces.otlpExporter.timeout = exportTimeout
        configuration.metrics.exportTimeout = exportTimeout
        configuration.metrics.otlpExporter.timeout = exportTimeout
        configuration.serviceName = serviceName
        configuration.resourceAttributes["service.instance.id"] = instance
        configuration.diagnosticLogger = .custom(logger)
        configuration.diagnosticLogLevel = .warning
        configuration.traces.enabled = false
        configuration.metrics.enabled = false
        configuration.logs.enabled = false
        return configuration
    }

    /// How long one export may take (`OTEL_BSP_EXPORT_TIMEOUT`, `OTEL_EXPORTER_OTLP_TIMEOUT`
    /// override it).
    static let exportTimeout: Duration = .seconds(2)
}

/// Optionally runs `body` with exporters: beside them when there are any.
extension Optional where Wrapped == TelemetryExporter {
    public func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        switch self {
        case .some(let exporter): try await exporter.run(body)
        case .none: try await body()
        }
    }
}
