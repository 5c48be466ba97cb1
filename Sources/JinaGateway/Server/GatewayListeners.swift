import JinaCore
import Logging
import ServiceLifecycle

/// Every client-facing server of a gateway — gRPC and the frontend's protocols — as one
/// `Service`. It serves them together; once each has bound, the gateway is serving and
/// `onReady` gets the bound addresses. On graceful shutdown it drains them together: the
/// gateway's phase turns to draining (health checks answer NOT_SERVING, new calls are refused),
/// each server stops accepting, and `run()` returns once every one has answered what it holds.
/// Cancellation closes them at once.
struct GatewayListeners: Service {
    let grpc: GRPCListener?
    let frontend: (any GatewayFrontend)?
    let plan: ListenerPlan
    let backend: GatewayBackend
    let onReady: @Sendable ([GatewayListener]) -> Void

    func run() async throws {
        let phase = backend.phase
        try await withGracefulShutdownHandler {
            try await serve()
        } onGracefulShutdown: {
            phase.set(.draining)
        }
    }

    private func serve() async throws {
        let phase = backend.phase
        let others = plan.listeners.enumerated().filter { $0.element.protocol != .grpc }
        try await withThrowingTaskGroup(of: Void.self) { group in
            if let grpc {
                group.addTask {
                    try await grpc.serve()
                    try Self.stopped("gRPC", phase: phase)
                }
            }
            let (bound, boundIn) = AsyncStream.makeStream(of: (Int, Result<Int, any Error>).self)
            if let frontend {
                for (index, listener) in others {
                    group.addTask { [plan, backend] in
                        do {
                            try await frontend.run(protocol: listener.protocol, host: plan.host, port: listener.port, backend: backend) {
                                boundIn.yield((index, .success($0)))
                            }
                        } catch {
                            boundIn.yield((index, .failure(error)))
                            throw error
                        }
                        boundIn.yield((index, .failure(GatewayError(
                            .runtime, "the gateway's \(listener.protocol.displayName) server stopped before it was ready"))))
                        try Self.stopped(listener.protocol.displayName, phase: phase)
                    }
                }
            }

            var listeners = plan.listeners.map {
                GatewayListener(protocol: $0.protocol, host: plan.host, port: $0.port, tls: backend.security.tls != nil)
            }
            if let grpc, let index = plan.listeners.firstIndex(where: { $0.protocol == .grpc }) {
                do {
                    listeners[index].port = try await grpc.listeningPort()
                } catch {
                    // The server's own error says why (e.g. the port is in use).
                    group.cancelAll()
                    throw plan.bindError(await Self.firstFailure(in: &group) ?? error, port: plan.listeners[index].port)
                }
            }
            var waiting = Set(others.map(\.offset))
            if !waiting.isEmpty {
                for await (index, result) in bound {
                    switch result {
                    case .success(let port):
                        listeners[index].port = port
                        waiting.remove(index)
                    case .failure(let error as GatewayError):
                        throw error
                    case .failure(let error):
                        throw plan.bindError(error, port: plan.listeners[index].port)
                    }
                    if waiting.isEmpty { break }
                }
            }
            phase.set(.serving)
            for listener in listeners {
                backend.logger.info("gateway serving \(listener.protocol.displayName) on \(listener.host):\(listener.port)")
            }
            onReady(listeners)
            if let grpc {
                // Only now: a server told to stop before it has bound would not report its port.
                group.addTask {
                    await phase.waitUntilDraining()
                    grpc.beginGracefulShutdown()
                }
            }
            try await group.waitForAll()
        }
    }

    /// A server that returns before the gateway drains has failed.
    private static func stopped(_ name: String, phase: ServingPhase) throws(GatewayError) {
        guard phase.phase == .draining else {
            throw GatewayError(.runtime, "the gateway's \(name) server stopped unexpectedly")
        }
    }

    /// The first error other than cancellation the (cancelled) servers end with.
    private static func firstFailure(in group: inout ThrowingTaskGroup<Void, any Error>) async -> (any Error)? {
        var failure: (any Error)?
        while true {
            do {
                guard try await group.next() != nil else { return failure }
            } catch is CancellationError {
            } catch {
                if failure == nil { failure = error }
            }
        }
    }
}

/// The gateway's executor connections as a `Service`: they run until its graceful shutdown —
/// which comes after the listeners' (the group shuts down in reverse order), so the requests
/// still in flight had their replies — and then close once their streams have drained.
/// Cancellation closes them at once.
struct ExecutorPoolService: Service {
    let pool: ExecutorPool

    func run() async {
        await withTaskCancellationOrGracefulShutdownHandler {
            await pool.run()
        } onCancelOrGracefulShutdown: { [pool] in
            pool.close()
        }
    }
}
