public import JinaCore

/// The front door the runner starts once every executor is ready, and stops first on shutdown.
/// `JinaGatewayFrontDoor` adapts the real gateway; tests use fakes.
public protocol FlowGateway: Sendable {
    /// Binds, calls `onReady` with the bound addresses, and serves until the graceful shutdown
    /// of the `ServiceGroup` it runs in (`FlowRunner`'s front): then it drains in-flight requests
    /// (bounded) and returns. Cancellation stops it at once.
    func run(addresses: [String: [[ExecutorAddress]]], onReady: @escaping @Sendable ([FlowListener]) -> Void) async throws
}

/// One address the gateway listens on.
public struct FlowListener: Sendable, Equatable {
    public var protocolName: ServerProtocol
    public var host: String
    public var port: Int
    /// Whether it speaks TLS (grpcs, https, wss).
    public var tls: Bool

    public init(protocolName: ServerProtocol, host: String, port: Int, tls: Bool = false) {
        self.protocolName = protocolName
        self.host = host
        self.port = port
        self.tls = tls
    }

    /// `grpc://0.0.0.0:12345`, `http://…`, `ws://…` (`grpcs`, `https`, `wss` with TLS).
    public var url: String {
        let scheme = switch protocolName {
        case .grpc: "grpc"
        case .http: "http"
        case .websocket: "ws"
        }
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)\(tls ? "s" : "")://\(shownHost):\(port)"
    }
}
