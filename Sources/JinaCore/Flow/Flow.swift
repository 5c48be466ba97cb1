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
