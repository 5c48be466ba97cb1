@testable import JinaClient
import JinaCore
import JinaProto
import NIOHTTP1
import Testing

@Suite("Client errors and replies")
struct ClientErrorTests {
    @Test("an error status in a gRPC/WebSocket reply names the request id, the executor and its message")
    func protoError() throws {
        var reply = try Jina_DataRequestProto(endpoint: "/fail", requestID: "r-1")
        reply.setError(description: "ValueError('boom')", name: "ValueError", args: ["boom"], executor: "Failer")
        let error = #expect(throws: ClientError.self) { try ClientReply(proto: reply) }
        #expect(error?.summary == "request r-1 failed in executor `Failer`: ValueError('boom')")
        #expect(error?.kind == .runtime)
    }

    @Test("http:// to a port that answers in HTTP/2 (a gRPC port) says so, not the parser's words")
    func notHTTP1() throws {
        let target = try GatewayTarget(parsing: "http://127.0.0.1:1")
        let error = ErrorText.clientError(HTTPParserError.invalidConstant, target: target)
        #expect(error.summary.contains("did not answer in HTTP/1.1"))
        #expect(!error.summary.contains("invalid constant"))
    }

    @Test("HTTP failures: 500 detail (Jina's form), executor from header.status when given, 401 unauthenticated")
    func httpFailures() throws {
        let target = try GatewayTarget(parsing: "http://127.0.0.1:1")
        let request = ClientRequest(requestID: "r-2", endpoint: "/x", documents: [])
        let jina = HTTPConnection.failure(status: .internalServerError, reply: ["detail": "ValueError('boom from Failer')"],
                                          raw: "", request: request, target: target)
        #expect(jina.summary == "request r-2 failed: ValueError('boom from Failer')")
        let ours = HTTPConnection.failure(
            status: .internalServerError,
            reply: ["detail": "boom", "header": ["status": ["exception": ["executor": "marker"]]]],
            raw: "", request: request, target: target)
        #expect(ours.executor == "marker")
        #expect(ours.summary == "request r-2 failed in executor `marker`: boom")
        let missing = HTTPConnection.failure(status: .notFound, reply: ["detail": "Not Found"], raw: "", request: request, target: target)
        #expect(missing.summary == "request r-2 failed: HTTP 404: Not Found")
        let denied = HTTPConnection.failure(status: .unauthorized, reply: ["detail": "no token"], raw: "", request: request, target: target)
        #expect(denied.summary.contains("unauthenticated"))
        #expect(denied.hint?.contains("--token") == true)
    }

    @Test("dry run statuses: Jina's code 0 and {} succeed; code 1 names the executor")
    func dryRun() {
        #expect(DryRunStatus.problem(in: #"{"code":0,"description":"","exception":null}"#) == nil)
        #expect(DryRunStatus.problem(in: "{}") == nil)
        let failed = DryRunStatus.problem(in: #"{"code":1,"description":"down","exception":{"name":"InternalNetworkError","executor":"second"}}"#)
        #expect(failed == "the dry run failed (executor second): down")
        #expect(DryRunStatus.problem(in: "<html>") != nil)
    }

    @Test("targets: every scheme, websocket:// as ws://, TLS schemes, URLs on the same host and port")
    func targets() throws {
        #expect(try GatewayTarget(parsing: "websocket://h:1").description == "ws://h:1")
        #expect(try GatewayTarget(parsing: "https://h:443").usesTLS)
        #expect(try GatewayTarget(parsing: "grpc://h:1").usesTLS == false)
        #expect(try GatewayTarget(parsing: "wss://[::1]:8443").httpURL("/dry_run") == "https://[::1]:8443/dry_run")
        #expect(try GatewayTarget(parsing: "http://h:80").webSocketURL("/") == "ws://h:80/")
        #expect(try GatewayTarget(parsing: "h:5").wireProtocol == .grpc)
        #expect(throws: ClientError.self) { try GatewayTarget(parsing: "tcp://h:1") }
    }

    @Test("--ca must be a readable PEM file (invalid input)")
    func caFile() {
        let error = #expect(throws: ClientError.self) { try ClientSecurity(caFile: "/nonexistent/ca.pem").validate() }
        #expect(error?.kind == .invalidInput)
        #expect(ClientSecurity(token: "s3cret").authorization == "Bearer s3cret")
    }
}
