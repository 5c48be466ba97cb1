import CJinaHNSW

/// Approximate search on an HNSW graph (hnswlib, header-only C++ compiled in: `CJinaHNSW`),
/// with the same interface and scores as `ExactVectorIndex`. Each id keeps one integer label
/// for good: a deleted id is marked deleted in the graph and comes back under the same label.
/// With a filter, the graph is asked for more candidates until `topK` pass it (or all were seen).
/// Not safe for concurrent use: call it from one task at a time (the VectorIndex executor keeps
/// it inside an actor).
public final class HNSWVectorIndex: VectorSearching, @unchecked Sendable {
    public let dimension: Int
    public let metric: VectorMetric
    /// Candidates kept while searching (at least `topK` are).
    public var efSearch: Int
    private let graph: OpaquePointer
    private var labels: [String: Int] = [:]
    private var idsByLabel: [String] = []
    private var live = Set<Int>()

    /// Parameters as hnswlib names them: `m` links per node, `efConstruction` candidates while
    /// building, `efSearch` while searching (at least `topK`).
    public init(dimension: Int, metric: VectorMetric, m: Int = 16, efConstruction: Int = 200, efSearch: Int = 64,
                seed: UInt64 = 100) throws(VectorIndexError) {
        self.dimension = dimension
        self.metric = metric
        self.efSearch = efSearch
        var error = [CChar](repeating: 0, count: 256)
        guard let graph = jina_hnsw_new(dimension, metric == .l2 ? 0 : 1, 1024, m, efConstruction, seed, &error) else {
            throw .backend(Self.message(error))
        }
        self.graph = graph
    }

    deinit { jina_hnsw_free(graph) }

    private static func message(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public var count: Int { live.count }
    public var allIDs: [String] { live.sorted().map { idsByLabel[$0] } }
    public func contains(_ id: String) -> Bool { labels[id].map(live.contains) ?? false }

    public func upsert(id: String, vector: [Float]) throws(VectorIndexError) {
        try check(id: id, vector: vector)
        let stored = metric == .cosine ? ExactVectorIndex.normalised(vector) : vector
        let label = labels[id] ?? {
            idsByLabel.append(id)
            labels[id] = idsByLabel.count - 1
            return idsByLabel.count - 1
        }()
        var error = [CChar](repeating: 0, count: 256)
        guard jina_hnsw_add(graph, stored, label, &error) == 0 else { throw .backend(Self.message(error)) }
        live.insert(label)
    }

    @discardableResult
    public func remove(_ id: String) -> Bool {
        guard let label = labels[id], live.remove(label) != nil else { return false }
        _ = jina_hnsw_delete(graph, label)
        return true
    }

    public func removeAll() {
        for label in live { _ = jina_hnsw_delete(graph, label) }
        live.removeAll()
    }

    public func vector(_ id: String) -> [Float]? {
        guard let label = labels[id], live.contains(label) else { return nil }
        var out = [Float](repeating: 0, count: dimension)
        return jina_hnsw_get(graph, label, &out) == 0 ? out : nil
    }

    public func search(batch queries: [[Float]], topK: Int, include: ((String) -> Bool)?) throws(VectorIndexError) -> [[Match]] {
        var results: [[Match]] = []
        for (index, query) in queries.enumerated() {
            try check(id: "query \(index)", vector: query)
            let prepared = metric == .cosine ? ExactVectorIndex.normalised(query) : query
            results.append(search(prepared, topK: topK, include: include))
        }
        return results
    }

    private func search(_ query: [Float], topK: Int, include: ((String) -> Bool)?) -> [Match] {
        guard topK > 0, !live.isEmpty else { return [] }
        var want = min(topK, live.count)
        while true {
            var labelsOut = [Int](repeating: 0, count: want)
            var distances = [Float](repeating: 0, count: want)
            let found = jina_hnsw_search(graph, query, want, max(efSearch, want), &labelsOut, &distances)
            var matches: [Match] = []
            for position in 0..<found {
                let id = idsByLabel[labelsOut[position]]
                if let include, !include(id) { continue }
                matches.append(Match(id: id, score: score(distance: distances[position])))
                if matches.count == topK { break }
            }
            // Enough passed the filter, or the graph has nothing more to give.
            if matches.count == topK || include == nil || want >= live.count { return matches }
            want = min(live.count, want * 4)
        }
    }

    /// hnswlib's distances as our scores: 1 − q·v for inner products, ‖q − v‖² for l2.
    private func score(distance: Float) -> Float {
        switch metric {
        case .cosine, .dot: 1 - distance
        case .l2: -max(distance, 0).squareRoot()
        }
    }
}
