import Foundation
import JinaCore
import JinaProto
import SwiftProtobuf
import Testing

/// The direct wire codec (`DocumentWireDecoder`/`DocumentWireEncoder`) against SwiftProtobuf's
/// path (`Document(proto:)`, `[Document].proto()`), which stays the reference.
@Suite("Documents straight from and to the wire")
struct DocumentWireTests {
    /// Documents with every kind of value, nesting, tensor parameters, unicode, and the empty
    /// cases that differ on the wire (empty text vs an empty node, 0 vs absent).
    static func sampleDocuments() throws -> [Document] {
        var tensor = try NDArray(buffer: [1, 0, 0, 0, 2, 0, 0, 0], shape: [2], dtype: "<i4")
        tensor.parameters = ["unit": "cm", "scale": .number(0.5), "tags": ["a", nil, true]]
        let inner = Document(id: "inner", text: "in")
        let every = Document(fields: [
            "id": .text("all", type: "id"),
            "empty": .null,
            "empty-text": "",
            "text": "héllo ✓ 🐈",
            "int": .integer(-2_147_483_648),
            "max": .integer(2_147_483_647),
            "zero": .integer(0),
            "float": .float(-0.25),
            "nan-free": .float(1e300),
            "bool": .boolean(false),
            "true": .boolean(true),
            "blob": .blob([0xFF, 0x00]),
            "empty-blob": .blob([]),
            "tensor": .ndarray(tensor),
            "scalar": .ndarray(try NDArray(buffer: [0x3F, 0x80, 0, 0], shape: [], dtype: ">f4")),
            "big": .ndarray(try NDArray(buffer: [UInt8](repeating: 7, count: 70_000), shape: [70_000], dtype: "|u1")),
            "doc": .doc(inner),
            "docs": .docList([inner, Document(fields: [:])]),
            "list": [1, "two", nil, [3.5]],
            "set": DocValue(.set(["x"])),
            "tuple": DocValue(.tuple([1, "one"])),
            "dict": ["nested": ["deep": nil], "url": .text("u", type: "text_url")],
            "": "an empty key",
        ])
        return [
            every,
            Document(fields: [:]),
            Document(id: "plain", text: "hello"),
            Document(id: "long", text: String(repeating: "x", count: 300), tags: ["k": "v"], chunks: [inner]),
        ]
    }

    /// The `data` field as `DataRequestProtoWoData` keeps it, encoded by SwiftProtobuf.
    static func referenceDataField(_ documents: [Document]) throws -> Data {
        var request = Jina_DataRequestProto()
        try request.setDocuments(documents)
        return try Jina_DataRequestProtoWoData(serializedBytes: try request.serializedBytes() as [UInt8]).unknownFields.data
    }

    static func fastDecode(_ data: Data) -> [Document]? {
        data.withUnsafeBytes { DocumentWireDecoder.documents(inDataField: $0, batch: nil) }
    }

    @Test("what SwiftProtobuf writes, the fast decoder reads to the same documents")
    func decodeMatchesReference() throws {
        let documents = try Self.sampleDocuments()
        let data = try Self.referenceDataField(documents)
        let fast = try #require(Self.fastDecode(data))
        #expect(fast == documents)
        #expect(fast == (try Jina_DataRequestProto(serializedBytes: data).documents()))
    }

    @Test("what the fast encoder writes, SwiftProtobuf reads to the same message as its own")
    func encodeMatchesReference() throws {
        let documents = try Self.sampleDocuments()
        let fast = try DocumentWireEncoder.dataField(documents)
        let decoded = try Jina_DataRequestProto(serializedBytes: fast)
        var reference = Jina_DataRequestProto()
        try reference.setDocuments(documents)
        #expect(decoded == reference)
        #expect(try decoded.documents() == documents)
        // Same length as SwiftProtobuf's bytes: nothing extra, nothing left out.
        #expect(fast.count == (try Self.referenceDataField(documents)).count)
    }

    @Test("no documents: an empty data field, an empty DataContentProto, an empty list")
    func empty() throws {
        #expect(Self.fastDecode(Data()) == [])
        #expect(Self.fastDecode(Data([0x22, 0x00])) == [])
        #expect(Self.fastDecode(Data([0x22, 0x02, 0x0A, 0x00])) == [])
        let encoded = try DocumentWireEncoder.dataField([])
        #expect(try Jina_DataRequestProto(serializedBytes: encoded).documents() == [])
    }

    /// A `data` field holding one document with one entry (key "a", then `extra`) whose node
    /// is `node`.
    static func oneEntry(node: [UInt8], extra: [UInt8] = []) -> Data {
        let entry: [UInt8] = [0x0A, 0x01, 0x61] + extra + [0x12] + varint(node.count) + node
        let doc: [UInt8] = [0x0A] + varint(entry.count) + entry
        let list: [UInt8] = [0x0A] + varint(doc.count) + doc
        let content: [UInt8] = [0x0A] + varint(list.count) + list
        return Data([0x22] + varint(content.count) + content)
    }

    /// Bytes the fast decoder leaves to SwiftProtobuf, by name.
    static func unusualShapes() throws -> [(String, Data)] {
        let list: [UInt8] = try [Document(id: "x", text: "in docs_bytes")].proto().serializedBytes()
        let content: [UInt8] = [0x12] + varint(list.count) + list
        let valid = oneEntry(node: [0x0A, 0x01, 0x62])
        return [
            ("docs_bytes instead of docs", Data([0x22] + varint(content.count) + content)),
            ("two content fields (the last wins in protobuf)", oneEntry(node: [0x0A, 0x01, 0x61, 0x10, 0x05])),
            ("a text node with the varint wire type", oneEntry(node: [0x08, 0x05])),
            ("invalid UTF-8 in a text node", oneEntry(node: [0x0A, 0x02, 0xC3, 0x28])),
            ("the bytes end inside a document", valid.dropLast(2)),
            ("the data field twice (protobuf merges them)", valid + valid),
            // Found by the document-wire fuzz target: a field numbered 0 is no field at all.
            ("a field numbered 0 in a map entry", oneEntry(node: [0x0A, 0x01, 0x62], extra: [0x00, 0x00])),
        ]
    }

    @Test("shapes it does not take go to SwiftProtobuf, whose answer or error stands")
    func fallback() throws {
        for (name, data) in try Self.unusualShapes() {
            #expect(Self.fastDecode(data) == nil, "\(name): the fast decoder should not take it")
            var head = Jina_DataRequestProtoWoData()
            head.header.requestID = "r"
            let bytes: [UInt8] = try head.serializedBytes() + [UInt8](data)
            guard let request = (try? Jina_DataRequestProtoWoData(serializedBytes: bytes)).map(LazyDataRequest.init(head:)) else {
                continue  // not even the head decodes (the truncated case): the transport refuses it
            }
            if let full = try? Jina_DataRequestProto(serializedBytes: bytes), let expected = try? full.documents() {
                #expect(try request.documents() == expected, "\(name)")
            } else {
                #expect(throws: DocumentError.self, "\(name)") { try request.documents() }
            }
        }
    }

    @Test("documents nested deeper than the fast decoder goes are left to SwiftProtobuf")
    func depth() throws {
        var document = Document(id: "leaf")
        for level in 0..<12 { document = Document(id: "level-\(level)", chunks: [document]) }
        let data = try Self.referenceDataField([document])
        #expect(Self.fastDecode(data) == nil)
        var head = Jina_DataRequestProtoWoData()
        head.unknownFields = try Jina_DataRequestProtoWoData(serializedBytes: [UInt8](data)).unknownFields
        #expect(try LazyDataRequest(head: head).documents() == [document])
    }

    @Test("an integer beyond int32 is refused with its path, as the SwiftProtobuf path refuses it")
    func integerOverflow() {
        var request = LazyDataRequest(head: Jina_DataRequestProtoWoData())
        let documents = [Document(id: "a"), Document(fields: ["tags": ["big": .integer(1 << 40)]])]
        #expect(throws: DocumentError("integer 1099511627776 does not fit the wire's int32", path: "docs[1].tags.big")) {
            try request.setDocuments(documents)
        }
    }

    /// A request whose documents each carry an unknown field (99): copied bytes keep it, a
    /// document encoded again loses it. That tells which documents were copied.
    static func requestWithMarkedDocuments(_ documents: [Document]) throws -> LazyDataRequest {
        var list: [UInt8] = []
        for document in documents {
            var doc: [UInt8] = try document.proto().serializedBytes()
            doc += [0x98, 0x06, 0x01]  // field 99, varint 1
            list += [0x0A] + varint(doc.count) + doc
        }
        let content: [UInt8] = [0x0A] + varint(list.count) + list
        var head = Jina_DataRequestProtoWoData()
        head.header.requestID = "marked"
        let bytes: [UInt8] = try head.serializedBytes() + [0x22] + varint(content.count) + content
        return LazyDataRequest(head: try Jina_DataRequestProtoWoData(serializedBytes: bytes))
    }

    static func varint(_ value: Int) -> [UInt8] {
        var value = UInt64(value)
        var out: [UInt8] = []
        while value >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        return out + [UInt8(value)]
    }

    /// Which documents of a reply still carry the unknown field 99.
    static func marked(_ reply: LazyDataRequest) throws -> [Bool] {
        let full = try reply.decoded()
        return full.data.docs.docs.map { !$0.unknownFields.data.isEmpty }
    }

    @Test("documents a handler leaves alone are copied byte for byte; changed ones are encoded again")
    func untouchedDocumentsAreCopied() throws {
        let original = [Document(id: "a", text: "one"), Document(id: "b", text: "two"), Document(id: "c", embedding: NDArray(floats: [1, 2]))]
        let request = try Self.requestWithMarkedDocuments(original)
        let (documents, source) = try request.documentsForReply()
        #expect(documents == original)

        var changed = documents
        changed[1].text = "changed"
        var reply = request
        try reply.setDocuments(changed, reusing: source)
        #expect(try reply.documents() == changed)
        #expect(try Self.marked(reply) == [true, false, true])

        // Reordered, dropped and added documents: copies follow the documents, not positions.
        var reordered = [documents[2], Document(id: "new"), documents[0]]
        reordered[2].tags = [:]
        var second = request
        try second.setDocuments(reordered, reusing: source)
        #expect(try second.documents() == reordered)
        #expect(try Self.marked(second) == [true, false, false])
    }

    @Test("documents kept from another request are encoded, not copied from the wrong bytes")
    func otherRequestsDocuments() throws {
        let first = try Self.requestWithMarkedDocuments([Document(id: "a", text: "first")])
        let second = try Self.requestWithMarkedDocuments([Document(id: "b", text: "second")])
        let (kept, _) = try first.documentsForReply()
        let (_, source) = try second.documentsForReply()
        var reply = second
        try reply.setDocuments(kept, reusing: source)
        #expect(try reply.documents() == kept)
        #expect(try Self.marked(reply) == [false])
    }

    @Test("equality ignores where a document was read from")
    func equalityIgnoresOrigin() throws {
        let request = try Self.requestWithMarkedDocuments([Document(id: "a")])
        let (documents, _) = try request.documentsForReply()
        #expect(documents == [Document(id: "a")])
    }
}
