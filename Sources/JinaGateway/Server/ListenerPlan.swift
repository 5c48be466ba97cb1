import GRPCNIOTransportHTTP2
import JinaCore
import JinaProto

/// Where the gateway listens, from the gateway section (or its overrides): one listener per
/// protocol, paired with the ports in order (a missing port or 0 = a free one). Protocols that
/// no server can serve (HTTP/WebSocket without a frontend) are dropped with a warning; when
/// nothing is left, gRPC serves on the first port.
struct ListenerPlan {
    struct Listener: Equatable {
        var `protocol`: ServerProtocol
        var port: Int
    }

    var host: String
    var listeners: [Listener] = []
    var warnings: [String] = []

    init(_ configuration: GatewayConfiguration, servable: Set<ServerProtocol> = []) {
        host = configuration.host
        let protocols = configuration.flow.gateway.protocols.isEmpty ? [.grpc] : configuration.flow.gateway.protocols
        let ports = configuration.ports
        func portAt(_ index: Int) -> Int { index < ports.count ? ports[index] : 0 }
        var skipped: [(ServerProtocol, Int)] = []
        for (index, name) in protocols.enumerated() {
            if name == .grpc || servable.contains(name) {
                listeners.append(Listener(protocol: name, port: portAt(index)))
            } else {
                skipped.append((name, portAt(index)))
            }
        }
        if listeners.isEmpty {
            listeners = [Listener(protocol: .grpc, port: portAt(0))]
            let names = skipped.map(\.0.displayName).joined(separator: ", ")
            warnings.append("this gateway does not serve \(names); serving gRPC on its port instead")
        } else {
            for (name, port) in skipped {
                warnings.append("this gateway does not serve \(name.displayName); port \(port) is not opened")
            }
        }
    }

    /// The port of the gRPC listener, if gRPC is served.
    var grpcPort: Int? { listeners.first { $0.protocol == .grpc }?.port }

    /// The socket address to bind: an IP as given (`localhost` = 127.0.0.1), or the first
    /// address a host name resolves to.
    func socketAddress(port: Int) async throws(GatewayError) -> GRPCNIOTransportCore.SocketAddress {
        guard (0...65535).contains(port) else {
            throw GatewayError(.invalidInput, "gateway port \(port) is out of range 0-65535")
        }
        let ip = try await Self.resolve(host)
        return ip.contains(":") ? .ipv6(host: ip, port: port) : .ipv4(host: ip, port: port)
    }

    /// `host` as an IP address: as given (`localhost` = 127.0.0.1), or the first address a
    /// name resolves to.
    static func resolve(_ host: String) async throws(GatewayError) -> String {
        var ip = host == "localhost" ? "127.0.0.1" : host
        if !isIP(ip) {
            guard let first = await DNSReplicas.addresses(of: ip).first else {
                throw GatewayError(.invalidInput, "gateway host `\(host)` does not resolve to an address",
                                   hint: "use an IP address, e.g. 0.0.0.0 (every interface) or 127.0.0.1")
            }
            ip = first
        }
        return ip
    }

    private static func isIP(_ text: String) -> Bool {
        if text.contains(":") { return true }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { UInt8($0) != nil }
    }

    /// A failure to bind `port`, naming the address and what to try.
    func bindError(_ error: any Error, port: Int) -> GatewayError {
        GatewayError.cannotListen(host: host, port: port, cause: error)
    }
}

extension GatewayError {
    /// A failure to bind `host:port`: a port in use says so and what to try.
    public static func cannotListen(host: String, port: Int, cause error: any Error) -> GatewayError {
        let cause = RPCErrorText.describe(error)
        if RPCErrorText.isAddressInUse(error) {
            return GatewayError(
                .runtime, "cannot listen on \(host):\(port): the port is already in use",
                hint: "another process is listening there; choose another port (the gateway's `port:` in the Flow YAML, --port P, or 0 for a free one)")
        }
        return GatewayError(.runtime, "cannot listen on \(host):\(port): \(cause)")
    }

    /// The IP address to bind for `host` (see the gateway's `host`).
    public static func bindableAddress(_ host: String) async throws(GatewayError) -> String {
        try await ListenerPlan.resolve(host)
    }
}
