/// An exact (brute-force) vector index: every stored vector is scored against the query, which
/// makes search a memory-bandwidth-bound scan. Vectors are float32, stored contiguously row by
/// row; `cosine` stores them normalised (so a search is a dot product), `l2` keeps each row's
/// squared norm (‖q − v‖² = ‖q‖² + ‖v‖² − 2 q·v, again one dot product per row).
///
/// Batched search scores a block of queries against each stored row while the row is in cache,
/// so each row is read from memory once per block rather than once per query.
public struct ExactVectorIndex: Sendable {
    public let dimension: Int
    public let metric: VectorMetric
    /// Row-major, `count × dimension`.
    private var storage: [Float] = []
    /// ‖v‖² per row (for `l2`).
    private var norms: [Float] = []
    private var ids: [String] = []
    private var rows: [String: Int] = [:]

    /// Queries scored together against each row in batched search.
    static let queryBlock = 8

    public init(dimension: Int, metric: VectorMetric) {
        precondition(dimension > 0, "dimension must be positive")
        self.dimension = dimension
        self.metric = metric
    }

    public var count: Int { ids.count }
    public var allIDs: [String] { ids }
    public func contains(_ id: String) -> Bool { rows[id] != nil }

    /// Checks `vector` for `id` without storing it: the dimension, and finite values.
    public func check(id: String, vector: [Float]) throws(VectorIndexError) {
        guard vector.count == dimension else {
            throw .wrongDimension(id: id, expected: dimension, got: vector.count)
        }
        guard vector.allSatisfy(\.isFinite) else { throw .notFinite(id: id) }
        if metric == .cosine, vector.allSatisfy({ $0 == 0 }) { throw .zeroVector(id: id) }
    }

    /// Stores `vector` under `id`, replacing what was stored under it.
    public mutating func upsert(id: String, vector: [Float]) throws(VectorIndexError) {
        try check(id: id, vector: vector)
        let stored = metric == .cosine ? Self.normalised(vector) : vector
        if let row = rows[id] {
            storage.withUnsafeMutableBufferPointer { buffer in
                for index in 0..<dimension { buffer[row * dimension + index] = stored[index] }
            }
            norms[row] = Self.squaredNorm(stored)
        } else {
            rows[id] = ids.count
            ids.append(id)
            storage.append(contentsOf: stored)
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
            storage.withUnsafeMutableBufferPointer { buffer in
                for index in 0..<dimension { buffer[row * dimension + index] = buffer[last * dimension + index] }
            }
        }
        ids.removeLast()
        norms.removeLast()
        storage.removeLast(dimension)
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
        return Array(storage[row * dimension..<(row + 1) * dimension])
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

    private func searchBlock(_ queries: [[Float]], topK: Int, allowed: [Bool]?) -> [[Match]] {
        let dimension = self.dimension
        let count = ids.count
        var heaps = queries.map { _ in TopK(topK) }
        let flat = queries.flatMap { $0 }
        let queryNorms = queries.map(Self.squaredNorm)
        let l2 = metric == .l2
        storage.withUnsafeBufferPointer { rowsBuffer in
            flat.withUnsafeBufferPointer { queryBuffer in
                guard let rowBase = rowsBuffer.baseAddress, let queryBase = queryBuffer.baseAddress else { return }
                for row in 0..<count {
                    if let allowed, !allowed[row] { continue }
                    let vector = rowBase + row * dimension
                    for (index, queryNorm) in queryNorms.enumerated() {
                        let product = VectorKernels.dot(queryBase + index * dimension, vector, dimension)
                        // l2: the negated squared distance ranks like the negated distance.
                        let score = l2 ? -(queryNorm + norms[row] - 2 * product) : product
                        if score > heaps[index].threshold { heaps[index].offer(score, row: row) }
                    }
                }
            }
        }
        return heaps.map { heap in
            heap.sorted().map { entry in
                let score = l2 ? -(max(-entry.score, 0)).squareRoot() : entry.score
                return Match(id: ids[entry.row], score: score)
            }
        }
    }

    static func squaredNorm(_ vector: [Float]) -> Float {
        vector.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            return VectorKernels.dot(base, base, buffer.count)
        }
    }

    static func normalised(_ vector: [Float]) -> [Float] {
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

    public var description: String {
        switch self {
        case .wrongDimension(let id, let expected, let got):
            "document \(id): the embedding has \(got) values, the index stores \(expected) (`dim`)"
        case .notFinite(let id):
            "document \(id): the embedding holds NaN or infinity"
        case .zeroVector(let id):
            "document \(id): the embedding is all zeros, which has no direction (metric cosine)"
        }
    }
}
