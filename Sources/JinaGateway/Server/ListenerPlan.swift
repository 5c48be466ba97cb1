import GRPCNIOTransportHTTP2
import JinaCore

/// Where the gRPC server listens, from the gateway section (or its overrides): the port of
/// the `grpc` protocol, or the first port when gRPC is not listed; warnings for protocols
/// that are not served yet.
struct ListenerPlan {
    var host: String
    var port: Int
    var warnings: [String] = []

    init(_ configuration: GatewayConfiguration) {
        host = configuration.host
        let protocols = configuration.flow.gateway.protocols.isEmpty ? [.grpc] : configuration.flow.gateway.protocols
        let ports = configuration.ports
        func portAt(_ index: Int) -> Int { index < ports.count ? ports[index] : 0 }
        if let index = protocols.firstIndex(of: .grpc) {
            port = portAt(index)
            for (other, name) in protocols.enumerated() where name != .grpc {
                warnings.append("the gateway does not serve \(name.displayName) yet (it comes with the HTTP/WebSocket gateway); "
                    + "port \(portAt(other)) is not opened — use gRPC on port \(port == 0 ? "(free)" : String(port))")
            }
        } else {
            port = portAt(0)
            let names = protocols.map(\.displayName).joined(separator: ", ")
            warnings.append("the gateway does not serve \(names) yet (it comes with the HTTP/WebSocket gateway); serving gRPC on its port instead")
        }
    }

    /// The socket address to bind: an IP as given (`localhost` = 127.0.0.1), or the first
    /// address a host name resolves to.
    func socketAddress() async throws(GatewayError) -> GRPCNIOTransportCore.SocketAddress {
        guard (0...65535).contains(port) else {
            throw GatewayError(.invalidInput, "gateway port \(port) is out of range 0-65535")
        }
        var ip = host == "localhost" ? "127.0.0.1" : host
        if !Self.isIP(ip) {
            guard let first = await DNSReplicas.addresses(of: ip).first else {
                throw GatewayError(.invalidInput, "gateway host `\(host)` does not resolve to an address",
                                   hint: "use an IP address, e.g. 0.0.0.0 (every interface) or 127.0.0.1")
            }
            ip = first
        }
        return ip.contains(":") ? .ipv6(host: ip, port: port) : .ipv4(host: ip, port: port)
    }

    private static func isIP(_ text: String) -> Bool {
        if text.contains(":") { return true }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { UInt8($0) != nil }
    }

    /// A failure to bind, naming the address and what to try.
    func bindError(_ error: any Error) -> GatewayError {
        let cause = ExecutorConnection.describe(error)
        if cause.contains("Address already in use") || cause.contains("errno: 98") || cause.contains("EADDRINUSE") {
            return GatewayError(
                .runtime, "cannot listen on \(host):\(port): the port is already in use",
                hint: "another process is listening there; choose another port (the gateway's `port:` in the Flow YAML, --port P, or 0 for a free one)")
        }
        return GatewayError(.runtime, "cannot listen on \(host):\(port): \(cause)")
    }
}
