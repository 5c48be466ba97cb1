import HummingbirdWebSocket
import JinaCore
import JinaGateway
import JinaProto
import NIOCore
import SwiftProtobuf

/// `ws://HOST:PORT/stream_doc`: streaming endpoints over WebSocket (Jina's client has no
/// WebSocket `stream_doc`; this is our own shape, documented in docs/gateway.md). Each request
/// message starts one stream; the streams of a connection run concurrently (at most `prefetch`),
/// their messages interleaved and told apart by request id.
///
/// * `json` (default): the client sends `{"execEndpoint": "/tokens", "data": {DOCUMENT},
///   "parameters": {…}, "request_id": "optional"}`; the gateway answers
///   `{"event": "update", "request_id": ID, "data": {DOCUMENT}}` per produced document, then
///   `{"event": "end", "request_id": ID}` — or, instead of the end, `{"event": "error",
///   "request_id": ID, "detail": …, "header": {…}}`.
/// * `bytes`: the client sends a serialized `SingleDocumentRequestProto`; each reply is one too,
///   and the stream's last reply is the one without a `document` (an ERROR status when it failed).
extension WebSocketSession {
    static let streamPath = "/stream_doc"

    func serveStreams(_ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter, mode: SubProtocol) async throws {
        let prefetch = backend.gateway.prefetch
        let permits = prefetch > 0 ? AsyncPermits(prefetch) : nil
        let (frames, framesIn) = AsyncStream.makeStream(of: WebSocketOutboundWriter.OutboundFrame.self)
        let maxSize = backend.limits.maxRequestBytes
        let phase = backend.phase
        let (incoming, incomingIn) = AsyncStream.makeStream(of: Incoming.self)
        try await withThrowingTaskGroup(of: WebSocketIntake.Part.self) { group in
            // Writer: frames in the order the streams produce them; after a failed write the
            // rest is dropped.
            group.addTask {
                var failure: (any Error)?
                for await frame in frames where failure == nil {
                    do { try await outbound.write(frame) } catch { failure = error }
                }
                if let failure { throw failure }
                // A stream's frames are not told apart by outcome here: let the client close
                // first, as after an error (WebSocketIntake).
                return .writer(answeredAnError: true)
            }
            group.addTask {
                try await WebSocketIntake.read(inbound, maxSize: maxSize, permits: permits, phase: phase, into: incomingIn)
                return .reader
            }
            // The stream engine, fed by the reader (which takes the permits); a permit is given
            // back when its stream has sent its last frame.
            _ = try await RequestStream.intake(SequenceSource(incoming), permits: nil, phase: phase) { message in
                defer { permits?.release() }
                await stream(message, mode: mode) { framesIn.yield($0) }
            }
            framesIn.finish()
            try await WebSocketIntake.finish(&group)
        }
        try? await outbound.close(.normalClosure, reason: nil)
    }

    /// Runs one stream request, handing each reply frame to `send`.
    private func stream(_ message: Incoming, mode: SubProtocol, send: @escaping @Sendable (WebSocketOutboundWriter.OutboundFrame) -> Void) async {
        switch message {
        case .binary(var buffer):
            let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            let request: Jina_SingleDocumentRequestProto
            do {
                request = try Jina_SingleDocumentRequestProto(serializedBytes: bytes)
            } catch {
                var reply = Jina_SingleDocumentRequestProto()
                reply.header.status = .error(
                    description: "the message is not a serialized SingleDocumentRequestProto: \(error)",
                    name: "BadRequest", args: ["malformed SingleDocumentRequestProto"], executor: "gateway")
                if let bytes: [UInt8] = try? reply.serializedBytes() { send(.binary(ByteBuffer(bytes: bytes))) }
                return
            }
            var last = request
            last.clearDocument()
            last.clearParameters()
            last.routes = []
            var failed = false
            try? await StreamRelay.run(request, router: backend.router) { reply in
                if reply.header.status.code == .error { failed = true }
                if let bytes: [UInt8] = try? reply.serializedBytes() { send(.binary(ByteBuffer(bytes: bytes))) }
            }
            if !failed, let bytes: [UInt8] = try? last.serializedBytes() { send(.binary(ByteBuffer(bytes: bytes))) }
        case .text(let text):
            let request: Jina_SingleDocumentRequestProto
            do {
                request = try Self.streamRequest(text)
            } catch {
                send(.text(JSONValue.object(["event": "error", "detail": .string(error.description)]).serialized()))
                return
            }
            let id = request.header.requestID
            var failed = false
            try? await StreamRelay.run(request, router: backend.router) { reply in
                let event = EventStream.jsonEvent(for: reply)
                if case .object(let members) = event, members["event"] == "error" { failed = true }
                send(.text(event.serialized()))
            }
            if !failed { send(.text(JSONValue.object(["event": "end", "request_id": .string(id)]).serialized())) }
        }
    }

    /// A JSON stream request as `SingleDocumentRequestProto` (a request id made when missing).
    static func streamRequest(_ text: String) throws(DocumentError) -> Jina_SingleDocumentRequestProto {
        let json = try JSONValue(parsing: text)
        guard case .object(let members) = json else {
            throw DocumentError("expected an object with execEndpoint and data, got \(json.kindDescription)", path: "")
        }
        var request = Jina_SingleDocumentRequestProto()
        let endpoint = members["execEndpoint"]?.stringValue ?? members["exec_endpoint"]?.stringValue
        guard let endpoint, !endpoint.isEmpty else {
            throw DocumentError("execEndpoint is missing: name the streaming endpoint (\"/tokens\")", path: "execEndpoint")
        }
        request.header.execEndpoint = endpoint
        request.header.requestID = members["request_id"]?.stringValue ?? Document.generateID()
        guard let data = members["data"] else { throw DocumentError("data is missing: give the document as an object", path: "data") }
        request.document = try Document(json: data, path: "data").proto(path: "data")
        if case .object(let parameters)? = members["parameters"] { request.parameters = Google_Protobuf_Struct(json: parameters) }
        return request
    }
}
