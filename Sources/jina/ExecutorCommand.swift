import ArgumentParser
import JinaCore
import JinaExecutors
import JinaRuntime

/// `jina executor`: serve one built-in executor over Jina's gRPC protocol, or list them.
struct ExecutorCommand: AsyncParsableCommand {
    /// The flags are `ExecutorInvocation`'s, the command line `jina flow` and `jina export` write.
    private typealias Spelling = ExecutorInvocation.Flag

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

    @Option(name: .customLong(Spelling.uses.long), help: ArgumentHelp("The built-in executor to serve (see --list).", valueName: "NAME"))
    var uses: String?

    @Option(name: .customLong(Spelling.usesWith.long), help: ArgumentHelp("The executor's configuration, a JSON object.", valueName: "JSON"))
    var usesWith: String?

    @Option(name: .customLong(Spelling.usesDynamicBatching.long), help: ArgumentHelp(
        "Dynamic batching per endpoint or handler name, a JSON object (Flow YAML's uses_dynamic_batching).",
        valueName: "JSON"))
    var usesDynamicBatching: String?

    @Option(name: .customLong(Spelling.exitOnExceptions.long), help: ArgumentHelp(
        "Error type names (comma-separated) on which the process exits (status 1) instead of replying.",
        valueName: "NAMES"))
    var exitOnExceptions: String?

    @Option(name: .customLong(Spelling.name.long), help: ArgumentHelp("The executor's name in its Flow (default: executor).", valueName: "N"))
    var name: String?

    @Option(name: .customLong(Spelling.replicaID.long), help: ArgumentHelp("The replica number.", valueName: "R"))
    var replicaID: Int?

    @Option(name: .customLong(Spelling.shardID.long), help: ArgumentHelp("The shard number.", valueName: "S"))
    var shardID: Int?

    @Option(name: .customLong(Spelling.workspace.long), help: ArgumentHelp("Parent directory of the executor's workspace.", valueName: "DIR"))
    var workspace: String?

    @Option(name: .customLong(Spelling.socket.long), help: ArgumentHelp("Listen on this Unix socket.", valueName: "PATH"))
    var socket: String?

    @Option(name: .customLong(Spelling.port.long), help: ArgumentHelp("Listen on this TCP port (0 picks a free one).", valueName: "P"))
    var port: Int?

    @Option(name: .customLong(Spelling.host.long), help: ArgumentHelp("The TCP host to bind, with --port (default: 0.0.0.0).", valueName: "H"))
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
        var invocation = ExecutorInvocation(uses: uses)
        invocation.usesWith = usesWith
        invocation.dynamicBatching = usesDynamicBatching
        invocation.exitOnExceptions = ExecutorInvocation.names(exitOnExceptions)
        invocation.name = name
        invocation.replicaID = replicaID
        invocation.shardID = shardID
        invocation.workspace = workspace
        invocation.listen = try ExecutorInvocation.listen(socket: socket, port: port, host: host)
        invocation.monitoring = monitoring.monitoring
        invocation.portMonitoring = monitoring.portMonitoring
        var options = try ExecutorOptions(invocation)
        options.tracing = telemetry.tracingSettings
        options.metricsExport = telemetry.metricsSettings
        options.logging = logging.configuration
        try await ExecutorMain.serve(factory, options: options)
    }
}
