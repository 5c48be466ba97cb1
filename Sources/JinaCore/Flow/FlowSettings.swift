import JinaYAML

/// The Flow's own settings: the keys of `with:` that belong to the Flow itself (the `jina flow`
/// parser) and are not passed on, plus the common keys as written, for display.
public struct FlowSettings: Sendable, Encodable {
    /// Name of the Flow; also the default Kubernetes namespace.
    public var name: String?
    public var workspace: String?
    public var quiet: Bool
    /// `reload`: `jina flow` restarts the Flow when its file changes and still validates.
    public var reload: Bool
    /// Set in the Flow's environment, so every executor and the gateway inherit it; an
    /// executor's own `env` applies on top.
    public var env: [String: String]
    /// The common keys of `with:` as checked (they reach the gateway and executors by Jina's rules).
    public var common: [String: SpecValue]
    /// Own keys this version accepts without acting on them, as written.
    public var accepted: [String: SpecValue]
    public var marks: SourceMarks

    /// Settings of a Flow without `with:`.
    public init() {
        self.init(SectionValues())
    }

    init(_ values: SectionValues) {
        name = values.string("name")
        workspace = values.string("workspace")
        quiet = values.bool("quiet") ?? false
        reload = values.bool("reload") ?? false
        env = values.stringMap("env")
        var common: [String: SpecValue] = [:]
        for key in FlowKeys.withCommon.keys.map(\.name) {
            if let value = values[key]?.value { common[key] = value }
        }
        self.common = common
        accepted = values.accepted(by: FlowKeys.flowOwn)
        marks = SourceMarks(entry: values.mark, values: values.valueMarks)
    }
}
