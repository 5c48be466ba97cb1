#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
public import JinaCore

/// A Deployment with `include_gateway: false`: its executor serves gRPC itself on the
/// Deployment's `port` (and `host`), as in Jina. `jina deployment` becomes that executor
/// process (exec), so its ready line, signals and exit status are the executor's own.
public enum StandaloneExecutor {
    /// The program and arguments that serve `spec` alone.
    public static func command(spec: ExecutorSpec, flowDirectory: String, executablePath: String) throws(OrchestratorError) -> [String] {
        guard spec.replicas == 1, spec.shards == 1 else {
            throw OrchestratorError(
                .invalidInput,
                "executor `\(spec.name)` has \(spec.replicas) replicas and \(spec.shards) shards; without a gateway one process serves it",
                hint: "drop `include_gateway: false`: the gateway balances replicas and merges shards")
        }
        let launch = try ExecutorLaunch(spec: spec, flowDirectory: flowDirectory, executablePath: executablePath)
        guard launch.python == nil else {
            throw OrchestratorError(
                .invalidInput, "executor `\(spec.name)` is a Python executor; `include_gateway: false` serves Swift executors here",
                hint: "drop `include_gateway: false` (the gateway reaches it), or serve it with Python Jina's own `jina executor`")
        }
        var invocation = launch.invocation
        invocation.name = spec.name
        invocation.listen = .tcp(host: spec.hosts.first ?? "0.0.0.0", port: spec.ports.first ?? 0)
        invocation.workspace = spec.workspace.map { FlowPath.resolve($0, in: flowDirectory) }
        invocation.monitoring = spec.monitoring
        invocation.portMonitoring = spec.monitoring ? spec.portMonitoring : nil
        invocation.trace(spec.tracing)
        invocation.exportMetrics(spec.metricsExport)
        let arguments = launch.subcommand + invocation.arguments
        return [launch.executable] + arguments
    }

    /// Replaces this process with the executor (its `env` set first). Returns only by throwing.
    public static func exec(spec: ExecutorSpec, flowDirectory: String, executablePath: String) throws(OrchestratorError) -> Never {
        let command = try command(spec: spec, flowDirectory: flowDirectory, executablePath: executablePath)
        for (name, value) in spec.env { setenv(name, value, 1) }
        let argv = command.map { strdup($0) } + [nil]
        execv(command[0], argv)
        let reason = String(cString: strerror(errno))
        throw OrchestratorError(.runtime, "cannot start executor `\(spec.name)` (\(command[0])): \(reason)")
    }
}
