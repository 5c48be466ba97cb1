import JinaCore
import JinaGateway
@testable import JinaHTTPGateway
import JinaProto
import SwiftProtobuf
import Testing

@Suite("The JSON body of HTTP and WebSocket json requests")
struct JSONDataRequestTests {
    private func parse(_ text: String, endpoint: String? = "/foo", limits: GatewayLimits = .init()) throws(RequestProblem) -> LazyDataRequest {
        try JSONDataRequest.parse(Array(text.utf8), endpoint: endpoint, limits: limits)
    }

    @Test("header, parameters and documents reach the request; the route's endpoint wins")
    func fields() throws {
        let request = try parse(#"{"data":[{"id":"a","text":"x"}],"parameters":{"k":2},"header":{"request_id":"r","target_executor":"ex"},"execEndpoint":"/bar"}"#)
        #expect(request.requestID == "r" && request.endpoint == "/foo")
        #expect(request.head.header.targetExecutor == "ex")
        #expect(request.parametersJSON["k"]?.doubleValue == 2)
        #expect(try request.documents().map { $0.json()["text"] } == ["x"])
        #expect(try parse(#"{"data":[],"execEndpoint":"/bar"}"#, endpoint: nil).endpoint == "/bar")
        #expect(try parse(#"{"data":[]}"#, endpoint: nil).endpoint == "/")
    }

    @Test("a single document without a header gives the request its id, as Jina does")
    func singleDocumentID() throws {
        #expect(try parse(#"{"data":{"id":"doc-7","text":"x"}}"#).requestID == "doc-7")
        #expect(try parse(#"{"data":[{"id":"doc-7"}]}"#).requestID.count == 32)
    }

    @Test("problems name the field and the kind, as FastAPI's 422 does")
    func problems() {
        func problem(_ text: String) -> RequestProblem? {
            do { _ = try parse(text); return nil } catch { return error }
        }
        #expect(problem("[1]")?.type == "dict_type")
        #expect(problem(#"{"data":[],"parameters":[1]}"#)?.location == ["parameters"])
        #expect(problem(#"{"data":[],"header":{"request_id":5}}"#)?.location == ["header", "request_id"])
        #expect(problem(#"{"data":"text"}"#)?.location == ["data"])
        #expect(problem(#"{"data":[{},{},{}]}"#) == nil)
        do {
            _ = try parse(#"{"data":[{},{},{}]}"#, limits: GatewayLimits(maxDocuments: 2))
            Issue.record("the limit was not applied")
        } catch {
            #expect(error.status == 413)
        }
    }

    @Test("openapi.json has one POST per discovered endpoint, with the executors' schemas")
    func openAPI() throws {
        var endpoints = Jina_EndpointsProto()
        endpoints.endpoints = ["/foo", "_jina_dry_run_", "/default"]
        endpoints.schemas = Google_Protobuf_Struct(json: ["/foo": .object(["input": .object(["title": "In"])])])
        let document = OpenAPIDocument.make(endpoints: endpoints, gateway: GatewaySpec())
        let paths = try #require(document["paths"]?.objectValue)
        #expect(Set(paths.keys) == ["/", "/status", "/dry_run", "/foo", "/default"])
        let schema = paths["/foo"]?["post"]?["requestBody"]?["content"]?["application/json"]?["schema"]
        #expect(schema?["properties"]?["data"]?["anyOf"]?.arrayValue?.last?["title"] == "In")
    }
}
