extension FlowKeys {
    /// Keys of the `gateway:` section (the `jina gateway` parser, jina-reference §1.4 and §2.3).
    public static let gateway = KeyTable([
        KeySpec("protocol", .oneOrMany(protocolKind), "GRPC",
                "Client-facing protocol(s): GRPC, HTTP, WEBSOCKET; several = one port each", aliases: ["protocols"]),
        KeySpec("port", .oneOrMany(portKind), nil, "Port(s), one per protocol; default: free ports",
                aliases: ["ports", "port_expose", "port_in"]),
        KeySpec("host", .string, "0.0.0.0", "Bind host"),
        KeySpec("prefetch", .int(min: 0), 1000, "Requests pulled at once from a client stream; 0 = no limit"),
        KeySpec("timeout_send", .int(min: 0), nil, "Milliseconds allowed per executor call; 0 or unset = no limit"),
        KeySpec("retries", .int(), -1, "Retries of a failed executor call; negative = max(3, replicas)"),
        .accepted("compression", compressionKind, nil, "gRPC compression towards executors"),
        .rejected("uses", .string, "Custom gateway class",
                  message: "custom gateways (`uses` under `gateway:`) are not supported",
                  hint: "remove it: the built-in gateway serves gRPC, HTTP and WebSocket"),
        .rejected("uses_with", .object, "Arguments of a custom gateway",
                  message: "custom gateways (`uses_with` under `gateway:`) are not supported",
                  hint: "remove it: the built-in gateway takes no `uses_with`"),
        .rejected("py_modules", .oneOrMany(.string), "Python modules of a custom gateway",
                  message: "custom gateways (`py_modules` under `gateway:`) are not supported",
                  hint: "remove it: the built-in gateway serves gRPC, HTTP and WebSocket"),
        KeySpec("replicas", .int(min: 1), 1, "Gateway copies (Kubernetes export)"),
        KeySpec("title", .string, nil, "OpenAPI title of the HTTP gateway"),
        KeySpec("description", .string, nil, "OpenAPI description of the HTTP gateway"),
        KeySpec("cors", .bool, false, "Allow cross-origin requests on the HTTP gateway"),
        .accepted("uvicorn_kwargs", .object, nil, "uvicorn arguments"),
        KeySpec("ssl_certfile", .string, nil, "TLS certificate for the gateway's servers (with ssl_keyfile)"),
        KeySpec("ssl_keyfile", .string, nil, "TLS private key for the gateway's servers (with ssl_certfile)"),
        .accepted("no_debug_endpoints", .bool, false, "Ignored by Jina in docarray-v2 mode"),
        .accepted("no_crud_endpoints", .bool, false, "Ignored by Jina in docarray-v2 mode"),
        .accepted("expose_endpoints", .any, nil, "Ignored by Jina in docarray-v2 mode"),
        .accepted("expose_graphql_endpoint", .bool, false, "GraphQL endpoint (Jina only logs that it is disabled)"),
        .accepted("proxy", .bool, false, "Keep http(s)_proxy variables"),
        KeySpec("monitoring", .bool, false, "Expose Prometheus metrics"),
        KeySpec("port_monitoring", portKind, nil, "Port of the metrics endpoint; default: a free port"),
    ] + observabilityKeys + [
        KeySpec("env", .environment, nil, "Environment variables of the gateway"),
        KeySpec("env_from_secret", .map(.object), nil, "Kubernetes only: VAR → {name, key} of a Secret"),
        KeySpec("image_pull_secrets", .oneOrMany(.string), nil, "Kubernetes only: image pull secrets"),
        KeySpec("timeout_ready", .int(min: -1), 600_000, "Milliseconds to wait until ready; -1 = forever"),
        .accepted("timeout_ctrl", .int(min: 0), 60, "Milliseconds for control requests"),
        .accepted("reload", .bool, false, "Hot reload"),
        .accepted("name", .string, "gateway", "Gateway name"),
        .accepted("workspace", .string, nil, "Working directory"),
        .accepted("workspace_id", .string, nil, "Workspace id"),
        .accepted("log_config", .string, "default", "Logger configuration"),
        KeySpec("quiet", .bool, false, "No log output"),
        .accepted("quiet_error", .bool, false, "No error tracebacks"),
        .accepted("grpc_server_options", .object, nil, "Raw gRPC server options"),
        .accepted("grpc_channel_options", .object, nil, "Raw gRPC channel options"),
        .accepted("extra_search_paths", .oneOrMany(.string), nil, "Module and YAML search paths"),
        .accepted("k8s_namespace", .string, nil, "Kubernetes namespace (set by export)"),
    ] + derivedGatewayKeys.map {
        .rejected($0, .any, "Set by `jina flow` from the executors",
                  message: "`\($0)` is derived from the Flow's executors and cannot be set",
                  hint: "describe the executors under `executors:`")
    })

    /// `jina gateway` flags that a Flow computes itself.
    static let derivedGatewayKeys = [
        "graph_description", "deployments_addresses", "graph_conditions", "deployments_metadata",
        "deployments_no_reduce",
    ]
}
