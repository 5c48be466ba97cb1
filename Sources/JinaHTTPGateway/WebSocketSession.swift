import Foundation
import Hummingbird
import HummingbirdWebSocket
import JinaCore
import JinaGateway
import JinaProto
import NIOCore
import SwiftProtobuf

/// The WebSocket gateway (`ws://HOST:PORT/`), as Jina's with a JSON mode that works:
///
/// * sub-protocol `bytes`: each binary message is one serialized `DataRequestProto`, each reply
///   one too; the single byte `0x00` ends the client's stream;
/// * sub-protocol `json` (the default): each text message is one request shaped like the HTTP
///   body plus `execEndpoint` (or `exec_endpoint`), each reply the HTTP reply body; an error is
///   `{"detail": …, "header": {"request_id": …}, "status": <HTTP status>}`.
///
/// Requests of one connection are routed concurrently and answered as they complete. Binary
/// and text messages are accepted whatever the sub-protocol. `/dry_run` answers one status and
/// closes. The upgrade needs the bearer token when the gateway demands one.
struct WebSocketSession: Sendable {
    typealias Handler = WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>

    let backend: GatewayBackend

    enum SubProtocol: String, Sendable { case bytes, json }

    /// Whether to accept an upgrade request, and the handler for it.
    func shouldUpgrade(_ head: HTTPRequest) -> ShouldUpgradeResult<Handler> {
        let path = String((head.path ?? "/").prefix { $0 != "?" })
        guard path == "/" || path == "/dry_run" else { return .dontUpgrade }
        guard backend.security.tokens == nil || backend.security.tokens!.acceptsAuthorization(head.headerFields[.authorization]) else {
            // Refused: Hummingbird answers a refused upgrade with 400.
            return .dontUpgrade
        }
        let offered = head.headerFields[values: .secWebSocketProtocol]
            .flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let chosen: SubProtocol = offered.contains("bytes") ? .bytes : .json
        var headers = HTTPFields()
        if offered.contains(chosen.rawValue) { headers[.secWebSocketProtocol] = chosen.rawValue }
        if path == "/dry_run" {
            return .upgrade(headers) { _, outbound, _ in
                try await dryRun(outbound, mode: chosen)
            }
        }
        return .upgrade(headers) { inbound, outbound, _ in
            try await serve(inbound, outbound, mode: chosen)
        }
    }

    private func dryRun(_ outbound: WebSocketOutboundWriter, mode: SubProtocol) async throws {
        let status = await backend.router.dryRun()
        switch mode {
        case .bytes:
            let bytes: [UInt8] = try status.serializedBytes()
            try await outbound.write(.binary(ByteBuffer(bytes: bytes)))
        case .json:
            try await outbound.write(.text(StatusJSON.status(status).serialized()))
        }
        try await outbound.close(.normalClosure, reason: nil)
    }

    /// One incoming message, in the order read.
    private enum Incoming: Sendable {
        case binary(ByteBuffer)
        case text(String)
    }

    private func serve(_ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter, mode: SubProtocol) async throws {
        let (incoming, incomingIn) = AsyncStream.makeStream(of: Incoming.self)
        let (replies, repliesIn) = AsyncStream.makeStream(of: WebSocketOutboundWriter.OutboundFrame.self)
        let maxSize = backend.limits.maxRequestBytes
        let phase = backend.phase
        try await withThrowingTaskGroup(of: Void.self) { group in
            // Reader: until the client ends its stream (0x00 or close) or the gateway drains.
            group.addTask {
                defer { incomingIn.finish() }
                try await withThrowingTaskGroup(of: Void.self) { reading in
                    reading.addTask {
                        for try await message in inbound.messages(maxSize: maxSize) {
                            switch message {
                            case .binary(let buffer):
                                if buffer.readableBytes == 1, buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) == 0 {
                                    return
                                }
                                incomingIn.yield(.binary(buffer))
                            case .text(let text):
                                incomingIn.yield(.text(text))
                            }
                        }
                    }
                    reading.addTask { await phase.waitUntilDraining() }
                    _ = try await reading.next()
                    reading.cancelAll()
                }
            }
            // Writer: one at a time, in completion order.
            group.addTask {
                for await frame in replies { try await outbound.write(frame) }
            }
            await withDiscardingTaskGroup { routing in
                for await message in incoming {
                    routing.addTask {
                        if let frame = await answer(message) { repliesIn.yield(frame) }
                    }
                }
            }
            repliesIn.finish()
            try await group.waitForAll()
        }
        try? await outbound.close(.normalClosure, reason: nil)
    }

    /// The reply frame for one message (nil: nothing to answer).
    private func answer(_ message: Incoming) async -> WebSocketOutboundWriter.OutboundFrame? {
        switch message {
        case .binary(var buffer):
            let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            let request: LazyDataRequest
            do {
                request = LazyDataRequest(head: try Jina_DataRequestProtoWoData(serializedBytes: bytes))
            } catch {
                var reply = Jina_DataRequestProtoWoData()
                reply.header.status = .error(
                    description: "the message is not a serialized DataRequestProto: \(error)",
                    name: "BadRequest", args: ["malformed DataRequestProto"], executor: "gateway")
                return binary(reply)
            }
            let reply = if let rejected = backend.limits.rejection(of: request) { rejected } else { await backend.router.route(request) }
            return binary(reply.head)
        case .text(let text):
            let request: LazyDataRequest
            do {
                request = try JSONDataRequest.parse(Array(text.utf8), endpoint: nil, limits: backend.limits)
            } catch {
                var body = error.json
                if case .object(var members) = body {
                    members["status"] = .integer(error.status)
                    body = .object(members)
                }
                return .text(body.serialized())
            }
            let reply = await backend.router.route(request)
            if reply.isError {
                let body: JSONValue = .object([
                    "detail": .string(reply.head.header.status.description_p),
                    "status": .integer(Int(ErrorStatus.of(reply).code)),
                    "header": .object(["request_id": .string(reply.requestID)]),
                ])
                return .text(body.serialized())
            }
            do {
                return .text(try JSONDataRequest.reply(reply).serialized())
            } catch {
                return .text(JSONValue.object(["detail": .string(error.description), "status": 500]).serialized())
            }
        }
    }

    private func binary(_ message: Jina_DataRequestProtoWoData) -> WebSocketOutboundWriter.OutboundFrame? {
        guard let bytes: [UInt8] = try? message.serializedBytes() else { return nil }
        return .binary(ByteBuffer(bytes: bytes))
    }
}
