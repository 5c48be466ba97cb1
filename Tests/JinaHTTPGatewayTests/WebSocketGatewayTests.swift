import Foundation
import HummingbirdWSClient
import JinaCore
import JinaGateway
import JinaProto
import Logging
import NIOCore
import SwiftProtobuf
import Synchronization
import Testing

@Suite("WebSocket gateway: bytes and json sub-protocols")
struct WebSocketGatewayTests {
    @Test("bytes: serialized DataRequestProtos in and out, 0x00 ends the stream, the server closes normally")
    func bytes() async throws {
        try await withLiveGateway(gatewaySection: "  protocol: websocket") { ports in
            let url = "ws://127.0.0.1:\(try #require(ports[.websocket]))/"
            let replies = Mutex<[Jina_DataRequestProto]>([])
            var configuration = WebSocketClientConfiguration()
            configuration.additionalHeaders[.secWebSocketProtocol] = "bytes"
            let close = try await WebSocketClient.connect(url: url, configuration: configuration, logger: quietLogger()) { inbound, outbound, _ in
                for index in 0..<3 {
                    let request = try Jina_DataRequestProto(
                        endpoint: "/", documents: [try Document(json: ["id": .string("d\(index)"), "text": "t"])],
                        requestID: "r\(index)")
                    try await outbound.write(.binary(ByteBuffer(bytes: try request.serializedBytes() as [UInt8])))
                }
                try await outbound.write(.binary(ByteBuffer(bytes: [0])))
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    guard case .binary(var buffer) = message else { continue }
                    let reply = try Jina_DataRequestProto(serializedBytes: buffer.readBytes(length: buffer.readableBytes) ?? [])
                    replies.withLock { $0.append(reply) }
                }
            }
            #expect(close?.closeCode == .normalClosure)
            let got = replies.withLock { $0 }
            #expect(Set(got.map(\.requestID)) == ["r0", "r1", "r2"])
            #expect(try got.allSatisfy { try $0.documents().first?.json()["text"] == "t!" })
        }
    }

    @Test("json: one request per text message, the HTTP reply body back; a bad one names the field")
    func json() async throws {
        try await withLiveGateway(gatewaySection: "  protocol: websocket") { ports in
            let url = "ws://127.0.0.1:\(try #require(ports[.websocket]))/"
            let texts = Mutex<[String]>([])
            try await WebSocketClient.connect(url: url, logger: quietLogger()) { inbound, outbound, _ in
                try await outbound.write(.text(#"{"data":[{"text":"a"}],"execEndpoint":"/","header":{"request_id":"j1"}}"#))
                try await outbound.write(.text(#"{"data":{"text":7}}"#))
                var iterator = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                for _ in 0..<2 {
                    if case .text(let text)? = try await iterator.next() { texts.withLock { $0.append(text) } }
                }
                try await outbound.close(.normalClosure, reason: nil)
            }
            let got = try texts.withLock { $0 }.map { try JSONValue(parsing: $0) }
            #expect(got.count == 2)
            let good = try #require(got.first { $0["header"]?["request_id"] == "j1" })
            #expect(good["data"]?.arrayValue?.first?["text"] == "a!")
            let bad = try #require(got.first { $0["status"] == 422 })
            #expect(bad["detail"]?.arrayValue?.first?["loc"] == ["body", "data", "text"])
        }
    }

    @Test("prefetch bounds a connection's requests in flight: with prefetch 1 replies come back in sending order")
    func prefetchBound() async throws {
        try await withLiveGateway(gatewaySection: "  protocol: websocket\n  prefetch: 1") { ports in
            let url = "ws://127.0.0.1:\(try #require(ports[.websocket]))/"
            let replies = Mutex<[String]>([])
            var configuration = WebSocketClientConfiguration()
            configuration.additionalHeaders[.secWebSocketProtocol] = "bytes"
            try await WebSocketClient.connect(url: url, configuration: configuration, logger: quietLogger()) { inbound, outbound, _ in
                for index in 0..<200 {
                    let request = try Jina_DataRequestProto(
                        endpoint: "/", documents: [try Document(json: ["text": "t"])], requestID: "r\(index)")
                    try await outbound.write(.binary(ByteBuffer(bytes: try request.serializedBytes() as [UInt8])))
                }
                try await outbound.write(.binary(ByteBuffer(bytes: [0])))
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    guard case .binary(var buffer) = message else { continue }
                    let reply = try Jina_DataRequestProto(serializedBytes: buffer.readBytes(length: buffer.readableBytes) ?? [])
                    replies.withLock { $0.append(reply.requestID) }
                }
            }
            #expect(replies.withLock { $0 } == (0..<200).map { "r\($0)" })
        }
    }

    @Test("tokens: the data socket `/` needs one even though GET / is exempt; `/dry_run` follows auth_exempt")
    func tokens() async throws {
        let security = GatewaySecurity(tokens: TokenSet(["secret"]))
        try await withLiveGateway(gatewaySection: "  protocol: websocket", security: security) { ports in
            let base = "ws://127.0.0.1:\(try #require(ports[.websocket]))"
            #expect(try await Self.firstText(base + "/dry_run", token: nil)?.contains("\"code\"") == true)
            await #expect(throws: (any Error).self) { _ = try await Self.firstText(base + "/", token: nil) }
            await #expect(throws: (any Error).self) { _ = try await Self.firstText(base + "/", token: "wrong") }
        }
        let closed = GatewaySecurity(tokens: TokenSet(["secret"]), exempt: [])
        try await withLiveGateway(gatewaySection: "  protocol: websocket", security: closed) { ports in
            let base = "ws://127.0.0.1:\(try #require(ports[.websocket]))"
            await #expect(throws: (any Error).self) { _ = try await Self.firstText(base + "/dry_run", token: nil) }
            #expect(try await Self.firstText(base + "/dry_run", token: "secret")?.contains("\"code\"") == true)
        }
    }

    /// The first text message of a WebSocket at `url` (throws when the upgrade is refused).
    private static func firstText(_ url: String, token: String?) async throws -> String? {
        var configuration = WebSocketClientConfiguration()
        if let token { configuration.additionalHeaders[.authorization] = "Bearer \(token)" }
        let text = Mutex<String?>(nil)
        try await WebSocketClient.connect(url: url, configuration: configuration, logger: quietLogger()) { inbound, outbound, _ in
            var iterator = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
            if case .text(let got)? = try await iterator.next() { text.withLock { $0 = got } }
            try? await outbound.close(.normalClosure, reason: nil)
        }
        return text.withLock { $0 }
    }
}
