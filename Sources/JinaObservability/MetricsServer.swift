#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Hummingbird
public import Logging
import NIOCore

/// A small HTTP/1.1 server that answers `GET /metrics` (and `GET /`, as Jina's does) with the
/// Prometheus text exposition that `content` produces.
///
/// It runs inside the caller's task (no signal handling of its own, unlike Hummingbird's
/// `runService()`): cancelling the task stops it, so it follows the process's own graceful
/// shutdown.
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
        let router = Router()
        let content = self.content
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { _, _ in
            let bytes = await content()
            return Response(
                status: .ok, headers: [.contentType: Self.contentType],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        router.get("/metrics", use: handler)
        router.get("/", use: handler)
        // Hummingbird logs its server's cancellation (our normal stop) as an error; a bind
        // failure is thrown, not logged. So it only gets to say what is critical.
        var quiet = logger
        quiet.logLevel = .critical
        let bindHost = host
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(bindHost, port: port), serverName: nil),
            onServerRunning: { channel in onReady(channel.localAddress?.port ?? 0) },
            logger: quiet)
        do {
            try await app.run()
        } catch is CancellationError {
            return
        } catch {
            if Task.isCancelled { return }
            throw MetricsServerError(
                host: host, port: port, cause: "\(error)", addressInUse: (error as? IOError)?.errnoCode == EADDRINUSE)
        }
    }
}

/// The metrics endpoint could not be served (usually: the port is taken).
public struct MetricsServerError: Error, CustomStringConvertible, Sendable {
    public var host: String
    public var port: Int
    public var cause: String
    /// The bind failed with `EADDRINUSE`.
    public var addressInUse: Bool

    public init(host: String, port: Int, cause: String, addressInUse: Bool = false) {
        self.host = host
        self.port = port
        self.cause = cause
        self.addressInUse = addressInUse
    }

    public var description: String {
        "cannot serve metrics on \(host):\(port): \(addressInUse ? "address already in use" : cause)"
    }
}
