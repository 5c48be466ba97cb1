#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import JinaCore

/// What program serves one executor entry and with which fixed flags, from its `uses`:
///
/// | `uses` | program |
/// |---|---|
/// | a built-in name | the running `jina` binary: `jina executor --uses NAME …` |
/// | an executor YAML (`jtype: Name`, `with:`) | the same, with `with:` under the Flow's `uses_with` |
/// | a program path (relative to the Flow file's folder) | that program, with the same flags minus `--uses` |
/// | a Python class (`py_modules`), or an executor YAML naming one | Python Jina's worker (`PythonLaunch`) |
/// | `docker://IMAGE`, `jinaai+docker://…` | refused: `jina flow` does not use a Docker engine |
/// | `jinaai://…` (a Hub package) | resolved to one of the above by `HubResolver` first |
struct ExecutorLaunch: Sendable, Equatable {
    /// Set for a Python executor: how its replicas start (the fields below are then unused).
    var python: PythonLaunch?
    var executable: String
    /// The subcommand before the flags: `executor` for a built-in of the running `jina`.
    var subcommand: [String]
    /// The configuration part of the command line (`--uses` to `--exit-on-exceptions`); each
    /// replica adds its own part (`arguments(name:…)`).
    var invocation: ExecutorInvocation

    init(spec: ExecutorSpec, flowDirectory: String, executablePath: String) throws(OrchestratorError) {
        try self.init(uses: spec, flowDirectory: flowDirectory, executablePath: executablePath)
        if python == nil { invocation.exitOnExceptions = spec.exitOnExceptions }
    }

    private init(uses spec: ExecutorSpec, flowDirectory: String, executablePath: String) throws(OrchestratorError) {
        switch spec.uses {
        case .builtin(let name):
            self = Self(builtin: name, usesWith: spec.usesWith, flowDirectory: flowDirectory, executablePath: executablePath)
            invocation.dynamicBatching = Self.batchingFlag(spec.dynamicBatching)
        case .python(let name):
            self = Self(executable: executablePath, subcommand: [], usesWith: nil)
            python = PythonLaunch(spec: spec, uses: name, usesWith: spec.usesWith, flowDirectory: flowDirectory)
        case .config(let path):
            let file = Self.resolve(path, in: flowDirectory)
            let config: ExecutorConfigFile
            do {
                config = try ExecutorConfigFile.load(
                    file, displayPath: path, executor: spec.name, pythonModules: !spec.pyModules.isEmpty)
            } catch {
                throw OrchestratorError(.invalidInput, error.summary, hint: error.hint)
            }
            if config.isPython {
                // Python Jina reads the file itself (`with`, `metas`, `requests`); `uses_with` goes on top.
                self = Self(executable: executablePath, subcommand: [], usesWith: nil)
                python = PythonLaunch(spec: spec, uses: file, usesWith: spec.usesWith, flowDirectory: flowDirectory)
                return
            }
            // The Flow's `uses_with` wins over the file's `with:`, key by key, as in Jina.
            let merged = config.with.merging(spec.usesWith) { _, flow in flow }
            self = Self(builtin: config.jtype, usesWith: merged, flowDirectory: flowDirectory, executablePath: executablePath)
            invocation.dynamicBatching = Self.batchingFlag(DynamicBatchingSettings.merge(config.dynamicBatching, spec.dynamicBatching))
            return
        case .program(let path):
            let file = Self.resolve(path, in: flowDirectory)
            guard access(file, X_OK) == 0 else {
                let reason = access(file, F_OK) == 0 ? "it is not executable" : "no such file"
                throw OrchestratorError(
                    "cannot start executor `\(spec.name)`: program \(path) (\(file)): \(reason)",
                    hint: "program paths are relative to the Flow file's folder; build the program or fix `uses`")
            }
            self = Self(executable: file, subcommand: [],
                        usesWith: spec.usesWith.isEmpty ? nil : SpecValue.object(spec.usesWith).compactJSON)
            invocation.dynamicBatching = Self.batchingFlag(spec.dynamicBatching)
        case .hub(let reference) where !reference.isContainerImage:
            // `jina flow` resolves packages to local files before it plans (HubResolver).
            throw OrchestratorError(
                "executor `\(spec.name)`: the Hub package \(reference) was not resolved to local files",
                hint: "run the Flow with `jina flow`, which pulls Hub packages first")
        case .hub(let reference):
            throw OrchestratorError(
                "executor `\(spec.name)` uses the container image jinaai+docker://\(reference): `jina flow` runs executors as local processes and does not use a Docker engine",
                hint: "write `uses: jinaai://…` to run the package itself, or deploy with `jina export kubernetes` / `jina export docker-compose`")
        case .docker(let image):
            throw OrchestratorError(
                "executor `\(spec.name)` uses the container image \(image): `jina flow` runs executors as local processes and does not use a Docker engine",
                hint: "run the image yourself and add it as `external: true` with `host` and `port`, or deploy with `jina export kubernetes` / `jina export docker-compose`")
        }
    }

    init(executable: String, subcommand: [String], uses: String? = nil, usesWith: String?) {
        self.executable = executable
        self.subcommand = subcommand
        invocation = ExecutorInvocation(uses: uses)
        invocation.usesWith = usesWith
    }

    /// A built-in; its path parameters given as relative paths start at the Flow's folder.
    private init(builtin name: String, usesWith: [String: SpecValue], flowDirectory: String, executablePath: String) {
        var usesWith = usesWith
        for parameter in BuiltinExecutorCatalog.lookup(name)?.parameters ?? [] {
            switch (parameter.type, usesWith[parameter.name]) {
            case (.path, .string(let path)), (.paths, .string(let path)):
                usesWith[parameter.name] = .string(Self.resolve(path, in: flowDirectory))
            case (.paths, .array(let paths)):
                usesWith[parameter.name] = .array(paths.map { path in
                    if case .string(let text) = path { return .string(Self.resolve(text, in: flowDirectory)) }
                    return path
                })
            default:
                break
            }
        }
        self.init(executable: executablePath, subcommand: ["executor"], uses: name,
                  usesWith: usesWith.isEmpty ? nil : SpecValue.object(usesWith).compactJSON)
    }

    /// The flags that come from `uses` and the executor's configuration: everything before
    /// `--name` in `arguments` (a reload puts the file's new ones there).
    var configurationArguments: [String] {
        subcommand + invocation.arguments
    }

    /// The command line of one replica on a Unix socket; `options` holds the Flow's per-process
    /// settings (monitoring, tracing, logging).
    func arguments(
        name: String, shard: Int, shards: Int, replica: Int, workspace: String?, socket: String,
        options: ExecutorInvocation = ExecutorInvocation()
    ) -> [String] {
        var invocation = options
        invocation.uses = self.invocation.uses
        invocation.usesWith = self.invocation.usesWith
        invocation.dynamicBatching = self.invocation.dynamicBatching
        invocation.exitOnExceptions = self.invocation.exitOnExceptions
        invocation.name = name
        invocation.replicaID = replica
        invocation.shardID = shards > 1 ? shard : nil
        invocation.workspace = workspace
        invocation.listen = .socket(socket)
        return subcommand + invocation.arguments
    }

    /// The value of `--uses-dynamic-batching`, nil for an empty table.
    static func batchingFlag(_ table: [String: DynamicBatchingSettings]) -> String? {
        table.isEmpty ? nil : DynamicBatchingSettings.json(table).serialized()
    }

    /// `path` as is when absolute, else under `directory` (`FlowPath`).
    static func resolve(_ path: String, in directory: String) -> String {
        FlowPath.resolve(path, in: directory)
    }
}
