import JinaCore
import Testing

@Suite struct DocumentScoresTests {
    @Test func readsBareAndLegacyNamedScores() {
        #expect(Document(scores: ["cosine": 0.5]).score("cosine") == 0.5)
        #expect(Document(scores: ["cosine": 2]).score("cosine") == 2)
        #expect(Document(scores: ["cosine": ["value": 0.25, "op_name": "cos"]]).score("cosine") == 0.25)
        #expect(Document(scores: ["cosine": .doc(Document(fields: ["value": 0.75]))]).score("cosine") == 0.75)
        #expect(Document(scores: ["cosine": "high"]).score("cosine") == nil)
        #expect(Document(scores: ["cosine": 0.5]).score("l2") == nil)
        #expect(Document().score() == nil)
    }

    @Test func withoutANameTheFirstNumericScoreInKeyOrderIsUsed() {
        let doc = Document(scores: ["b": 2, "a": "text", "c": 3])
        #expect(doc.score() == 2)
    }

    @Test func sortsDescendingByDefault() {
        var doc = Document(matches: [match("a", 0.1), match("b", 0.9), match("c", 0.5)])
        doc.sortMatches(byScore: "cosine")
        #expect(doc.matches?.map(\.id) == ["b", "c", "a"])
    }

    @Test func sortsAscendingForDistances() {
        var doc = Document(matches: [match("a", 0.1), match("b", 0.9), match("c", 0.5)])
        doc.sortMatches(byScore: "cosine", order: .ascending)
        #expect(doc.matches?.map(\.id) == ["a", "c", "b"])
    }

    @Test func cutsToTopK() {
        var doc = Document(matches: [match("a", 0.1), match("b", 0.9), match("c", 0.5)])
        doc.sortMatches(byScore: "cosine", topK: 2)
        #expect(doc.matches?.map(\.id) == ["b", "c"])
        doc.sortMatches(topK: 0)
        #expect(doc.matches == [])
        var negative = Document(matches: [match("a", 1)])
        negative.sortMatches(topK: -1)
        #expect(negative.matches == [])
    }

    @Test func isStableAndPutsUnscoredMatchesLast() {
        var doc = Document(matches: [
            Document(id: "none1"), match("x", 0.5), match("y", 0.5), Document(id: "none2"), match("z", 0.7),
            match("nan", .nan),
        ])
        doc.sortMatches(byScore: "cosine")
        #expect(doc.matches?.map(\.id) == ["z", "x", "y", "none1", "none2", "nan"])
    }

    @Test func leavesDocumentsWithoutMatchesAlone() {
        var doc = Document(id: "a")
        doc.sortMatches(topK: 1)
        #expect(doc == Document(id: "a"))
    }

    @Test func sortsEveryDocumentOfABatch() {
        var docs = [
            Document(matches: [match("a", 0.1), match("b", 0.2)]),
            Document(matches: [match("c", 0.3), match("d", 0.4)]),
        ]
        docs.sortMatches(byScore: "cosine", topK: 1)
        #expect(docs.map { $0.matches?.map(\.id) } == [["b"], ["d"]])
    }

    private func match(_ id: String, _ score: Double) -> Document {
        Document(id: id, scores: ["cosine": .float(score)])
    }
}
