#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
public import JinaCore
public import JinaObservability
import Logging

/// The flags every executor process takes, the same for `jina executor` and for a custom
/// executor program (`ExecutorMain`), so a Flow starts both alike:
///
///     [--uses-with JSON] [--name N] [--replica-id R] [--shard-id S] [--workspace DIR]
///     (--socket PATH | --port P [--host H])
package struct ExecutorOptions: Sendable, Equatable {
    /// `uses_with`: the executor's configuration, a JSON object.
    package var usesWith: JSONValue?
    /// `exit_on_exceptions` (`--exit-on-exceptions A,B`): error type names on which the process
    /// exits (status 1) instead of replying, to be restarted by its supervisor.
    package var exitOnExceptions: Set<String> = []
    /// `uses_dynamic_batching` (`--uses-dynamic-batching JSON`): per endpoint or handler name.
    package var dynamicBatching: [String: DynamicBatchingSettings] = [:]
    /// The executor's name in its Flow (`executor` when not given, as Jina).
    package var name: String = "executor"
    package var replicaID: Int?
    package var shardID: Int?
    /// The parent directory of the executor's workspace.
    package var workspace: String?
    /// Where to listen.
    package var address: ServerAddress
    /// Where to serve Prometheus metrics (`--monitoring [--port-monitoring P]`); nil = none.
    package var monitoring: MonitoringEndpoint?
    /// OpenTelemetry tracing (`--tracing`, `--traces-exporter-host`, `--traces-exporter-port`,
    /// `--traces-sampling-ratio`); nil = off.
    package var tracing: TracingSettings?
    /// OpenTelemetry metrics (`--metrics`, `--metrics-exporter-host`, `--metrics-exporter-port`); nil = off.
    package var metricsExport: MetricsExportSettings?
    /// Log format, level and quiet (`--log-format`, `--log-level`, `--quiet`).
    package var logging: LoggingConfiguration = .fromEnvironment(Self.environment)

    package init(
        usesWith: JSONValue? = nil, name: String = "executor", replicaID: Int? = nil, shardID: Int? = nil,
        workspace: String? = nil, address: ServerAddress
    ) {
        self.usesWith = usesWith
        self.name = name
        self.replicaID = replicaID
        self.shardID = shardID
        self.workspace = workspace
        self.address = address
    }

    /// The host a TCP executor listens on when `--host` is not given (all interfaces, as Jina).
    package static let defaultHost = "0.0.0.0"

    /// Checks and combines the raw flag values. Exactly one of `socket` and `port` must be
    /// given; `host` only with `port`; `usesWith` must be a JSON object.
    package init(
        usesWith: String?, name: String?, replicaID: Int?, shardID: Int?, workspace: String?,
        socket: String?, port: Int?, host: String?
    ) throws(ExecutorError) {
        switch (socket, port) {
        case (let path?, nil):
            if host != nil {
                throw ExecutorError(.invalidInput, "--host goes with --port, not with --socket")
            }
            address = .unix(path: path)
        case (nil, let port?):
            guard (0...65535).contains(port) else {
                throw ExecutorError(.invalidInput, "--port \(port) is out of range 0-65535", hint: "--port 0 picks a free port")
            }
            address = .tcp(host: host ?? Self.defaultHost, port: port)
        case (_?, _?):
            throw ExecutorError(.invalidInput, "give either --socket or --port, not both")
        case (nil, nil):
            throw ExecutorError(
                .invalidInput, "say where to listen: --socket PATH or --port P [--host H]",
                hint: "--port 0 picks a free port")
        }
        if let usesWith {
            let parsed: JSONValue
            do {
                parsed = try JSONValue(parsing: usesWith)
            } catch {
                throw ExecutorError(.invalidInput, "--uses-with is not valid JSON: \(error.message)")
            }
            guard parsed == .null || parsed.objectValue != nil else {
                throw ExecutorError(.invalidInput, "--uses-with must be a JSON object, e.g. '{\"text\": \"!\"}'")
            }
            self.usesWith = parsed
        }
        if let name {
            guard !name.isEmpty else { throw ExecutorError(.invalidInput, "--name must not be empty") }
            self.name = name
        }
        for (flag, value) in [("--replica-id", replicaID), ("--shard-id", shardID)] {
            if let value, value < 0 { throw ExecutorError(.invalidInput, "\(flag) must not be negative") }
        }
        self.replicaID = replicaID
        self.shardID = shardID
        self.workspace = workspace
    }

    /// The names of a comma-separated list (`--exit-on-exceptions A,B`), blanks dropped.
    package static func names(_ text: String?) -> Set<String> {
        Set(ExecutorInvocation.names(text))
    }

    /// Checks and types a parsed command line (`ExecutorInvocation`), `--uses` aside.
    package init(_ invocation: ExecutorInvocation) throws(ExecutorError) {
        let port: Int?
        let host: String?
        let socket: String?
        switch invocation.listen {
        case .socket(let path): (socket, host, port) = (path, nil, nil)
        case .tcp(let tcpHost, let tcpPort): (socket, host, port) = (nil, tcpHost, tcpPort)
        case nil: (socket, host, port) = (nil, nil, nil)
        }
        try self.init(usesWith: invocation.usesWith, name: invocation.name, replicaID: invocation.replicaID,
                      shardID: invocation.shardID, workspace: invocation.workspace, socket: socket, port: port, host: host)
        try setDynamicBatching(invocation.dynamicBatching)
        exitOnExceptions = Set(invocation.exitOnExceptions)
        try setMonitoring(enabled: invocation.monitoring, port: invocation.portMonitoring)
        try setTracing(enabled: invocation.tracing, host: invocation.tracesExporterHost,
                       port: invocation.tracesExporterPort, samplingRatio: invocation.tracesSamplingRatio)
        try setMetricsExport(enabled: invocation.metrics, host: invocation.metricsExporterHost,
                             port: invocation.metricsExporterPort)
        logging = try ExecutorFlags.logging(format: invocation.logFormat, level: invocation.logLevel,
                                            quiet: invocation.quiet, default: logging)
    }

    /// Sets `dynamicBatching` from `--uses-dynamic-batching` (Jina's flag: a JSON object
    /// endpoint → settings). A `custom_metric` is refused: it is a Python function in Jina.
    package mutating func setDynamicBatching(_ text: String?) throws(ExecutorError) {
        guard let text else { return }
        let parsed: JSONValue
        do {
            parsed = try JSONValue(parsing: text)
        } catch {
            throw ExecutorError(.invalidInput, "--uses-dynamic-batching is not valid JSON: \(error.message)")
        }
        let table: [String: DynamicBatchingSettings]
        do {
            table = try DynamicBatchingSettings.table(parsed)
        } catch {
            throw ExecutorError(.invalidInput, "--uses-dynamic-batching: \(error.message)", hint: error.hint)
        }
        for (key, settings) in table where settings.customMetric != nil || settings.useCustomMetric == true {
            throw ExecutorError(
                .invalidInput, "--uses-dynamic-batching: `custom_metric` of `\(key)` needs a Python function",
                hint: "a Swift executor weighs documents with DynamicBatching(customMetric:) on its endpoint")
        }
        dynamicBatching = table
    }

    /// Sets `monitoring` from `--monitoring` and `--port-monitoring` (which implies it).
    package mutating func setMonitoring(enabled: Bool, port: Int?) throws(ExecutorError) {
        if let port, !(0...65535).contains(port) {
            throw ExecutorError(.invalidInput, "--port-monitoring \(port) is out of range 0-65535", hint: "0 picks a free port")
        }
        monitoring = enabled || port != nil ? MonitoringEndpoint(port: port ?? 0) : nil
    }

    /// Sets `tracing` from its flags; the exporter flags without `--tracing` change nothing, as in Jina.
    package mutating func setTracing(enabled: Bool, host: String?, port: Int?, samplingRatio: Double?) throws(ExecutorError) {
        if let port, !(1...65535).contains(port) {
            throw ExecutorError(.invalidInput, "--traces-exporter-port \(port) is out of range 1-65535")
        }
        if let samplingRatio, !(0...1).contains(samplingRatio) {
            throw ExecutorError(.invalidInput, "--traces-sampling-ratio \(samplingRatio) is outside 0-1",
                                hint: "0.01 traces one request in a hundred, 1 every request")
        }
        tracing = enabled ? TracingSettings(host: host, port: port, samplingRatio: samplingRatio ?? 1) : nil
    }

    /// Sets `metricsExport` from its flags; the exporter flags without `--metrics` change nothing.
    package mutating func setMetricsExport(enabled: Bool, host: String?, port: Int?) throws(ExecutorError) {
        if let port, !(1...65535).contains(port) {
            throw ExecutorError(.invalidInput, "--metrics-exporter-port \(port) is out of range 1-65535")
        }
        metricsExport = enabled ? MetricsExportSettings(host: host, port: port) : nil
    }

    /// The context handed to `Executor.init`: a stderr logger labelled with the runtime name
    /// (`encoder/rep-0`) whose lines carry `executor`, `replica` (and `shard`) — in the format and
    /// level of `logging` — and the workspace directory, created.
    package func makeContext() throws(ExecutorError) -> ExecutorContext {
        var metadata: Logger.Metadata = ["executor": "\(name)", "replica": "\(replicaID ?? 0)"]
        if let shardID { metadata["shard"] = "\(shardID)" }
        let logger = logging.logger(
            label: RuntimeName.executor(name, shard: shardID, replica: replicaID), metadata: metadata)
        var directory: String?
        if let workspace {
            var path = workspace.hasSuffix("/") ? String(workspace.dropLast()) : workspace
            path += "/\(name)"
            if let shardID { path += "/\(shardID)" }
            try Self.makeDirectories(path)
            directory = path
        }
        return ExecutorContext(name: name, replicaID: replicaID, shardID: shardID, workspace: directory, logger: logger)
    }

    /// The process's environment, as `JINA_LOG_LEVEL` is read from it.
    static var environment: [String: String] {
        getenv("JINA_LOG_LEVEL").map { ["JINA_LOG_LEVEL": String(cString: $0)] } ?? [:]
    }

    private static func makeDirectories(_ path: String) throws(ExecutorError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o755) != 0, errno != EEXIST {
                throw ExecutorError(.runtime, "cannot create workspace \(path): \(String(cString: strerror(errno)))")
            }
            prefix += "/"
        }
    }
}
