import JinaCore

/// The gateway container's command line: `jina gateway --uses FLOW --executor …`.
enum GatewayContainer {
    /// The gateway's container ports, one per protocol: the Flow's, else 8080, 8081, ….
    static func ports(of flow: Flow) -> [Int] {
        flow.gateway.protocols.indices.map { index in
            index < flow.gateway.ports.count && flow.gateway.ports[index] > 0
                ? flow.gateway.ports[index] : ContainerLayout.firstGatewayPort + index
        }
    }

    /// `executorFlags` are the `--executor NAME[/SHARD]=ADDR` values (one per shard, external
    /// executors too). TLS and token files are read where the export mounts them.
    static func args(flow: Flow, executorFlags: [String]) -> [String] {
        var args = ["gateway", "--uses", ContainerLayout.flowPath, "--host", "0.0.0.0"]
        for port in ports(of: flow) { args += ["--port", String(port)] }
        for flag in executorFlags { args += ["--executor", flag] }
        if flow.gateway.sslCertfile != nil || flow.gateway.sslKeyfile != nil {
            args += ["--ssl-certfile", ContainerLayout.tlsDirectory + "/tls.crt",
                     "--ssl-keyfile", ContainerLayout.tlsDirectory + "/tls.key"]
        }
        if flow.gateway.tokenFile != nil {
            args += ["--token-file", ContainerLayout.tokenDirectory + "/" + ContainerLayout.tokenFileName]
        }
        if flow.gateway.monitoring {
            args += ["--monitoring", "--port-monitoring", String(ContainerLayout.monitoringPort)]
        }
        return args
    }
}

extension GatewayContainer {
    /// `--executor NAME=grpc://HOST:PORT[,…]` for an external executor: its `host`/`port` from
    /// the Flow, one address per port (hosts paired with ports, or one host for all), as the
    /// gateway itself would read them.
    static func externalFlag(_ spec: ExecutorSpec) throws(JinaError) -> String {
        guard !spec.ports.isEmpty else {
            throw JinaError(.invalidInput, "external executor `\(spec.name)` has no port",
                            hint: "set `port:` (and `host:`) of the executor in the Flow YAML")
        }
        let hosts = spec.hosts.isEmpty ? ["127.0.0.1"] : spec.hosts
        let addresses = spec.ports.enumerated().map { index, port in
            var host = hosts.count == spec.ports.count ? hosts[index] : hosts[0]
            if host == "0.0.0.0" { host = "127.0.0.1" }
            if host.contains(":") { host = "[\(host)]" }
            return "\(spec.tls ? "grpcs" : "grpc")://\(host):\(port)"
        }
        return "\(spec.name)=\(addresses.joined(separator: ","))"
    }
}
