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
    /// Throws `GatewayError`: invalid input for a missing executor address or a bad `when`;
    /// runtime when a port cannot be bound (naming the port).
    public func run(drainTimeout: Duration = .seconds(10), onReady: @Sendable ([GatewayListener]) -> Void) async throws {
        try await withGracefulShutdownHandler {
            try await serve(phase: phase, drainTimeout: drainTimeout, onReady: onReady)
        } onGracefulShutdown: {
            self.drain()
        }
    }

    /// Starts the graceful shutdown of `run` (at once if it has not bound yet).
    public func drain() {
        phase.set(.draining)
    }

    private enum Event: Sendable {
        case poolStopped, serverStopped(String), drain, drainTimedOut
    }

    private func serve(
        phase: ServingPhase, drainTimeout: Duration, onReady: @Sendable ([GatewayListener]) -> Void
    ) async throws {
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
        let others = plan.listeners.enumerated().filter { $0.element.protocol != .grpc }

        var draining = false
        do {
            try await withThrowingTaskGroup(of: Event.self) { group in
                group.addTask {
                    await pool.run()
                    return .poolStopped
                }
                var serversLeft = 0
                if let grpc {
                    serversLeft += 1
                    group.addTask {
                        try await grpc.serve()
                        return .serverStopped("gRPC")
                    }
                }
                let (bound, boundIn) = AsyncStream.makeStream(of: (Int, Result<Int, any Error>).self)
                if let frontend {
                    for (index, listener) in others {
                        serversLeft += 1
                        group.addTask {
                            do {
                                try await frontend.run(
                                    protocol: listener.protocol, host: plan.host, port: listener.port, backend: backend
                                ) { port in boundIn.yield((index, .success(port))) }
                            } catch {
                                boundIn.yield((index, .failure(error)))
                                throw error
                            }
                            boundIn.yield((index, .failure(GatewayError(
                                .runtime, "the gateway's \(listener.protocol.displayName) server stopped before it was ready"))))
                            return .serverStopped(listener.protocol.displayName)
                        }
                    }
                }
                var listeners = plan.listeners.map { GatewayListener(protocol: $0.protocol, host: plan.host, port: $0.port, tls: security.tls != nil) }
                if let grpc, let index = plan.listeners.firstIndex(where: { $0.protocol == .grpc }) {
                    do {
                        listeners[index].port = try await grpc.listeningPort()
                    } catch {
                        // The server's own error says why (e.g. the port is in use).
                        pool.close()
                        phase.set(.draining)
                        var cause: any Error = error
                        do {
                            while try await group.next() != nil {}
                        } catch {
                            cause = error
                        }
                        throw plan.bindError(cause, port: plan.listeners[index].port)
                    }
                }
                var waiting = Set(others.map(\.offset))
                if !waiting.isEmpty {
                    for await (index, result) in bound {
                        switch result {
                        case .success(let port):
                            listeners[index].port = port
                            waiting.remove(index)
                        case .failure(let error):
                            pool.close()
                            phase.set(.draining)
                            grpc?.beginGracefulShutdown()
                            if let error = error as? GatewayError { throw error }
                            throw plan.bindError(error, port: plan.listeners[index].port)
                        }
                        if waiting.isEmpty { break }
                    }
                }
                phase.set(.serving)
                for listener in listeners {
                    logger.info("gateway serving \(listener.protocol.displayName) on \(listener.host):\(listener.port)")
                }
                onReady(listeners)
                group.addTask {
                    await phase.waitUntilDraining()
                    return .drain
                }

                var poolStopped = false
                var finished = false
                while let event = try await group.next() {
                    switch event {
                    case .drain:
                        draining = true
                        logger.info("gateway draining: answering the requests in flight")
                        grpc?.beginGracefulShutdown()
                        group.addTask {
                            try? await Task.sleep(for: drainTimeout)
                            return .drainTimedOut
                        }
                    case .serverStopped(let name):
                        serversLeft -= 1
                        if !draining { throw GatewayError(.runtime, "the gateway's \(name) server stopped unexpectedly") }
                        if serversLeft == 0 { pool.close() }
                    case .poolStopped:
                        poolStopped = true
                    case .drainTimedOut:
                        if !finished {
                            logger.warning("the drain did not finish within \(drainTimeout.millisecondsText): cancelling what is left")
                            pool.close()
                            group.cancelAll()
                        }
                    }
                    if serversLeft == 0, poolStopped, !finished {
                        // Everything has drained: stop the drain timer.
                        finished = true
                        group.cancelAll()
                    }
                }
            }
        } catch let error as GatewayError {
            throw error
        } catch {
            if Task.isCancelled { throw CancellationError() }
            // After a drain has begun, a cancelled server or connection is how it ends.
            guard draining else {
                throw GatewayError(.runtime, "the gateway failed: \(RPCErrorText.describe(error))")
            }
        }
        logger.info("gateway stopped")
    }
}
