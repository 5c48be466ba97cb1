public import GRPCCore

/// Demands `authorization: Bearer TOKEN` metadata on every gRPC call, answering
/// `UNAUTHENTICATED` otherwise. The health service (`grpc.health.v1.Health`, for probes), the
/// services listed in `auth_exempt`, and the twins of exempt HTTP routes (`/status` =
/// `jina.JinaInfoRPC`, `/dry_run` = `jina.JinaGatewayDryRunRPC`) stay open.
public struct BearerTokenInterceptor: ServerInterceptor {
    let security: GatewaySecurity

    public init(security: GatewaySecurity) {
        self.security = security
    }

    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        guard let tokens = security.tokens else { return try await next(request, context) }
        let service = context.descriptor.service.fullyQualifiedService
        if service == "grpc.health.v1.Health" || security.exempt.contains(service)
            || Self.httpTwin[service].map({ security.isExempt(path: $0) }) == true {
            return try await next(request, context)
        }
        let header = request.metadata[stringValues: "authorization"].first(where: { _ in true })
        guard tokens.acceptsAuthorization(header) else {
            let message = header == nil
                ? "missing authorization metadata: send `authorization: Bearer <token>`"
                : "the bearer token is not accepted"
            return StreamingServerResponse(error: RPCError(code: .unauthenticated, message: message))
        }
        return try await next(request, context)
    }

    /// gRPC services that answer what an HTTP route answers.
    static let httpTwin = ["jina.JinaInfoRPC": "/status", "jina.JinaGatewayDryRunRPC": "/dry_run"]
}
