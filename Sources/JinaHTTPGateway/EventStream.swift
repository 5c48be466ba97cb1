import HTTPTypes
import Hummingbird
import JinaCore
import JinaGateway
import JinaObservability
import JinaProto
import NIOCore

/// A streaming endpoint over HTTP, as Jina 3.34's gateway serves it: `GET /<endpoint>` with the
/// document as a JSON body (what Jina's `Client.stream_doc` sends) or as the query string
/// (`?text=hello`, every value a string), answered with server-sent events (`text/event-stream`),
/// CRLF-framed as Jina's `sse.py` writes them:
///
/// * `event: update\r\ndata: <document JSON>\r\n\r\n` for each document, as it is produced
///   (Jina's client cuts the document at a fixed offset after `event: `, so the framing matters);
/// * `event: end\r\n\r\n` once the stream is done.
///
/// Jina raises (and cuts the response off) when the executor fails; here the failure is an
/// event of its own, `event: error\r\ndata: <the error body of a POST>\r\n\r\n`, before
/// `end`, so a browser's `EventSource` can show it (Jina's client skips unknown events).
enum EventStream {
    static let contentType = "text/event-stream; charset=utf-8"

    /// The response for `GET path` on a streaming endpoint.
    static func response(
        _ request: Request, endpoint: String, backend: GatewayBackend
    ) async -> Response {
        let document: Document
        do {
            document = try await self.document(from: request, limit: backend.limits.maxRequestBytes)
        } catch {
            return GatewayResponder.json(error.json, status: HTTPResponse.Status(code: error.status))
        }
        var message = Jina_SingleDocumentRequestProto()
        message.header.requestID = Document.generateID()
        message.header.execEndpoint = endpoint
        do {
            message.document = try document.proto(path: "document")
        } catch {
            return GatewayResponder.detail(error.description, status: .unprocessableContent)
        }
        let router = backend.router
        // The body runs after this function returns: the client's trace context goes with it.
        let trace = RequestTracing.isOn ? RequestTracing.headers(from: { name in HTTPField.Name(name).flatMap { request.headers[$0] } }) : nil
        let request = message
        var headers: HTTPFields = [.contentType: contentType, .cacheControl: "no-cache", .connection: "keep-alive"]
        if let buffering = HTTPField.Name("X-Accel-Buffering") { headers[buffering] = "no" }
        let body = ResponseBody { writer in
            try await StreamRelay.run(request, router: router, trace: trace) { reply in
                try await writer.write(event(for: reply))
            }
            try await writer.write(ByteBuffer(string: "event: end\r\n\r\n"))
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// One message as its event: `update` with the document, or `error` with the status.
    static func event(for reply: Jina_SingleDocumentRequestProto) -> ByteBuffer {
        if reply.header.status.code == .error {
            let body = ErrorStatus.body(requestID: reply.header.requestID, status: reply.header.status)
            return ByteBuffer(string: "event: error\r\ndata: \(body.serialized())\r\n\r\n")
        }
        let json: JSONValue
        do {
            json = try Document(proto: reply.document, path: "document").json()
        } catch {
            let body: JSONValue = .object(["detail": .string("the executor's document cannot be shown as JSON: \(error.description)")])
            return ByteBuffer(string: "event: error\r\ndata: \(body.serialized())\r\n\r\n")
        }
        return ByteBuffer(string: "event: update\r\ndata: \(json.serialized())\r\n\r\n")
    }

    /// One message as a JSON event (the WebSocket's): `{"event": "update", "request_id",
    /// "data"}` or `{"event": "error", "request_id", "detail", "header"}`.
    static func jsonEvent(for reply: Jina_SingleDocumentRequestProto) -> JSONValue {
        let id = JSONValue.string(reply.header.requestID)
        if reply.header.status.code == .error {
            guard case .object(var members) = ErrorStatus.body(requestID: reply.header.requestID, status: reply.header.status) else {
                return .object(["event": "error", "request_id": id])
            }
            members["event"] = "error"
            members["request_id"] = id
            return .object(members)
        }
        do {
            return .object(["event": "update", "request_id": id, "data": try Document(proto: reply.document, path: "document").json()])
        } catch {
            return .object(["event": "error", "request_id": id,
                            "detail": .string("the executor's document cannot be shown as JSON: \(error.description)")])
        }
    }

    /// The document of a `GET`: the JSON body when there is one, else the query string.
    private static func document(from request: Request, limit: Int) async throws(RequestProblem) -> Document {
        let bytes: [UInt8]
        do {
            bytes = try await RequestBody.bytes(of: request, limit: limit)
        } catch {
            if case .tooLarge = error { throw RequestProblem(type: "too_long", location: [], message: error.message, status: 413) }
            throw RequestProblem(type: "body_unreadable", location: [], message: error.message, status: 400)
        }
        let json: JSONValue
        if !bytes.isEmpty {
            do {
                json = try JSONValue(parsing: bytes)
            } catch {
                throw RequestProblem(type: "json_invalid", location: [], message: "JSON decode error: \(error.description)")
            }
        } else {
            var members: [String: JSONValue] = [:]
            for (key, value) in FormQuery.parameters(request.uri.query) { members[key] = .string(value) }
            json = .object(members)
        }
        do {
            return try Document(json: json, path: "body")
        } catch {
            throw RequestProblem(type: "value_error", path: error.path, message: error.message)
        }
    }
}
