import Foundation
import JinaCore
import JinaProto
import SwiftProtobuf
import Testing

@Suite("DataRequest helpers and Struct conversion")
struct DataRequestTests {
    @Test("the reference client's request reads as Jina sent it")
    func referenceRequest() throws {
        let request = try Jina_DataRequestProto(serializedBytes: Fixtures.data("jina/request.pb"))
        #expect(request == (try Jina_DataRequestProto(jsonUTF8Data: Fixtures.data("jina/request.json"))))
        #expect(request.requestID == "0123456789abcdef0123456789abcdef")
        #expect(request.endpoint == "/")
        #expect(request.targetExecutor == nil)
        #expect(request.parametersJSON == ["__results__": [:]])
        let documents = try request.documents()
        #expect(documents.count == 1)
        #expect(documents[0].id == "bench-doc-0")
        #expect(documents[0].text == "hello")
        #expect(documents[0]["url"] == .null)

        var copy = request
        try copy.setDocuments(documents)
        #expect(copy == request)
    }

    @Test("documents in docs_bytes are decoded")
    func docsBytes() throws {
        let list = try [Document(id: "a", text: "x"), Document(id: "b")].proto()
        var request = Jina_DataRequestProto()
        request.data.docsBytes = try list.serializedBytes()
        #expect(try request.documents().map(\.id) == ["a", "b"])

        request.data.docsBytes = Data([0xFF, 0xFF, 0xFF])
        #expect(throws: DocumentError.self) { try request.documents() }

        #expect(try Jina_DataRequestProto().documents().isEmpty)
    }

    @Test("a new request has an id, an endpoint, documents and parameters")
    func newRequest() throws {
        let request = try Jina_DataRequestProto(
            endpoint: "/index", documents: [Document(id: "d", text: "t")], parameters: ["k": 3])
        #expect(request.requestID.count == 32)
        #expect(request.endpoint == "/index")
        #expect(request.parametersJSON == ["k": .number(3)])
        #expect(try request.documents() == [Document(id: "d", text: "t")])
    }

    @Test("errors and routes are written as Jina writes them")
    func errorAndRoute() {
        var request = Jina_DataRequestProto()
        #expect(!request.isError)
        request.setError(description: "boom", name: "Failure", args: ["boom"], executor: "Upper")
        #expect(request.isError)
        #expect(request.header.status.description_p == "boom")
        #expect(request.header.status.exception.name == "Failure")
        #expect(request.header.status.exception.args == ["boom"])
        #expect(request.header.status.exception.executor == "Upper")

        let start = Google_Protobuf_Timestamp(seconds: 1, nanos: 2)
        request.appendRoute(executor: "e", start: start, end: start)
        #expect(request.routes.map(\.executor) == ["e"])
        #expect(request.routes[0].startTime == start)
    }

    @Test("JSON values go through Struct, numbers as doubles")
    func structRoundTrip() throws {
        let value: [String: JSONValue] = [
            "null": nil, "bool": true, "int": 3, "number": 2.5, "string": "s",
            "array": [1, "a", [false]], "object": ["inner": ["x": nil]],
        ]
        let proto = Google_Protobuf_Struct(json: value)
        let bytes: [UInt8] = try proto.serializedBytes()
        let back = try Google_Protobuf_Struct(serializedBytes: bytes).jsonObject
        var expected = value
        expected["int"] = .number(3)
        expected["array"] = [.number(1), "a", [false]]
        #expect(back == expected)
        #expect(JSONValue(proto: Google_Protobuf_Value()) == .null)
    }
}

@Suite("Executor-specific parameters")
struct ExecutorParametersTests {
    @Test("the gateway's NAME__key form and the executor's parameters[NAME] form, as Jina")
    func specific() {
        let parameters: [String: JSONValue] = [
            "top_k": 3, "encoder__top_k": 5, "indexer__top_k": 7, "__odd": 1, "odd__": 2,
            "encoder": ["mode": "fast"],
        ]
        #expect(ExecutorParameters.forGateway(parameters, executor: "encoder") == [
            "top_k": 5, "__odd": 1, "odd__": 2, "encoder": ["mode": "fast"], "mode": "fast",
        ])
        #expect(ExecutorParameters.forGateway(parameters, executor: "other") == [
            "top_k": 3, "__odd": 1, "odd__": 2, "encoder": ["mode": "fast"],
        ])
        #expect(ExecutorParameters.forExecutor(["a": 1, "e": ["a": 2]], executor: "e") == ["a": 2, "e": ["a": 2]])
        #expect(ExecutorParameters.forExecutor(["a": 1, "e": 5], executor: "e") == ["a": 1, "e": 5])
    }
}
