import AsyncHTTPClient
import HTTPTypes
import JinaProto
import Logging
import NIOCore
import SwiftProtobuf
import WSClient

/// WebSocket (`ws://`, `wss://`) with Jina's `bytes` sub-protocol: each binary message is one
/// serialized `DataRequestProto`, replies come back in completion order, and the single byte
/// `0x00` ends the client's stream. Readiness: the `/dry_run` socket (flow) or HTTP `GET /`
/// (gateway, executor), as Jina's client checks.
struct WebSocketClientTransport: ClientTransport {
    let target: GatewayTarget
    let security: ClientSecurity

    /// The largest message accepted from the gateway.
    static let maximumMessageBytes = 1 << 30
    /// The message that ends the client's stream.
    static let endOfStream: [UInt8] = [0]

    func withConnection<Result: Sendable>(
        _ body: (any ClientConnection) async throws -> Result
    ) async throws -> Result {
        if let problem = ipLiteralProblem { throw ClientError(.invalidInput, problem) }
        let url = target.webSocketURL("/")
        let configuration = configuration(subprotocol: "bytes")
        let tls = target.usesTLS ? security.tlsConfiguration() : nil
        let target = self.target
        return try await StreamingConnection.run(target: target, driver: { outbound, multiplexer in
            try await WebSocketClient.connect(
                url: url, configuration: configuration, tlsConfiguration: tls, logger: Self.logger
            ) { inbound, writer, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        // However reading ends, no more replies come: fail whoever still waits,
                        // which also ends the pipeline and so the writing loop below.
                        do {
                            for try await message in inbound.messages(maxSize: Self.maximumMessageBytes) {
                                guard case .binary(let buffer) = message else { continue }
                                multiplexer.resolve(try Jina_DataRequestProto(serializedBytes: Array(buffer: buffer)))
                            }
                            multiplexer.close(.unreachable(target, "the gateway closed the WebSocket"))
                        } catch {
                            multiplexer.close(ErrorText.clientError(error, target: target))
                            throw error
                        }
                    }
                    for await request in outbound {
                        let bytes: [UInt8] = try request.serializedBytes()
                        try await writer.write(.binary(ByteBuffer(bytes: bytes)))
                    }
                    // Every request has been answered (the pipeline waits for each reply before
                    // the stream ends): say goodbye and stop reading.
                    try await writer.write(.binary(ByteBuffer(bytes: Self.endOfStream)))
                    group.cancelAll()
                }
            }
        }, body: body)
    }

    /// Every check is HTTP on the WebSocket port, which Jina's WebSocket gateway and ours both
    /// serve: `GET /dry_run` for a Flow, `GET /` otherwise. Not the `/dry_run` WebSocket: there
    /// the gateway speaks first, and under load its status frame (and its close) can reach us in
    /// the same read as the upgrade response, where the WebSocket client drops them — the check
    /// then waited out its whole timeout although the gateway had answered (1 in 5 pings beside
    /// two busy loops).
    func check(_ kind: PingKind, timeout: Duration?) async -> String? {
        let client = HTTPClientTransport(target: target, security: security, inFlight: 1).makeClient()
        defer { _ = client.shutdown() as EventLoopFuture<Void> }
        return await HTTPClientTransport.check(kind, target: target, security: security, client: client, timeout: timeout)
    }

    /// The WebSocket library checks a `wss://` certificate against a host name only (it cannot
    /// send an IP address as the TLS server name), so an IP literal is refused up front.
    private var ipLiteralProblem: String? {
        guard target.usesTLS else { return nil }
        let isIPv4 = target.host.split(separator: ".").count == 4 && target.host.split(separator: ".").allSatisfy { UInt8($0) != nil }
        guard isIPv4 || target.host.contains(":") else { return nil }
        return "wss:// needs the host name the certificate names, not an IP address (\(target.host)); e.g. wss://localhost:\(target.port)"
    }

    private func configuration(subprotocol: String?) -> WebSocketClientConfiguration {
        var headers = HTTPFields()
        if let subprotocol { headers[.secWebSocketProtocol] = subprotocol }
        if let authorization = security.authorization { headers[.authorization] = authorization }
        return WebSocketClientConfiguration(maxFrameSize: Self.maximumMessageBytes, additionalHeaders: headers)
    }

    static let logger = Logger(label: "jina.client.websocket", factory: { _ in SwiftLogNoOpLogHandler() })
}
