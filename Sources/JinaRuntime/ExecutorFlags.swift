import JinaCore
import JinaObservability

/// Parses the flags of an executor program by hand (`--flag VALUE` or `--flag=VALUE`), so the
/// SDK does not need swift-argument-parser. `jina executor` parses the same flags with it.
enum ExecutorFlags {
    /// The options, or nil when `--help`/`-h` asks for the usage text.
    static func parse(_ arguments: [String]) throws(ExecutorError) -> ExecutorOptions? {
        var values: [String: String] = [:]
        var switches: Set<String> = []
        var index = 0
        let known = [
            "--uses-with", "--uses-dynamic-batching", "--exit-on-exceptions", "--name", "--replica-id", "--shard-id", "--workspace", "--socket", "--port", "--host",
            "--port-monitoring", "--log-format", "--log-level",
            "--traces-exporter-host", "--traces-exporter-port", "--traces-sampling-ratio",
            "--metrics-exporter-host", "--metrics-exporter-port",
        ]
        let booleans = ["--monitoring", "--quiet", "--tracing", "--metrics"]
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--help" || argument == "-h" { return nil }
            if booleans.contains(argument) {
                switches.insert(argument)
                continue
            }
            var flag = argument
            var value: String?
            if let equals = argument.firstIndex(of: "="), argument.hasPrefix("--") {
                flag = String(argument[..<equals])
                value = String(argument[argument.index(after: equals)...])
            }
            guard known.contains(flag) else {
                let hint = DidYouMeanFlag.hint(flag, known + booleans) ?? "run with --help to see the flags"
                throw ExecutorError(.invalidInput, "unknown flag \(flag)", hint: hint)
            }
            if value == nil {
                guard index < arguments.count else {
                    throw ExecutorError(.invalidInput, "\(flag) needs a value")
                }
                value = arguments[index]
                index += 1
            }
            guard values[flag] == nil else { throw ExecutorError(.invalidInput, "\(flag) is given twice") }
            values[flag] = value
        }
        func integer(_ flag: String) throws(ExecutorError) -> Int? {
            guard let text = values[flag] else { return nil }
            guard let number = Int(text) else {
                throw ExecutorError(.invalidInput, "\(flag) expects an integer, got \"\(text)\"")
            }
            return number
        }
        var options = try ExecutorOptions(
            usesWith: values["--uses-with"], name: values["--name"], replicaID: try integer("--replica-id"),
            shardID: try integer("--shard-id"), workspace: values["--workspace"], socket: values["--socket"],
            port: try integer("--port"), host: values["--host"])
        try options.setDynamicBatching(values["--uses-dynamic-batching"])
        options.exitOnExceptions = ExecutorOptions.names(values["--exit-on-exceptions"])
        try options.setMonitoring(enabled: switches.contains("--monitoring"), port: try integer("--port-monitoring"))
        var ratio: Double?
        if let text = values["--traces-sampling-ratio"] {
            guard let number = Double(text) else {
                throw ExecutorError(.invalidInput, "--traces-sampling-ratio expects a number from 0 to 1, got \"\(text)\"")
            }
            ratio = number
        }
        try options.setTracing(enabled: switches.contains("--tracing"), host: values["--traces-exporter-host"],
                               port: try integer("--traces-exporter-port"), samplingRatio: ratio)
        try options.setMetricsExport(enabled: switches.contains("--metrics"), host: values["--metrics-exporter-host"],
                                     port: try integer("--metrics-exporter-port"))
        options.logging = try logging(format: values["--log-format"], level: values["--log-level"],
                                      quiet: switches.contains("--quiet"), default: options.logging)
        return options
    }

    /// The logging flags over `base` (the environment's level).
    static func logging(format: String?, level: String?, quiet: Bool, default base: LoggingConfiguration) throws(ExecutorError) -> LoggingConfiguration {
        var logging = base
        if let format {
            guard let parsed = LogFormat(rawValue: format) else {
                throw ExecutorError(.invalidInput, "--log-format must be text or json, not \(format)")
            }
            logging.format = parsed
        }
        if let level {
            guard let parsed = LoggingConfiguration.parseLevel(level) else {
                throw ExecutorError(.invalidInput, "--log-level must be debug, info, warning, error or critical, not \(level)")
            }
            logging.level = parsed
        }
        logging.quiet = logging.quiet || quiet
        return logging
    }

    static func usage(program: String) -> String {
        """
        USAGE: \(program) [--uses-with JSON] [--uses-dynamic-batching JSON] [--exit-on-exceptions NAMES] [--name N] [--replica-id R] [--shard-id S] [--workspace DIR]
               \(String(repeating: " ", count: program.count)) (--socket PATH | --port P [--host H])
               \(String(repeating: " ", count: program.count)) [--monitoring] [--port-monitoring P] [--log-format F] [--log-level L] [--quiet]
               \(String(repeating: " ", count: program.count)) [--tracing] [--traces-exporter-host H] [--traces-exporter-port P] [--traces-sampling-ratio R]
               \(String(repeating: " ", count: program.count)) [--metrics] [--metrics-exporter-host H] [--metrics-exporter-port P]

        Serves this executor over Jina's gRPC protocol and prints `ready ADDRESS` when ready.

        OPTIONS:
          --uses-with JSON   the executor's configuration (a JSON object)
          --uses-dynamic-batching JSON
                             dynamic batching per endpoint or handler name (a JSON object)
          --exit-on-exceptions NAMES
                             error type names (comma-separated) on which the process exits, not replying
          --name N           the executor's name in its Flow (default: executor)
          --replica-id R     replica number
          --shard-id S       shard number
          --workspace DIR    parent directory of the executor's workspace
          --socket PATH      listen on a Unix socket
          --port P           listen on a TCP port (0 picks a free one)
          --host H           TCP host to bind (default: 0.0.0.0)
          --monitoring       serve Prometheus metrics (GET /metrics)
          --port-monitoring P  port of the metrics endpoint (0 picks a free one; implies --monitoring)
          --log-format F     text (default) or json (one object per line)
          --log-level L      debug, info (default), warning, error, critical
          --quiet            log errors only
          --tracing          send OpenTelemetry spans to an OTLP/gRPC collector
          --traces-exporter-host H  the collector's host (https:// for TLS; default localhost)
          --traces-exporter-port P  the collector's port (default 4317)
          --traces-sampling-ratio R share of requests traced without a traced caller (0-1, default 1)
          --metrics          send the metrics to an OTLP/gRPC collector too
          --metrics-exporter-host H  the metrics collector's host (https:// for TLS; default localhost)
          --metrics-exporter-port P  the metrics collector's port (default 4317)

        EXIT STATUS:
          0  stopped by SIGTERM/SIGINT after finishing in-flight requests
          1  could not load the executor or listen
          2  invalid flags or uses_with

        """
    }
}

private enum DidYouMeanFlag {
    static func hint(_ flag: String, _ known: [String]) -> String? {
        let names = known.map { String($0.dropFirst(2)) }
        let word = flag.hasPrefix("--") ? String(flag.dropFirst(2)) : flag
        return DidYouMean.suggestion(for: word, among: names).map { "did you mean `--\($0)`?" }
    }
}
