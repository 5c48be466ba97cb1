/// An open connection to a gateway; `send` may be called concurrently and answers each request
/// with its own reply (streaming transports match replies by request id).
public protocol ClientConnection: Sendable {
    /// Sends one request; a reply with an error status throws `ClientError.requestFailed`.
    func send(_ request: ClientRequest) async throws(ClientError) -> ClientReply
}

/// One way of reaching a gateway (gRPC, HTTP or WebSocket): the one place that knows how to send
/// requests and how to check readiness over that protocol. `jina client` and `jina ping` use it.
public protocol ClientTransport: Sendable {
    /// Opens a connection, runs `body` with it and closes it when `body` returns.
    func withConnection<Result: Sendable>(
        _ body: (any ClientConnection) async throws -> Result
    ) async throws -> Result

    /// One readiness check: nil when ready, else why not. `flow` checks the whole graph (a dry
    /// run), `gateway`/`executor` the one server's health.
    func check(_ kind: PingKind, timeout: Duration?) async -> String?
}

/// The transport for a target's scheme.
public enum ClientTransports {
    public static func make(_ target: GatewayTarget, security: ClientSecurity = ClientSecurity(), inFlight: Int = 16) -> any ClientTransport {
        switch target.wireProtocol {
        case .grpc: GRPCClientTransport(target: target, security: security)
        case .http where target.isGraphQL:
            GraphQLClientTransport(http: HTTPClientTransport(target: target, security: security, inFlight: inFlight))
        case .http: HTTPClientTransport(target: target, security: security, inFlight: inFlight)
        case .websocket: WebSocketClientTransport(target: target, security: security)
        }
    }
}
