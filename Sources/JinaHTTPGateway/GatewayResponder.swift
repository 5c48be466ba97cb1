import HTTPTypes
import Hummingbird
import JinaCore
import JinaGateway
import JinaObservability
import JinaProto
import NIOCore

/// Answers the HTTP routes of Jina's docarray-v2 gateway: `GET /` (`{}`), `/status`,
/// `/dry_run`, `/openapi.json`, `/graphql` when `expose_graphql_endpoint` is set (see
/// `GatewayGraphQL`), `POST /<endpoint>` for every discovered endpoint, `GET
/// /<endpoint>` for a streaming one (server-sent events, see `EventStream`), and the generic
/// `POST /post` (endpoint in the body). Bearer tokens, CORS and the body size limit are
/// checked here, before any routing.
struct GatewayResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let backend: GatewayBackend
    let catalog: EndpointCatalog
    let `protocol`: ServerProtocol
    /// `/docs`, `/redoc` and their assets (HTTP only).
    var apiDocs = APIDocsPages.located()

    func respond(to request: Request, context: Context) async throws -> Response {
        let origin = backend.gateway.cors ? request.headers[.origin] : nil
        // A client's `traceparent` header makes the request's spans part of its trace.
        var response = await RequestTracing.withIncoming({ name in HTTPField.Name(name).flatMap { request.headers[$0] } }) {
            await answer(request, origin: origin)
        }
        if let origin {
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.accessControlAllowCredentials] = "true"
            response.headers[.vary] = "Origin"
        }
        return response
    }

    private func answer(_ request: Request, origin: String?) async -> Response {
        let path = request.uri.path
        if request.method == .options, origin != nil {
            var response = Response(status: .ok)
            response.headers[.accessControlAllowMethods] = "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT"
            response.headers[.accessControlAllowHeaders] = request.headers[.accessControlRequestHeaders] ?? "*"
            response.headers[.accessControlMaxAge] = "600"
            return response
        }
        // The page is static: the requests it sends carry the token the user types into it.
        if request.method == .get, path == "/playground", `protocol` == .http, backend.gateway.playground {
            var buffer = ByteBufferAllocator().buffer(capacity: PlaygroundPage.html.utf8.count)
            buffer.writeString(PlaygroundPage.html)
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                            body: .init(byteBuffer: buffer))
        }
        if request.method == .get, `protocol` == .http, apiDocs.isPublic(path),
           let page = await apiDocs.response(for: path, endpoints: { [] }) {
            return page
        }
        guard backend.security.allows(path: path, authorization: request.headers[.authorization]) else {
            var response = Self.json(.object(["detail": "Not authenticated"]), status: .unauthorized)
            response.headers[.wwwAuthenticate] = "Bearer"
            return response
        }
        if request.method == .get, `protocol` == .http,
           let page = await apiDocs.response(for: path, endpoints: { await catalog.endpoints()?.endpoints ?? [] }) {
            return page
        }
        if path == GraphQLRoute.path, `protocol` == .http, backend.gateway.exposeGraphQL,
           request.method == .get || request.method == .post {
            return await GraphQLRoute.response(request, backend: backend)
        }
        switch (request.method, path) {
        case (.get, "/"), (.head, "/"):
            return Self.json(.object([:]))
        case (.get, "/status"):
            return Self.json(StatusJSON.info(backend.info))
        case (.get, "/dry_run"):
            return Self.json(StatusJSON.status(await backend.router.dryRun()))
        case (.get, "/openapi.json"):
            return Self.json(OpenAPIDocument.make(endpoints: await catalog.endpoints(), gateway: backend.gateway))
        case (.post, "/post"):
            return await data(request, endpoint: nil)
        case (.post, _) where `protocol` == .http && path != "/" && !path.hasPrefix("/_"):
            guard await catalog.isRoute(path) else { return Self.detail("Not Found", status: .notFound) }
            return await data(request, endpoint: path)
        case (_, "/"), (_, "/status"), (_, "/dry_run"), (_, "/openapi.json"), (_, "/post"):
            return Self.detail("Method Not Allowed", status: .methodNotAllowed)
        default:
            if `protocol` == .http, request.method == .get, let endpoints = await catalog.endpoints(), endpoints.endpoints.contains(path) {
                if EndpointCatalog.isStreaming(path, in: endpoints) {
                    return await EventStream.response(request, endpoint: path, backend: backend)
                }
                return Self.detail("Method Not Allowed", status: .methodNotAllowed)
            }
            return Self.detail("Not Found", status: .notFound)
        }
    }

    /// A data request: read the body (bounded), route it, answer Jina's reply or error.
    private func data(_ request: Request, endpoint: String?) async -> Response {
        let limit = backend.limits.maxRequestBytes
        let bytes: [UInt8]
        do {
            bytes = try await RequestBody.bytes(of: request, limit: limit)
        } catch {
            if case .tooLarge = error { return Self.detail(error.message, status: .contentTooLarge) }
            return Self.detail(error.message, status: .badRequest)
        }
        let parsed: LazyDataRequest
        do {
            parsed = try JSONDataRequest.parse(bytes, endpoint: endpoint, limits: backend.limits)
        } catch {
            return Self.json(error.json, status: HTTPResponse.Status(code: error.status))
        }
        let reply = await backend.router.route(parsed)
        if reply.isError {
            return Self.json(ErrorStatus.body(reply), status: ErrorStatus.of(reply))
        }
        do {
            return Self.json(try JSONDataRequest.reply(reply))
        } catch {
            return Self.detail("the executors' reply cannot be shown as JSON: \(error.description)", status: .internalServerError)
        }
    }

    /// `{"detail": MESSAGE}` with `status`.
    static func detail(_ message: String, status: HTTPResponse.Status) -> Response {
        json(.object(["detail": .string(message)]), status: status)
    }

    /// A JSON response.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        let bytes = value.serializedBytes()
        var buffer = ByteBufferAllocator().buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: buffer))
    }
}

/// The HTTP status for an ERROR reply, as Jina maps them, from the typed reasons the gateway
/// attaches (never a name or the description's text): the router could not reach the executor
/// 503, a `timeout_send` 504; a request the gateway itself refused 413 for a limit, 422 for its
/// documents; an executor's batching queue that refused it (the SDK's `Overloaded` error reply)
/// 503, as a full queue is a temporary condition; everything else an executor raised 500.
enum ErrorStatus {
    /// The `exception.name` of an executor's `Overloaded` reply (`JinaRuntime.Overloaded`).
    static let overloaded = "Overloaded"

    static func of(_ reply: LazyDataRequest) -> HTTPResponse.Status {
        switch reply.networkFailure {
        case .unavailable?: return .serviceUnavailable
        case .timeout?: return .gatewayTimeout
        case .failed?, .cancelled?: return .internalServerError
        case nil: break
        }
        switch reply.rejection {
        case .limitExceeded?: return .contentTooLarge
        case .invalidDocuments?: return .unprocessableContent
        case nil: break
        }
        // The one error name with a meaning on the wire: our SDK's refusal of a full batching queue.
        return reply.head.header.status.exception.name == overloaded ? .serviceUnavailable : .internalServerError
    }

    /// The body of an ERROR reply: Jina's `{"detail": DESCRIPTION}` plus the request's
    /// `header` as `DataRequestProto`'s header JSON (`request_id`, and `status` with `code` 1,
    /// `description` and `exception` {`name`, `args`, `executor`}), so that a client can name
    /// the request and the executor that failed.
    static func body(_ reply: LazyDataRequest) -> JSONValue {
        body(requestID: reply.requestID, status: reply.head.header.status)
    }

    /// The same for any request id and ERROR status (a stream's error event).
    static func body(requestID: String, status: Jina_StatusProto) -> JSONValue {
        let exception: JSONValue = .object([
            "name": .string(status.exception.name),
            "args": .array(status.exception.args.map { .string($0) }),
            "executor": .string(status.exception.executor),
        ])
        return .object([
            "detail": .string(status.description_p),
            "header": .object([
                "request_id": .string(requestID),
                "status": .object([
                    "code": .integer(Int(status.code.rawValue)),
                    "description": .string(status.description_p),
                    "exception": exception,
                ]),
            ]),
        ])
    }
}
