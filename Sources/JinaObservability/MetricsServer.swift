#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
public import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A small HTTP/1.1 server that answers `GET /metrics` (and `GET /`, as Jina's does) with the
/// Prometheus text exposition that `content` produces; other paths get 404, other methods 405.
///
/// Written on SwiftNIO's HTTP/1 codec alone, so an executor that serves metrics does not bring a
/// web framework with it. It runs inside the caller's task: cancelling the task closes the
/// listener and every open connection, so it follows the process's own graceful shutdown.
public struct MetricsServer: Sendable {
    public var host: String
    /// 0 = a free port (reported to `onReady`).
    public var port: Int
    let content: @Sendable () async -> [UInt8]
    let logger: Logger

    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public init(host: String, port: Int, logger: Logger, content: @escaping @Sendable () async -> [UInt8]) {
        self.host = host
        self.port = port
        self.logger = logger
        self.content = content
    }

    /// A server for `registry`'s metrics.
    public init(host: String, port: Int, registry: MetricsRegistry, logger: Logger) {
        self.init(host: host, port: port, logger: logger) { registry.exposition() }
    }

    /// Serves until the task is cancelled; `onReady` gets the bound port. Throws
    /// `MetricsServerError` when the address cannot be bound.
    public func run(onReady: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        let connections = OpenConnections()
        let content = self.content
        let listener: Channel
        do {
            listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    connections.add(channel)
                    return channel.pipeline.configureHTTPServerPipeline().flatMap {
                        channel.pipeline.addHandler(MetricsRequestHandler(content: content))
                    }
                }
                .bind(host: host, port: port).get()
        } catch {
            throw MetricsServerError(host: host, port: port, cause: error,
                                     addressInUse: (error as? IOError)?.errnoCode == EADDRINUSE)
        }
        onReady(listener.localAddress?.port ?? 0)
        await withTaskCancellationHandler {
            try? await listener.closeFuture.get()
        } onCancel: {
            listener.close(promise: nil)
            connections.closeAll()
        }
    }
}

/// The connections a metrics server has accepted, so that stopping it closes them too.
private final class OpenConnections: Sendable {
    private let channels = NIOLockedValueBox<[ObjectIdentifier: Channel]>([:])

    func add(_ channel: Channel) {
        let key = ObjectIdentifier(channel)
        channels.withLockedValue { $0[key] = channel }
        channel.closeFuture.whenComplete { [channels] _ in _ = channels.withLockedValue { $0.removeValue(forKey: key) } }
    }

    func closeAll() {
        for channel in channels.withLockedValue({ Array($0.values) }) { channel.close(promise: nil) }
    }
}

/// Answers each request of one connection (NIO's pipelining helper keeps replies in order).
private final class MetricsRequestHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let content: @Sendable () async -> [UInt8]

    init(content: @escaping @Sendable () async -> [UInt8]) {
        self.content = content
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let head) = unwrapInboundIn(data) else { return }
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        let keepAlive = head.isKeepAlive
        let version = head.version
        let loop = context.eventLoop
        let bound = NIOLoopBound(context, eventLoop: loop)
        guard head.method == .GET || head.method == .HEAD else {
            Self.respond(bound.value, version: version, status: .methodNotAllowed, body: Array("only GET\n".utf8),
                         keepAlive: keepAlive, includeBody: true)
            return
        }
        guard path == "/metrics" || path == "/" else {
            Self.respond(bound.value, version: version, status: .notFound, body: Array("try /metrics\n".utf8),
                         keepAlive: keepAlive, includeBody: head.method == .GET)
            return
        }
        let includeBody = head.method == .GET
        let promise = loop.makePromise(of: [UInt8].self)
        promise.completeWithTask { [content] in await content() }
        promise.futureResult.whenSuccess { body in
            Self.respond(bound.value, version: version, status: .ok, body: body, keepAlive: keepAlive, includeBody: includeBody)
        }
    }

    private static func respond(
        _ context: ChannelHandlerContext, version: HTTPVersion, status: HTTPResponseStatus, body: [UInt8],
        keepAlive: Bool, includeBody: Bool
    ) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: status == .ok ? MetricsServer.contentType : "text/plain; charset=utf-8")
        headers.add(name: "Content-Length", value: String(body.count))
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(NIOAny(HTTPServerResponsePart.head(HTTPResponseHead(version: version, status: status, headers: headers))), promise: nil)
        if includeBody {
            context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        let done = context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)))
        if !keepAlive {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}

/// The metrics endpoint could not be served (usually: the port is taken).
public struct MetricsServerError: Error, CustomStringConvertible, Sendable {
    public var host: String
    public var port: Int
    /// Why the bind failed.
    public var cause: any Error
    /// The bind failed with `EADDRINUSE`.
    public var addressInUse: Bool

    public init(host: String, port: Int, cause: any Error, addressInUse: Bool = false) {
        self.host = host
        self.port = port
        self.cause = cause
        self.addressInUse = addressInUse
    }

    public var description: String {
        "cannot serve metrics on \(host):\(port): " + (addressInUse ? "address already in use" : "\(cause)")
    }
}
