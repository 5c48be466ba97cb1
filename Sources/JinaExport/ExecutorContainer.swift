import Foundation
import JinaCore
import JinaHub

/// The process one executor container runs: the image, and the command line `jina flow` would
/// use for the same replica, except that it listens on a TCP port instead of a Unix socket.
///
/// | `uses` | image | command |
/// |---|---|---|
/// | a built-in name | the jina image | `jina executor --uses NAME [--uses-with JSON] …` |
/// | an executor YAML | the jina image | the same, with the file's `jtype` and `with:` under the Flow's `uses_with` |
/// | `docker://IMAGE` | IMAGE | the image's entrypoint, with the flags a custom executor program gets (no `--uses`) |
/// | a Python class, or an executor YAML naming one | the executor's own image (`PythonImage`) | Python Jina's `jina executor --native …` |
/// | a program path | — | an error: a container cannot run a program from this machine |
/// | `jinaai://…` program package | the jina image | the package's program, pulled into a volume by an init step (`hubPull`) |
/// | `jinaai://…` Python package | the shared Python image (`PythonImage.hub`) | Python Jina's `jina executor --uses /hub/package/config.yml` |
/// | `jinaai+docker://NS/NAME:TAG` | REGISTRY/NS/NAME:TAG | the image's entrypoint, as `docker://` |
struct ExecutorContainer: Equatable {
    var image: String
    /// Set for a Python executor: its image and Dockerfile.
    var python: PythonImage?
    /// The container's command; nil = the image's entrypoint.
    var command: [String]?
    var args: [String]
    /// Set for a Hub package: the init step that pulls its locked digest into the volume
    /// mounted at `ContainerLayout.hubDirectory` (run in the jina image).
    var hubPull: [String]?
    /// A built-in model executor: it needs ONNX Runtime and the models, mounted at
    /// `ContainerLayout.modelsDirectory` (they are not in the image).
    var needsModels = false

    /// The built-ins that load ONNX Runtime and models (`scripts/install-models.sh`).
    static let modelExecutors: Set<String> = ["OnnxEncoder", "ImageEncoder", "TextEncoder"]

    /// The full command line of a jina-image container, for display and tests.
    var commandLine: [String] { (command ?? []) + args }

    /// The container of `spec`'s shard `shard`; `replica` is passed only where each replica is
    /// its own service (compose), not where replicas share a pod template (Kubernetes).
    init(spec: ExecutorSpec, shard: Int, replica: Int?, options: ExportOptions, target: String) throws(JinaError) {
        /// `executor` for the jina image's built-ins; the flags are `ExecutorInvocation`'s.
        var subcommand: [String] = []
        var builtin: String?
        var usesWith = spec.usesWith
        var batching = spec.dynamicBatching
        switch spec.uses {
        case .builtin(let name):
            image = options.resolvedImage
            command = ["jina"]
            (subcommand, builtin) = (["executor"], name)
            needsModels = Self.modelExecutors.contains(BuiltinExecutorCatalog.lookup(name)?.name ?? name)
        case .config(let path):
            let file = path.hasPrefix("/") ? path : options.flowDirectory + "/" + path
            let config: ExecutorConfigFile
            do {
                config = try ExecutorConfigFile.load(
                    file, displayPath: path, executor: spec.name, pythonModules: !spec.pyModules.isEmpty)
            } catch {
                throw JinaError(.invalidInput, error.summary, hint: error.hint)
            }
            if config.isPython {
                self = try Self(python: spec, shard: shard, replica: replica, options: options)
                return
            }
            usesWith = config.with.merging(spec.usesWith) { _, flow in flow }
            batching = DynamicBatchingSettings.merge(config.dynamicBatching, spec.dynamicBatching)
            image = options.resolvedImage
            command = ["jina"]
            (subcommand, builtin) = (["executor"], config.jtype)
            needsModels = Self.modelExecutors.contains(BuiltinExecutorCatalog.lookup(config.jtype)?.name ?? config.jtype)
        case .docker(let dockerImage):
            image = dockerImage
            command = nil
        case .python:
            self = try Self(python: spec, shard: shard, replica: replica, options: options)
            return
        case .hub(let reference) where reference.isContainerImage:
            image = try Self.hubImage(reference, spec: spec, options: options)
            command = nil
        case .hub(let reference):
            let key = ExecutorUses.hub(reference).text
            guard let record = options.hubPackages[key] else {
                throw JinaError(.invalidInput, "executor `\(spec.name)`: the Hub package \(key) was not resolved before export")
            }
            hubPull = ["jina", "hub", "pull", "\(record.registry)/\(record.repository)@\(record.digest)",
                       "--output", ContainerLayout.hubPackageDirectory]
            if record.manifest.kind == .python {
                // Python Jina's worker runs the package's config.yml from the volume, in the one
                // shared Python image (no image per executor).
                let python = PythonImage.hub(options: options)
                self.python = python
                image = python.image
                command = nil
                args = python.arguments(spec: spec, shard: shard, replica: replica, port: ContainerLayout.executorPort,
                                        monitoringPort: ContainerLayout.monitoringPort)
                return
            }
            image = options.resolvedImage
            command = [ContainerLayout.hubPackageDirectory + "/" + (record.manifest.executable ?? "")]
        case .program(let path):
            throw JinaError(
                .invalidInput,
                "executor `\(spec.name)` uses the local program \(path), which a \(target) container cannot run",
                hint: "build an image FROM the jina image with the program as its entrypoint and write `uses: docker://IMAGE`, or publish it with `jina hub push` and write `uses: jinaai://NS/NAME:TAG`")
        }
        var invocation = ExecutorInvocation(uses: builtin)
        invocation.usesWith = usesWith.isEmpty ? nil : SpecValue.object(usesWith).compactJSON
        invocation.dynamicBatching = batching.isEmpty ? nil : DynamicBatchingSettings.json(batching).serialized()
        invocation.exitOnExceptions = spec.exitOnExceptions
        invocation.name = spec.name
        invocation.replicaID = replica
        invocation.shardID = spec.shards > 1 ? shard : nil
        invocation.workspace = spec.workspace
        invocation.listen = .tcp(host: "0.0.0.0", port: ContainerLayout.executorPort)
        if spec.monitoring {
            invocation.monitoring = true
            invocation.portMonitoring = ContainerLayout.monitoringPort
        }
        invocation.trace(spec.tracing)
        invocation.exportMetrics(spec.metricsExport)
        let args = subcommand + invocation.arguments
        self.args = args
    }

    /// The executor's environment in its containers: the Flow's and its own `env`, plus, for a
    /// traced Python Jina executor, the sampler variables its worker reads (Jina has no ratio
    /// flag). Not for ours: swift-otel would apply the ratio a second time.
    static func environment(_ spec: ExecutorSpec, flow: Flow, options: ExportOptions, target: String) throws(JinaError) -> [String: String] {
        let environment = flow.environment(of: spec)
        guard let tracing = flow.tracing(of: spec),
              try ExecutorContainer(spec: flow.launched(spec), shard: 0, replica: nil, options: options, target: target).python != nil
        else { return environment }
        return tracing.samplerEnvironment(environment)
    }

    /// `jinaai+docker://NS/NAME:TAG`: the image at the Hub registry, as Jina mapped Hub
    /// executors to images.
    static func hubImage(_ reference: HubReference, spec: ExecutorSpec, options: ExportOptions) throws(JinaError) -> String {
        guard let registry = reference.registry ?? options.hubRegistry else {
            throw JinaError(.invalidInput, "executor `\(spec.name)`: jinaai+docker://\(reference) names no registry and JINA_HUB_REGISTRY is not set",
                            hint: "write jinaai+docker://HOST[:PORT]/NS/NAME:TAG, or export JINA_HUB_REGISTRY")
        }
        return "\(registry)/\(reference.repository)" + (reference.digest.map { "@" + $0 } ?? ":" + reference.effectiveTag)
    }

    /// A Python executor: its own image, Python Jina's CLI as the entrypoint.
    private init(python spec: ExecutorSpec, shard: Int, replica: Int?, options: ExportOptions) throws(JinaError) {
        let python = try PythonImage(spec: spec, options: options)
        self.python = python
        image = python.image
        command = nil
        args = python.arguments(spec: spec, shard: shard, replica: replica, port: ContainerLayout.executorPort,
                                monitoringPort: ContainerLayout.monitoringPort)
    }
}
