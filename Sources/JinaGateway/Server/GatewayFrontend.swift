public import JinaCore
public import JinaProto
public import Logging

/// A client-facing server other than gRPC (HTTP, WebSocket), plugged into `Gateway` so that
/// every protocol shares one graph, one set of executor connections and one `RequestRouter`.
/// The HTTP/WebSocket implementation lives in `JinaHTTPGateway`; tests may use fakes.
public protocol GatewayFrontend: Sendable {
    /// The protocols this frontend can serve.
    var protocols: Set<ServerProtocol> { get }

    /// Binds `host:port` (0 = a free port) for `protocol`, calls `onBound` with the bound port,
    /// serves requests through `backend`, and returns once the graceful shutdown of the calling
    /// `Service` (the gateway's listeners) has come and the requests in flight have been
    /// answered; `backend.phase` is draining by then. Cancellation stops it at once. Throws when
    /// it cannot bind (`GatewayError`).
    func run(
        protocol: ServerProtocol, host: String, port: Int, backend: GatewayBackend,
        onBound: @escaping @Sendable (Int) -> Void
    ) async throws
}

/// What a frontend reaches behind it: the router, the executors' endpoints, the serving phase,
/// the gateway's security and limits, and its info.
public struct GatewayBackend: Sendable {
    public let router: RequestRouter
    public let phase: ServingPhase
    public let security: GatewaySecurity
    public let limits: GatewayLimits
    public let info: Jina_JinaInfoProto
    public let gateway: GatewaySpec
    public let logger: Logger
    let discovery: @Sendable () async throws -> Jina_EndpointsProto

    public init(
        router: RequestRouter, phase: ServingPhase, security: GatewaySecurity, limits: GatewayLimits,
        info: Jina_JinaInfoProto, gateway: GatewaySpec, logger: Logger,
        discovery: @escaping @Sendable () async throws -> Jina_EndpointsProto
    ) {
        self.router = router
        self.phase = phase
        self.security = security
        self.limits = limits
        self.info = info
        self.gateway = gateway
        self.logger = logger
        self.discovery = discovery
    }

    /// The union of the executors' endpoints with their schemas, as `endpoint_discovery`
    /// answers on the gateway.
    public func discoverEndpoints() async throws -> Jina_EndpointsProto {
        try await discovery()
    }
}

