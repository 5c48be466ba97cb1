public import JinaCore
public import JinaGateway
public import JinaObservability
import JinaHTTPGateway
public import Logging

/// The real gateway (`JinaGateway.Gateway`) as the Flow's front door: it listens on the Flow's
/// gateway ports and reaches the local executors over their Unix sockets (external ones over
/// TCP).
public struct JinaGatewayFrontDoor: FlowGateway {
    public let flow: Flow
    public let logger: Logger
    /// How long in-flight requests may take to finish after a stop is requested.
    public var drainTimeout: Duration
    /// What the gateway's router records; nil = no metrics.
    public var metrics: GatewayMetrics?
    /// How the gateway reaches the executors.
    public var executorTransport: ExecutorTransport = .local
    /// What serves the gateway's gRPC port.
    public var grpcServer: GRPCServerKind = .frontDoor

    public init(flow: Flow, logger: Logger, drainTimeout: Duration = .seconds(10)) {
        self.flow = flow
        self.logger = logger
        self.drainTimeout = drainTimeout
    }

    public func run(addresses: [String: [[ExecutorAddress]]], onReady: @escaping @Sendable ([FlowListener]) -> Void) async throws {
        var configuration = GatewayConfiguration(
            flow: flow, addresses: addresses.mapValues { DeploymentAddresses(shards: $0) })
        configuration.metrics = metrics
        configuration.executorTransport = executorTransport
        configuration.grpcServer = grpcServer
        let gateway = Gateway(configuration: configuration, logger: logger, frontend: HTTPFrontend())
        try await gateway.run(drainTimeout: drainTimeout) { listeners in
            onReady(listeners.map { FlowListener(protocolName: $0.protocol, host: $0.host, port: $0.port, tls: $0.tls) })
        }
    }
}
