import JinaCore
import Testing

@Suite struct DocumentFieldsTests {
    @Test func initialiserWritesDocarrayFieldNamesAndTypes() throws {
        let embedding = NDArray(floats: [1, 2])
        let doc = Document(
            id: "a", text: "hello", url: "http://x/y.png", bytes: [0, 0xFF], tensor: NDArray(ints: [1]),
            embedding: embedding, tags: ["k": 1], chunks: [Document(id: "c")], matches: [Document(id: "m")],
            scores: ["cosine": 0.5])
        #expect(doc.fieldNames == ["bytes_", "chunks", "embedding", "id", "matches", "scores", "tags", "tensor", "text", "url"])
        #expect(doc["id"] == .text("a", type: "id"))
        #expect(doc["text"] == .text("hello"))
        #expect(doc["url"] == .text("http://x/y.png"))
        #expect(doc["bytes_"] == .blob([0, 0xFF]))
        #expect(doc["embedding"] == DocValue(.ndarray(embedding), docarrayType: "ndarray_embedding"))
        #expect(doc["tensor"]?.docarrayType == "ndarray")
        #expect(doc["tags"] == .dict(["k": .integer(1)]))
        #expect(doc["chunks"] == .docList([Document(fields: ["id": .text("c", type: "id")])]))
        #expect(doc["scores"] == .dict(["cosine": .float(0.5)]))
        #expect(doc.id == "a")
        #expect(doc.text == "hello")
        #expect(doc.url == "http://x/y.png")
        #expect(doc.bytes == [0, 0xFF])
        #expect(doc.embedding == embedding)
        #expect(doc.tensor?.ints() == [1])
        #expect(doc.tags?["k"]?.intValue == 1)
        #expect(doc.chunks?.map(\.id) == ["c"])
        #expect(doc.matches?.map(\.id) == ["m"])
        #expect(doc.scores?["cosine"]?.doubleValue == 0.5)
    }

    @Test func emptyInitialiserHasNoFields() {
        #expect(Document().fields.isEmpty)
        #expect(Document().id == nil)
    }

    @Test func gettersIgnoreEmptyAndOtherKinds() {
        let doc = Document(fields: ["text": .null, "id": 7, "tags": ["a", "b"], "embedding": "x"])
        #expect(doc.text == nil)
        #expect(doc.id == nil)
        #expect(doc.tags == nil)
        #expect(doc.embedding == nil)
        #expect(doc.chunks == nil)
    }

    @Test func settingNilEmptiesPresentFieldsOnly() {
        var doc = Document(id: "a", text: "t")
        doc.text = nil
        doc.url = nil
        #expect(doc["text"] == .null)
        #expect(doc["url"] == nil)
    }

    /// A `TextDoc` from Python carries `url` typed `text_url`; a new value keeps that type.
    @Test func settersKeepTheTypeAFieldAlreadyHad() {
        var doc = Document(fields: [
            "url": .text("http://a", type: "text_url"),
            "tensor": .ndarray(NDArray(ints: [1]), type: "image_ndarray"),
        ])
        doc.url = "http://b"
        doc.tensor = NDArray(ints: [2])
        #expect(doc["url"] == .text("http://b", type: "text_url"))
        #expect(doc["tensor"]?.docarrayType == "image_ndarray")
        // A different kind of value gets the default type instead.
        var other = Document(fields: ["id": .integer(3)])
        other.id = "x"
        #expect(other["id"] == .text("x", type: "id"))
    }

    @Test func readsLegacyBlobAndKeepsTheLegacyShape() {
        // docarray's LegacyDocument (Jina's default schema) names the bytes `blob`.
        var legacy = Document(fields: ["id": .text("l", type: "id"), "blob": .null])
        #expect(legacy.bytes == nil)
        legacy.bytes = [1, 2]
        #expect(legacy["blob"] == .blob([1, 2]))
        #expect(legacy["bytes_"] == nil)
        #expect(legacy.bytes == [1, 2])

        var both = Document(fields: ["bytes_": .null, "blob": .blob([9])])
        #expect(both.bytes == [9])
        both.bytes = [3]
        #expect(both["bytes_"] == .blob([3]))
        #expect(both.bytes == [3])
        both.bytes = nil
        #expect(both["bytes_"] == .null)
        #expect(both["blob"] == .null)
    }

    @Test func unknownFieldsAreKeptAsTheyCame() {
        var doc = Document(fields: [
            "custom": .tuple([1, "z"]),
            "inner": .doc(Document(id: "b")),
            "s": .set([3]),
            "image": .text("http://i", type: "image_url"),
        ])
        doc.text = "new"
        #expect(doc["custom"] == .tuple([.integer(1), .text("z")]))
        #expect(doc["inner"]?.documentValue?.id == "b")
        #expect(doc["s"]?.arrayValue == [3])
        #expect(doc["image"]?.docarrayType == "image_url")
    }

    @Test func typeStringTakesPartInEquality() {
        #expect(DocValue.text("a", type: "id") != DocValue.text("a"))
        #expect(DocValue.ndarray(NDArray(ints: [1])).docarrayType == "ndarray")
    }

    @Test func generatedIDsAreUUID4Hex() {
        let ids = (0..<200).map { _ in Document.generateID() }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            let chars = Array(id)
            #expect(chars.count == 32)
            #expect(chars.allSatisfy { "0123456789abcdef".contains($0) })
            #expect(chars[12] == "4")
            #expect("89ab".contains(chars[16]))
        }
    }

    @Test func ensureIDFillsMissingIDsOnlyAndReachesNestedDocuments() {
        var doc = Document(fields: ["id": .null, "text": "t"])
        doc.chunks = [Document(text: "c"), Document(id: "keep")]
        doc["inner"] = .doc(Document())
        let id = doc.ensureID()
        #expect(id.count == 32)
        #expect(doc["id"] == .text(id, type: "id"))
        #expect(doc.chunks?[0].id?.count == 32)
        #expect(doc.chunks?[1].id == "keep")
        #expect(doc["inner"]?.documentValue?.id?.count == 32)
        var again = doc
        #expect(again.ensureID() == id)
        #expect(again == doc)
        var empty = Document(id: "")
        #expect(empty.ensureID().count == 32)
    }
}
