public import JinaCore

/// What an executor YAML's built-in brings with it, applied once the file is read (the
/// validator does not open executor YAMLs): a `VectorIndex` named by `uses: index.yml` gets the
/// index's own polling when the Flow sets none — a document is stored by one shard, every other
/// request goes to all of them — and, as when it is named directly, no replicas (each would hold
/// a different copy of the index).
public enum ExecutorFileDefaults {
    /// `flow` with the defaults of its executor YAMLs' built-ins.
    public static func apply(to flow: Flow, flowDirectory: String) throws(OrchestratorError) -> Flow {
        var flow = flow
        for index in flow.executors.indices {
            guard case .config(let path) = flow.executors[index].uses else { continue }
            let spec = flow.executors[index]
            let config = try ExecutorConfigFile.load(
                FlowPath.resolve(path, in: flowDirectory), displayPath: path, executor: spec.name,
                pythonModules: !spec.pyModules.isEmpty)
            guard !config.isPython, config.jtype == "VectorIndex" else { continue }
            if spec.replicas > 1 {
                throw OrchestratorError(
                    .invalidInput,
                    "executor `\(spec.name)`: the VectorIndex of \(path) cannot have replicas (\(spec.replicas)): each would hold a different copy of the index",
                    hint: "use `shards` to split the index instead")
            }
            if spec.marks.values["polling"] == nil {
                flow.executors[index].polling = PollingSpec(default: .all, perEndpoint: ["/index": .any])
            }
        }
        return flow
    }
}
