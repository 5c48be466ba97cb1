public import JinaCore
public import JinaGateway
import JinaHTTPGateway
import JinaLifecycle
public import JinaObservability
import Logging
import ServiceLifecycle

/// `jina gateway`: a standalone gateway (in its own container, or in front of executors that run
/// elsewhere) as one process lifecycle — its telemetry exporters, its metrics endpoint, then the
/// gateway itself as services of one group (`ProcessLifecycle`). The first SIGTERM/SIGINT drains
/// the gateway, then stops the metrics and the exporters; a second one exits 1 at once.
public struct GatewayLauncher: Sendable {
    public var configuration: GatewayConfiguration
    public var logging: LoggingConfiguration
    public var tracing: TracingSettings?
    public var metricsExport: MetricsExportSettings?
    /// Serve Prometheus metrics on this port (0 = a free one); nil = none.
    public var monitoringPort: Int?
    /// How long the drain may take before what is left is cancelled.
    public var drainTimeout: Duration = .seconds(10)
    /// Exit status after a second signal.
    public var secondSignalStatus: Int32 = 1

    public init(configuration: GatewayConfiguration, logging: LoggingConfiguration) {
        self.configuration = configuration
        self.logging = logging
    }

    /// Runs until the gateway has drained; `onReady` gets each listener once all are bound.
    public func run(onReady: @escaping @Sendable (GatewayListener) -> Void) async throws {
        logging.bootstrap()
        let logger = logging.logger(label: "gateway")
        let exporter = try TelemetryExporter.bootstrap(
            tracing: tracing, metrics: metricsExport, serviceName: "gateway", instance: "gateway", logger: logger)
        var configuration = configuration
        var metricsServer: MetricsServer?
        if monitoringPort != nil || MetricsExport.current != nil {
            let registry = MetricsRegistry()
            registry.bootstrapSwiftMetrics()
            configuration.metrics = GatewayMetrics(registry: registry, executors: configuration.flow.executors.map(\.name))
            if let monitoringPort {
                metricsServer = MetricsServer(host: configuration.host, port: monitoringPort, registry: registry, logger: logger)
            }
        }
        let gateway = Gateway(configuration: configuration, logger: logger, frontend: HTTPFrontend())
        // In start order: exporters, metrics, the gateway; shut down in reverse.
        var services: [any Service] = exporter?.services ?? []
        if let metricsServer { services.append(MetricsService(server: metricsServer, logger: logger)) }
        let drainTimeout = self.drainTimeout
        services.append(ClosureService {
            try await gateway.run(drainTimeout: drainTimeout) { listeners in listeners.forEach(onReady) }
        })
        var lifecycle = ProcessLifecycle(services: services, logger: logger)
        lifecycle.secondSignal = .exit(secondSignalStatus)
        try await lifecycle.run()
    }
}

/// A metrics endpoint as a service: it stops once what it watches has drained.
struct MetricsService: Service {
    let server: MetricsServer
    let logger: Logger

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { [server, logger] in
                try await server.run { port in logger.info("metrics on http://\(server.host):\(port)/metrics") }
            }
        } catch let error as MetricsServerError {
            throw OrchestratorError(.runtime, "\(error)", hint: "choose another --port-monitoring (0 picks a free one)")
        }
    }
}
