/// The key tables of Flow YAML, one per section: the single source of truth for the validator,
/// the typed spec's defaults, and the JSON Schema.
public enum FlowKeys {
    /// Keys at the top of a Flow file.
    public static let topLevel = KeyTable([
        KeySpec("jtype", .string, nil, "Must be `Flow` (or tag the file `!Flow`)"),
        KeySpec("version", .text, "1", "Flow YAML version; only `1` exists"),
        KeySpec("with", .object, nil, "Flow settings, and settings shared by the gateway and every executor"),
        KeySpec("gateway", .object, nil, "Settings of the gateway only"),
        KeySpec("executors", .any, [], "The executors, in order", aliases: ["deployments"]),
    ])

    /// The Flow's own keys under `with:` (the `jina flow` parser); they are not passed on.
    public static let flowOwn = KeyTable([
        KeySpec("name", .string, nil, "Name of the Flow (also the default Kubernetes namespace)"),
        KeySpec("workspace", .string, nil, "Working directory of the Flow"),
        .accepted("log_config", .string, "default", "Logger configuration"),
        KeySpec("quiet", .bool, false, "No log output"),
        .accepted("quiet_error", .bool, false, "No error tracebacks"),
        .accepted("suppress_root_logging", .bool, false, "Silence the root logger"),
        .accepted("uses", .string, nil, "The Flow YAML itself"),
        KeySpec("reload", .bool, false, "Restart the Flow when its YAML file changes (and is valid)"),
        KeySpec("env", .environment, nil, "Environment variables set for the whole Flow (every executor inherits them)"),
        .accepted("inspect", .oneOf(["HANG", "REMOVE", "COLLECT"], caseInsensitive: true), "COLLECT",
                  "What to do with inspect deployments"),
        .accepted("workspace_id", .string, nil, "Workspace id"),
    ])

    /// Common keys of `with:` that are never passed to executors (Jina's `EXCLUDE_ARGS`).
    public static let notInheritedByExecutors: Set<String> = [
        "port", "ports", "port_monitoring", "uses", "uses_with", "protocol", "protocols",
    ]

    /// Common keys of `with:` that are never passed to the gateway (Jina passes `py_modules`
    /// on, where the gateway merely imports them; here they are for Python executors only).
    public static let notInheritedByGateway: Set<String> = ["uses", "uses_with", "py_modules"]

    /// Whether a common `with:` key (canonical name) reaches the gateway.
    public static func gatewayInherits(_ key: String) -> Bool {
        gateway[key] != nil && !notInheritedByGateway.contains(key)
    }

    /// Whether a common `with:` key (canonical name) reaches executors that do not set it.
    public static func executorsInherit(_ key: String) -> Bool {
        executor[key] != nil && !notInheritedByExecutors.contains(key)
    }

    /// Common keys of `with:`: every gateway or executor key that is not one of the Flow's own.
    /// Support is what the key amounts to where it goes (used if any receiver acts on it).
    public static let withCommon: KeyTable = {
        var names: [String] = []
        for key in executor.keys + gateway.keys where flowOwn[key.name] == nil && !names.contains(key.name) {
            names.append(key.name)
        }
        return KeyTable(names.compactMap { name -> KeySpec? in
            if name == "jtype" { return nil }
            var spec = executor[name] ?? gateway[name]!
            spec.aliases = Array(Set((executor[name]?.aliases ?? []) + (gateway[name]?.aliases ?? []))).sorted()
            spec.support = withSupport(name)
            if let override = withOverrides[name] { spec.support = override.support; spec.note = override.note }
            return spec
        })
    }()

    private static func withSupport(_ name: String) -> KeySpec.Support {
        let receivers = (executorsInherit(name) ? [executor[name]!] : [])
            + (gatewayInherits(name) ? [gateway[name]!] : [])
        if let rejected = receivers.first(where: { if case .rejected = $0.support { true } else { false } }) {
            return rejected.support
        }
        return receivers.contains { $0.support == .used } ? .used : .accepted
    }

    /// Common keys whose meaning under `with:` differs from the generic rule.
    private static let withOverrides: [String: (support: KeySpec.Support, note: String?)] = [
        "ssl_certfile": (.rejected(
            "`ssl_certfile` under `with` would make every executor a TLS server and the Flow would never get ready",
            hint: "put `ssl_certfile` and `ssl_keyfile` under `gateway:`"), nil),
        "ssl_keyfile": (.rejected(
            "`ssl_keyfile` under `with` would make every executor a TLS server and the Flow would never get ready",
            hint: "put `ssl_certfile` and `ssl_keyfile` under `gateway:`"), nil),
        "needs": (.accepted, "`needs` under `with` has no effect (in Jina either); set it on each executor"),
        "uses_with": (.accepted, "`uses_with` under `with` reaches no executor (in Jina either); set it on each executor"),
    ]

    /// Every key `with:` accepts: the Flow's own, then the common ones.
    static var withSpellings: [String] { flowOwn.spellings + withCommon.spellings }

    /// Protocols of servers: stored upper-case, written in any case.
    static let protocolKind = ValueKind.oneOf(["GRPC", "HTTP", "WEBSOCKET"], caseInsensitive: true)
    /// A TCP port a user may choose.
    static let portKind = ValueKind.int(min: 1, max: 65535)
    /// gRPC compression algorithms.
    static let compressionKind = ValueKind.oneOf(["NoCompression", "Deflate", "Gzip"], caseInsensitive: true)
}
