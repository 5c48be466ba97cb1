import GRPCCore
import GRPCProtobuf
import JinaCore
import JinaProto
@testable import JinaRuntime
import SwiftProtobuf
import Testing

/// Streaming endpoints (`Endpoint.streaming`) in the runtime and over `stream_doc`: each produced
/// document is its own message, sent as it is produced; errors end the stream with an ERROR
/// message; plain requests get every produced document; discovery says `is_generator`.
@Suite("streaming endpoints")
struct StreamingEndpointTests {
    struct Failure: Error, CustomStringConvertible {
        var description: String { "no more words" }
    }

    /// `/words` yields one document per word of the text (a word `boom` throws); `/gated`
    /// yields one document, then waits for `gate` before the second; `/plain` is not streaming.
    struct Words: SimpleExecutor {
        var endpoints: [Endpoint] {
            Endpoint.streaming("/words") { document, parameters in
                let suffix = parameters.objectValue?["suffix"]?.stringValue ?? ""
                let words = (document.text ?? "").split(separator: " ").map(String.init)
                return AsyncThrowingStream<Document, any Error> { continuation in
                    for word in words {
                        if word == "boom" {
                            continuation.finish(throwing: Failure())
                            return
                        }
                        continuation.yield(Document(text: word + suffix))
                    }
                    continuation.finish()
                }
            }
            Endpoint.streaming("/gated") { document, _ in
                AsyncStream<Document> { continuation in
                    continuation.yield(Document(text: "first"))
                    Task {
                        await Gate.shared.wait()
                        continuation.yield(Document(text: "second"))
                        continuation.finish()
                    }
                }
            }
            Endpoint("/plain") { documents, _ in
                documents = documents.flatMap { [Document(text: ($0.text ?? "") + "1"), Document(text: ($0.text ?? "") + "2")] }
            }
        }
    }

    /// Opened once by the test, after the first document has arrived.
    actor Gate {
        static let shared = Gate()
        private var open = false
        private var waiters: [CheckedContinuation<Void, Never>] = []
        func wait() async {
            if open { return }
            await withCheckedContinuation { waiters.append($0) }
        }
        func release() {
            open = true
            for waiter in waiters { waiter.resume() }
            waiters = []
        }
    }

    static func runtime() async throws -> ExecutorRuntime {
        let loaded = try await ExecutorFactory(Words.self).load(usesWith: nil, context: ExecutorContext(name: "w", logger: quietLogger()))
        return ExecutorRuntime(name: "w", executor: loaded, logger: quietLogger())
    }

    static func single(_ endpoint: String, _ text: String, parameters: [String: JSONValue]? = nil) throws -> Jina_SingleDocumentRequestProto {
        var request = Jina_SingleDocumentRequestProto()
        request.header.execEndpoint = endpoint
        request.header.requestID = "r1"
        request.document = try Document(id: "in", text: text).proto()
        if let parameters { request.parameters = Google_Protobuf_Struct(json: parameters) }
        return request
    }

    static func collect(_ runtime: ExecutorRuntime, _ request: Jina_SingleDocumentRequestProto) async throws -> [Jina_SingleDocumentRequestProto] {
        var messages: [Jina_SingleDocumentRequestProto] = []
        try await runtime.stream(request) { messages.append($0) }
        return messages
    }

    @Test("each produced document is one message with the request's id and endpoint; parameters reach the handler")
    func streamsEachDocument() async throws {
        let messages = try await Self.collect(try await Self.runtime(), try Self.single("/words", "a b c", parameters: ["suffix": "!"]))
        #expect(try messages.map { try Document(proto: $0.document).text } == ["a!", "b!", "c!"])
        #expect(messages.allSatisfy { $0.header.requestID == "r1" && $0.header.execEndpoint == "/words" && $0.header.status.code == .success })
    }

    @Test("a thrown error ends the stream with one ERROR message naming the error and the executor")
    func errorEndsTheStream() async throws {
        let messages = try await Self.collect(try await Self.runtime(), try Self.single("/words", "a boom c"))
        #expect(messages.count == 2)
        #expect(try Document(proto: messages[0].document).text == "a")
        let status = messages[1].header.status
        #expect(status.code == .error && status.exception.name == "Failure" && status.exception.executor == "Words")
        #expect(status.description_p == "Failure: no more words")
    }

    @Test("stream_doc on a plain endpoint sends its output documents one by one; an unbound endpoint echoes the request")
    func plainEndpointAndPassThrough() async throws {
        let runtime = try await Self.runtime()
        let plain = try await Self.collect(runtime, try Self.single("/plain", "x"))
        #expect(try plain.map { try Document(proto: $0.document).text } == ["x1", "x2"])
        let echoed = try await Self.collect(runtime, try Self.single("/nothing", "x"))
        #expect(echoed == [try Self.single("/nothing", "x")])
    }

    @Test("a plain request to a streaming endpoint gets every document produced for each of its documents, in order")
    func plainRequestCollects() async throws {
        let reply = await (try await Self.runtime()).process(try request("/words", texts: ["a b", "c"]))
        #expect(!reply.isError)
        #expect(try reply.documents().map(\.text) == ["a", "b", "c"])
    }

    @Test("discovery: is_generator for streaming endpoints only; streaming endpoints are never batched")
    func discoveryAndBatching() async throws {
        let runtime = try await Self.runtime()
        let schemas = DiscoveryService(runtime: runtime).endpoints.schemas.fields
        func generator(_ name: String) -> Bool? {
            guard case .structValue(let schema)? = schemas[name]?.kind, case .boolValue(let value)? = schema.fields["is_generator"]?.kind else { return nil }
            return value
        }
        #expect(generator("/words") == true && generator("/gated") == true && generator("/plain") == false)
        let (batching, unmatched) = runtime.executor.endpoints.batching(overrides: ["/words": DynamicBatchingSettings(preferredBatchSize: 2)])
        #expect(batching["/words"] == nil && unmatched == ["/words"])
    }

    @Test("over gRPC: the first document arrives while the handler still waits to produce the second")
    func grpcDeliversAsProduced() async throws {
        try await withServer(ExecutorFactory(Words.self)) { address, _ in
            try await withClient(address) { client in
                let texts = try await client.serverStreaming(
                    request: ClientRequest(message: try Self.single("/gated", "")),
                    descriptor: Jina_JinaSingleDocumentRequestRPC.Method.stream_doc.descriptor,
                    serializer: ProtobufSerializer<Jina_SingleDocumentRequestProto>(),
                    deserializer: ProtobufDeserializer<Jina_SingleDocumentRequestProto>(),
                    options: .defaults
                ) { response in
                    var texts: [String] = []
                    for try await message in response.messages {
                        texts.append(try Document(proto: message.document).text ?? "")
                        // The second document cannot exist before this: it waits for the gate.
                        if texts.count == 1 { await Gate.shared.release() }
                    }
                    return texts
                }
                #expect(texts == ["first", "second"])
            }
        }
    }
}
