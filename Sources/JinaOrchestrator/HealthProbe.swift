import GRPCCore
import GRPCNIOTransportHTTP2
import JinaCore
import JinaProto

/// One gRPC health `Check` of an executor (its Unix socket, or loopback TCP for a Python
/// executor): the readiness test after the executor printed its `ready` line (it must also
/// answer the protocol, not just print).
enum HealthProbe {
    enum Outcome: Sendable, Equatable {
        case serving
        case notServing(String)
    }

    static func check(_ address: ExecutorAddress, timeout: Duration) async -> Outcome {
        let target: any ResolvableTarget
        switch address {
        case .unix(let path): target = .unixDomainSocket(path: path)
        case .tcp(let host, let port, _): target = .ipv4(address: host, port: port)
        case .dns(let name, let port): target = .dns(host: name, port: port)
        }
        do {
            let transport = try HTTP2ClientTransport.Posix(target: target, transportSecurity: .plaintext)
            return try await withGRPCClient(transport: transport) { client in
                let health = Grpc_Health_V1_Health.Client(wrapping: client)
                var options = CallOptions.defaults
                options.timeout = timeout
                // The executor printed its ready line after binding: a socket that refuses is an
                // executor that died, so fail at once rather than wait for it to come back (with
                // waiting, a replica stopped just after its ready line left this call retrying
                // the connection for the rest of timeout_ready, 10 minutes by default: the
                // `swift test` hang of issue #16).
                options.waitForReady = false
                let response = try await health.check(Grpc_Health_V1_HealthCheckRequest(), options: options)
                return response.status == .serving
                    ? .serving : .notServing("its health check answered \(response.status)")
            }
        } catch let error as RPCError {
            return .notServing("its health check failed: \(error.code): \(error.message)")
        } catch {
            return .notServing("its health check failed: \(error)")
        }
    }
}
