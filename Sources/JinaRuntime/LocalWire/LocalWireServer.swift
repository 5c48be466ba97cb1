import JinaCore
import JinaProto
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// Offers the local wire (`LocalFrame`) on a Unix socket beside the executor's gRPC socket, so
/// our gateway can skip gRPC on the hop to its own executors. It is bound before the gRPC server
/// listens: once gRPC answers, a gateway that looks for this socket finds it.
///
/// Each connection takes up to `maxInFlight` requests at once (it stops reading past that) and
/// answers them in completion order. When the executor drains, the listener closes, each
/// connection sends `goAway`, answers what it took (a request read after that gets an
/// `unavailable` failure) and closes; `run` returns once every connection has closed.
final class LocalWireServer: Sendable {
    let path: String
    private let listener: any Channel
    private let connections = Mutex(Connections())

    private struct Connections {
        var open: [ObjectIdentifier: any Channel] = [:]
        var draining = false
    }

    private init(path: String, listener: any Channel) {
        self.path = path
        self.listener = listener
    }

    /// Binds `path` (a stale socket file there is replaced).
    static func bind(
        path: String, runtime: ExecutorRuntime, maxInFlight: Int, logger: Logger
    ) async throws -> LocalWireServer {
        try UnixSocketFile.prepare(path)
        let accepted = AcceptedConnections()
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = LocalWireServerHandler(runtime: runtime, maxInFlight: maxInFlight, logger: logger)
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(LocalFrameDecoder()),
                        MessageToByteHandler(LocalFrameEncoder()),
                        handler,
                    ])
                    accepted.add(channel)
                }
            }
            .bind(unixDomainSocketPath: path)
            .get()
        let server = LocalWireServer(path: path, listener: listener)
        accepted.attach(server)
        return server
    }

    fileprivate func register(_ channel: any Channel) {
        let draining: Bool = connections.withLock { state in
            state.open[ObjectIdentifier(channel)] = channel
            return state.draining
        }
        channel.closeFuture.whenComplete { _ in
            self.connections.withLock { _ = $0.open.removeValue(forKey: ObjectIdentifier(channel)) }
        }
        if draining { channel.pipeline.fireUserInboundEventTriggered(LocalWireServerHandler.Drain()) }
    }

    /// Stops accepting and tells every connection to finish what it holds and close.
    func drain() {
        let open: [any Channel] = connections.withLock { state in
            state.draining = true
            return Array(state.open.values)
        }
        listener.close(promise: nil)
        UnixSocketFile.remove(path)
        for channel in open {
            channel.pipeline.fireUserInboundEventTriggered(LocalWireServerHandler.Drain())
        }
    }

    /// Serves until `drain()` and every connection has closed; on cancellation closes everything
    /// at once (work in flight is cancelled).
    func run() async {
        await withTaskCancellationHandler {
            try? await listener.closeFuture.get()
            while let channel = connections.withLock({ $0.open.values.first }) {
                try? await channel.closeFuture.get()
                connections.withLock { _ = $0.open.removeValue(forKey: ObjectIdentifier(channel)) }
            }
        } onCancel: {
            listener.close(promise: nil)
            UnixSocketFile.remove(path)
            for channel in connections.withLock({ Array($0.open.values) }) { channel.close(promise: nil) }
        }
        // The socket file went with `drain()` (or the cancellation): by now a restarted executor
        // may own the path, so it is not touched again.
    }
}

/// Connections accepted before the server object exists (between bind and `attach`) wait here.
private final class AcceptedConnections: Sendable {
    private let state = Mutex<(server: LocalWireServer?, early: [any Channel])>((nil, []))

    func add(_ channel: any Channel) {
        let server: LocalWireServer? = state.withLock { state in
            if state.server == nil { state.early.append(channel) }
            return state.server
        }
        server?.register(channel)
    }

    func attach(_ server: LocalWireServer) {
        let early = state.withLock { state in
            state.server = server
            defer { state.early = [] }
            return state.early
        }
        for channel in early { server.register(channel) }
    }
}
