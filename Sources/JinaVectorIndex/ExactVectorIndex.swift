import CJinaVectorKernels

/// An exact (brute-force) vector index: every stored vector is scored against the query, which
/// makes search a memory-bandwidth-bound scan. Vectors are float32 in tiles of 16 rows stored
/// dimension-major (`tileRows`), so the kernel (`CJinaVectorKernels`) scores 16 rows per vector
/// instruction without horizontal sums. `cosine` stores vectors normalised (a search is a dot
/// product), `l2` keeps each row's squared norm (‖q − v‖² = ‖q‖² + ‖v‖² − 2 q·v).
///
/// Batched search scores a block of queries against each tile while it is in cache, so each
/// stored vector is read from memory once per block rather than once per query.
public struct ExactVectorIndex: Sendable {
    public let dimension: Int
    public let metric: VectorMetric
    /// Tiles of `tileRows` rows, dimension-major inside a tile: row r, dimension i is at
    /// `(r / 16) * 16 * dimension + i * 16 + r % 16`. The last tile is padded with zeros.
    private var storage: [Float] = []
    /// ‖v‖² per row (for `l2`).
    private var norms: [Float] = []
    private var ids: [String] = []
    private var rows: [String: Int] = [:]

    /// Queries scored together against each tile in batched search.
    static let queryBlock = 8
    static let tileRows = Int(JINA_TILE_ROWS)

    /// Where row `row`, dimension `index` lives in `storage`.
    @inline(__always)
    static func offset(row: Int, index: Int, dimension: Int) -> Int {
        (row / tileRows) * tileRows * dimension + index * tileRows + row % tileRows
    }

    private mutating func write(_ vector: [Float], row: Int) {
        let dimension = self.dimension
        storage.withUnsafeMutableBufferPointer { buffer in
            for index in 0..<dimension { buffer[Self.offset(row: row, index: index, dimension: dimension)] = vector[index] }
        }
    }

    private func read(row: Int) -> [Float] {
        (0..<dimension).map { storage[Self.offset(row: row, index: $0, dimension: dimension)] }
    }

    public init(dimension: Int, metric: VectorMetric) {
        precondition(dimension > 0, "dimension must be positive")
        self.dimension = dimension
        self.metric = metric
    }

    public var count: Int { ids.count }
    public var allIDs: [String] { ids }
    public func contains(_ id: String) -> Bool { rows[id] != nil }

    /// Stores `vector` under `id`, replacing what was stored under it.
    public mutating func upsert(id: String, vector: [Float]) throws(VectorIndexError) {
        try check(id: id, vector: vector)
        let stored = metric == .cosine ? Self.normalised(vector) : vector
        if let row = rows[id] {
            write(stored, row: row)
            norms[row] = Self.squaredNorm(stored)
        } else {
            let row = ids.count
            if row % Self.tileRows == 0 {
                storage.append(contentsOf: repeatElement(0, count: Self.tileRows * dimension))
            }
            rows[id] = row
            ids.append(id)
            write(stored, row: row)
            norms.append(Self.squaredNorm(stored))
        }
    }

    /// Removes `id`; false when it was not stored. The last row moves into its place.
    @discardableResult
    public mutating func remove(_ id: String) -> Bool {
        guard let row = rows.removeValue(forKey: id) else { return false }
        let last = ids.count - 1
        if row != last {
            let moved = ids[last]
            ids[row] = moved
            rows[moved] = row
            norms[row] = norms[last]
            write(read(row: last), row: row)
        }
        write([Float](repeating: 0, count: dimension), row: last)
        ids.removeLast()
        norms.removeLast()
        if ids.count % Self.tileRows == 0 { storage.removeLast(Self.tileRows * dimension) }
        return true
    }

    public mutating func removeAll() {
        storage = []
        norms = []
        ids = []
        rows = [:]
    }

    /// The stored vector of `id` (normalised for `cosine`).
    public func vector(_ id: String) -> [Float]? {
        guard let row = rows[id] else { return nil }
        return read(row: row)
    }

    /// The `topK` stored ids most similar to `query`, best first; `include` filters by id.
    public func search(_ query: [Float], topK: Int, include: ((String) -> Bool)? = nil) throws(VectorIndexError) -> [Match] {
        try search(batch: [query], topK: topK, include: include)[0]
    }

    /// `search` for many queries at once, scored in blocks of `queryBlock`.
    public func search(batch queries: [[Float]], topK: Int, include: ((String) -> Bool)? = nil) throws(VectorIndexError) -> [[Match]] {
        for (index, query) in queries.enumerated() {
            try check(id: "query \(index)", vector: query)
        }
        let prepared = queries.map { metric == .cosine ? Self.normalised($0) : $0 }
        let allowed: [Bool]? = include.map { include in ids.map(include) }
        var results: [[Match]] = []
        results.reserveCapacity(queries.count)
        var start = 0
        while start < prepared.count {
            let block = Array(prepared[start..<min(start + Self.queryBlock, prepared.count)])
            results += searchBlock(block, topK: topK, allowed: allowed)
            start += Self.queryBlock
        }
        return results
    }

    /// Tiles scored per kernel call: the scores of a block of queries over this many tiles stay
    /// in cache while the heaps take them.
    static let tileChunk = 128

    private func searchBlock(_ queries: [[Float]], topK: Int, allowed: [Bool]?) -> [[Match]] {
        let dimension = self.dimension
        let count = ids.count
        let tileRows = Self.tileRows
        let tiles = (count + tileRows - 1) / tileRows
        var heaps = queries.map { _ in TopK(topK) }
        let flat = queries.flatMap { $0 }
        let queryNorms = queries.map(Self.squaredNorm)
        let l2 = metric == .l2
        var scores = [Float](repeating: 0, count: queries.count * Self.tileChunk * tileRows)
        storage.withUnsafeBufferPointer { tileBuffer in
            flat.withUnsafeBufferPointer { queryBuffer in
                scores.withUnsafeMutableBufferPointer { scoreBuffer in
                    guard let tileBase = tileBuffer.baseAddress, let queryBase = queryBuffer.baseAddress,
                          let out = scoreBuffer.baseAddress else { return }
                    var tile = 0
                    while tile < tiles {
                        let chunk = min(Self.tileChunk, tiles - tile)
                        jina_tile_scores(queryBase, queries.count, tileBase + tile * tileRows * dimension, chunk, dimension, out)
                        let first = tile * tileRows
                        let rowsHere = min(chunk * tileRows, count - first)  // the last tile's padding is not scored
                        for query in 0..<queries.count {
                            let line = out + query * chunk * tileRows
                            var threshold = heaps[query].threshold
                            for offset in 0..<rowsHere {
                                var score = line[offset]
                                // l2: the negated squared distance ranks like the negated distance.
                                if l2 { score = -(queryNorms[query] + norms[first + offset] - 2 * score) }
                                guard score > threshold else { continue }
                                if let allowed, !allowed[first + offset] { continue }
                                heaps[query].offer(score, row: first + offset)
                                threshold = heaps[query].threshold
                            }
                        }
                        tile += chunk
                    }
                }
            }
        }
        return heaps.enumerated().map { index, heap in
            let kept = heap.sorted()
            guard l2 else { return kept.map { Match(id: ids[$0.row], score: $0.score) } }
            // The expansion loses precision for close vectors (a stored copy of the query would
            // score −0.001 instead of 0): the kept few are measured again directly.
            return kept.map { entry in
                let distance = queries[index].withUnsafeBufferPointer { query in
                    read(row: entry.row).withUnsafeBufferPointer { vector in
                        VectorKernels.squaredDistance(query.baseAddress!, vector.baseAddress!, dimension)
                    }
                }
                return Match(id: ids[entry.row], score: -distance.squareRoot())
            }.sorted { $0.score > $1.score }
        }
    }

    /// Which compiled kernel exact search uses on this CPU ("avx512", "avx2", "generic").
    public static var kernel: String { String(cString: jina_dot_kernel_name()) }

    static func squaredNorm(_ vector: [Float]) -> Float {
        vector.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            return VectorKernels.dot(base, base, buffer.count)
        }
    }

    public static func normalised(_ vector: [Float]) -> [Float] {
        let norm = squaredNorm(vector).squareRoot()
        return norm > 0 ? vector.map { $0 / norm } : vector
    }
}

/// One search result: a stored id and its score (higher is more similar, `VectorMetric`).
public struct Match: Sendable, Equatable {
    public var id: String
    public var score: Float

    public init(id: String, score: Float) {
        self.id = id
        self.score = score
    }
}

/// Why a vector cannot be stored or searched with.
public enum VectorIndexError: Error, Equatable, CustomStringConvertible {
    case wrongDimension(id: String, expected: Int, got: Int)
    case notFinite(id: String)
    case zeroVector(id: String)
    /// The HNSW library refused (its message).
    case backend(String)

    public var description: String {
        switch self {
        case .wrongDimension(let id, let expected, let got):
            "document \(id): the embedding has \(got) values, the index stores \(expected) (`dim`)"
        case .notFinite(let id):
            "document \(id): the embedding holds NaN or infinity"
        case .zeroVector(let id):
            "document \(id): the embedding is all zeros, which has no direction (metric cosine)"
        case .backend(let message):
            "the HNSW index failed: \(message)"
        }
    }
}
