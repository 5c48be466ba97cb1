@testable import JinaVectorIndex
import Testing

/// A deterministic generator (SplitMix64), so failures reproduce.
struct Seeded: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func randomVectors(_ count: Int, dimension: Int, seed: UInt64) -> [[Float]] {
    var random = Seeded(state: seed)
    return (0..<count).map { _ in (0..<dimension).map { _ in Float.random(in: -1...1, using: &random) } }
}

/// Points around a few centres: close neighbours and near-ties, like real embeddings.
func clusteredVectors(_ count: Int, dimension: Int, clusters: Int, seed: UInt64) -> [[Float]] {
    var random = Seeded(state: seed)
    let centres = (0..<clusters).map { _ in (0..<dimension).map { _ in Float.random(in: -1...1, using: &random) } }
    return (0..<count).map { index in centres[index % clusters].map { $0 + Float.random(in: -0.05...0.05, using: &random) } }
}

/// The reference: every score in Double, sorted.
func bruteForce(_ vectors: [(String, [Float])], query: [Float], metric: VectorMetric, k: Int) -> [(String, Double)] {
    func norm(_ v: [Float]) -> Double { v.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot() }
    let scored = vectors.map { id, vector -> (String, Double) in
        let dot = zip(query, vector).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        switch metric {
        case .dot: return (id, dot)
        case .cosine: return (id, dot / (norm(query) * norm(vector)))
        case .l2: return (id, -zip(query, vector).reduce(0.0) { $0 + (Double($1.0) - Double($1.1)) * (Double($1.0) - Double($1.1)) }.squareRoot())
        }
    }
    return Array(scored.sorted { $0.1 > $1.1 }.prefix(k))
}

@Suite("exact vector search")
struct ExactVectorIndexTests {
    @Test("top-k equals brute force, random and clustered data, every metric", arguments: VectorMetric.allCases)
    func topK(metric: VectorMetric) throws {
        for (name, vectors) in [("random", randomVectors(1_000, dimension: 37, seed: 1)),
                                ("clustered", clusteredVectors(1_000, dimension: 37, clusters: 20, seed: 2))] {
            var index = ExactVectorIndex(dimension: 37, metric: metric)
            let named = vectors.enumerated().map { ("d\($0.offset)", $0.element) }
            for (id, vector) in named { try index.upsert(id: id, vector: vector) }
            let queries = randomVectors(20, dimension: 37, seed: 3) + Array(vectors.prefix(5))
            let batched = try index.search(batch: queries, topK: 10)
            for (position, query) in queries.enumerated() {
                let expected = bruteForce(named, query: query, metric: metric, k: 10)
                let single = try index.search(query, topK: 10)
                // Batched and single search sum in different orders: scores equal up to rounding
                // (near-ties of clustered data may then swap places).
                for (one, other) in zip(single, batched[position]) {
                    #expect(abs(one.score - other.score) <= 1e-4 * max(1, abs(one.score)), "\(name): batched and single differ")
                }
                #expect(single.count == 10)
                for (got, want) in zip(single, expected) {
                    // Ties within float error may swap places; the scores must agree.
                    #expect(abs(Double(got.score) - want.1) < 1e-3 * max(1, abs(want.1)), "\(name) \(metric): \(got) vs \(want)")
                }
                let wrong = Set(single.map(\.id)).subtracting(expected.map(\.0))
                for id in wrong {
                    let score = try #require(single.first { $0.id == id }).score
                    #expect(abs(Double(score) - expected.last!.1) < 1e-3, "\(name) \(metric): \(id) should not be in the top 10")
                }
            }
        }
    }

    @Test("a large index searched by several threads answers as one thread does, with filters and every metric", arguments: VectorMetric.allCases)
    func parallelScan(metric: VectorMetric) throws {
        // A small index split into small parts (the real threshold needs 65,536 vectors, which
        // would keep a test thread busy for seconds and starve the timing tests running beside it).
        var index = ExactVectorIndex(dimension: 8, metric: metric)
        index.tilesPerThread = 16
        for (row, vector) in clusteredVectors(3_000, dimension: 8, clusters: 40, seed: 21).enumerated() {
            try index.upsert(id: "p\(row)", vector: vector)
        }
        let queries = randomVectors(9, dimension: 8, seed: 22)
        let even: (String) -> Bool = { ($0.last?.wholeNumberValue ?? 1) % 2 == 0 }
        index.searchThreads = 1
        let alone = try index.search(batch: queries, topK: 12)
        let aloneFiltered = try index.search(batch: queries, topK: 12, include: even)
        for threads in [2, 3] {
            index.searchThreads = threads
            #expect(try index.search(batch: queries, topK: 12) == alone)
            #expect(try index.search(batch: queries, topK: 12, include: even) == aloneFiltered)
        }
    }

    @Test("update replaces, delete removes, re-index comes back; the moved last row stays findable")
    func updateDeleteReindex() throws {
        var index = ExactVectorIndex(dimension: 4, metric: .dot)
        try index.upsert(id: "a", vector: [1, 0, 0, 0])
        try index.upsert(id: "b", vector: [0, 1, 0, 0])
        try index.upsert(id: "c", vector: [0, 0, 1, 0])
        #expect(try index.search([0, 0, 1, 0], topK: 1).map(\.id) == ["c"])
        try index.upsert(id: "a", vector: [0, 0, 2, 0])
        #expect(index.count == 3)
        #expect(try index.search([0, 0, 1, 0], topK: 2).map(\.id) == ["a", "c"])
        let removed = index.remove("a")
        let again = index.remove("a")
        #expect(removed && !again)
        #expect(index.count == 2)
        #expect(try index.search([0, 0, 1, 0], topK: 5).map(\.id) == ["c", "b"])
        #expect(index.vector("c") == [0, 0, 1, 0])
        try index.upsert(id: "a", vector: [1, 0, 0, 0])
        #expect(try index.search([1, 0, 0, 0], topK: 1) == [Match(id: "a", score: 1)])
        index.removeAll()
        #expect(index.count == 0)
        #expect(try index.search([1, 0, 0, 0], topK: 3) == [])
    }

    @Test("a filter keeps only the allowed ids")
    func filter() throws {
        var index = ExactVectorIndex(dimension: 2, metric: .l2)
        for value in 0..<10 { try index.upsert(id: "n\(value)", vector: [Float(value), 0]) }
        let even = try index.search([0, 0], topK: 3) { Int($0.dropFirst())! % 2 == 0 }
        #expect(even == [Match(id: "n0", score: 0), Match(id: "n2", score: -2), Match(id: "n4", score: -4)])
    }

    @Test("bad vectors are refused with the document and what was expected")
    func badVectors() {
        var index = ExactVectorIndex(dimension: 3, metric: .cosine)
        #expect(throws: VectorIndexError.wrongDimension(id: "x", expected: 3, got: 2)) { try index.upsert(id: "x", vector: [1, 2]) }
        #expect(throws: VectorIndexError.notFinite(id: "y")) { try index.upsert(id: "y", vector: [1, .nan, 2]) }
        #expect(throws: VectorIndexError.zeroVector(id: "z")) { try index.upsert(id: "z", vector: [0, 0, 0]) }
        #expect(index.count == 0)
        #expect(VectorIndexError.wrongDimension(id: "x", expected: 3, got: 2).description
                == "document x: the embedding has 2 values, the index stores 3 (`dim`)")
    }

    @Test("l2 scores are measured directly: a stored copy of the query scores 0, over many tiles")
    func l2Precision() throws {
        var index = ExactVectorIndex(dimension: 128, metric: .l2)
        let vectors = clusteredVectors(1_000, dimension: 128, clusters: 3, seed: 9).map { $0.map { $0 * 100 } }
        for (row, vector) in vectors.enumerated() { try index.upsert(id: "v\(row)", vector: vector) }
        let best = try index.search(vectors[777], topK: 3)
        #expect(best[0] == Match(id: "v777", score: 0))
        #expect(best[1].score < 0)
    }

    @Test("k larger than the index, and k = 0")
    func edges() throws {
        var index = ExactVectorIndex(dimension: 2, metric: .cosine)
        try index.upsert(id: "a", vector: [1, 1])
        #expect(try index.search([1, 1], topK: 10).map(\.id) == ["a"])
        #expect(try index.search([1, 1], topK: 0) == [])
    }
}
