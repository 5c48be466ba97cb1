/// The executor YAMLs a Flow names (`uses: x.yml`), read with the Flow: their problems are the
/// Flow's (`jina flow --validate` reports them with the rest, at their place in the executor
/// YAML), and what a file's built-in brings with it is applied to the Flow: a `VectorIndex`
/// gets the index's own polling when the Flow sets none — a document is stored by one shard,
/// every other request goes to all of them — and, as when it is named directly, no replicas
/// (each would hold a different copy of the index).
public enum ExecutorFileDefaults {
    /// `spec`'s executor YAML, or its problem; nil when `spec` names none.
    /// - Parameter displayFolder: the Flow file's folder as the user wrote it (nil: the working
    ///   directory), so a problem names the file as the user can open it.
    public static func read(
        _ spec: ExecutorSpec, flowDirectory: String, displayFolder: String? = nil
    ) -> Result<ExecutorConfigFile, ExecutorConfigProblem>? {
        guard case .config(let path) = spec.uses else { return nil }
        let display = displayFolder.map { path.hasPrefix("/") ? path : FlowPath.resolve(path, in: $0) } ?? path
        let config: ExecutorConfigFile
        do {
            config = try ExecutorConfigFile.load(
                FlowPath.resolve(path, in: flowDirectory), displayPath: display, executor: spec.name,
                pythonModules: !spec.pyModules.isEmpty)
        } catch {
            return .failure(error)
        }
        if !config.isPython, config.jtype == "VectorIndex", spec.replicas > 1 {
            return .failure(ExecutorConfigProblem(
                file: nil, mark: nil,
                message: "the VectorIndex of \(path) cannot have replicas (\(spec.replicas)): each would hold a different copy of the index",
                executor: spec.name, hint: "use `shards` to split the index instead", flowKey: "replicas"))
        }
        return .success(config)
    }

    /// The problems of `spec`'s executor YAML as Flow diagnostics (none when it names none).
    public static func diagnostics(_ spec: ExecutorSpec, flowDirectory: String, displayFolder: String?) -> [Diagnostic] {
        guard case .failure(let problem) = read(spec, flowDirectory: flowDirectory, displayFolder: displayFolder) else { return [] }
        return [problem.diagnostic(flowMark: spec.marks.values[problem.flowKey] ?? spec.marks.entry)]
    }

    /// `flow` with the defaults of its executor YAMLs' built-ins; the first problem is thrown.
    public static func apply(to flow: Flow, flowDirectory: String) throws(ExecutorConfigProblem) -> Flow {
        var flow = flow
        for index in flow.executors.indices {
            let spec = flow.executors[index]
            switch read(spec, flowDirectory: flowDirectory) {
            case nil: continue
            case .failure(let problem): throw problem
            case .success(let config):
                if !config.isPython, config.jtype == "VectorIndex", spec.marks.values["polling"] == nil {
                    flow.executors[index].polling = PollingSpec(default: .all, perEndpoint: ["/index": .any])
                }
            }
        }
        return flow
    }
}
