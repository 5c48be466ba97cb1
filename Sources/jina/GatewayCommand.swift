import ArgumentParser
import Foundation
import JinaCore
import JinaGateway
import JinaHTTPGateway
import JinaObservability
import JinaOrchestrator
import Logging

/// `jina gateway`: the gateway alone, in front of executors started elsewhere (the form that
/// Kubernetes and docker-compose exports run).
extension ExecutorTransport: ExpressibleByArgument {}
extension GRPCServerKind: ExpressibleByArgument {}

struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Serve a Flow's gateway in front of executors started elsewhere.",
        discussion: """
            Routes requests through the Flow's graph (needs, when, polling, replicas, shards) to \
            executors that are already running. Every executor that is not `external` needs an \
            address; external ones use the host and port from the Flow YAML.

            --executor NAME=ADDR[,ADDR…] gives the replicas of NAME's shard 0; \
            --executor NAME/S=ADDR[,ADDR…] those of shard S; NAME/uses_before-0=ADDR and \
            NAME/uses_after-0=ADDR its head executors. Repeat the flag for more executors, \
            shards or replicas. ADDR is grpc://HOST:PORT, grpcs://HOST:PORT, unix:///PATH, or \
            dns://NAME:PORT (every address behind the name is a replica; looked up again every \
            30 s and when all fail).

            When it serves, one line per listener goes to standard output: \
            `ready grpc://HOST:PORT`. SIGTERM or SIGINT: stop accepting, answer the requests in \
            flight (at most 10 s), exit 0; a second signal exits at once.

            Serves every protocol of the Flow's gateway section (grpc, http, websocket; one \
            port each) over one graph and one set of executor connections. --token-env or \
            --token-file demand a bearer token on every protocol (health checks and GET / stay \
            open); --ssl-certfile and --ssl-keyfile turn on TLS for all of them (grpcs, https, \
            wss). A bad token source or certificate stops start-up with exit 2.

            \(ExitStatus.helpText)
            """
    )

    @Option(name: .long, help: ArgumentHelp("The Flow YAML file ('-' reads standard input).", valueName: "FILE"))
    var uses: String

    @Option(name: .long, help: ArgumentHelp("Where an executor's replicas listen (repeatable).", valueName: "NAME[/SHARD]=ADDR[,ADDR…]"))
    var executor: [String] = []

    @Option(name: .long, help: ArgumentHelp("Host to bind (default: the Flow's gateway host, 0.0.0.0).", valueName: "H"))
    var host: String?

    @Option(name: .long, help: ArgumentHelp("Port per protocol, in the Flow's protocol order (0 = a free port; repeatable).", valueName: "P"))
    var port: [Int] = []

    @Option(name: .customLong("dns-refresh"), help: ArgumentHelp("Seconds between lookups of the addresses behind dns:// executors (default 30; they are also looked up when every replica failed).", valueName: "S"))
    var dnsRefresh: Double?

    @OptionGroup(title: "Security and limits")
    var gatewayOptions: GatewayOptions

    @Option(name: .customLong("executor-transport"), help: .hidden)
    var executorTransport: ExecutorTransport = .local

    @Option(name: .customLong("grpc-server"), help: .hidden)
    var grpcServer: GRPCServerKind = .frontDoor

    @OptionGroup(title: "Monitoring")
    var monitoring: MonitoringOptions

    @OptionGroup(title: "OpenTelemetry")
    var telemetry: TelemetryOptions

    @OptionGroup(title: "Logging")
    var logging: LoggingOptions

    func run() async throws {
        let source = try FlowSource.read(uses)
        // No file checks: a gateway's container holds the Flow, not the executors' files.
        let result = FlowLoader.load(text: source.text, file: source.displayName, environment: ProcessInfo.processInfo.environment)
        if !result.diagnostics.items.isEmpty {
            FileHandle.standardError.write(Data((DiagnosticRenderer.text(result.diagnostics) + "\n").utf8))
        }
        guard var flow = result.flow, !result.diagnostics.hasErrors else {
            throw ExitCode(ExitStatus.invalidInput)
        }
        if let bad = port.first(where: { !(0...65535).contains($0) }) {
            throw JinaError(.invalidInput, "--port \(bad) is out of range 0-65535")
        }
        gatewayOptions.apply(to: &flow.gateway)
        let addresses = try ExecutorFlag.parse(executor, flow: flow)
        var configuration = GatewayConfiguration(flow: flow, addresses: addresses, host: host, ports: port.isEmpty ? nil : port)
        if let dnsRefresh {
            guard dnsRefresh.isFinite, dnsRefresh >= 0.1, dnsRefresh <= 86_400 else {
                throw JinaError(.invalidInput, "--dns-refresh \(dnsRefresh) is out of range 0.1-86400 seconds")
            }
            configuration.dnsRefreshInterval = .milliseconds(Int(dnsRefresh * 1000))
        }
        configuration.executorTransport = executorTransport
        configuration.grpcServer = grpcServer
        configuration.security = try GatewaySecurity.load(flow.gateway, environment: ProcessInfo.processInfo.environment)
        var launcher = GatewayLauncher(configuration: configuration, logging: logging.configuration)
        launcher.tracing = telemetry.tracingSettings ?? flow.gateway.tracing
        launcher.metricsExport = telemetry.metricsSettings ?? flow.gateway.metricsExport
        if monitoring.monitoring || monitoring.portMonitoring != nil || flow.gateway.monitoring {
            launcher.monitoringPort = monitoring.portMonitoring ?? flow.gateway.portMonitoring ?? 0
        }
        launcher.secondSignalStatus = ExitStatus.runtimeFailure
        try await launcher.run { listener in writeOut("ready \(listener)\n") }
    }
}

/// Writes straight to standard output: a ready line must not wait in a buffer.
private func writeOut(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}

/// `--executor NAME[/SHARD]=ADDR[,ADDR…]`, gathered into addresses per executor.
enum ExecutorFlag {
    static func parse(_ values: [String], flow: Flow) throws -> [String: DeploymentAddresses] {
        var shardsByName: [String: [Int: [ExecutorAddress]]] = [:]
        var heads: [String: [ExecutorAddress]] = [:]
        for value in values {
            guard let equals = value.firstIndex(of: "="), equals != value.startIndex else {
                throw JinaError(.invalidInput, "invalid --executor `\(value)`",
                                hint: "write NAME=ADDR[,ADDR…] or NAME/SHARD=ADDR[,ADDR…]")
            }
            var name = String(value[..<equals])
            var shard = 0
            // A head executor: NAME/uses_before-0, NAME/uses_after-0.
            if let slash = name.firstIndex(of: "/"), let role = HeadRole.allCases.first(where: { name[name.index(after: slash)...] == "\($0.rawValue)-0" }) {
                let owner = String(name[..<slash])
                guard let spec = flow.executor(named: owner), spec.hasHead(role) else {
                    throw JinaError(.invalidInput, "--executor \(name): the Flow's executor `\(owner)` has no \(role.rawValue) in effect",
                                    hint: "\(role.rawValue) needs shards > 1")
                }
                heads[name, default: []] += try value[value.index(after: equals)...].split(separator: ",").map { text in
                    try ExecutorAddress(parsing: String(text).trimmingCharacters(in: .whitespaces))
                }
                continue
            }
            if let slash = name.firstIndex(of: "/") {
                guard let number = Int(name[name.index(after: slash)...]), number >= 0 else {
                    throw JinaError(.invalidInput, "invalid shard in --executor `\(value)`", hint: "SHARD is a number from 0")
                }
                shard = number
                name = String(name[..<slash])
            }
            guard let spec = flow.executor(named: name) else {
                let names = flow.executors.map(\.name)
                let hint = DidYouMean.suggestion(for: name, among: names).map { "did you mean `\($0)`?" }
                    ?? "the Flow's executors: \(names.joined(separator: ", "))"
                throw JinaError(.invalidInput, "--executor \(name): the Flow has no executor `\(name)`", hint: hint)
            }
            guard shard < spec.shards else {
                throw JinaError(.invalidInput, "--executor \(name)/\(shard): `\(name)` has \(spec.shards) shard\(spec.shards == 1 ? "" : "s") (0…\(spec.shards - 1))")
            }
            let addresses = try value[value.index(after: equals)...].split(separator: ",").map { text in
                try ExecutorAddress(parsing: String(text).trimmingCharacters(in: .whitespaces))
            }
            guard !addresses.isEmpty else {
                throw JinaError(.invalidInput, "--executor `\(value)` gives no address")
            }
            shardsByName[name, default: [:]][shard, default: []].append(contentsOf: addresses)
        }
        var result: [String: DeploymentAddresses] = [:]
        for spec in flow.executors {
            guard let shards = shardsByName[spec.name] else {
                if spec.external { continue }
                throw JinaError(.invalidInput, "no address for executor `\(spec.name)`",
                                hint: "add --executor \(spec.name)=ADDR (grpc://HOST:PORT, unix:///PATH or dns://NAME:PORT)")
            }
            let missing = (0..<spec.shards).filter { shards[$0] == nil }
            if !missing.isEmpty {
                throw JinaError(.invalidInput, "executor `\(spec.name)` has \(spec.shards) shards but no address for shard \(missing.map(String.init).joined(separator: ", "))",
                                hint: "add --executor \(spec.name)/\(missing[0])=ADDR")
            }
            result[spec.name] = DeploymentAddresses(shards: (0..<spec.shards).map { shards[$0]! })
        }
        for (name, addresses) in heads { result[name] = DeploymentAddresses(replicas: addresses) }
        return result
    }
}
