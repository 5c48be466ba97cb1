import JinaCore
import Testing

@Suite struct DocumentMergeTests {
    @Test func laterNonEmptyScalarOverwrites() {
        var doc = Document(id: "a", text: "first", url: "u1")
        doc["rank"] = 1
        doc.merge(Document(fields: ["id": .text("a", type: "id"), "text": "second", "url": .null, "rank": 2.5]))
        #expect(doc.text == "second")
        #expect(doc.url == "u1")
        #expect(doc["rank"] == .float(2.5))
    }

    @Test func emptyFieldFillsNothingButAFieldOnlyTheOtherHasIsAdded() {
        var doc = Document(id: "a")
        doc.merge(Document(fields: ["text": .null, "embedding": .ndarray(NDArray(floats: [1]))]))
        #expect(doc["text"] == .null)
        #expect(doc.embedding == NDArray(floats: [1]))
        var empty = Document(fields: ["text": .null])
        empty.merge(Document(text: "now"))
        #expect(empty.text == "now")
    }

    @Test func overwriteTakesTheOtherTypeString() {
        var doc = Document(fields: ["url": .text("a", type: "text_url")])
        doc.merge(Document(fields: ["url": .text("b", type: "image_url")]))
        #expect(doc["url"] == .text("b", type: "image_url"))
    }

    @Test func chunksAndMatchesAreConcatenated() {
        var doc = Document(id: "a", chunks: [Document(id: "c1")], matches: [Document(id: "m1")])
        doc.merge(Document(id: "a", chunks: [Document(id: "c2")], matches: [Document(id: "m2"), Document(id: "m3")]))
        #expect(doc.chunks?.map(\.id) == ["c1", "c2"])
        #expect(doc.matches?.map(\.id) == ["m1", "m2", "m3"])
    }

    /// Two branches that pass the same chunk through must not duplicate it (docarray's reduce).
    @Test func sameIDInANestedListIsMergedNotRepeated() {
        var doc = Document(id: "a", chunks: [Document(id: "c1", text: "x")])
        doc.merge(Document(id: "a", chunks: [Document(id: "c1", url: "u"), Document(text: "no id")]))
        #expect(doc.chunks?.count == 2)
        #expect(doc.chunks?[0] == Document(id: "c1", text: "x", url: "u"))
        #expect(doc.chunks?[1].text == "no id")
    }

    @Test func tagsAreMergedKeyByKey() {
        var doc = Document(tags: ["a": 1, "b": "keep", "nested": ["x": 1]])
        doc.merge(Document(tags: ["a": 2, "c": true, "nested": ["y": 2]]))
        // Key by key, shallow: a nested dict is replaced, as Python's dict.update does.
        #expect(doc.tags == ["a": 2, "b": "keep", "c": true, "nested": ["y": 2]])
    }

    @Test func listsConcatenateSetsUniteTuplesAndNestedDocuments() {
        var doc = Document(fields: [
            "l": [1, 2], "s": .set([1, 2]), "t": .tuple([1]), "inner": .doc(Document(text: "t")),
        ])
        doc.merge(Document(fields: [
            "l": [2], "s": .set([2, 3]), "t": .tuple([9]), "inner": .doc(Document(url: "u")),
        ]))
        #expect(doc["l"] == [1, 2, 2])
        #expect(doc["s"] == .set([1, 2, 3]))
        #expect(doc["t"] == .tuple([9]))
        #expect(doc["inner"] == .doc(Document(text: "t", url: "u")))
    }

    @Test func mergingLeavesTheOriginalUntouched() {
        let doc = Document(id: "a", text: "x")
        let merged = doc.merging(Document(text: "y"))
        #expect(doc.text == "x")
        #expect(merged.text == "y")
    }

    @Test func reduceMatchesByIDKeepingFirstSeenOrder() {
        let branchA = [Document(id: "1", text: "a1"), Document(id: "2", text: "a2")]
        let branchB = [Document(id: "3", text: "b3"), Document(id: "2", url: "b2"), Document(id: "1", text: "b1")]
        let reduced = [Document](reducing: [branchA, branchB])
        #expect(reduced.map(\.id) == ["1", "2", "3"])
        #expect(reduced[0].text == "b1")  // the later branch overwrites
        #expect(reduced[1] == Document(id: "2", text: "a2", url: "b2"))
        #expect(reduced[2].text == "b3")
    }

    @Test func reduceOrderOfBatchesDecidesWhoWins() {
        let a = [Document(id: "1", text: "a")]
        let b = [Document(id: "1", text: "b")]
        #expect([Document](reducing: [a, b])[0].text == "b")
        #expect([Document](reducing: [b, a])[0].text == "a")
    }

    @Test func reduceKeepsDocumentsWithoutIDApartAndHandlesEdgeCases() {
        let reduced = [Document](reducing: [[Document(text: "x")], [Document(text: "y")]])
        #expect(reduced.map(\.text) == ["x", "y"])
        #expect([Document](reducing: []).isEmpty)
        #expect([Document](reducing: [[Document(id: "1")]]) == [Document(id: "1")])
    }

    @Test func shardMatchesAreConcatenatedThenSorted() {
        let shard0 = [Document(id: "q", matches: [match("a", 0.2), match("b", 0.9)])]
        let shard1 = [Document(id: "q", matches: [match("c", 0.5)])]
        var reduced = [Document](reducing: [shard0, shard1])
        reduced.sortMatches(byScore: "cosine", topK: 2)
        #expect(reduced[0].matches?.map(\.id) == ["b", "c"])
    }

    private func match(_ id: String, _ score: Double) -> Document {
        Document(id: id, scores: ["cosine": .float(score)])
    }
}
