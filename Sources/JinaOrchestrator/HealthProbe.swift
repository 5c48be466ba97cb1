import GRPCCore
import GRPCNIOTransportHTTP2
import JinaProto

/// One gRPC health `Check` over an executor's Unix socket: the readiness test after the
/// executor printed its `ready` line (it must also answer the protocol, not just print).
enum HealthProbe {
    enum Outcome: Sendable, Equatable {
        case serving
        case notServing(String)
    }

    static func check(socketPath: String, timeout: Duration) async -> Outcome {
        do {
            let transport = try HTTP2ClientTransport.Posix(
                target: .unixDomainSocket(path: socketPath), transportSecurity: .plaintext)
            return try await withGRPCClient(transport: transport) { client in
                let health = Grpc_Health_V1_Health.Client(wrapping: client)
                var options = CallOptions.defaults
                options.timeout = timeout
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
