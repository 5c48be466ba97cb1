import ArgumentParser
import Foundation
import JinaCore
import JinaGateway
import JinaHub
import JinaObservability
import JinaOrchestrator

/// `jina flow`: validate a Flow YAML, or run the whole Flow on this machine.
struct FlowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flow",
        abstract: "Validate a Flow YAML, or run the Flow it describes.",
        discussion: """
            Without --validate, every executor starts as its own process (one per shard and \
            replica, on Unix sockets in a private run directory), then the gateway; once it \
            listens, standard output shows the banner with one `ready grpc://HOST:PORT` line per \
            protocol. A crashed executor is restarted. SIGINT/SIGTERM stop the Flow cleanly \
            (exit 0); a second one kills every executor at once (exit 128 + signal).

            With --validate, the Flow is checked and its resolved graph printed; nothing starts.
            Every problem is reported as FILE:LINE:COL: error: MESSAGE.

            \(ExitStatus.helpText)
            """
    )

    @Option(name: .long, help: ArgumentHelp("The Flow YAML file ('-' reads standard input).", valueName: "FILE"))
    var uses: String

    @Flag(name: .long, help: "Only validate the Flow and print its resolved graph.")
    var validate = false

    @Flag(name: .long, help: "Print the result (graph and problems) as one JSON object on stdout.")
    var json = false

    @OptionGroup(title: "Gateway security and limits")
    var gatewayOptions: GatewayOptions

    @Flag(name: .long, help: "Restart the Flow when its file changes and still validates, as `reload: true` under `with:` does.")
    var reload = false

    @Flag(name: .long, help: "Monitor every process, as `monitoring: true` under `with:` does.")
    var monitoring = false

    @Option(name: .customLong("port-monitoring"), help: ArgumentHelp("Port of the Flow's aggregated /metrics (every process's metrics, labelled; 0 = a free port).", valueName: "P"))
    var portMonitoring: Int?

    @Option(name: .customLong("python"), help: ArgumentHelp("Interpreter of Python executors (JINA_PYTHON wins; default: the first python3 on PATH). It must import jina 3.x.", valueName: "PATH"))
    var python: String?

    @OptionGroup(title: "Logging")
    var logging: LoggingOptions

    @Flag(name: .long, help: "Resolve every Hub reference (jinaai://…) at its registry and write the digests to flow.lock next to the Flow; with --validate, only that.")
    var lock = false

    @Flag(name: .long, help: "Never contact a Hub registry: Hub packages must be in the local cache (exit 1 naming the reference when one is not).")
    var offline = false

    @Flag(name: .customLong("hub-insecure"), help: "Speak plain HTTP to a Hub registry on this machine (also JINA_HUB_INSECURE=1).")
    var hubInsecure = false

    @Option(name: .customLong("executor-transport"), help: .hidden)
    var executorTransport: ExecutorTransport = .local

    @Option(name: .customLong("grpc-server"), help: .hidden)
    var grpcServer: GRPCServerKind = .frontDoor

    /// `--validate` with a flow.lock: every locked package must be in the cache, undamaged.
    static func checkLocked(_ flow: Flow, resolver: HubResolver, source: FlowSource) throws {
        let missing = try resolver.missingLocked(flow, flowDirectory: source.directory)
        guard !missing.isEmpty else { return }
        let items = missing.map { executor, message in
            Diagnostic.error(at: executor.marks.values["uses"] ?? executor.marks.entry, "executor `\(executor.name)`: \(message)",
                             hint: "pull it with `jina hub pull`, or start the Flow once online")
        }
        FileHandle.standardError.write(Data((DiagnosticRenderer.text(FlowDiagnostics(file: source.displayName, items: items)) + "\n").utf8))
        throw ExitCode(ExitStatus.invalidInput)
    }

    /// `--monitoring`: every process monitors.
    static func monitorAll(_ flow: inout Flow) {
        flow.gateway.monitoring = true
        for index in flow.executors.indices { flow.executors[index].monitoring = true }
    }

    func run() async throws {
        let source = try FlowSource.read(uses)
        let result = FlowLoader.load(
            text: source.text, file: source.displayName,
            environment: ProcessInfo.processInfo.environment, directory: source.directory
        )
        if json {
            print(FlowReport.json(result))
        } else {
            if !result.diagnostics.items.isEmpty {
                FileHandle.standardError.write(Data((DiagnosticRenderer.text(result.diagnostics) + "\n").utf8))
            }
            if let flow = result.flow, validate {
                print(FlowTree.render(flow))
            }
        }
        guard var flow = result.flow, !result.diagnostics.hasErrors else {
            throw ExitCode(ExitStatus.invalidInput)
        }
        gatewayOptions.apply(to: &flow.gateway)
        let resolver = HubResolver(
            hub: Hub(environment: ProcessInfo.processInfo.environment, insecure: hubInsecure, progress: HubRegistryOptions.stderrLine),
            offline: offline, writeLock: lock, report: HubRegistryOptions.stderrLine)
        if validate {
            if lock {
                _ = try await resolver.resolve(flow, flowDirectory: source.directory)
            } else {
                try Self.checkLocked(flow, resolver: resolver, source: source)
            }
        }
        if !validate {
            // Token sources and TLS files are checked before any executor starts.
            _ = try GatewaySecurity.load(flow.gateway, environment: ProcessInfo.processInfo.environment)
            if let portMonitoring, !(0...65535).contains(portMonitoring) {
                throw JinaError(.invalidInput, "--port-monitoring \(portMonitoring) is out of range 0-65535")
            }
            if monitoring { Self.monitorAll(&flow) }
            let settings = (logging: logging.configuration, portMonitoring: portMonitoring, transport: executorTransport,
                            server: grpcServer, python: python, uses: uses, monitoring: monitoring, gatewayOptions: gatewayOptions)
            let flowDirectory = source.directory
            let start: @Sendable (Flow) async throws -> Void = { flow in
                // Hub packages become local files first (pulled, or from the cache; flow.lock).
                let flow = try await resolver.resolve(flow, flowDirectory: flowDirectory)
                try await FlowLauncher.run(
                    flow: flow, flowFile: settings.uses == "-" ? nil : settings.uses, logging: settings.logging,
                    aggregatePort: settings.portMonitoring, executorTransport: settings.transport,
                    grpcServer: settings.server, python: settings.python)
            }
            // The gateway runs in this process: its spans and metrics are exported from here,
            // for the whole run (a reload keeps the settings the Flow started with).
            let exporter = try TelemetryExporter.bootstrap(
                tracing: flow.gateway.tracing, metrics: flow.gateway.metricsExport, serviceName: "gateway", instance: "gateway",
                logger: logging.configuration.logger(label: "gateway"))
            let started = flow
            guard reload || flow.settings.reload || flow.gateway.reload, uses != "-" else {
                try await exporter.run { try await start(started) }
                return
            }
            let loggingConfiguration = logging.configuration
            try await exporter.run {
            try await FlowReloader.run(flow: started, flowFile: settings.uses, logging: loggingConfiguration, load: {
                guard let source = try? FlowSource.read(settings.uses) else { return nil }
                let result = FlowLoader.load(text: source.text, file: source.displayName,
                                             environment: ProcessInfo.processInfo.environment, directory: source.directory)
                if !result.diagnostics.items.isEmpty {
                    FileHandle.standardError.write(Data((DiagnosticRenderer.text(result.diagnostics) + "\n").utf8))
                }
                guard var flow = result.flow, !result.diagnostics.hasErrors else { return nil }
                settings.gatewayOptions.apply(to: &flow.gateway)
                if settings.monitoring { Self.monitorAll(&flow) }
                return flow
            }, start: start)
            }
        }
    }
}
