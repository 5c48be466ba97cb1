public import Logging

/// What an executor learns about where it runs, given to `Executor.init`.
public struct ExecutorContext: Sendable {
    /// The executor's name in its Flow (`--name`; `executor` by default). Routes carry it.
    public var name: String
    /// The replica number (`--replica-id`), when started as one of several replicas.
    public var replicaID: Int?
    /// The shard number (`--shard-id`), when started as one shard of several.
    public var shardID: Int?
    /// A directory for the executor's files: `WORKSPACE/NAME` (plus `/SHARD` for a shard), as
    /// Jina lays it out; created before `init` runs. nil when no `--workspace` was given.
    public var workspace: String?
    /// A logger labelled with the executor's name; it writes to standard error.
    public var logger: Logger

    public init(name: String, replicaID: Int? = nil, shardID: Int? = nil, workspace: String? = nil, logger: Logger) {
        self.name = name
        self.replicaID = replicaID
        self.shardID = shardID
        self.workspace = workspace
        self.logger = logger
    }
}
