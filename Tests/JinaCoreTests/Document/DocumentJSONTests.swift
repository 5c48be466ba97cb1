import JinaCore
import Testing

@Suite struct DocumentJSONTests {
    /// `LegacyDocument(...).model_dump_json()` from docarray 0.40.1 (the reference venv).
    static let legacyJSON = #"""
        {"id":"l","tensor":[0,0],"chunks":[{"id":"c","tensor":null,"chunks":null,"matches":null,"blob":null,\#
        "text":"c","url":null,"embedding":null,"tags":{},"scores":null}],"matches":null,"blob":"zz","text":"t",\#
        "url":null,"embedding":[1.0,2.0],"tags":{"a":1,"b":1.5},"scores":null}
        """#

    /// `TextDoc(...).model_dump_json()` from docarray 0.40.1 (float32 embedding of shape [2, 2]).
    static let textDocJSON = #"""
        {"id":"x","text":"a","url":"http://a/b.txt","embedding":[[1.0,2.0],[3.0,4.0]],"bytes_":"ok"}
        """#

    @Test func readsDocarrayLegacyDocumentJSON() throws {
        let doc = try Document(json: JSONValue(parsing: Self.legacyJSON))
        #expect(doc.id == "l")
        #expect(doc.text == "t")
        #expect(doc.bytes == Array("zz".utf8))
        #expect(doc["blob"] == .blob(Array("zz".utf8)))
        #expect(doc.tensor?.dtype == "<i8")
        #expect(doc.tensor?.ints() == [0, 0])
        #expect(doc.embedding?.doubles() == [1, 2])
        #expect(doc.tags == ["a": .integer(1), "b": .float(1.5)])
        #expect(doc["url"] == .null)
        #expect(doc["matches"] == .null)
        #expect(doc.chunks?.count == 1)
        #expect(doc.chunks?[0].text == "c")
        #expect(doc.chunks?[0]["tags"] == .dict([:]))
        #expect(doc.chunks?[0].fieldNames.count == 10)
    }

    @Test func writesTheSameJSONBack() throws {
        for text in [Self.legacyJSON, Self.textDocJSON] {
            let json = try JSONValue(parsing: text)
            #expect(try Document(json: json).json() == json)
        }
    }

    @Test func embeddingBecomesATypedTensor() throws {
        let doc = try Document(json: JSONValue(parsing: Self.textDocJSON))
        #expect(doc["embedding"]?.docarrayType == "ndarray_embedding")
        #expect(doc.embedding?.shape == [2, 2])
        #expect(doc.embedding?.floats() == [1, 2, 3, 4])
        #expect(doc["id"] == .text("x", type: "id"))
    }

    @Test func unknownFieldsAreKeptWithoutSchema() throws {
        let json: JSONValue = ["id": "u", "price": 3, "ratio": 0.5, "flag": true, "list": [1, "a"],
                               "obj": ["k": [2.0]], "none": nil]
        let doc = try Document(json: json)
        #expect(doc["price"] == .integer(3))
        #expect(doc["ratio"] == .float(0.5))
        #expect(doc["flag"] == .boolean(true))
        #expect(doc["list"] == .list([.integer(1), .text("a")]))
        #expect(doc["obj"] == .dict(["k": .list([.float(2)])]))
        #expect(doc["none"] == .null)
        #expect(doc.json() == json)
    }

    @Test func bytesAreUTF8TextOrBase64() throws {
        let text = Document(bytes: Array("héllo".utf8))
        #expect(text.json() == ["bytes_": "héllo"])
        let binary = Document(bytes: [0, 0xFF, 0x10])
        #expect(binary.json() == ["bytes_": "data:application/octet-stream;base64,AP8Q"])
        let tricky = Document(bytes: Array("data:application/octet-stream;base64,AAAA".utf8))
        for doc in [text, binary, tricky, Document(bytes: []), Document(bytes: [1, 2, 3, 4, 5])] {
            #expect(try Document(json: doc.json()).bytes == doc.bytes)
        }
        #expect(throws: DocumentError("invalid base64 after \"data:application/octet-stream;base64,\"", path: "bytes_")) {
            try Document(json: ["bytes_": "data:application/octet-stream;base64,A"])
        }
    }

    @Test func roundTripsNestedChunksAndMatches() throws {
        var doc = Document(id: "root", text: "t", embedding: NDArray(floats: [0.25, -1]), tags: ["k": ["n": [1, nil]]])
        doc.chunks = [Document(id: "c1", text: "chunk", chunks: [Document(id: "c1.1")])]
        doc.matches = [Document(id: "m1", scores: ["cosine": ["value": 0.9]])]
        let back = try Document(json: JSONValue(parsing: doc.json().serialized()))
        #expect(back.chunks?[0].chunks?[0].id == "c1.1")
        #expect(back.matches?[0].score("cosine") == 0.9)
        #expect(back.tags == doc.tags)
        // JSON has no float32: an embedding comes back as numpy would read it (float64).
        #expect(back.embedding?.dtype == "<f8")
        #expect(back.embedding?.floats() == [0.25, -1])
        var expected = doc
        expected.embedding = NDArray(doubles: [0.25, -1])
        #expect(back == expected)
    }

    @Test func integerIDIsReadAsText() throws {
        #expect(try Document(json: ["id": 42]).id == "42")
    }

    static let badDocuments: [(JSONValue, String, String)] = [
        (["text": 1], "data[1].text", "expected a string, got a number"),
        (["id": true], "data[1].id", "expected a string, got a boolean"),
        (["embedding": [[1, 2], [3]]], "data[1].embedding[1]", "ragged nested list: expected 2 elements, got 1"),
        (["tags": [1]], "data[1].tags", "expected an object, got a list"),
        (["chunks": ["x"]], "data[1].chunks[0]", "expected a document (an object), got a string"),
        (["matches": [["url": 3]]], "data[1].matches[0].url", "expected a string, got a number"),
        (["chunks": [["tensor": [["a"]]]]], "data[1].chunks[0].tensor[0][0]", "expected a number, got a string"),
        (["blob": [1]], "data[1].blob", "expected a string, got a list"),
        ("doc", "data[1]", "expected a document (an object), got a string"),
    ]

    @Test(arguments: badDocuments)
    func errorsNameTheJSONPath(document: JSONValue, path: String, message: String) {
        #expect(throws: DocumentError(message, path: path)) {
            try [Document](json: [["id": "ok"], document])
        }
    }

    @Test func readsADocumentListOrASingleDocument() throws {
        #expect(try [Document](json: [["id": "a"], ["id": "b"]]).map(\.id) == ["a", "b"])
        #expect(try [Document](json: ["id": "a"]).map(\.id) == ["a"])
        #expect(throws: DocumentError("expected a list of documents, got a string", path: "data")) {
            try [Document](json: "x")
        }
        #expect([Document(id: "a")].json() == [["id": "a"]])
    }
}
