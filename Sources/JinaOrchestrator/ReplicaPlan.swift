public import JinaCore
import JinaObservability

/// How to start one replica of one shard of an executor: the program, its flags, its extra
/// environment and the socket it will listen on. Built once from the Flow; a restart reuses it.
public struct ReplicaPlan: Sendable, Equatable {
    /// The executor (Deployment) name.
    public var executor: String
    public var shard: Int
    public var shards: Int
    public var replica: Int
    public var replicas: Int
    /// Absolute path of the program to run.
    public var executable: String
    /// What the process sees as its name (`argv[0]`), when not `executable`: built-ins run from
    /// `/proc/self/exe` but show the binary's real path in `ps`.
    public var argumentZero: String?
    /// Arguments after the program name.
    public var arguments: [String]
    /// Added to the inherited environment (the Flow's `env`, then the executor's).
    public var environment: [String: String]
    /// Where it serves: its Unix socket, or a loopback TCP port for a Python executor (Python
    /// Jina's worker cannot listen on a Unix socket).
    public var address: ExecutorAddress
    /// From `timeout_ready`; nil waits forever.
    public var readyTimeout: Duration?
    /// The port of its metrics endpoint (on 127.0.0.1) when the executor monitors.
    public var monitoringPort: Int?

    public init(
        executor: String, shard: Int, shards: Int, replica: Int, replicas: Int, executable: String,
        arguments: [String], environment: [String: String], address: ExecutorAddress, readyTimeout: Duration?
    ) {
        self.executor = executor
        self.shard = shard
        self.shards = shards
        self.replica = replica
        self.replicas = replicas
        self.executable = executable
        self.argumentZero = nil
        self.arguments = arguments
        self.environment = environment
        self.address = address
        self.readyTimeout = readyTimeout
    }

    /// How messages name this process: `encoder`, `encoder replica 1`, `indexer shard 0 replica 1`.
    public var label: String {
        var text = executor
        if shards > 1 { text += " shard \(shard)" }
        if replicas > 1 { text += " replica \(replica)" }
        return text
    }

    /// Jina's `runtime_name`: `encoder/rep-1`, `indexer/shard-0/rep-1`.
    public var runtimeName: String {
        RuntimeName.executor(executor, shard: shards > 1 ? shard : nil, replica: replica)
    }

    /// Its Unix socket, if it serves on one.
    public var socketPath: String? {
        if case .unix(let path) = address { return path }
        return nil
    }
}
