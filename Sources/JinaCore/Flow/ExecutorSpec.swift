import JinaYAML

/// One executor entry (a Deployment) with its effective settings: its own keys over the
/// common keys of `with:` (except those Jina never passes on), over Jina's defaults.
public struct ExecutorSpec: Sendable, Encodable {
    /// The entry's name, or `executor<N>` (N = 0-based position) when it sets none.
    public var name: String
    public var uses: ExecutorUses
    /// Arguments of the executor, as written (checked against the catalogue for built-ins).
    public var usesWith: [String: SpecValue]
    public var replicas: Int
    public var shards: Int
    public var polling: PollingSpec
    /// Executors (or `gateway`) this one receives from, after default chaining.
    public var needs: [String]
    /// Whether `needs` was written (rather than the default chaining).
    public var needsWritten: Bool
    /// `uses_before`: what gets each request before the fan-out to the shards (shards > 1 only).
    public var usesBefore: ExecutorUses?
    /// `uses_after`: what gets every shard's reply instead of the gateway's reduce (shards > 1 only).
    public var usesAfter: ExecutorUses?
    /// `uses_before_address` / `uses_after_address`: a running head executor (HOST:PORT).
    public var usesBeforeAddress: String?
    public var usesAfterAddress: String?
    /// Document filter (docarray query language); nil = every document.
    public var when: SpecValue?
    /// This executor's own environment; the Flow's `with: env` applies underneath it.
    public var env: [String: String]
    public var envFromSecret: [String: SpecValue]
    public var imagePullSecrets: [String]
    public var floating: Bool
    public var external: Bool
    public var tls: Bool
    public var grpcMetadata: [String: String]
    /// Bind host, or the external executor's address(es): one, or one per replica.
    public var hosts: [String]
    /// Port(s); empty = pick a free port; several = one per replica of an external executor.
    public var ports: [Int]
    /// Milliseconds to wait until ready; -1 = forever.
    public var timeoutReady: Int
    /// Milliseconds allowed per request; nil or 0 = no limit.
    public var timeoutSend: Int?
    /// gRPC retries; negative = max(3, replicas).
    public var retries: Int
    /// `retry_on_timeout`: an attempt past `timeout_send` is tried again on another replica.
    public var retryOnTimeout: Bool
    public var monitoring: Bool
    public var portMonitoring: Int?
    /// `tracing` and its exporter keys; nil when tracing is off.
    public var tracing: TracingSettings?
    /// `metrics` and its exporter keys; nil when OpenTelemetry metrics are off.
    public var metricsExport: MetricsExportSettings?
    public var noReduce: Bool
    public var gpus: String?
    public var workspace: String?
    public var quiet: Bool
    /// `py_modules` in effect (own or from `with:`), as written: relative to the Flow file's folder.
    public var pyModules: [String]
    /// `reload`: restart the replicas when the executor's files change.
    public var reload: Bool
    /// `exit_on_exceptions`: error type names on which the executor process exits.
    public var exitOnExceptions: [String]
    /// `uses_dynamic_batching`: per endpoint or handler name, laid over what the executor declares.
    public var dynamicBatching: [String: DynamicBatchingSettings]
    /// The keys Python Jina's worker gets as flags (`FlowKeys.passedToPython`), as written.
    public var pythonOptions: [String: SpecValue]
    /// Keys this version accepts without acting on them, as written.
    public var accepted: [String: SpecValue]
    /// Where the entry and its values were written (`marks.entry` is the entry's first key).
    public var marks: SourceMarks
    /// Where the name was written; nil for a default name.
    public var nameMark: Mark? { marks.values["name"] }

    init(name: String, uses: ExecutorUses, needs: [String], values: SectionValues) {
        let defaults = FlowKeys.executor
        func int(_ key: String) -> Int { values.int(key) ?? defaults[key]?.defaultValue?.intValue ?? 0 }
        func bool(_ key: String) -> Bool { values.bool(key) ?? false }
        self.name = name
        self.uses = uses
        usesWith = values.object("uses_with") ?? [:]
        replicas = int("replicas")
        shards = int("shards")
        polling = PollingSpec(values.value("polling"))
        if uses == .builtin("VectorIndex"), values.value("polling") == nil {
            // The index's own default: a document is stored by one shard, every other request
            // (search, update, delete, count…) goes to all of them.
            polling = PollingSpec(default: .all, perEndpoint: ["/index": .any])
        }
        self.needs = needs
        needsWritten = values.value("needs") != nil
        when = values.value("when")
        usesBeforeAddress = values.string("uses_before_address")
        usesAfterAddress = values.string("uses_after_address")
        env = values.stringMap("env")
        envFromSecret = values.object("env_from_secret") ?? [:]
        imagePullSecrets = values.strings("image_pull_secrets") ?? []
        floating = bool("floating")
        external = bool("external")
        tls = bool("tls")
        grpcMetadata = values.stringMap("grpc_metadata")
        hosts = values.strings("host") ?? ["0.0.0.0"]
        ports = values.ints("port") ?? []
        timeoutReady = int("timeout_ready")
        timeoutSend = values.int("timeout_send")
        retries = int("retries")
        retryOnTimeout = values.bool("retry_on_timeout") ?? true
        monitoring = bool("monitoring")
        portMonitoring = values.int("port_monitoring")
        tracing = TracingSettings.from(values)
        metricsExport = MetricsExportSettings.from(values)
        noReduce = bool("no_reduce")
        gpus = values.string("gpus")
        workspace = values.string("workspace")
        quiet = bool("quiet")
        pyModules = values.strings("py_modules") ?? []
        pythonOptions = [:]
        exitOnExceptions = values.strings("exit_on_exceptions") ?? []
        reload = bool("reload")
        dynamicBatching = (try? DynamicBatchingSettings.table(values.value("uses_dynamic_batching")?.jsonValue ?? .null)) ?? [:]
        for key in FlowKeys.passedToPython {
            if let value = values.value(key), value != .null { pythonOptions[key] = value }
        }
        accepted = values.accepted(by: defaults)
        marks = SourceMarks(entry: values.mark, values: values.valueMarks)
    }

    /// `timeoutReady` as a duration; nil = wait forever.
    public var readyTimeout: Duration? { timeoutReady < 0 ? nil : .milliseconds(timeoutReady) }

    /// `timeoutSend` as a duration; nil = no limit.
    public var sendTimeout: Duration? { timeoutSend.flatMap { $0 > 0 ? .milliseconds($0) : nil } }

    /// The name as Kubernetes and docker-compose objects use it: lower-case, `_` → `-`.
    public var kubernetesName: String { Self.kubernetesName(name) }

    /// Lower-cases `name` and turns `_` (and the `/` of a head executor's name) into `-`.
    public static func kubernetesName(_ name: String) -> String {
        String(name.lowercased().map { $0 == "_" || $0 == "/" ? "-" : $0 })
    }
}
