#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
public import JinaCore
public import JinaObservability
public import JinaGateway
import Logging

/// What `jina flow --uses FILE` does once the Flow is valid: everything in one call, so the
/// command stays a thin layer over this module.
public enum FlowLauncher {
    /// Runs `flow` until SIGINT/SIGTERM. `flowFile` is the path as the user typed it (nil for
    /// standard input): relative `uses` paths start at its folder (else the working directory).
    /// Throws `OrchestratorError` when the Flow cannot start; returns after a clean stop.
    public static func run(flow: Flow, flowFile: String?) async throws {
        try await run(flow: flow, flowFile: flowFile, logging: LoggingConfiguration.fromEnvironment(environment()),
                      aggregatePort: nil)
    }

    /// As `run(flow:flowFile:)`, logging as `logging` says (the executors too). Metrics: the
    /// gateway's and executors' `monitoring` keys; when any process monitors (or
    /// `aggregatePort` is given) the Flow's aggregated `/metrics` is served on `aggregatePort`
    /// (nil or 0 = a free port).
    /// `executorTransport` is how the gateway reaches the executors (the local wire by default);
    /// `grpcServer` what serves its gRPC port.
    public static func run(
        flow: Flow, flowFile: String?, logging: LoggingConfiguration, aggregatePort: Int?,
        executorTransport: ExecutorTransport = .local, grpcServer: GRPCServerKind = .frontDoor,
        python: String? = nil
    ) async throws {
        logging.bootstrap()
        let logger = logging.logger(label: "flow")
        // Again here: Hub packages resolved since loading can name executor YAMLs of their own.
        let flow = try ExecutorFileDefaults.apply(to: flow, flowDirectory: directory(of: flowFile))
        var frontDoor = JinaGatewayFrontDoor(flow: flow, logger: logger)
        frontDoor.executorTransport = executorTransport
        frontDoor.grpcServer = grpcServer
        var options = FlowRunner.Options()
        options.logging = logging
        options.python = python
        let monitored = flow.gateway.monitoring || flow.executors.contains { $0.monitoring && !$0.external }
        if monitored || aggregatePort != nil {
            let registry = MetricsRegistry()
            registry.bootstrapSwiftMetrics()
            if flow.gateway.monitoring || MetricsExport.current != nil {
                frontDoor.metrics = GatewayMetrics(registry: registry, executors: flow.executors.map(\.name))
            }
            options.monitoring = FlowMonitoring(
                registry: registry, host: flow.gateway.host,
                gatewayPort: flow.gateway.monitoring ? flow.gateway.portMonitoring ?? 0 : nil,
                aggregatePort: aggregatePort ?? 0)
        } else if MetricsExport.current != nil {
            // OpenTelemetry metrics without /metrics: the gateway's handles, exported only.
            frontDoor.metrics = GatewayMetrics(registry: MetricsRegistry(), executors: flow.executors.map(\.name))
        }
        try await FlowRunner.run(
            flow: flow, flowDirectory: directory(of: flowFile), executablePath: ExecutablePath.selfLink,
            gateway: frontDoor, logger: logger, options: options)
    }

    private static func environment() -> [String: String] {
        getenv("JINA_LOG_LEVEL").map { ["JINA_LOG_LEVEL": String(cString: $0)] } ?? [:]
    }

    /// The absolute folder of `file` (the working directory for nil).
    public static func directory(of file: String?) -> String {
        var cwd = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let workingDirectory = getcwd(&cwd, cwd.count).map { _ in
            String(decoding: cwd.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        } ?? "."
        guard let file else { return workingDirectory }
        let absolute = file.hasPrefix("/") ? file : workingDirectory + "/" + file
        guard let slash = absolute.lastIndex(of: "/") else { return workingDirectory }
        let folder = String(absolute[..<slash])
        return folder.isEmpty ? "/" : folder
    }
}
