import GRPCCore
import JinaCore

/// `grpc.health.v1.Health` for executors and gateways: SERVING while the server serves,
/// NOT_SERVING before that and while draining. Service `""` (the whole server) and the names of
/// the services it serves are known; any other name is NOT_FOUND, as the standard asks. `Watch`
/// sends the status and every change, and ends after reporting NOT_SERVING so that it does not
/// hold shutdown up.
public struct HealthService: Grpc_Health_V1_Health.SimpleServiceProtocol {
    /// The names `check` and `watch` answer for, besides `""` and the health service itself.
    let knownServices: Set<String>
    let state: ServingPhase

    public init(phase: ServingPhase, services: [String]) {
        state = phase
        knownServices = Set(services + ["", "grpc.health.v1.Health"])
    }

    public func check(
        request: Grpc_Health_V1_HealthCheckRequest, context: ServerContext
    ) async throws -> Grpc_Health_V1_HealthCheckResponse {
        guard knownServices.contains(request.service) else {
            throw RPCError(code: .notFound, message: "unknown service \(request.service)")
        }
        return Self.response(state.phase)
    }

    public func watch(
        request: Grpc_Health_V1_HealthCheckRequest, response: RPCWriter<Grpc_Health_V1_HealthCheckResponse>,
        context: ServerContext
    ) async throws {
        guard knownServices.contains(request.service) else {
            try await response.write(Self.status(.serviceUnknown))
            return
        }
        for await phase in state.changes() {
            try await response.write(Self.response(phase))
            if phase == .draining { return }
        }
    }

    static func response(_ phase: ServingPhase.Phase) -> Grpc_Health_V1_HealthCheckResponse {
        switch phase {
        case .starting: status(.notServing)
        case .serving: status(.serving)
        case .draining: status(.notServing)
        }
    }

    private static func status(_ status: Grpc_Health_V1_HealthCheckResponse.ServingStatus) -> Grpc_Health_V1_HealthCheckResponse {
        var response = Grpc_Health_V1_HealthCheckResponse()
        response.status = status
        return response
    }
}
