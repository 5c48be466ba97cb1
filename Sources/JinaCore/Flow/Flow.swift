import JinaYAML

/// A validated Flow: what `jina flow` runs and `jina export` describes. Every value is the
/// effective one (inheritance from `with:` and defaults applied); marks point into the file.
public struct Flow: Sendable, Encodable {
    /// Name from `with: name`, if set.
    public var name: String? { settings.name }
    /// The Flow YAML version (`1`).
    public var version: String
    /// The Flow's own `with:` keys.
    public var settings: FlowSettings
    public var gateway: GatewaySpec
    /// The executors in file order.
    public var executors: [ExecutorSpec]
    public var graph: FlowGraph

    /// A Flow from parts (tests and tools; `FlowLoader` builds validated ones).
    public init(version: String = "1", settings: FlowSettings = FlowSettings(), gateway: GatewaySpec = GatewaySpec(),
                executors: [ExecutorSpec], graph: FlowGraph) {
        self.version = version
        self.settings = settings
        self.gateway = gateway
        self.executors = executors
        self.graph = graph
    }

    /// The executor called `name`.
    public func executor(named name: String) -> ExecutorSpec? {
        executors.first { $0.name == name }
    }

    /// The environment an executor's processes get: the Flow's `with: env`, then its own `env`.
    public func environment(of executor: ExecutorSpec) -> [String: String] {
        settings.env.merging(executor.env) { _, own in own }
    }

    /// An executor's tracing as its processes get it: behind a tracing gateway an executor starts
    /// no trace of its own (ratio 0) and traces exactly the requests the gateway traces.
    public func tracing(of executor: ExecutorSpec) -> TracingSettings? {
        guard var tracing = executor.tracing else { return nil }
        if gateway.tracing != nil { tracing.samplingRatio = 0 }
        return tracing
    }

    /// `executor` as its processes are launched: its tracing as `tracing(of:)` says.
    public func launched(_ executor: ExecutorSpec) -> ExecutorSpec {
        var launched = executor
        launched.tracing = tracing(of: executor)
        return launched
    }

    /// The environment of the gateway: the Flow's `with: env`, then the gateway's own `env`.
    public var gatewayEnvironment: [String: String] {
        settings.env.merging(gateway.env) { _, own in own }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(name, forKey: .name)
        try container.encode(version, forKey: .version)
        try container.encode(settings, forKey: .settings)
        try container.encode(gateway, forKey: .gateway)
        try container.encode(executors, forKey: .executors)
        try container.encode(graph, forKey: .graph)
    }

    private enum CodingKeys: String, CodingKey { case name, version, settings, gateway, executors, graph }
}
