import GRPCCore
import GRPCNIOTransportHTTP2
import JinaCore
import JinaProto
public import Logging

/// A Flow's gateway: serves Jina's gRPC API to clients and routes every request through the
/// Flow's executors (see `RequestRouter`), which it reaches over long-lived connections (see
/// `ExecutorConnection`).
///
/// Only gRPC is served for now. A Flow that lists `http` or `websocket` gets its gRPC server
/// (on the gRPC port, or the first port when gRPC is not listed) and a warning naming what is
/// not served; an HTTP server will plug into the same `RequestRouter`.
public final class Gateway: Sendable {
    public let configuration: GatewayConfiguration
    private let logger: Logger

    public init(configuration: GatewayConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Binds every listener, calls `onReady` with the bound addresses, and serves until the
    /// calling task is cancelled. Then it stops accepting, lets in-flight requests finish
    /// (`Call` streams stop reading, answer what they hold and end; at most `drainTimeout`,
    /// after which what is left is cancelled), closes the executor connections and returns.
    ///
    /// Throws `GatewayError`: invalid input for a missing executor address or a bad `when`;
    /// runtime when a port cannot be bound (naming the port).
    public func run(drainTimeout: Duration = .seconds(10), onReady: @Sendable ([GatewayListener]) -> Void) async throws {
        let phase = ServingPhase()
        let (ready, readyIn) = AsyncStream.makeStream(of: [GatewayListener].self)
        // Serving runs in a task of its own so that cancelling `run` starts a graceful drain
        // instead of cutting every RPC off; `run` awaits it, so nothing outlives the call.
        let serving = Task {
            try await self.serve(phase: phase, drainTimeout: drainTimeout, ready: readyIn)
        }
        try await withTaskCancellationHandler {
            for await listeners in ready { onReady(listeners) }
            try await serving.value
        } onCancel: {
            phase.set(.draining)
        }
    }

    private enum Event: Sendable {
        case poolStopped, serverStopped, drain, drainTimedOut
    }

    private func serve(
        phase: ServingPhase, drainTimeout: Duration, ready: AsyncStream<[GatewayListener]>.Continuation
    ) async throws {
        defer { ready.finish() }
        let pool = try ExecutorPool(configuration: configuration, logger: logger)
        let router = try RequestRouter(flow: configuration.flow, deployments: pool.deployments, logger: logger)
        let plan = ListenerPlan(configuration)
        for warning in plan.warnings { logger.warning("\(warning)") }
        let address = try await plan.socketAddress()
        let transport = HTTP2ServerTransport.Posix(
            address: address, transportSecurity: .plaintext,
            config: .defaults { $0.rpc.maxRequestPayloadSize = Int(Int32.max) })
        let server = GRPCServer(
            transport: transport,
            services: [
                DataRequestService(router: router, phase: phase, prefetch: configuration.flow.gateway.prefetch),
                DiscoveryService(pool: pool),
                DryRunService(router: router),
                InfoService(info: JinaInfo.make(startedAt: .now())),
                HealthService(phase: phase, services: [
                    "jina.JinaRPC", "jina.JinaSingleDataRequestRPC", "jina.JinaDiscoverEndpointsRPC",
                    "jina.JinaGatewayDryRunRPC", "jina.JinaInfoRPC",
                ]),
            ])

        var draining = false
        do {
            try await withThrowingTaskGroup(of: Event.self) { group in
                group.addTask {
                    await pool.run()
                    return .poolStopped
                }
                group.addTask {
                    try await server.serve()
                    return .serverStopped
                }
                let bound: GRPCNIOTransportCore.SocketAddress
                do {
                    bound = try await transport.listeningAddress
                } catch {
                    // The server's own error says why (e.g. the port is in use).
                    pool.close()
                    var cause: any Error = error
                    do {
                        while try await group.next() != nil {}
                    } catch {
                        cause = error
                    }
                    throw plan.bindError(cause)
                }
                let port = bound.ipv4?.port ?? bound.ipv6?.port ?? plan.port
                phase.set(.serving)
                logger.info("gateway serving gRPC on \(plan.host):\(port)")
                ready.yield([GatewayListener(protocol: .grpc, host: plan.host, port: port)])
                group.addTask {
                    await phase.waitUntilDraining()
                    return .drain
                }

                var serverStopped = false
                var poolStopped = false
                var finished = false
                while let event = try await group.next() {
                    switch event {
                    case .drain:
                        draining = true
                        logger.info("gateway draining: answering the requests in flight")
                        server.beginGracefulShutdown()
                        group.addTask {
                            try? await Task.sleep(for: drainTimeout)
                            return .drainTimedOut
                        }
                    case .serverStopped:
                        serverStopped = true
                        if !draining { throw GatewayError(.runtime, "the gateway's gRPC server stopped unexpectedly") }
                        pool.close()
                    case .poolStopped:
                        poolStopped = true
                    case .drainTimedOut:
                        if !finished {
                            logger.warning("the drain did not finish within \(drainTimeout.millisecondsText): cancelling what is left")
                            pool.close()
                            group.cancelAll()
                        }
                    }
                    if serverStopped, poolStopped, !finished {
                        // Everything has drained: stop the drain timer.
                        finished = true
                        group.cancelAll()
                    }
                }
            }
        } catch let error as GatewayError {
            throw error
        } catch {
            // After a drain has begun, a cancelled server or connection is how it ends.
            guard draining else {
                throw GatewayError(.runtime, "the gateway failed: \(ExecutorConnection.describe(error))")
            }
        }
        logger.info("gateway stopped")
    }
}
