import CJinaHNSW
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

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
    private var graph: OpaquePointer
    /// How the graph is built (kept so that `removeAll` can start a new one).
    private var build: (m: Int, efConstruction: Int, seed: UInt64) = (16, 200, 100)
    private var labels: [String: Int] = [:]
    private var idsByLabel: [String] = []
    private var live = Set<Int>()

    /// Parameters as hnswlib names them: `m` links per node, `efConstruction` candidates while
    /// building, `efSearch` while searching (at least `topK`).
    /// `capacity`: vectors room is made for at first (the graph grows by doubling past it).
    public init(dimension: Int, metric: VectorMetric, m: Int = 16, efConstruction: Int = 200, efSearch: Int = 64,
                seed: UInt64 = 100, capacity: Int = 1024) throws(VectorIndexError) {
        self.dimension = dimension
        self.metric = metric
        self.efSearch = efSearch
        var error = [CChar](repeating: 0, count: 256)
        guard let graph = jina_hnsw_new(dimension, metric == .l2 ? 0 : 1, max(capacity, 16), m, efConstruction, seed, &error) else {
            throw .backend(Self.message(error))
        }
        self.graph = graph
        build = (m, efConstruction, seed)
    }

    /// Why opening a snapshot built the graph again instead of loading the saved one (nil when
    /// it was loaded, or the index was not opened from a snapshot).
    public private(set) var rebuildReason: String?

    /// Opens `snapshot` with the graph saved beside it; when that graph is missing or does not
    /// match, builds the graph again from the snapshot's vectors (`rebuildReason` says why).
    public convenience init(snapshot: IndexSnapshot, m: Int = 16, efConstruction: Int = 200, efSearch: Int = 64,
                            seed: UInt64 = 100) throws(VectorIndexError) {
        let inner: Int32 = snapshot.metric == .l2 ? 0 : 1
        var reason = "the snapshot has no saved graph"
        if snapshot.graphToken != 0, snapshot.count == 0 || snapshot.label(0) != nil {
            let path = IndexSnapshot.graphPath(snapshot: snapshot.path, token: snapshot.graphToken)
            var error = [CChar](repeating: 0, count: 256)
            if let graph = jina_hnsw_load(path, snapshot.dimension, inner, &error) {
                // Labels come from the file: each must be an Int the graph holds.
                let saved = (0..<snapshot.count).compactMap { snapshot.label($0).flatMap { Int(exactly: $0) } }
                if saved.count == snapshot.count, saved.allSatisfy({ jina_hnsw_has(graph, $0) == 1 }) {
                    self.init(graph: graph, dimension: snapshot.dimension, metric: snapshot.metric, efSearch: efSearch)
                    build = (m, efConstruction, seed)
                    var ids: [String] = []
                    for (row, label) in saved.enumerated() {
                        if label >= ids.count { ids += repeatElement("", count: label + 1 - ids.count) }
                        ids[label] = snapshot.id(row)
                        labels[ids[label]] = label
                        live.insert(label)
                    }
                    idsByLabel = ids
                    return
                }
                jina_hnsw_free(graph)
                reason = "the saved graph \(path) lacks vectors the snapshot holds"
            } else {
                reason = "the saved graph \(path) cannot be read (\(Self.message(error)))"
            }
        }
        try self.init(dimension: snapshot.dimension, metric: snapshot.metric, m: m, efConstruction: efConstruction,
                      efSearch: efSearch, seed: seed, capacity: snapshot.count)
        rebuildReason = reason
        for row in 0..<snapshot.count { try upsert(id: snapshot.id(row), vector: snapshot.vector(row)) }
    }

    private init(graph: OpaquePointer, dimension: Int, metric: VectorMetric, efSearch: Int) {
        self.graph = graph
        self.dimension = dimension
        self.metric = metric
        self.efSearch = efSearch
    }

    deinit { jina_hnsw_free(graph) }

    /// Saves the graph beside the snapshot (`IndexSnapshot.graphPath`), then writes the snapshot
    /// naming it, then removes graphs saved with earlier snapshots.
    public func writeSnapshot(to path: String, document: (String) -> [UInt8]) throws(VectorIndexError) {
        let token = UInt64.random(in: 1...UInt64.max)
        let graphPath = IndexSnapshot.graphPath(snapshot: path, token: token)
        var error = [CChar](repeating: 0, count: 256)
        guard jina_hnsw_save(graph, graphPath, &error) == 0 else {
            throw .storage("cannot save the HNSW graph to \(graphPath): \(Self.message(error))")
        }
        do throws(VectorIndexError) {
            try FileIO.sync(path: graphPath)
            var writer = try IndexSnapshotWriter(path: path, dimension: dimension, metric: metric, count: live.count,
                                                 graphToken: token)
            for label in live.sorted() {
                var vector = [Float](repeating: 0, count: dimension)
                guard jina_hnsw_get(graph, label, &vector) == 0 else {
                    throw .backend("the graph has no vector for label \(label) (id \(idsByLabel[label]))")
                }
                let id = idsByLabel[label]
                try writer.append(id: id, document: document(id), vector: vector, label: UInt64(label))
            }
            try writer.finish()
        } catch {
            unlink(graphPath)
            throw error
        }
        let name = graphPath.split(separator: "/").last.map(String.init) ?? graphPath
        let snapshotName = path.split(separator: "/").last.map(String.init) ?? path
        FileIO.removeFiles(besides: path) { $0 != name && $0.hasPrefix(snapshotName + ".") && $0.hasSuffix(".hnsw") }
    }

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

    /// Labels handed out since the graph was made (tests: `removeAll` starts a new graph).
    var labelCount: Int { idsByLabel.count }

    @discardableResult
    public func remove(_ id: String) -> Bool {
        guard let label = labels[id], live.remove(label) != nil else { return false }
        _ = jina_hnsw_delete(graph, label)
        return true
    }

    /// Starts an empty graph (a graph that only marks its nodes deleted would keep their memory
    /// and slow every search down); labels start again at 0.
    public func removeAll() {
        var error = [CChar](repeating: 0, count: 256)
        guard let fresh = jina_hnsw_new(dimension, metric == .l2 ? 0 : 1, 16, build.m, build.efConstruction, build.seed, &error) else {
            // No memory for a new graph: mark every node deleted instead, as before.
            for label in live { _ = jina_hnsw_delete(graph, label) }
            live.removeAll()
            return
        }
        jina_hnsw_free(graph)
        graph = fresh
        labels = [:]
        idsByLabel = []
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
