import JinaProto
@testable import JinaRuntime
import SwiftProtobuf
import Testing

/// The executor's request path with documents kept as bytes (`LazyDataRequest`): what it
/// passes through, what it decodes, and what it copies.
@Suite("executor runtime: documents read lazily")
struct LazyDocumentsTests {
    static func runtime<E: Executor>(_ type: E.Type) async throws -> ExecutorRuntime {
        let loaded = try await ExecutorFactory(type).load(usesWith: nil, context: ExecutorContext(name: "lazy", logger: quietLogger()))
        return ExecutorRuntime(name: "lazy", executor: loaded, logger: quietLogger())
    }

    /// A request for `endpoint` whose `data` field is `data`, exactly.
    static func request(_ endpoint: String, data: [UInt8]) throws -> LazyDataRequest {
        var head = Jina_DataRequestProtoWoData()
        head.header.requestID = "lazy-1"
        head.header.execEndpoint = endpoint
        let bytes: [UInt8] = try head.serializedBytes() + data
        return LazyDataRequest(head: try Jina_DataRequestProtoWoData(serializedBytes: bytes))
    }

    /// A `data` field with one document whose text node is not valid UTF-8.
    static let malformedData: [UInt8] = {
        let node: [UInt8] = [0x0A, 0x02, 0xC3, 0x28]
        let entry: [UInt8] = [0x0A, 0x04] + Array("text".utf8) + [0x12, UInt8(node.count)] + node
        let doc: [UInt8] = [0x0A, UInt8(entry.count)] + entry
        let list: [UInt8] = [0x0A, UInt8(doc.count)] + doc
        let content: [UInt8] = [0x0A, UInt8(list.count)] + list
        return [0x22, UInt8(content.count)] + content
    }()

    @Test("an endpoint without a handler gets its documents back as the bytes they came in, even unreadable ones")
    func passThrough() async throws {
        let runtime = try await Self.runtime(OnlyOne.self)
        let request = try Self.request("/other", data: Self.malformedData)
        let reply = await runtime.process(request)
        #expect(!reply.isError)
        #expect(reply.encodedData == request.encodedData)
        #expect(reply.routes.isEmpty)
        await runtime.executor.close()
    }

    @Test("documents that do not parse make an ERROR reply from the endpoint that needs them")
    func malformedDocuments() async throws {
        let runtime = try await Self.runtime(OnlyOne.self)
        let reply = await runtime.process(try Self.request("/only", data: Self.malformedData))
        #expect(reply.isError)
        #expect(reply.header.status.exception.name == "DocumentError")
        #expect(reply.header.status.description_p.contains("DataContentProto"))
        #expect(reply.routes.map(\.executor) == ["lazy"])
        await runtime.executor.close()
    }

    @Test("a handler that changes some documents: the others come back byte for byte")
    func untouchedCopied() async throws {
        // Three documents, each with an unknown field (99): a copy keeps it, a re-encoding drops it.
        let documents = [Document(id: "keep-1", text: "a"), Document(id: "change", text: "b"), Document(id: "keep-2")]
        var list: [UInt8] = []
        for document in documents {
            let doc: [UInt8] = try document.proto().serializedBytes() + [0x98, 0x06, 0x01]
            list += [0x0A, UInt8(doc.count)] + doc
        }
        let content: [UInt8] = [0x0A, UInt8(list.count)] + list
        let request = try Self.request("/any", data: [0x22, UInt8(content.count)] + content)

        let runtime = try await Self.runtime(ChangesOne.self)
        let reply = try await runtime.process(request).decoded()
        #expect(reply.data.docs.docs.map { !$0.unknownFields.data.isEmpty } == [true, false, true])
        #expect(try reply.documents().map(\.text) == ["a", "changed", nil])
        await runtime.executor.close()
    }
}

/// Changes only the document with id `change`.
struct ChangesOne: Executor {
    init(configuration: NoConfiguration, context: ExecutorContext) {}

    var endpoints: [Endpoint] {
        Endpoint { documents, _ in
            for index in documents.indices where documents[index].id == "change" { documents[index].text = "changed" }
        }
    }
}
