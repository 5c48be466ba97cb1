public import JinaCore
public import JinaGateway
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import Logging
import NIOCore
import Synchronization

/// Serves HTTP (Jina's docarray-v2 routes) and WebSocket (`bytes` and `json` sub-protocols) on
/// Hummingbird, every request going through the gateway's `RequestRouter`. TLS (HTTPS, WSS)
/// when the gateway has a certificate; bearer tokens when it has tokens.
public struct HTTPFrontend: GatewayFrontend {
    public init() {}

    public var protocols: Set<ServerProtocol> { [.http, .websocket] }

    public func run(
        protocol: ServerProtocol, host: String, port: Int, backend: GatewayBackend,
        onBound: @escaping @Sendable (Int) -> Void
    ) async throws {
        guard (0...65535).contains(port) else {
            throw GatewayError(.invalidInput, "gateway port \(port) is out of range 0-65535")
        }
        let ip = try await GatewayError.bindableAddress(host)
        let catalog = EndpointCatalog(backend: backend)
        let responder = GatewayResponder(backend: backend, catalog: catalog, protocol: `protocol`)
        var server: HTTPServerBuilder
        if `protocol` == .websocket {
            let session = WebSocketSession(backend: backend)
            let configuration = HTTP1WebSocketUpgradeChannel.Configuration(
                http1: .init(idleTimeout: backend.limits.idleTimeout.map { TimeAmount($0) }),
                ws: .init(maxFrameSize: min(max(backend.limits.maxRequestBytes, 1 << 14), Int(Int32.max))))
            let shouldUpgrade: @Sendable (HTTPRequest, any Channel, Logger) throws
                -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>> = { head, _, _ in
                    session.shouldUpgrade(head)
                }
            let deadline = backend.limits.idleTimeout.map { TimeAmount($0) }
            server = HTTPServerBuilder { responder in
                HandshakeDeadline(
                    inner: HTTP1WebSocketUpgradeChannel(responder: responder, configuration: configuration, shouldUpgrade: shouldUpgrade),
                    deadline: deadline)
            }
        } else {
            // Hummingbird's idle timer counts whole requests, not bytes: a connection whose
            // request headers never end (slowloris) is closed after it too.
            server = .http1(configuration: .init(idleTimeout: backend.limits.idleTimeout.map { TimeAmount($0) }))
        }
        if let tls = backend.security.tls {
            server = try .tls(server, tlsConfiguration: tls.serverConfiguration(applicationProtocols: ["http/1.1"]))
        }
        let bound = Atomic<Bool>(false)
        var quiet = backend.logger
        quiet.logLevel = max(quiet.logLevel, .warning)
        let app = Application(
            responder: responder, server: server,
            configuration: .init(address: .hostname(ip, port: port), serverName: nil),
            onServerRunning: { channel in
                bound.store(true, ordering: .releasing)
                onBound(channel.localAddress?.port ?? port)
            },
            logger: quiet)
        do {
            // `Application` is a `Service`: run inside the gateway's listeners, it inherits their
            // graceful shutdown (stop accepting, finish the requests in flight).
            try await app.run()
        } catch let error as GatewayError {
            throw error
        } catch {
            if !bound.load(ordering: .acquiring) {
                if error is CancellationError { return }
                throw GatewayError.cannotListen(host: host, port: port, cause: error)
            }
            // Once serving, a failure while draining (or cancelled after the drain's deadline)
            // is how the server ends.
            if backend.phase.phase == .draining || error is CancellationError { return }
            throw GatewayError(.runtime, "the gateway's \(`protocol`.displayName) server failed: \(error)")
        }
    }
}
