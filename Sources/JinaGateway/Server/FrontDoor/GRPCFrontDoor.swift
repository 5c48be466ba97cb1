import JinaCore
import Logging
import NIOCore
import NIOHTTP2
import NIOPosix
import NIOSSL
import Synchronization

/// The gateway's gRPC server: HTTP/2 on SwiftNIO (cleartext with prior knowledge, or TLS with
/// ALPN `h2`), each stream served by a `GRPCStreamHandler`. The data methods run on the event
/// loop with one task per request; the other methods go to grpc-swift in process.
///
/// `drain()` stops accepting connections, sends every connection a GOAWAY, and closes each once
/// its streams have ended; `run()` returns when every connection is closed.
final class GRPCFrontDoor: Sendable {
    /// The bound port (the real one when 0 was asked for).
    let port: Int
    private let listener: any Channel
    private let connections: ConnectionRegistry

    private init(port: Int, listener: any Channel, connections: ConnectionRegistry) {
        self.port = port
        self.listener = listener
        self.connections = connections
    }

    /// Binds `host:port`. Throws NIO's error when it cannot (the caller names the port).
    /// `idleTimeout`: a connection without an open stream for that long is closed (two GOAWAYs,
    /// as in a drain); nil = never.
    static func bind(host: String, port: Int, tls: ServerTLS?, idleTimeout: Duration?,
                     context: FrontDoorContext) async throws -> GRPCFrontDoor {
        let ssl = try tls.map { try NIOSSLContext(configuration: $0.serverConfiguration(applicationProtocols: ["h2"])) }
        let connections = ConnectionRegistry()
        var settings = nioDefaultSettings.filter { $0.parameter != .maxConcurrentStreams }
        settings.append(HTTP2Setting(parameter: .maxConcurrentStreams, value: 4096))
        var connectionConfiguration = NIOHTTP2Handler.ConnectionConfiguration()
        connectionConfiguration.initialSettings = settings
        connectionConfiguration.targetWindowSize = 8 << 20
        var streamConfiguration = NIOHTTP2Handler.StreamConfiguration()
        streamConfiguration.targetWindowSize = 1 << 20
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let ssl { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: ssl)) }
                    let streams = ConnectionStreams(channel: channel, idleTimeout: idleTimeout.map { TimeAmount($0) })
                    _ = try channel.pipeline.syncOperations.configureHTTP2Pipeline(
                        mode: .server, connectionConfiguration: connectionConfiguration,
                        streamConfiguration: streamConfiguration, streamDelegate: streams
                    ) { stream in
                        stream.eventLoop.makeCompletedFuture {
                            try stream.pipeline.syncOperations.addHandler(GRPCStreamHandler(context: context))
                        }
                    }
                    try channel.pipeline.syncOperations.addHandler(CloseOnConnectionError())
                    connections.add(streams)
                    streams.armIdleTimer()
                }
            }
            .bind(host: host, port: port)
            .get()
        return GRPCFrontDoor(port: listener.localAddress?.port ?? port, listener: listener, connections: connections)
    }

    /// See the type's description.
    func drain() {
        listener.close(promise: nil)
        for streams in connections.drain() { streams.goAway() }
    }

    /// Serves until drained (see `drain()`); on cancellation closes every connection at once.
    func run() async {
        await withTaskCancellationHandler {
            try? await listener.closeFuture.get()
            while let channel = connections.first() {
                try? await channel.closeFuture.get()
                connections.remove(channel)
            }
        } onCancel: {
            listener.close(promise: nil)
            for channel in connections.all() { channel.close(promise: nil) }
        }
    }
}

/// The open connections of the front door.
private final class ConnectionRegistry: Sendable {
    private let state = Mutex<(open: [ObjectIdentifier: ConnectionStreams], draining: Bool)>(([:], false))

    func add(_ streams: ConnectionStreams) {
        let id = ObjectIdentifier(streams.channel)
        let draining = state.withLock { state in
            state.open[id] = streams
            return state.draining
        }
        streams.channel.closeFuture.whenComplete { _ in self.remove(streams.channel) }
        if draining { streams.goAway() }
    }

    func remove(_ channel: any Channel) {
        _ = state.withLock { $0.open.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    func drain() -> [ConnectionStreams] {
        state.withLock { state in
            state.draining = true
            return Array(state.open.values)
        }
    }

    func first() -> (any Channel)? { state.withLock { $0.open.values.first?.channel } }
    func all() -> [any Channel] { state.withLock { $0.open.values.map(\.channel) } }
}

/// Counts one connection's open streams, so that a draining connection closes once they end,
/// and an idle one (no stream for `idleTimeout`: a client that connected and sends nothing, or
/// stopped using the connection) is drained then.
///
/// A drain is two GOAWAYs, as gRPC servers do: the first (last stream = the largest id) tells the
/// client to open no more streams; once the streams have ended, the second names the last
/// stream served and the connection waits for the client to close it (up to `closeGrace`), so
/// that the last replies are not cut off by a reset.
private final class ConnectionStreams: NIOHTTP2StreamDelegate {
    static let closeGrace: TimeAmount = .seconds(1)

    let channel: any Channel
    private let idleTimeout: TimeAmount?
    private let state = Mutex(State())

    private struct State {
        var open: [HTTP2StreamID: any Channel] = [:]
        var draining = false
        var finished = false
        var lastStream = HTTP2StreamID.rootStream
        /// Since when no stream has been open (nil while one is).
        var idleSince: NIODeadline?
        /// Whether the connection's one idle timer is scheduled.
        var timerPending = false
    }

    init(channel: any Channel, idleTimeout: TimeAmount?) {
        self.channel = channel
        self.idleTimeout = idleTimeout
    }

    func streamCreated(_ id: HTTP2StreamID, channel: any Channel) {
        state.withLock { state in
            state.open[id] = channel
            state.idleSince = nil
            if id > state.lastStream { state.lastStream = id }
        }
    }

    func streamClosed(_ id: HTTP2StreamID, channel: any Channel) {
        let (drained, idle) = state.withLock { state in
            state.open[id] = nil
            return (state.draining && state.open.isEmpty, !state.draining && state.open.isEmpty)
        }
        if drained { finish() }
        if idle { armIdleTimer() }
    }

    /// With no stream open, drains the connection once it has been so for `idleTimeout`. One
    /// timer per connection at most: a busy connection whose streams keep ending does not pile
    /// up timers; a timer that finds the connection idle for less time waits for the rest.
    func armIdleTimer() {
        guard let idleTimeout else { return }
        let deadline: NIODeadline? = state.withLock { state in
            guard state.open.isEmpty, !state.draining else { return nil }
            if state.idleSince == nil { state.idleSince = .now() }
            guard !state.timerPending else { return nil }
            state.timerPending = true
            return state.idleSince! + idleTimeout
        }
        guard let deadline else { return }
        channel.eventLoop.scheduleTask(deadline: deadline) { [self] in
            let idleEnough = state.withLock { state in
                state.timerPending = false
                guard let since = state.idleSince, state.open.isEmpty, !state.draining else { return false }
                return since + idleTimeout <= .now()
            }
            if idleEnough { goAway() } else { armIdleTimer() }
        }
    }

    /// The first GOAWAY, and the drain to every open stream; the connection finishes once idle.
    func goAway() {
        let (idle, streams) = state.withLock { state in
            state.draining = true
            return (state.open.isEmpty, Array(state.open.values))
        }
        let frame = HTTP2Frame(streamID: .rootStream, payload: .goAway(lastStreamID: .maxID, errorCode: .noError, opaqueData: nil))
        channel.writeAndFlush(frame, promise: nil)
        for stream in streams { stream.pipeline.fireUserInboundEventTriggered(GRPCStreamHandler.Drain()) }
        if idle { finish() }
    }

    /// The second GOAWAY, after the writes of the last stream; then the close. Runs on the event
    /// loop, where streams are created, so no stream can slip in between the check and the
    /// GOAWAY that names the last one.
    private func finish() {
        let channel = self.channel
        channel.eventLoop.execute {
            let lastStream: HTTP2StreamID? = self.state.withLock { state in
                guard !state.finished, state.open.isEmpty else { return nil }
                state.finished = true
                return state.lastStream
            }
            guard let lastStream else { return }
            let frame = HTTP2Frame(streamID: .rootStream, payload: .goAway(lastStreamID: lastStream, errorCode: .noError, opaqueData: nil))
            channel.writeAndFlush(frame).whenComplete { _ in
                channel.eventLoop.scheduleTask(in: Self.closeGrace) { channel.close(promise: nil) }
            }
        }
    }
}

/// Closes a connection that nio-http2 found misbehaving at the connection level: a flood of
/// PING or SETTINGS frames (more than 200 in 30 s), of resets, of empty frames, a protocol
/// violation. nio-http2 then writes a GOAWAY and raises the error down the pipeline, but does
/// not close: without this handler the connection stayed open, and every further frame the
/// client sent was buffered unparsed (a client sending 2 million PINGs without reading cost the
/// gateway about 30 MB). A stream's own error stays with its stream, as in grpc-swift.
final class CloseOnConnectionError: ChannelInboundHandler, Sendable {
    typealias InboundIn = Any

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is NIOHTTP2Errors.StreamError { return }
        context.close(mode: .all, promise: nil)
    }
}
