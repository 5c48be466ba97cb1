import JinaYAML

/// The gateway's effective settings: its own `gateway:` keys over the common keys of `with:`,
/// over Jina's defaults.
public struct GatewaySpec: Sendable, Encodable {
    /// Client-facing protocols, in the order written (several = one server each).
    public var protocols: [ServerProtocol]
    /// One port per protocol; empty = pick free ports.
    public var ports: [Int]
    public var host: String
    public var sslCertfile: String?
    public var sslKeyfile: String?
    /// Environment variable holding the accepted bearer tokens (comma-separated).
    public var tokenEnv: String?
    /// File of accepted bearer tokens, one per line.
    public var tokenFile: String?
    /// HTTP paths and gRPC services that need no token when auth is on.
    public var authExempt: [String]
    /// Largest request accepted, in bytes.
    public var maxRequestBytes: Int
    /// Most documents in one request; 0 = no limit.
    public var maxDocuments: Int
    /// Milliseconds a connection may stay idle before it is closed; 0 = never.
    public var idleTimeout: Int
    public var cors: Bool
    /// The HTTP gateway serves the playground page at `/playground`.
    public var playground: Bool
    /// `reload`: Jina restarts its gateway when the YAML it was started from changes; in `jina
    /// flow` that YAML is the Flow's, so it restarts the Flow, as `with: reload` does.
    public var reload: Bool
    /// `expose_graphql_endpoint`: the HTTP gateway also serves `/graphql`.
    public var exposeGraphQL: Bool
    public var title: String?
    public var description: String?
    /// Requests pulled at once from one client stream; 0 = no limit.
    public var prefetch: Int
    /// Milliseconds allowed per executor call; nil or 0 = no limit.
    public var timeoutSend: Int?
    /// Retries of a failed executor call; negative = max(3, replicas).
    public var retries: Int
    public var monitoring: Bool
    public var portMonitoring: Int?
    /// `tracing` and its exporter keys; nil when tracing is off.
    public var tracing: TracingSettings?
    /// `metrics` and its exporter keys; nil when OpenTelemetry metrics are off.
    public var metricsExport: MetricsExportSettings?
    public var env: [String: String]
    public var envFromSecret: [String: SpecValue]
    public var imagePullSecrets: [String]
    /// Gateway copies (Kubernetes export).
    public var replicas: Int
    /// Milliseconds to wait until ready; -1 = forever.
    public var timeoutReady: Int
    public var quiet: Bool
    /// Keys this version accepts without acting on them, as written.
    public var accepted: [String: SpecValue]
    public var marks: SourceMarks

    /// A gateway with Jina's defaults (what an empty Flow gets).
    public init() {
        self.init(SectionValues())
    }

    init(_ values: SectionValues) {
        let defaults = FlowKeys.gateway
        func int(_ key: String) -> Int { values.int(key) ?? defaults[key]?.defaultValue?.intValue ?? 0 }
        protocols = (values.strings("protocol") ?? ["GRPC"]).compactMap(ServerProtocol.init(rawValue:))
        ports = values.ints("port") ?? []
        host = values.string("host") ?? "0.0.0.0"
        sslCertfile = values.string("ssl_certfile")
        sslKeyfile = values.string("ssl_keyfile")
        tokenEnv = values.string("token_env")
        tokenFile = values.string("token_file")
        authExempt = values.strings("auth_exempt") ?? ["/", "/status", "/dry_run"]
        maxRequestBytes = int("max_request_bytes")
        maxDocuments = int("max_documents")
        idleTimeout = int("idle_timeout")
        cors = values.bool("cors") ?? false
        playground = values.bool("playground") ?? false
        reload = values.bool("reload") ?? false
        exposeGraphQL = values.bool("expose_graphql_endpoint") ?? false
        title = values.string("title")
        description = values.string("description")
        prefetch = int("prefetch")
        timeoutSend = values.int("timeout_send")
        retries = int("retries")
        monitoring = values.bool("monitoring") ?? false
        portMonitoring = values.int("port_monitoring")
        tracing = TracingSettings.from(values)
        metricsExport = MetricsExportSettings.from(values)
        env = values.stringMap("env")
        envFromSecret = values.object("env_from_secret") ?? [:]
        imagePullSecrets = values.strings("image_pull_secrets") ?? []
        replicas = int("replicas")
        timeoutReady = int("timeout_ready")
        quiet = values.bool("quiet") ?? false
        accepted = values.accepted(by: defaults)
        marks = SourceMarks(entry: values.mark, values: values.valueMarks)
    }

    /// `timeoutReady` as a duration; nil = wait forever.
    public var readyTimeout: Duration? { timeoutReady < 0 ? nil : .milliseconds(timeoutReady) }

    /// `timeoutSend` as a duration; nil = no limit.
    public var sendTimeout: Duration? { timeoutSend.flatMap { $0 > 0 ? .milliseconds($0) : nil } }
}
