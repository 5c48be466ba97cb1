@testable import JinaVectorIndex
import Testing

@Suite("HNSW vector search")
struct HNSWVectorIndexTests {
    @Test("recall@10 against exact search on clustered data is at least 0.95, every metric", arguments: VectorMetric.allCases)
    func recall(metric: VectorMetric) throws {
        // Embedding-like: 50 topics, each point a topic plus its own variation.
        let vectors = topics(3_000, seed: 11)
        let exact = try filled(ExactVectorIndex(dimension: 32, metric: metric), vectors)
        let graph = try filled(HNSWVectorIndex(dimension: 32, metric: metric, efSearch: 100), vectors)
        let queries = topics(100, seed: 12)
        let truth = try exact.search(batch: queries, topK: 10, include: nil)
        let found = try graph.search(batch: queries, topK: 10, include: nil)
        var hits = 0
        for (want, got) in zip(truth, found) {
            // A result tied with the true 10th (within float error) counts as found.
            let tenth = want.last!.score
            hits += got.filter { match in want.contains { $0.id == match.id } || match.score >= tenth - 1e-5 }.count
            // Scores mean the same as exact search's.
            if let first = got.first, let same = want.first(where: { $0.id == first.id }) {
                #expect(abs(first.score - same.score) < 1e-3 * max(1, abs(same.score)))
            }
        }
        let recall = Double(hits) / Double(truth.count * 10)
        #expect(recall >= 0.95, "recall@10 \(recall)")
    }

    @Test("update, delete, re-index and a filter")
    func changes() throws {
        let graph = try HNSWVectorIndex(dimension: 2, metric: .l2)
        for value in 0..<100 { try graph.upsert(id: "n\(value)", vector: [Float(value), 0]) }
        #expect(try graph.search(batch: [[0, 0]], topK: 1, include: nil)[0] == [Match(id: "n0", score: 0)])
        try graph.upsert(id: "n0", vector: [50.2, 0])
        #expect(try graph.search(batch: [[0, 0]], topK: 1, include: nil)[0].map(\.id) == ["n1"])
        #expect(graph.remove("n1"))
        #expect(!graph.remove("n1"))
        #expect(graph.count == 99)
        #expect(try graph.search(batch: [[0, 0]], topK: 1, include: nil)[0].map(\.id) == ["n2"])
        try graph.upsert(id: "n1", vector: [1, 0])
        #expect(try graph.search(batch: [[0, 0]], topK: 1, include: nil)[0].map(\.id) == ["n1"])
        #expect(graph.vector("n1") == [1, 0])
        let odd = try graph.search(batch: [[0, 0]], topK: 3, include: { Int($0.dropFirst())! % 2 == 1 })[0]
        #expect(odd.map(\.id) == ["n1", "n3", "n5"])
        graph.removeAll()
        #expect(graph.count == 0)
        #expect(try graph.search(batch: [[0, 0]], topK: 3, include: nil)[0] == [])
        // A new graph, not 100 deleted nodes: labels start again and the old ids are gone.
        #expect(graph.labelCount == 0 && graph.vector("n5") == nil)
        try graph.upsert(id: "again", vector: [3, 0])
        #expect(graph.labelCount == 1)
        #expect(try graph.search(batch: [[0, 0]], topK: 3, include: nil)[0].map(\.id) == ["again"])
    }

    func topics(_ count: Int, seed: UInt64) -> [[Float]] {
        var random = Seeded(state: 99)
        let centres = (0..<50).map { _ in (0..<32).map { _ in Float.random(in: -1...1, using: &random) } }
        var noise = Seeded(state: seed)
        return (0..<count).map { index in centres[index % 50].map { $0 + Float.random(in: -0.4...0.4, using: &noise) } }
    }

    func filled<Index: VectorSearching>(_ index: Index, _ vectors: [[Float]]) throws -> Index {
        var index = index
        for (row, vector) in vectors.enumerated() { try index.upsert(id: "v\(row)", vector: vector) }
        return index
    }
}
