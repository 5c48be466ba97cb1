import JinaCore
import JinaObservability

/// The flags of an executor program (`ExecutorInvocation`, read without swift-argument-parser so
/// the SDK does not need it), checked into `ExecutorOptions`. `jina executor` takes the same flags.
enum ExecutorFlags {
    /// The options, or nil when `--help`/`-h` asks for the usage text.
    static func parse(_ arguments: [String]) throws(ExecutorError) -> ExecutorOptions? {
        let invocation: ExecutorInvocation?
        do {
            invocation = try ExecutorInvocation.parse(arguments)
        } catch {
            throw ExecutorError(error.kind, error.summary, hint: error.hint)
        }
        return try invocation.map { invocation throws(ExecutorError) in try ExecutorOptions(invocation) }
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
