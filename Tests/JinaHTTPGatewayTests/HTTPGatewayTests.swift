import AsyncHTTPClient
import Foundation
import JinaCore
import JinaGateway
import JinaProto
@testable import JinaHTTPGateway
import NIOHTTP1
import Testing

@Suite("HTTP gateway: Jina's routes through the shared router")
struct HTTPGatewayTests {
    @Test("GET / and /dry_run, POST /<endpoint> and /post reach the executor; bad bodies are 422 naming the field")
    func routes() async throws {
        try await withLiveGateway(gatewaySection: "  protocol: [grpc, http]") { ports in
            let base = "http://127.0.0.1:\(try #require(ports[.http]))"
            #expect(ports[.grpc] != nil && ports[.grpc] != ports[.http])
            #expect(try await http(.GET, base + "/") == (200, "{}"))
            let (dryStatus, dry) = try await http(.GET, base + "/dry_run")
            #expect(dryStatus == 200 && dry == #"{"code":0,"description":"","exception":null}"#)

            let (status, text) = try await http(.POST, base + "/default",
                                                body: #"{"data":[{"id":"a","text":"x"}],"header":{"request_id":"r1"}}"#)
            #expect(status == 200)
            let reply = try JSONValue(parsing: text)
            #expect(reply["data"]?.arrayValue?.first?["text"] == "x!")
            #expect(reply["header"]?["request_id"] == "r1")
            let (postStatus, postText) = try await http(.POST, base + "/post", body: #"{"data":{"text":"y"},"execEndpoint":"/"}"#)
            #expect(postStatus == 200 && postText.contains("y!"))

            #expect(try await http(.POST, base + "/unknown", body: #"{"data":[]}"#).0 == 404)
            let (missing, missingText) = try await http(.POST, base + "/default", body: "{}")
            #expect(missing == 422 && missingText.contains(#""loc":["body","data"]"#))
            let (broken, brokenText) = try await http(.POST, base + "/default", body: #"{"data": [{"embedding": [1, "x"]}]}"#)
            #expect(broken == 422 && brokenText.contains(#""loc":["body","data",0,"embedding""#))
            #expect(try await http(.GET, base + "/post").0 == 405)
            // Still serving after the bad requests.
            #expect(try await http(.POST, base + "/default", body: #"{"data":[{"text":"z"}]}"#).1.contains("z!"))
        }
    }

    @Test("a bearer token is demanded on data routes, not on GET /")
    func tokens() async throws {
        let security = GatewaySecurity(tokens: TokenSet(["one", "two"]))
        try await withLiveGateway(gatewaySection: "  protocol: http", security: security) { ports in
            let base = "http://127.0.0.1:\(try #require(ports[.http]))"
            let body = #"{"data":[{"text":"t"}]}"#
            #expect(try await http(.GET, base + "/").0 == 200)
            #expect(try await http(.POST, base + "/default", body: body).0 == 401)
            #expect(try await http(.POST, base + "/default", body: body, headers: [("Authorization", "Bearer three")]).0 == 401)
            #expect(try await http(.POST, base + "/default", body: body, headers: [("Authorization", "Bearer two")]).0 == 200)
        }
    }

    @Test("limits: a body over max_request_bytes is 413, too many documents 413")
    func limits() async throws {
        try await withLiveGateway(gatewaySection: "  protocol: http\n  max_request_bytes: 1000\n  max_documents: 2") { ports in
            let base = "http://127.0.0.1:\(try #require(ports[.http]))"
            let big = #"{"data":[{"text":"\#(String(repeating: "a", count: 2000))"}]}"#
            #expect(try await http(.POST, base + "/default", body: big).0 == 413)
            #expect(try await http(.POST, base + "/default", body: #"{"data":[{},{},{}]}"#).0 == 413)
            #expect(try await http(.POST, base + "/default", body: #"{"data":[{},{}]}"#).0 == 200)
        }
    }
}

@Suite("HTTP gateway pieces")
struct HTTPGatewayPieceTests {
    @Test("a document error's JSON path becomes FastAPI's `loc`")
    func location() {
        let problem = RequestProblem(type: "value_error", path: "data[3].chunks[0].text", message: "m")
        #expect(problem.location == ["data", 3, "chunks", 0, "text"])
        #expect(problem.json["detail"]?.arrayValue?.first?["loc"] == ["body", "data", 3, "chunks", 0, "text"])
    }

    @Test("error replies map to Jina's HTTP statuses from the router's reason and the failing side, not the text")
    func statuses() throws {
        func reply(_ name: String, _ description: String, executor: String = "x",
                   network: LazyDataRequest.NetworkFailure? = nil, rejection: LazyDataRequest.Rejection? = nil) -> LazyDataRequest {
            var request = LazyDataRequest(head: .init())
            request.setError(description: description, name: name, args: [], executor: executor)
            request.networkFailure = network
            request.rejection = rejection
            return request
        }
        #expect(ErrorStatus.of(reply("ValueError", "ValueError('boom')")) == .internalServerError)
        #expect(ErrorStatus.of(reply("InternalNetworkError", "executor `x` is unreachable for request r", network: .unavailable)) == .serviceUnavailable)
        #expect(ErrorStatus.of(reply("InternalNetworkError", "executor `x` did not answer request r within 5 ms (timeout_send)", network: .timeout)) == .gatewayTimeout)
        #expect(ErrorStatus.of(reply("LimitExceeded", "too many", executor: "gateway", rejection: .limitExceeded)) == .contentTooLarge)
        #expect(ErrorStatus.of(reply("DocumentError", "DocumentError: bad", executor: "gateway", rejection: .invalidDocuments)) == .unprocessableContent)
        // The gateway's own refusals are typed where they are made.
        let twoDocuments = try LazyDataRequest(Jina_DataRequestProto(endpoint: "/", documents: [Document(id: "a"), Document(id: "b")], requestID: "r"))
        #expect(GatewayLimits(maxDocuments: 1).rejection(of: twoDocuments)?.rejection == .limitExceeded)
        // A name alone, even the gateway's, is not a reason.
        #expect(ErrorStatus.of(reply("LimitExceeded", "too many", executor: "gateway")) == .internalServerError)
        // An executor's own errors are 500 whatever their name or text.
        #expect(ErrorStatus.of(reply("DocumentError", "DocumentError: bad")) == .internalServerError)
        #expect(ErrorStatus.of(reply("InternalNetworkError", "the database is unreachable (timeout_send)")) == .internalServerError)
        #expect(ErrorStatus.of(reply("RuntimeError", "service unreachable, no replica")) == .internalServerError)
    }

    @Test("an error body keeps `detail` and adds the request's header with the failing executor")
    func errorBody() throws {
        var request = LazyDataRequest(head: .init())
        request.requestID = "r-42"
        request.setError(description: "ValueError('boom')", name: "ValueError", args: ["boom"], executor: "Encoder")
        let body = ErrorStatus.body(request)
        #expect(body["detail"] == "ValueError('boom')")
        #expect(body["header"]?["request_id"] == "r-42")
        #expect(body["header"]?["status"]?["code"] == 1)
        #expect(body["header"]?["status"]?["description"] == "ValueError('boom')")
        #expect(body["header"]?["status"]?["exception"]?["name"] == "ValueError")
        #expect(body["header"]?["status"]?["exception"]?["args"] == ["boom"])
        #expect(body["header"]?["status"]?["exception"]?["executor"] == "Encoder")
    }

    @Test("documents are counted from the encoded request without decoding them")
    func documentCount() throws {
        let request = try Jina_DataRequestProto(endpoint: "/", documents: (0..<7).map { _ in Document(fields: [:]) })
        let lazy = try LazyDataRequest(request)
        #expect(DocumentCount.of(lazy) == 7)
        #expect(GatewayLimits(maxDocuments: 5).rejection(of: lazy)?.head.header.status.exception.name == "LimitExceeded")
        #expect(GatewayLimits(maxDocuments: 0).rejection(of: lazy) == nil)
    }
}
