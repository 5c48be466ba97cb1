import GRPCCore
import GRPCNIOTransportHTTP2
import JinaCore
import JinaProto
import Foundation
public import Logging
import ServiceLifecycle

/// A Flow's gateway: serves Jina's gRPC API to clients and routes every request through the
/// Flow's executors (see `RequestRouter`), which it reaches over long-lived connections (see
/// `ExecutorConnection`).
///
/// gRPC is served here; HTTP and WebSocket by a `GatewayFrontend` (see `JinaHTTPGateway`) that
/// shares the same `RequestRouter`, executor connections and serving phase. Without a frontend,
/// a Flow that lists `http` or `websocket` gets a warning and gRPC only.
public final class Gateway: Sendable {
    public let configuration: GatewayConfiguration
    private let logger: Logger
    /// Serves the protocols other than gRPC (HTTP, WebSocket); nil = gRPC only.
    private let frontend: (any GatewayFrontend)?
    /// Starting, serving, draining: one run per gateway.
    private let phase = ServingPhase()

    public init(configuration: GatewayConfiguration, logger: Logger, frontend: (any GatewayFrontend)? = nil) {
        self.configuration = configuration
        self.logger = logger
        self.frontend = frontend
    }

    /// Binds every listener, calls `onReady` with the bound addresses, and serves until a
    /// graceful shutdown — the process's (`ServiceGroup`), or `drain()`. Then it stops accepting,
    /// lets in-flight requests finish (`Call` streams stop reading, answer what they hold and
    /// end; at most `drainTimeout`, after which what is left is cancelled), closes the executor
    /// connections and returns. Cancelling the calling task stops everything at once.
    ///
    /// The gateway's parts are the `Service`s of one `ServiceGroup`: the executor connections
    /// (`ExecutorPoolService`) and the client-facing servers (`GatewayListeners`), shut down in
    /// that reverse order — intake and drain first, then the connections; past `drainTimeout`
    /// the group is cancelled.
    ///
    /// Throws `GatewayError`: invalid input for a missing executor address or a bad `when`;
    /// runtime when a port cannot be bound (naming the port).
    public func run(drainTimeout: Duration = .seconds(10), onReady: @escaping @Sendable ([GatewayListener]) -> Void) async throws {
        let (pool, listeners) = try await assemble(onReady: onReady)
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .notice)
        var group = ServiceGroupConfiguration(services: [
            .init(service: ExecutorPoolService(pool: pool), successTerminationBehavior: .ignore),
            .init(service: listeners),
        ], logger: quiet)
        try await run(ServiceGroup(configuration: group), drainTimeout: drainTimeout)
        logger.info("gateway stopped")
    }

    /// Starts the graceful shutdown of `run` (at once if it has not bound yet).
    public func drain() {
        phase.set(.draining)
    }

    /// Runs `group`; shuts it down gracefully once the gateway drains — by `drain()`, or by the
    /// graceful shutdown of the service that runs the gateway, which `group` inherits.
    private func run(_ group: ServiceGroup, drainTimeout: Duration) async throws {
        do {
            try await withThrowingTaskGroup(of: Bool.self) { tasks in
                tasks.addTask {
                    try await group.run()
                    return true
                }
                // The drain's one deadline: past it, what is left is cancelled.
                tasks.addTask { [phase, logger] in
                    await phase.waitUntilDraining()
                    guard !Task.isCancelled else { return false }
                    logger.info("gateway draining: answering the requests in flight")
                    await group.triggerGracefulShutdown()
                    try? await Task.sleep(for: drainTimeout)
                    guard !Task.isCancelled else { return false }
                    logger.warning("the drain did not finish within \(drainTimeout.millisecondsText): cancelling what is left")
                    return true
                }
                // Either the group has ended, or the drain's deadline passed: stop what is left.
                while let stop = try await tasks.next() {
                    if stop { tasks.cancelAll() }
                }
            }
        } catch let error as GatewayError {
            throw error
        } catch {
            if Task.isCancelled { throw CancellationError() }
            // After a drain has begun, a cancelled server or connection is how it ends.
            guard phase.phase == .draining else {
                throw GatewayError(.runtime, "the gateway failed: \(RPCErrorText.describe(error))")
            }
        }
    }

    /// Builds the executor connections and the router, and binds the gRPC server.
    private func assemble(onReady: @escaping @Sendable ([GatewayListener]) -> Void) async throws -> (ExecutorPool, GatewayListeners) {
        let spec = configuration.flow.gateway
        let security = try configuration.security
            ?? GatewaySecurity.load(spec, environment: ProcessInfo.processInfo.environment)
        let limits = GatewayLimits(maxRequestBytes: spec.maxRequestBytes, maxDocuments: spec.maxDocuments,
                                   idleTimeout: spec.idleTimeout > 0 ? .milliseconds(spec.idleTimeout) : nil)
        let pool = try ExecutorPool(configuration: configuration, logger: logger)
        let router = try RequestRouter(
            flow: configuration.flow, deployments: pool.deployments, logger: logger, metrics: configuration.metrics)
        let plan = ListenerPlan(configuration, servable: frontend?.protocols ?? [])
        for warning in plan.warnings + security.warnings { logger.warning("\(warning)") }
        let info = JinaInfo.make(startedAt: .now())
        let backend = GatewayBackend(
            router: router, phase: phase, security: security, limits: limits, info: info, gateway: spec,
            logger: logger, discovery: { try await DiscoveryService(pool: pool).endpoints() })

        var grpc: GRPCListener?
        if let grpcPort = plan.grpcPort {
            let address = try await plan.socketAddress(port: grpcPort)
            let services: [any RegistrableRPCService] = [
                DiscoveryService(pool: pool),
                DryRunService(router: router),
                StreamDocumentService(router: router, phase: phase),
                InfoService(info: info),
                HealthService(phase: phase, services: [
                    "jina.JinaRPC", "jina.JinaSingleDataRequestRPC", "jina.JinaSingleDocumentRequestRPC", "jina.JinaDiscoverEndpointsRPC",
                    "jina.JinaGatewayDryRunRPC", "jina.JinaInfoRPC",
                ]),
            ]
            let interceptors: [any ServerInterceptor] = security.tokens == nil ? [] : [BearerTokenInterceptor(security: security)]
            switch configuration.grpcServer {
            case .frontDoor:
                let inProcess = InProcessServices(services: services, interceptors: interceptors)
                let context = FrontDoorContext(backend: backend, services: inProcess, logger: logger)
                do {
                    let frontDoor = try await GRPCFrontDoor.bind(
                        host: address.ipv4?.host ?? address.ipv6?.host ?? plan.host, port: grpcPort, tls: security.tls,
                        idleTimeout: limits.idleTimeout, context: context)
                    grpc = .frontDoor(frontDoor, inProcess)
                } catch {
                    throw plan.bindError(error, port: grpcPort)
                }
            case .grpcSwift:
                // grpc-swift-nio-transport's server TLS accepts TLS 1.2 or later (as ServerTLS does).
                let transportSecurity: HTTP2ServerTransport.Posix.TransportSecurity = security.tls.map { tls in
                    .tls(certificateChain: [.bytes(tls.certificatePEM, format: .pem)], privateKey: .bytes(tls.keyPEM, format: .pem))
                } ?? .plaintext
                let transport = HTTP2ServerTransport.Posix(
                    address: address, transportSecurity: transportSecurity,
                    config: .defaults {
                        $0.rpc.maxRequestPayloadSize = limits.maxRequestBytes
                        $0.connection.maxIdleTime = limits.idleTimeout
                    })
                let server = GRPCServer(
                    transport: transport,
                    services: [DataRequestService(router: router, phase: phase, prefetch: spec.prefetch, limits: limits)] + services,
                    interceptors: interceptors)
                grpc = .grpcSwift(server, transport, requestedPort: grpcPort)
            }
        }
        return (pool, GatewayListeners(grpc: grpc, frontend: frontend, plan: plan, backend: backend, onReady: onReady))
    }
}
