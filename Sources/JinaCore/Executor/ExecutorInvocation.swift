/// The command line of one of our executor processes — `jina executor --uses NAME …` or a
/// custom executor program built on the SDK — spelled in one place: `jina flow` renders it for
/// each replica, `jina export` for each container, `jina deployment` for a lone executor, and
/// the SDK (`ExecutorMain`) and `jina executor` parse it back.
///
/// Values are kept as written on the command line; `ExecutorOptions` (JinaRuntime) checks and
/// types them.
public struct ExecutorInvocation: Sendable, Equatable {
    /// Every flag, with its spelling.
    public enum Flag: String, CaseIterable, Sendable {
        case uses = "--uses"
        case usesWith = "--uses-with"
        case usesDynamicBatching = "--uses-dynamic-batching"
        case exitOnExceptions = "--exit-on-exceptions"
        case name = "--name"
        case replicaID = "--replica-id"
        case shardID = "--shard-id"
        case workspace = "--workspace"
        case socket = "--socket"
        case host = "--host"
        case port = "--port"
        case monitoring = "--monitoring"
        case portMonitoring = "--port-monitoring"
        case tracing = "--tracing"
        case tracesExporterHost = "--traces-exporter-host"
        case tracesExporterPort = "--traces-exporter-port"
        case tracesSamplingRatio = "--traces-sampling-ratio"
        case metrics = "--metrics"
        case metricsExporterHost = "--metrics-exporter-host"
        case metricsExporterPort = "--metrics-exporter-port"
        case logFormat = "--log-format"
        case logLevel = "--log-level"
        case quiet = "--quiet"

        /// The name without the leading dashes (for swift-argument-parser's `.customLong`).
        public var long: String { String(rawValue.dropFirst(2)) }

        /// A bare switch, without a value.
        public var isSwitch: Bool {
            switch self {
            case .monitoring, .tracing, .metrics, .quiet: true
            default: false
            }
        }
    }

    /// Where the process listens.
    public enum Listen: Sendable, Equatable {
        case socket(String)
        /// `--host` nil: the executor's default (all interfaces).
        case tcp(host: String?, port: Int)
    }

    /// The built-in to serve (`jina executor` only; a custom program is its own executor).
    public var uses: String?
    /// `uses_with` as a JSON object.
    public var usesWith: String?
    /// `uses_dynamic_batching` as a JSON object.
    public var dynamicBatching: String?
    public var exitOnExceptions: [String] = []
    public var name: String?
    public var replicaID: Int?
    public var shardID: Int?
    public var workspace: String?
    public var listen: Listen?
    public var monitoring = false
    public var portMonitoring: Int?
    public var tracing = false
    public var tracesExporterHost: String?
    public var tracesExporterPort: Int?
    public var tracesSamplingRatio: Double?
    public var metrics = false
    public var metricsExporterHost: String?
    public var metricsExporterPort: Int?
    public var logFormat: String?
    public var logLevel: String?
    public var quiet = false

    public init(uses: String? = nil) {
        self.uses = uses
    }

    /// Tracing as the Flow configures it.
    public mutating func trace(_ settings: TracingSettings?) {
        guard let settings else { return }
        tracing = true
        tracesExporterHost = settings.schemeHost
        tracesExporterPort = settings.port
        tracesSamplingRatio = settings.samplingRatio == 1 ? nil : settings.samplingRatio
    }

    /// OTLP metrics as the Flow configures them.
    public mutating func exportMetrics(_ settings: MetricsExportSettings?) {
        guard let settings else { return }
        metrics = true
        metricsExporterHost = settings.collector.schemeHost
        metricsExporterPort = settings.collector.port
    }

    /// The configuration part alone (`--uses` to `--exit-on-exceptions`): what an executor YAML
    /// decides, and what a reload replaces.
    public var configuration: ExecutorInvocation {
        var part = ExecutorInvocation(uses: uses)
        part.usesWith = usesWith
        part.dynamicBatching = dynamicBatching
        part.exitOnExceptions = exitOnExceptions
        return part
    }

    /// The flags, configuration first (so `--name` starts the per-process part).
    public var arguments: [String] {
        var flags: [String] = []
        func add(_ flag: Flag, _ value: String?) {
            if let value { flags += [flag.rawValue, value] }
        }
        func add(_ flag: Flag, _ on: Bool) {
            if on { flags.append(flag.rawValue) }
        }
        add(.uses, uses)
        add(.usesWith, usesWith)
        add(.usesDynamicBatching, dynamicBatching)
        add(.exitOnExceptions, exitOnExceptions.isEmpty ? nil : exitOnExceptions.joined(separator: ","))
        add(.name, name)
        add(.replicaID, replicaID.map(String.init))
        add(.shardID, shardID.map(String.init))
        add(.workspace, workspace)
        switch listen {
        case .socket(let path): add(.socket, path)
        case .tcp(let host, let port):
            add(.host, host)
            add(.port, String(port))
        case nil: break
        }
        add(.monitoring, monitoring)
        add(.portMonitoring, portMonitoring.map(String.init))
        add(.tracing, tracing)
        add(.tracesExporterHost, tracesExporterHost)
        add(.tracesExporterPort, tracesExporterPort.map(String.init))
        add(.tracesSamplingRatio, tracesSamplingRatio.map { String($0) })
        add(.metrics, metrics)
        add(.metricsExporterHost, metricsExporterHost)
        add(.metricsExporterPort, metricsExporterPort.map(String.init))
        add(.logFormat, logFormat)
        add(.logLevel, logLevel)
        add(.quiet, quiet)
        return flags
    }

    /// Reads `arguments` (`--flag VALUE` or `--flag=VALUE`); nil when `--help`/`-h` asks for the
    /// usage text. `--uses` is read only when `acceptsUses` (a custom program serves itself).
    public static func parse(_ arguments: [String], acceptsUses: Bool = false) throws(JinaError) -> ExecutorInvocation? {
        let known = Flag.allCases.filter { acceptsUses || $0 != .uses }
        var values: [Flag: String] = [:]
        var switches: Set<Flag> = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--help" || argument == "-h" { return nil }
            var spelling = argument
            var value: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                spelling = String(argument[..<equals])
                value = String(argument[argument.index(after: equals)...])
            }
            guard let flag = Flag(rawValue: spelling), known.contains(flag) else {
                let hint = DidYouMean.suggestion(for: spelling.hasPrefix("--") ? String(spelling.dropFirst(2)) : spelling,
                                                 among: known.map(\.long)).map { "did you mean `--\($0)`?" }
                throw JinaError(.invalidInput, "unknown flag \(spelling)", hint: hint ?? "run with --help to see the flags")
            }
            if flag.isSwitch {
                guard value == nil else { throw JinaError(.invalidInput, "\(flag.rawValue) takes no value") }
                switches.insert(flag)
                continue
            }
            if value == nil {
                guard index < arguments.count else { throw JinaError(.invalidInput, "\(flag.rawValue) needs a value") }
                value = arguments[index]
                index += 1
            }
            guard values[flag] == nil else { throw JinaError(.invalidInput, "\(flag.rawValue) is given twice") }
            values[flag] = value
        }
        func integer(_ flag: Flag) throws(JinaError) -> Int? {
            guard let text = values[flag] else { return nil }
            guard let number = Int(text) else {
                throw JinaError(.invalidInput, "\(flag.rawValue) expects an integer, got \"\(text)\"")
            }
            return number
        }
        var invocation = ExecutorInvocation(uses: values[.uses])
        invocation.usesWith = values[.usesWith]
        invocation.dynamicBatching = values[.usesDynamicBatching]
        invocation.exitOnExceptions = Self.names(values[.exitOnExceptions])
        invocation.name = values[.name]
        invocation.replicaID = try integer(.replicaID)
        invocation.shardID = try integer(.shardID)
        invocation.workspace = values[.workspace]
        invocation.listen = try listen(socket: values[.socket], port: try integer(.port), host: values[.host])
        invocation.monitoring = switches.contains(.monitoring)
        invocation.portMonitoring = try integer(.portMonitoring)
        invocation.tracing = switches.contains(.tracing)
        invocation.tracesExporterHost = values[.tracesExporterHost]
        invocation.tracesExporterPort = try integer(.tracesExporterPort)
        if let text = values[.tracesSamplingRatio] {
            guard let ratio = Double(text) else {
                throw JinaError(.invalidInput, "--traces-sampling-ratio expects a number from 0 to 1, got \"\(text)\"")
            }
            invocation.tracesSamplingRatio = ratio
        }
        invocation.metrics = switches.contains(.metrics)
        invocation.metricsExporterHost = values[.metricsExporterHost]
        invocation.metricsExporterPort = try integer(.metricsExporterPort)
        invocation.logFormat = values[.logFormat]
        invocation.logLevel = values[.logLevel]
        invocation.quiet = switches.contains(.quiet)
        return invocation
    }

    /// `--socket`, or `--port` with an optional `--host`; nil when neither is given
    /// (`ExecutorOptions` then asks for one).
    public static func listen(socket: String?, port: Int?, host: String?) throws(JinaError) -> Listen? {
        switch (socket, port) {
        case (let path?, nil):
            if host != nil { throw JinaError(.invalidInput, "--host goes with --port, not with --socket") }
            return .socket(path)
        case (nil, let port?): return .tcp(host: host, port: port)
        case (_?, _?): throw JinaError(.invalidInput, "give either --socket or --port, not both")
        case (nil, nil): return nil
        }
    }

    /// The names of a comma-separated list (`--exit-on-exceptions A,B`), blanks dropped.
    public static func names(_ text: String?) -> [String] {
        var names: [String] = []
        for part in (text ?? "").split(separator: ",") {
            let name = part.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()
            if !name.isEmpty, !names.contains(String(name)) { names.append(String(name)) }
        }
        return names
    }
}
