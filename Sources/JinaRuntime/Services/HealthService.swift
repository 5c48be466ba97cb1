import GRPCCore
import JinaProto

/// `grpc.health.v1.Health`: SERVING once the executor is loaded and listening, NOT_SERVING while
/// draining. Service `""` (the whole server) and each Jina service name are known; any other
/// name is NOT_FOUND, as the standard asks. `Watch` sends the status and every change, and ends
/// after reporting NOT_SERVING so that it does not hold shutdown up.
struct HealthService: Grpc_Health_V1_Health.SimpleServiceProtocol {
    static let knownServices: Set<String> = [
        "", "jina.JinaRPC", "jina.JinaSingleDataRequestRPC", "jina.JinaDataRequestRPC",
        "jina.JinaDiscoverEndpointsRPC", "jina.JinaInfoRPC", "grpc.health.v1.Health",
    ]

    let state: ServingState

    func check(
        request: Grpc_Health_V1_HealthCheckRequest, context: ServerContext
    ) async throws -> Grpc_Health_V1_HealthCheckResponse {
        guard Self.knownServices.contains(request.service) else {
            throw RPCError(code: .notFound, message: "unknown service \(request.service)")
        }
        return Self.response(state.phase)
    }

    func watch(
        request: Grpc_Health_V1_HealthCheckRequest, response: RPCWriter<Grpc_Health_V1_HealthCheckResponse>,
        context: ServerContext
    ) async throws {
        guard Self.knownServices.contains(request.service) else {
            try await response.write(Self.status(.serviceUnknown))
            return
        }
        for await phase in state.changes() {
            try await response.write(Self.response(phase))
            if phase == .draining { return }
        }
    }

    static func response(_ phase: ServingState.Phase) -> Grpc_Health_V1_HealthCheckResponse {
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
