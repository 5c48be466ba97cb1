public import JinaCore
import GRPCCore
import GRPCNIOTransportHTTP2
import JinaCore
import JinaObservability
import JinaProto
import Logging
import SwiftProtobuf
import Synchronization

/// Serves one executor over Jina's gRPC protocol on a Unix socket or a TCP port: data requests
/// (`process_single_data`, `process_data`, the `Call` stream), `endpoint_discovery`, `_status`
/// and gRPC health.
///
/// `run` loads the executor, binds, reports the bound address, and serves until `shutdown()` —
/// which `ExecutorService` calls on the process's graceful shutdown (`ProcessLifecycle`: a
/// signal). Shutdown is graceful: health turns NOT_SERVING, no new RPCs are accepted, `Call`
/// streams stop reading and finish what they hold, in-flight requests complete. Cancelling the
/// task that runs `run` stops at once (the lifecycle cancels when its grace period runs out).
/// Then the executor is closed and its socket file removed.
package final class ExecutorServer: Sendable {
    /// How to serve.
    package struct Configuration: Sendable {
        /// Where to listen.
        package var address: ServerAddress
        /// Requests of one `Call` stream processed (or waiting to be written) at once.
        package var maxInFlightPerStream: Int = 64
        /// Where to serve Prometheus metrics (`GET /metrics`); nil = no metrics.
        package var monitoring: MonitoringEndpoint?
        /// Whether a Unix-socket executor also offers the local wire (`LocalFrame`) at
        /// `LocalFrame.socketPath(besides:)`; false = gRPC only, as an older SDK serves.
        package var offerLocalWire: Bool = true
        /// `uses_dynamic_batching` from the Flow (`--uses-dynamic-batching`), laid over what the
        /// executor's endpoints declare.
        package var dynamicBatching: [String: DynamicBatchingSettings] = [:]
        /// `exit_on_exceptions`: error type names on which the process exits instead of replying.
        package var exitOnExceptions: Set<String> = []

        package init(address: ServerAddress) {
            self.address = address
        }
    }

    private struct Control {
        var shutdownRequested = false
        var beginShutdown: (@Sendable () -> Void)?
    }

    private let factory: ExecutorFactory
    private let usesWith: JSONValue?
    private let context: ExecutorContext
    private let configuration: Configuration
    private let state = ServingPhase()
    private let control = Mutex(Control())

    /// A server for the executor `factory` makes from `usesWith`.
    package init(executor factory: ExecutorFactory, usesWith: JSONValue?, context: ExecutorContext, configuration: Configuration) {
        self.factory = factory
        self.usesWith = usesWith
        self.context = context
        self.configuration = configuration
    }

    /// Loads the executor and serves until shut down. `onReady` gets the bound address (with
    /// the real port when port 0 was asked for) once the server accepts requests.
    ///
    /// Throws `ExecutorError`: invalid input for a bad address or `uses_with`, runtime when the
    /// executor fails to load or the address cannot be bound.
    package func run(onReady: @Sendable (ServerAddress) -> Void = { _ in }) async throws {
        let address = configuration.address
        let socketAddress = try Self.socketAddress(address)
        if case .unix(let path) = address { try UnixSocketFile.prepare(path) }

        let loaded = try await factory.load(usesWith: usesWith, context: context)
        // Stopped while loading (`ExecutorService`): no bind, no ready line.
        if Task.isCancelled {
            await loaded.close()
            throw CancellationError()
        }
        // With OpenTelemetry metrics on, the handles exist (and are exported) even without /metrics.
        let registry = configuration.monitoring != nil || MetricsExport.current != nil ? MetricsRegistry() : nil
        registry?.bootstrapSwiftMetrics()
        let metrics = registry.map { registry in
            ExecutorMetrics(
                registry: registry, executorType: loaded.typeName,
                runtimeName: RuntimeName.executor(context.name, shard: context.shardID, replica: context.replicaID))
        }
        // The declared endpoints' series exist (at 0) before the first request.
        for endpoint in loaded.endpoints.names where endpoint != Endpoint.defaultName { _ = metrics?.endpoint(endpoint) }
        let runtime = ExecutorRuntime(
            name: context.name, executor: loaded, logger: context.logger, metrics: metrics,
            resultsKey: RuntimeName.executor(context.name, shard: context.shardID, replica: context.replicaID),
            batching: configuration.dynamicBatching, exitOnExceptions: configuration.exitOnExceptions)
        let transport = HTTP2ServerTransport.Posix(
            address: socketAddress, transportSecurity: .plaintext,
            config: .defaults { $0.rpc.maxRequestPayloadSize = Int(Int32.max) })
        let server = GRPCServer(
            transport: transport,
            services: [
                SingleDataRequestService(runtime: runtime),
                DataRequestListService(runtime: runtime),
                SingleDocumentService(runtime: runtime),
                CallService(runtime: runtime, state: state, maxInFlight: configuration.maxInFlightPerStream),
                DiscoveryService(runtime: runtime),
                InfoService(info: JinaInfo.make(startedAt: .now())),
                HealthService(phase: state, services: [
                    "jina.JinaRPC", "jina.JinaSingleDataRequestRPC", "jina.JinaDataRequestRPC",
                    "jina.JinaSingleDocumentRequestRPC", "jina.JinaDiscoverEndpointsRPC", "jina.JinaInfoRPC",
                ]),
                ReflectionService(services: Self.listedServices),
            ])

        let local = await offerLocalWire(runtime: runtime)
        var bound = false
        do {
            try await withThrowingTaskGroup(of: Event.self) { group in
                group.addTask {
                    // The gRPC server and the local wire drain together; both are done before
                    // the executor closes.
                    try await withThrowingDiscardingTaskGroup { servers in
                        if let local { servers.addTask { await local.run() } }
                        try await server.serve()
                    }
                    return .stopped
                }
                let listening: ServerAddress
                do {
                    listening = try Self.resolve(await transport.listeningAddress, requested: address)
                } catch {
                    // The transport only says it is not listening; `serve` throws the reason.
                    var cause: any Error = error
                    do { _ = try await group.next() } catch let serveError { cause = serveError }
                    throw Self.bindError(cause, address: address)
                }
                bound = true
                if let monitoring = configuration.monitoring, let registry {
                    let host = monitoring.host ?? Self.metricsHost(address)
                    let port = try await Self.startMetrics(
                        &group, MetricsServer(host: host, port: monitoring.port, registry: registry, logger: context.logger))
                    context.logger.info("metrics on http://\(host):\(port)/metrics")
                }
                installShutdown {
                    server.beginGracefulShutdown()
                    local?.drain()
                }
                state.set(.serving)
                context.logger.info("\(loaded.typeName) serving as \(context.name) on \(listening)")
                onReady(listening)
                if let batcher = runtime.batcher {
                    // Draining runs what waits in batching queues now, not at their timeouts.
                    group.addTask {
                        await self.state.waitUntilDraining()
                        await batcher.drain()
                        return .ignored
                    }
                }
                try await Self.waitUntilStopped(&group)
            }
        } catch {
            local?.drain()
            if bound, case .unix(let path) = address { UnixSocketFile.remove(path) }
            await loaded.close()
            throw error
        }
        if case .unix(let path) = address { UnixSocketFile.remove(path) }
        await loaded.close()
        context.logger.info("\(loaded.typeName) (\(context.name)) stopped")
    }

    /// Binds the local wire beside a Unix socket (nil for TCP, or when it cannot be offered: the
    /// executor then serves gRPC alone, which every gateway can use).
    private func offerLocalWire(runtime: ExecutorRuntime) async -> LocalWireServer? {
        guard configuration.offerLocalWire, case .unix(let path) = configuration.address,
              let sibling = LocalFrame.socketPath(besides: path) else { return nil }
        do {
            return try await LocalWireServer.bind(
                path: sibling, runtime: runtime, maxInFlight: configuration.maxInFlightPerStream, logger: context.logger)
        } catch {
            context.logger.warning("not offering the local wire on unix://\(sibling): \(error); serving gRPC only")
            return nil
        }
    }

    /// Runs `metrics` in `group` and returns its bound port once it listens; throws when it cannot.
    private static func startMetrics(_ group: inout ThrowingTaskGroup<Event, any Error>, _ metrics: MetricsServer) async throws -> Int {
        let (bound, boundIn) = AsyncStream.makeStream(of: Int.self)
        group.addTask {
            defer { boundIn.finish() }
            do {
                try await metrics.run { port in boundIn.yield(port) }
            } catch {
                throw ExecutorError(.runtime, "\(error)", hint: "choose another --port-monitoring (0 picks a free one)")
            }
            return .ignored
        }
        if let port = await bound.first(where: { _ in true }) { return port }
        // The metrics server ended before listening: its task has thrown why.
        while try await group.next() != nil {}
        throw ExecutorError(.runtime, "the metrics endpoint stopped before it listened")
    }

    /// Where metrics listen by default: the executor's TCP host, loopback for a Unix socket.
    static func metricsHost(_ address: ServerAddress) -> String {
        if case .tcp(let host, _) = address { return host }
        return "127.0.0.1"
    }

    /// The services listed by reflection, which Python Jina's gateway reads to pick its stubs.
    static let listedServices = [
        "jina.JinaRPC", "jina.JinaSingleDataRequestRPC", "jina.JinaDataRequestRPC", "jina.JinaSingleDocumentRequestRPC",
        "jina.JinaDiscoverEndpointsRPC", "jina.JinaInfoRPC", "grpc.health.v1.Health",
    ] + ReflectionService.serviceNames

    /// Starts a graceful shutdown (see the type's description). Safe to call at any time and
    /// more than once; before the server is listening it makes `run` stop as soon as it is.
    package func shutdown() {
        state.set(.draining)
        let begin: (@Sendable () -> Void)? = control.withLock { control in
            control.shutdownRequested = true
            return control.beginShutdown
        }
        begin?()
    }

    private func installShutdown(_ begin: @escaping @Sendable () -> Void) {
        let requested = control.withLock { control in
            control.beginShutdown = begin
            return control.shutdownRequested
        }
        if requested { begin() }
    }

    private enum Event: Sendable {
        case stopped
        case ignored
    }

    /// Waits for the servers to stop (drained, or cancelled with the calling task).
    private static func waitUntilStopped(_ group: inout ThrowingTaskGroup<Event, any Error>) async throws {
        while true {
            let event: Event?
            do {
                event = try await group.next()
            } catch {
                if Task.isCancelled { throw CancellationError() }
                throw ExecutorError(.runtime, "the server failed: \(describe(error))")
            }
            switch event {
            case nil, .stopped?:
                group.cancelAll()
                return
            case .ignored?:
                continue
            }
        }
    }

    private static func socketAddress(_ address: ServerAddress) throws(ExecutorError) -> GRPCNIOTransportCore.SocketAddress {
        switch address {
        case .unix(let path):
            guard !path.isEmpty, path.utf8.count <= ServerAddress.maxUnixPathLength else {
                throw ExecutorError(
                    .invalidInput,
                    "socket path \(path) is \(path.utf8.count) bytes; Unix sockets allow 1 to \(ServerAddress.maxUnixPathLength)",
                    hint: "use a shorter directory, e.g. under /tmp")
            }
            return .unixDomainSocket(path: path)
        case .tcp(let host, let port):
            guard (0...65535).contains(port) else {
                throw ExecutorError(.invalidInput, "port \(port) is out of range 0-65535")
            }
            let ip = host == "localhost" ? "127.0.0.1" : host
            return ip.contains(":") ? .ipv6(host: ip, port: port) : .ipv4(host: ip, port: port)
        }
    }

    /// The address to report: the requested one, with the port the system chose.
    private static func resolve(_ bound: GRPCNIOTransportCore.SocketAddress, requested: ServerAddress) -> ServerAddress {
        guard case .tcp(let host, _) = requested else { return requested }
        let port = bound.ipv4?.port ?? bound.ipv6?.port ?? 0
        return .tcp(host: host, port: port)
    }

    private static func bindError(_ error: any Error, address: ServerAddress) -> ExecutorError {
        let cause = describe(error)
        if RPCErrorText.isAddressInUse(error) {
            return ExecutorError(
                .runtime, "cannot listen on \(address): address already in use",
                hint: "another process is listening there; choose another port (--port 0 picks a free one)")
        }
        return ExecutorError(.runtime, "cannot listen on \(address): \(cause)")
    }

    /// The innermost cause of a gRPC runtime error, as text.
    static func describe(_ error: any Error) -> String {
        var current: any Error = error
        while true {
            if let runtime = current as? RuntimeError, let cause = runtime.cause {
                current = cause
            } else if let rpc = current as? RPCError, let cause = rpc.cause {
                current = cause
            } else {
                return String(describing: current)
            }
        }
    }
}
