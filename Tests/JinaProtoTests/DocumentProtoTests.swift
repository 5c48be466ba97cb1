import Foundation
import JinaCore
import JinaProto
import SwiftProtobuf
import Testing

@Suite("Document ⇄ docarray.DocProto")
struct DocumentProtoTests {
    @Test("each fixture decodes, matches docarray's JSON, and re-encodes to an equal message",
          arguments: Fixtures.singleDocuments)
    func fixtureRoundTrip(name: String) throws {
        let proto = try Docarray_DocProto(serializedBytes: Fixtures.data("docarray/\(name).pb"))
        let fromJSON = try Docarray_DocProto(jsonUTF8Data: Fixtures.data("docarray/\(name).proto.json"))
        #expect(proto == fromJSON, "the fixture's .pb and .proto.json disagree")

        let document = try Document(proto: proto)
        let expected = try Fixtures.json("docarray/\(name).json")
        #expect(semanticallyEqual(document.json(), expected), "\(document.json()) != \(expected)")

        let reencoded = try document.proto()
        #expect(reencoded == proto)
        // Through bytes too: what we send decodes to the same message.
        let bytes: [UInt8] = try reencoded.serializedBytes()
        #expect(try Docarray_DocProto(serializedBytes: bytes) == proto)
    }

    @Test("a DocList fixture round-trips")
    func docListRoundTrip() throws {
        let proto = try Docarray_DocListProto(serializedBytes: Fixtures.data("docarray/text-doc-list.pb"))
        let documents = try [Document](proto: proto)
        let expected = try Fixtures.json("docarray/text-doc-list.json")
        #expect(semanticallyEqual(.array(documents.map { $0.json() }), expected))
        #expect(try documents.proto() == proto)
    }

    @Test("node types and docarray type strings are kept")
    func typedNodes() throws {
        let image = try Document(proto: Docarray_DocProto(serializedBytes: Fixtures.data("docarray/image-doc.pb")))
        #expect(image["id"] == .text("image-doc-0", type: "id"))
        #expect(image["url"] == .text("https://example.com/cat.png", type: "image_url"))
        #expect(image.tensor?.dtype == "|u1")
        #expect(image.tensor?.shape == [2, 2, 3])
        #expect(image["tensor"]?.docarrayType == "image_ndarray")
        #expect(image.embedding?.floats() == [0.5, -1, 2.25, 3])
        #expect(image["bytes_"] == .null)

        let product = try Document(proto: Docarray_DocProto(serializedBytes: Fixtures.data("docarray/product-doc.pb")))
        #expect(product["count"] == .integer(7))
        #expect(product["note"] == .null)
        #expect(product.tags?["meta"]?.dictValue?["ref"] == .null)
        #expect(product.tags?["dims"] == [10, 20])

        let nested = try Document(proto: Docarray_DocProto(serializedBytes: Fixtures.data("docarray/nested-doc.pb")))
        #expect(nested["parent"]?.documentValue?.text == "parent")
        #expect(nested.matches?.map(\.id) == ["match-0", "match-1"])
        #expect(nested["pair"] == DocValue(.tuple([.integer(1), .text("one")])))
        #expect(nested["kinds"] == DocValue(.set([.text("a")])))
        #expect(nested["raw"] == .blob([0, 1, 2]))
    }

    @Test("every kind of value survives a round trip, tensor parameters included")
    func everyKind() throws {
        var tensor = try NDArray(buffer: [1, 0, 0, 0, 2, 0, 0, 0], shape: [2], dtype: "<i4")
        tensor.parameters = ["unit": "cm", "scale": .number(0.5), "tags": ["a", nil, true]]
        let inner = Document(id: "inner", text: "in")
        let document = Document(fields: [
            "id": .text("all", type: "id"),
            "empty": .null,
            "text": "hello",
            "int": .integer(-2_147_483_648),
            "float": .float(-0.25),
            "bool": .boolean(false),
            "blob": .blob([0xFF, 0x00]),
            "tensor": .ndarray(tensor),
            "big-endian": .ndarray(try NDArray(buffer: [0x3F, 0x80, 0, 0], shape: [], dtype: ">f4")),
            "doc": .doc(inner),
            "docs": .docList([inner, Document(fields: [:])]),
            "list": [1, "two", nil, [3.5]],
            "set": DocValue(.set(["x"])),
            "tuple": DocValue(.tuple([1, "one"])),
            "dict": ["nested": ["deep": nil], "url": .text("u", type: "text_url")],
        ])
        let proto = try document.proto()
        let bytes: [UInt8] = try proto.serializedBytes()
        #expect(try Document(proto: Docarray_DocProto(serializedBytes: bytes)) == document)
        #expect(proto.data["empty"]?.content == nil)
        #expect(proto.data["empty"]?.docarrayType == nil)
    }

    @Test("an integer outside int32 is refused with its path")
    func integerOverflow() {
        let document = Document(fields: ["tags": ["big": .integer(1 << 40)]])
        #expect(throws: DocumentError("integer 1099511627776 does not fit the wire's int32", path: "tags.big")) {
            try document.proto()
        }
    }

    @Test("a tensor whose buffer does not fit its shape is refused")
    func badTensor() {
        var node = Docarray_NodeProto()
        node.ndarray.dense.buffer = Data([1, 2, 3])
        node.ndarray.dense.shape = [2]
        node.ndarray.dense.dtype = "<f4"
        var proto = Docarray_DocProto()
        proto.data["embedding"] = node
        #expect(throws: DocumentError.self) { try Document(proto: proto) }
    }
}
