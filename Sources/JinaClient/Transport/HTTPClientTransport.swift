import AsyncHTTPClient
import JinaCore
import JinaProto
import NIOCore
import NIOHTTP1

/// HTTP (`http://`, `https://`): each request is `POST /<endpoint>` with Jina's docarray-v2 body
/// `{"data": [...], "parameters": {...}, "header": {"request_id": ...}}`; replies are
/// `{"data": [...], ...}`. Readiness is `GET /dry_run` (flow) or `GET /` (gateway, executor).
struct HTTPClientTransport: ClientTransport {
    let target: GatewayTarget
    let security: ClientSecurity
    let inFlight: Int

    /// Replies larger than this are refused (a guard against a runaway body, not a protocol limit).
    static let maximumReplyBytes = 1 << 30

    func withConnection<Result: Sendable>(
        _ body: (any ClientConnection) async throws -> Result
    ) async throws -> Result {
        try await withClient { client in try await body(HTTPConnection(transport: self, client: client)) }
    }

    /// Runs `body` with a client of its own, shut down afterwards (GraphQL connections too).
    func withClient<Result: Sendable>(_ body: (HTTPClient) async throws -> Result) async throws -> Result {
        let client = makeClient()
        do {
            let result = try await body(client)
            try? await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    func check(_ kind: PingKind, timeout: Duration?) async -> String? {
        let client = makeClient()
        defer { _ = client.shutdown() as EventLoopFuture<Void> }
        return await Self.check(kind, target: target, security: security, client: client, timeout: timeout)
    }

    /// The readiness check over plain HTTP; the WebSocket transport uses it for `gateway` and
    /// `executor` too (the WebSocket gateway answers HTTP `GET /`, as Jina's does).
    static func check(_ kind: PingKind, target: GatewayTarget, security: ClientSecurity, client: HTTPClient, timeout: Duration?) async -> String? {
        let path = kind == .flow ? "/dry_run" : "/"
        var request = HTTPClientRequest(url: target.httpURL(path))
        if let authorization = security.authorization { request.headers.add(name: "Authorization", value: authorization) }
        do {
            let response = try await client.execute(request, deadline: deadline(timeout))
            let bytes = try await response.body.collect(upTo: 1 << 20)
            guard response.status == .ok else {
                return "GET \(path) answered \(response.status.code) \(String(buffer: bytes).prefix(200))"
            }
            guard kind == .flow else { return nil }
            return DryRunStatus.problem(in: String(buffer: bytes))
        } catch {
            return RPCErrorText.describe(error)
        }
    }

    static func deadline(_ timeout: Duration?) -> NIODeadline {
        guard let timeout else { return .distantFuture }
        return .uptimeNanoseconds(deadlineNanoseconds(after: timeout, now: NIODeadline.now().uptimeNanoseconds))
    }

    /// `now` + `timeout` in uptime nanoseconds, saturating at NIO's distant future (`Int64.max`)
    /// so that a very long timeout waits forever instead of trapping.
    static func deadlineNanoseconds(after timeout: Duration, now: UInt64) -> UInt64 {
        let limit = UInt64(Int64.max)
        let (seconds, attoseconds) = timeout.components
        guard seconds >= 0 else { return now }
        let (whole, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return limit }
        let (span, spanOverflow) = whole.addingReportingOverflow(UInt64(max(0, attoseconds / 1_000_000_000)))
        guard !spanOverflow else { return limit }
        let (deadline, deadlineOverflow) = now.addingReportingOverflow(span)
        return deadlineOverflow ? limit : min(deadline, limit)
    }

    /// POSTs `body` as JSON to `path` (with the bearer token); the status and the whole reply.
    func post(_ body: JSONValue, to path: String, client: HTTPClient) async throws(ClientError) -> (HTTPResponseStatus, ByteBuffer) {
        var post = HTTPClientRequest(url: target.httpURL(path))
        post.method = .POST
        post.headers.add(name: "Content-Type", value: "application/json")
        if let authorization = security.authorization { post.headers.add(name: "Authorization", value: authorization) }
        post.body = .bytes(body.serializedBytes())
        do {
            let response = try await client.execute(post, deadline: .distantFuture)
            return (response.status, try await response.body.collect(upTo: Self.maximumReplyBytes))
        } catch {
            throw ErrorText.clientError(error, target: target)
        }
    }

    func makeClient() -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        if target.usesTLS { configuration.tlsConfiguration = security.tlsConfiguration() }
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(inFlight, 1))
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }
}

/// One `HTTPClient` with its pool; requests run concurrently over several HTTP/1.1 connections.
struct HTTPConnection: ClientConnection {
    let transport: HTTPClientTransport
    let client: HTTPClient

    func send(_ request: ClientRequest) async throws(ClientError) -> ClientReply {
        let target = transport.target
        var body: [String: JSONValue] = ["data": request.documents.json()]
        var header: [String: JSONValue] = ["request_id": .string(request.requestID)]
        if let executor = request.targetExecutor { header["target_executor"] = .string(executor) }
        body["header"] = .object(header)
        if let parameters = request.parameters { body["parameters"] = .object(parameters) }
        let (status, bytes) = try await transport.post(
            JSONValue.object(body), to: request.endpoint.hasPrefix("/") ? request.endpoint : "/" + request.endpoint, client: client)
        let reply = try? JSONValue(parsing: Array(buffer: bytes))
        guard status == .ok else {
            throw Self.failure(status: status, reply: reply, raw: String(buffer: bytes), request: request, target: target)
        }
        guard let data = reply?["data"] else {
            throw ClientError(.runtime, "request \(request.requestID): the reply has no `data`: \(String(buffer: bytes).prefix(200))",
                              requestID: request.requestID)
        }
        do {
            let results = reply?["parameters"]?[Jina_DataRequestProto.resultsKey]?.objectValue ?? [:]
            return ClientReply(requestID: request.requestID, documents: try [Document](json: data), results: results)
        } catch {
            throw ClientError(.runtime, "request \(request.requestID): the reply's documents are malformed: \(error)", requestID: request.requestID)
        }
    }

    /// A non-200 reply as an error: 401 unauthenticated; otherwise the request failed with the
    /// gateway's `detail` (and the executor named in `header.status`, when the gateway says).
    static func failure(status: HTTPResponseStatus, reply: JSONValue?, raw: String, request: ClientRequest, target: GatewayTarget) -> ClientError {
        let detail = reply?["detail"].map { $0.stringValue ?? $0.serialized() } ?? String(raw.prefix(500))
        if status == .unauthorized { return .unauthenticated(target, detail) }
        let executor = reply?["header"]?["status"]?["exception"]?["executor"]?.stringValue
        let message = status == .internalServerError ? detail : "HTTP \(status.code): \(detail)"
        var error = ClientError.requestFailed(requestID: request.requestID, executor: executor.flatMap { $0.isEmpty ? nil : $0 }, message: message)
        if status == .notFound {
            error.hint = "the HTTP gateway serves only the endpoints its executors declare (a catch-all handler is /default); see GET /openapi.json"
        }
        return error
    }
}
