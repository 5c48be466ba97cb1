import ArgumentParser
import JinaCore
import JinaExecutors
import JinaRuntime

/// `jina executor`: serve one built-in executor over Jina's gRPC protocol, or list them.
struct ExecutorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "executor",
        abstract: "Serve one executor on a Unix socket or a TCP port.",
        discussion: """
            Serves a built-in executor (see --list) over Jina's gRPC protocol: process_single_data, \
            process_data, the Call stream, endpoint_discovery, _status and gRPC health. When it \
            accepts requests it prints one line on standard output: `ready unix://PATH` or \
            `ready grpc://HOST:PORT` (with the real port when --port 0 was given). SIGTERM or SIGINT \
            stop it after the requests in flight are answered.

            \(ExitStatus.helpText)
            """
    )

    @Option(name: .long, help: ArgumentHelp("The built-in executor to serve (see --list).", valueName: "NAME"))
    var uses: String?

    @Option(name: .customLong("uses-with"), help: ArgumentHelp("The executor's configuration, a JSON object.", valueName: "JSON"))
    var usesWith: String?

    @Option(name: .customLong("uses-dynamic-batching"), help: ArgumentHelp(
        "Dynamic batching per endpoint or handler name, a JSON object (Flow YAML's uses_dynamic_batching).",
        valueName: "JSON"))
    var usesDynamicBatching: String?

    @Option(name: .customLong("exit-on-exceptions"), help: ArgumentHelp(
        "Error type names (comma-separated) on which the process exits (status 1) instead of replying.",
        valueName: "NAMES"))
    var exitOnExceptions: String?

    @Option(name: .long, help: ArgumentHelp("The executor's name in its Flow (default: executor).", valueName: "N"))
    var name: String?

    @Option(name: .customLong("replica-id"), help: ArgumentHelp("The replica number.", valueName: "R"))
    var replicaID: Int?

    @Option(name: .customLong("shard-id"), help: ArgumentHelp("The shard number.", valueName: "S"))
    var shardID: Int?

    @Option(name: .long, help: ArgumentHelp("Parent directory of the executor's workspace.", valueName: "DIR"))
    var workspace: String?

    @Option(name: .long, help: ArgumentHelp("Listen on this Unix socket.", valueName: "PATH"))
    var socket: String?

    @Option(name: .long, help: ArgumentHelp("Listen on this TCP port (0 picks a free one).", valueName: "P"))
    var port: Int?

    @Option(name: .long, help: ArgumentHelp("The TCP host to bind, with --port (default: 0.0.0.0).", valueName: "H"))
    var host: String?

    @Flag(name: .long, help: "List the built-in executors with their parameters, and exit.")
    var list = false

    @OptionGroup(title: "Monitoring")
    var monitoring: MonitoringOptions

    @OptionGroup(title: "OpenTelemetry")
    var telemetry: TelemetryOptions

    @OptionGroup(title: "Logging")
    var logging: LoggingOptions

    func run() async throws {
        if list {
            print(BuiltinExecutors.listing())
            return
        }
        guard let uses else {
            throw JinaError(.invalidInput, "missing --uses NAME", hint: "`jina executor --list` shows the built-in executors")
        }
        if uses.contains("/") {
            throw JinaError(
                .invalidInput, "--uses takes the name of a built-in executor, not a path: \(uses)",
                hint: "a custom executor program takes the same flags itself: \(uses) --port 0")
        }
        let factory = try BuiltinExecutors.factory(named: uses)
        var options = try ExecutorOptions(
            usesWith: usesWith, name: name, replicaID: replicaID, shardID: shardID, workspace: workspace,
            socket: socket, port: port, host: host)
        try options.setDynamicBatching(usesDynamicBatching)
        options.exitOnExceptions = ExecutorOptions.names(exitOnExceptions)
        try options.setMonitoring(enabled: monitoring.monitoring, port: monitoring.portMonitoring)
        options.tracing = telemetry.tracingSettings
        options.metricsExport = telemetry.metricsSettings
        options.logging = logging.configuration
        try await ExecutorMain.serve(factory, options: options)
    }
}
