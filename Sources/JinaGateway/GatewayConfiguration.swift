public import JinaCore
public import JinaObservability

/// Where one executor's replicas listen: `shards[s][r]` is replica `r` of shard `s`.
public struct DeploymentAddresses: Sendable, Equatable {
    /// Shards × replicas.
    public var shards: [[ExecutorAddress]]

    public init(shards: [[ExecutorAddress]]) {
        self.shards = shards
    }

    /// One shard with these replicas.
    public init(replicas: [ExecutorAddress]) {
        shards = [replicas]
    }
}

/// How the gateway reaches its executors.
public enum ExecutorTransport: String, Sendable, CaseIterable {
    /// The local wire (`LocalFrame`) to executors on a Unix socket that offer it, otherwise a
    /// `Call` stream (default).
    case local
    /// Requests multiplexed over one long-lived `JinaRPC/Call` stream per replica.
    case callStream = "stream"
    /// One `process_single_data` call per request (kept for comparison and odd executors).
    case unary
}

/// What serves the gateway's gRPC port.
public enum GRPCServerKind: String, Sendable, CaseIterable {
    /// Our HTTP/2 front door: the data methods on SwiftNIO, the rest through grpc-swift in
    /// process (default).
    case frontDoor = "nio"
    /// grpc-swift's server for every method (kept for comparison).
    case grpcSwift = "grpc-swift"
}

/// Everything a gateway needs: the Flow (graph, `when`, polling, timeouts, gateway section)
/// and where each executor's replicas listen.
public struct GatewayConfiguration: Sendable {
    public var flow: Flow
    /// Executor name → its addresses. External executors may be left out: their `host`/`port`
    /// from the Flow are used.
    public var addresses: [String: DeploymentAddresses]
    /// Host to bind (`flow.gateway.host` unless overridden).
    public var host: String
    /// One port per protocol of `flow.gateway.protocols` (the Flow's unless overridden); a
    /// missing port or 0 = a free port.
    public var ports: [Int]
    /// How requests travel to executors.
    public var executorTransport: ExecutorTransport = .local
    /// What serves gRPC to clients.
    public var grpcServer: GRPCServerKind = .frontDoor
    /// How often `dns://` names are looked up again.
    public var dnsRefreshInterval: Duration = .seconds(30)
    /// The metrics the router records (served by the caller's `MetricsServer`); nil = none.
    public var metrics: GatewayMetrics?
    /// Tokens and TLS identity already resolved; nil = read them from the gateway section
    /// (`token_env`, `token_file`, `ssl_certfile`, `ssl_keyfile`) when the gateway starts.
    public var security: GatewaySecurity?

    /// `host`/`ports` override the Flow's gateway section; port 0 = a free port.
    public init(flow: Flow, addresses: [String: DeploymentAddresses], host: String? = nil, ports: [Int]? = nil) {
        self.flow = flow
        self.addresses = addresses
        self.host = host ?? flow.gateway.host
        self.ports = ports ?? flow.gateway.ports
    }

    /// The addresses of `executor`: given ones, else (external executors) its `host`/`port`
    /// from the Flow — one replica per port, hosts paired with ports (one host for all).
    public func deploymentAddresses(of executor: ExecutorSpec) throws(GatewayError) -> DeploymentAddresses {
        if let given = addresses[executor.name] {
            guard !given.shards.isEmpty, given.shards.allSatisfy({ !$0.isEmpty }) else {
                throw GatewayError(.invalidInput, "executor `\(executor.name)` has a shard without any address")
            }
            return given
        }
        guard executor.external else {
            throw GatewayError(
                .invalidInput, "no address for executor `\(executor.name)`",
                hint: "pass --executor \(executor.name)=ADDR (grpc://HOST:PORT, unix:///PATH or dns://NAME:PORT)")
        }
        guard !executor.ports.isEmpty else {
            throw GatewayError(
                .invalidInput, "external executor `\(executor.name)` has no port",
                hint: "set `port:` (and `host:`) of the executor in the Flow YAML")
        }
        var replicas: [ExecutorAddress] = []
        for (index, port) in executor.ports.enumerated() {
            let hosts = executor.hosts.isEmpty ? ["127.0.0.1"] : executor.hosts
            var host = hosts.count == executor.ports.count ? hosts[index] : hosts[0]
            if host == "0.0.0.0" { host = "127.0.0.1" }
            replicas.append(.tcp(host: host, port: port, tls: executor.tls))
        }
        return DeploymentAddresses(replicas: replicas)
    }
}

/// One address the gateway listens on, as `run` reports it once bound.
extension GatewayConfiguration {
    /// Where the head executor `role` of `executor` runs: the address `jina flow` (or
    /// `--executor NAME/uses_before-0=ADDR`) gives, else its `uses_before_address` (`HOST:PORT`).
    public func headAddresses(of executor: ExecutorSpec, role: HeadRole) throws(GatewayError) -> DeploymentAddresses {
        let name = executor.headName(role)
        if let given = addresses[name], given.shards.first?.isEmpty == false { return DeploymentAddresses(replicas: given.shards[0]) }
        guard let text = executor.headAddress(role) else {
            throw GatewayError(.invalidInput, "no address for `\(role.rawValue)` of executor `\(executor.name)`",
                               hint: "pass --executor \(name)=ADDR, or set `\(role.rawValue)_address` in the Flow YAML")
        }
        do {
            return DeploymentAddresses(replicas: [try ExecutorAddress(parsing: text.contains("://") ? text : "grpc://\(text)")])
        } catch {
            throw GatewayError(.invalidInput, "executor `\(executor.name)`: \(role.rawValue)_address `\(text)`: \(error.summary)",
                               hint: "write it as HOST:PORT")
        }
    }
}

public struct GatewayListener: Sendable, Equatable, CustomStringConvertible {
    public var `protocol`: ServerProtocol
    public var host: String
    /// The bound port (the real one when 0 was asked for).
    public var port: Int
    /// Whether the listener speaks TLS (grpcs, https, wss).
    public var tls: Bool

    public init(protocol: ServerProtocol, host: String, port: Int, tls: Bool = false) {
        self.protocol = `protocol`
        self.host = host
        self.port = port
        self.tls = tls
    }

    /// `grpc://HOST:PORT` (`grpcs`, `http(s)`, `ws(s)`), the form of the ready line.
    public var description: String {
        let scheme = switch `protocol` {
        case .grpc: "grpc"
        case .http: "http"
        case .websocket: "ws"
        }
        return "\(scheme)\(tls ? "s" : "")://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }
}
