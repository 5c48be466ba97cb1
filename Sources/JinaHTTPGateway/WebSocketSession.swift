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
///   `{"detail": …, "header": {"request_id": …, "status": {…, "exception": {…}}}, "status": <HTTP status>}`.
///
/// `ws://HOST:PORT/stream_doc` serves streaming endpoints (see `WebSocketSession+Stream`).
///
/// Requests of one connection are routed concurrently and answered as they complete; once the
/// client has ended its stream and every reply is written, the server closes — after an error
/// reply only once the client closed or 2 s passed (`WebSocketIntake`). Binary
/// and text messages are accepted whatever the sub-protocol. `/dry_run` answers one status and
/// closes. The upgrade needs the bearer token when the gateway demands one (`/dry_run` not when
/// `auth_exempt` lists it). At most `prefetch` requests per connection are in flight.
struct WebSocketSession: Sendable {
    typealias Handler = WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>

    let backend: GatewayBackend

    enum SubProtocol: String, Sendable { case bytes, json }

    /// Whether to accept an upgrade request, and the handler for it.
    func shouldUpgrade(_ head: HTTPRequest) -> ShouldUpgradeResult<Handler> {
        let path = String((head.path ?? "/").prefix { $0 != "?" })
        guard path == "/" || path == "/dry_run" || path == Self.streamPath else { return .dontUpgrade }
        // The data sockets (`/`, `/stream_doc`) always need the token (`GET /` being exempt for HTTP health
        // checks does not open it); `/dry_run` follows `auth_exempt` as over HTTP.
        let open = backend.security.tokens.map {
            (path == "/dry_run" && backend.security.isExempt(path: path))
                || $0.acceptsAuthorization(head.headerFields[.authorization])
        } ?? true
        guard open else {
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
        if path == Self.streamPath {
            return .upgrade(headers) { inbound, outbound, _ in
                try await serveStreams(inbound, outbound, mode: chosen)
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
    enum Incoming: Sendable {
        case binary(ByteBuffer)
        case text(String)
    }

    /// Backpressure: with `prefetch` > 0 at most `prefetch` messages of one connection are
    /// between being read and their reply being written (routing, or waiting in the reply
    /// buffer); the reader takes a permit before reading the next message and the writer gives
    /// it back once the reply is written, so a client that pipelines without end, or never
    /// reads its replies, is simply not read further (TCP pushes back on it).
    private func serve(_ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter, mode: SubProtocol) async throws {
        let prefetch = backend.gateway.prefetch
        let permits = prefetch > 0 ? AsyncPermits(prefetch) : nil
        let (incoming, incomingIn) = AsyncStream.makeStream(of: Incoming.self)
        // At most `prefetch` replies wait here: each holds a permit until written.
        let replies = OutboundQueue<Answer>()
        let maxSize = backend.limits.maxRequestBytes
        let phase = backend.phase
        try await withThrowingTaskGroup(of: WebSocketIntake.Part.self) { group in
            group.addTask {
                try await WebSocketIntake.read(inbound, maxSize: maxSize, permits: permits, phase: phase, into: incomingIn)
                return .reader
            }
            // Writer: in completion order. After a failed write the remaining replies are
            // dropped (still giving back their permits, so the reader is not stuck).
            group.addTask {
                var answeredAnError = false
                try await RequestStream.write(replies, permits: permits, onFailure: .dropTheRest) { answers in
                    for answer in answers {
                        try await outbound.write(answer.frame)
                        answeredAnError = answeredAnError || answer.isError
                    }
                }
                return .writer(answeredAnError: answeredAnError)
            }
            // The stream engine, fed by the reader (which takes the permits: it reads WebSocket
            // frames, where the client's `0x00` ends the requests but not the connection).
            _ = try await RequestStream.intake(SequenceSource(incoming), permits: nil, phase: phase) { message in
                if let answer = await answer(message) { _ = replies.enqueue(answer) } else { permits?.release() }
            }
            replies.finish()
            try await WebSocketIntake.finish(&group)
        }
        try? await outbound.close(.normalClosure, reason: nil)
    }

    /// A reply frame, and whether it reports an error (`WebSocketIntake.finish` closes later then).
    struct Answer: Sendable {
        var frame: WebSocketOutboundWriter.OutboundFrame
        var isError: Bool

        init(frame: WebSocketOutboundWriter.OutboundFrame, isError: Bool) {
            self.frame = frame
            self.isError = isError
        }

        init(_ reply: WebSocketMessage.Reply, isError: Bool) {
            switch reply {
            case .binary(let bytes): frame = .binary(ByteBuffer(bytes: bytes))
            case .text(let text): frame = .text(text)
            }
            self.isError = isError
        }
    }

    /// The reply for one message (nil: nothing to answer).
    private func answer(_ message: Incoming) async -> Answer? {
        switch message {
        case .binary(var buffer):
            let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            switch WebSocketMessage.decode(binary: bytes, limits: backend.limits) {
            case .refused(let reply): return Answer(reply, isError: true)
            case .request(let request):
                let reply = await backend.router.route(request)
                return binary(reply.head, isError: reply.isError)
            }
        case .text(let text):
            switch WebSocketMessage.decode(text: text, limits: backend.limits) {
            case .refused(let reply): return Answer(reply, isError: true)
            case .request(let request):
                let reply = await backend.router.route(request)
                if reply.isError {
                    var body = ErrorStatus.body(reply)
                    if case .object(var members) = body {
                        members["status"] = .integer(Int(ErrorStatus.of(reply).code))
                        body = .object(members)
                    }
                    return Answer(frame: .text(body.serialized()), isError: true)
                }
                do {
                    return Answer(frame: .text(try JSONDataRequest.reply(reply).serialized()), isError: false)
                } catch {
                    return Answer(frame: .text(JSONValue.object(["detail": .string(error.description), "status": 500]).serialized()),
                                  isError: true)
                }
            }
        }
    }

    private func binary(_ message: Jina_DataRequestProtoWoData, isError: Bool) -> Answer? {
        guard let bytes: [UInt8] = try? message.serializedBytes() else { return nil }
        return Answer(frame: .binary(ByteBuffer(bytes: bytes)), isError: isError)
    }
}
