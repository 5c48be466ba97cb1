import CJinaVectorKernels
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An exact (brute-force) vector index: every stored vector is scored against the query, which
/// makes search a memory-bandwidth-bound scan. Vectors are float32 in tiles of 16 rows stored
/// dimension-major (`tileRows`), so the kernel (`CJinaVectorKernels`) scores 16 rows per vector
/// instruction without horizontal sums. `cosine` stores vectors normalised (a search is a dot
/// product), `l2` keeps each row's squared norm (‖q − v‖² = ‖q‖² + ‖v‖² − 2 q·v).
///
/// Batched search scores a block of queries against each tile while it is in cache, so each
/// stored vector is read from memory once per block rather than once per query.
///
/// An index opened from an `IndexSnapshot` scans the snapshot's mapped vectors in place (rows
/// `0..<base.count`) and keeps what changed since in memory (rows after them): a replaced or
/// removed snapshot row is only marked dead.
public struct ExactVectorIndex: Sendable {
    public let dimension: Int
    public let metric: VectorMetric
    /// The snapshot this index was opened from, scanned in place.
    private var base: IndexSnapshot?
    /// Which snapshot rows are still live (empty while all are).
    private var baseLive: [Bool] = []
    private var baseDead = 0
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

    /// Opens `snapshot`: its rows are searched where they lie, nothing is read now.
    public init(snapshot: IndexSnapshot) throws(VectorIndexError) {
        self.init(dimension: snapshot.dimension, metric: snapshot.metric)
        base = snapshot
    }

    private var baseCount: Int { base?.count ?? 0 }

    public var count: Int { baseCount - baseDead + ids.count }
    public var allIDs: [String] {
        guard let base else { return ids }
        return (0..<base.count).filter(isLiveBaseRow).map(base.id) + ids
    }
    public func contains(_ id: String) -> Bool { rows[id] != nil || liveBaseRow(of: id) != nil }

    private func isLiveBaseRow(_ row: Int) -> Bool { baseLive.isEmpty || baseLive[row] }

    /// The snapshot row of `id`, unless it was replaced or removed since.
    private func liveBaseRow(of id: String) -> Int? {
        guard let row = base?.row(of: id), isLiveBaseRow(row) else { return nil }
        return row
    }

    private mutating func killBaseRow(_ row: Int) {
        if baseLive.isEmpty { baseLive = [Bool](repeating: true, count: baseCount) }
        baseLive[row] = false
        baseDead += 1
    }

    /// Stores `vector` under `id`, replacing what was stored under it.
    public mutating func upsert(id: String, vector: [Float]) throws(VectorIndexError) {
        try check(id: id, vector: vector)
        if let row = liveBaseRow(of: id) { killBaseRow(row) }
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
        if let row = liveBaseRow(of: id) {
            killBaseRow(row)
            return true
        }
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
        base = nil
        baseLive = []
        baseDead = 0
        storage = []
        norms = []
        ids = []
        rows = [:]
    }

    /// The stored vector of `id` (normalised for `cosine`).
    public func vector(_ id: String) -> [Float]? {
        if let row = rows[id] { return read(row: row) }
        return liveBaseRow(of: id).map { base!.vector($0) }
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
        let topK = min(max(0, topK), count)  // a heap never holds more than there is
        let prepared = queries.map { metric == .cosine ? Self.normalised($0) : $0 }
        // The filter is asked only about rows that would enter a top-k, not about every row.
        let index = self
        let rowFilter: ((Int) -> Bool)? = include.map { include in { row in include(index.id(row: row)) } }
        var results: [[Match]] = []
        results.reserveCapacity(queries.count)
        var start = 0
        while start < prepared.count {
            let block = Array(prepared[start..<min(start + Self.queryBlock, prepared.count)])
            results += searchBlock(block, topK: topK, include: rowFilter)
            start += Self.queryBlock
        }
        return results
    }

    /// Tiles scored per kernel call: the scores of a block of queries over this many tiles stay
    /// in cache while the heaps take them.
    static let tileChunk = 128

    /// What the parts of a parallel scan share.
    private struct ParallelScan: @unchecked Sendable {
        var segment: Segment
        var queries: UnsafePointer<Float>
        var heaps: UnsafeMutablePointer<[TopK]>
    }

    /// Rows to scan: tiles, their norms, how many rows, the number of the first, which are live
    /// (nil: all), and the caller's filter by row number (nil: none).
    private struct Segment {
        var tiles: UnsafePointer<Float>
        var norms: UnsafePointer<Float>
        var count: Int
        var firstRow: Int
        var live: UnsafePointer<Bool>?
        var include: ((Int) -> Bool)?
    }

    /// Scores a block of queries against the snapshot's rows, then the rows in memory; rows are
    /// numbered snapshot first.
    private func searchBlock(_ queries: [[Float]], topK: Int, include: ((Int) -> Bool)?) -> [[Match]] {
        var heaps = queries.map { _ in TopK(topK) }
        let flat = queries.flatMap { $0 }
        let queryNorms = queries.map(Self.squaredNorm)
        var scores = [Float](repeating: 0, count: queries.count * Self.tileChunk * Self.tileRows)
        flat.withUnsafeBufferPointer { queryBuffer in
            scores.withUnsafeMutableBufferPointer { scoreBuffer in
                let queryBase = queryBuffer.baseAddress!, out = scoreBuffer.baseAddress!
                if let base, base.count > 0 {
                    (baseLive.isEmpty ? nil : baseLive).withUnsafeOptionalBuffer { live in
                        let segment = Segment(tiles: base.vectors, norms: base.norms, count: base.count, firstRow: 0,
                                              live: live, include: include)
                        scan(segment, queries: queryBase, count: queries.count, queryNorms: queryNorms, heaps: &heaps, out: out)
                    }
                }
                guard !ids.isEmpty else { return }
                storage.withUnsafeBufferPointer { tiles in
                    norms.withUnsafeBufferPointer { norms in
                        let segment = Segment(tiles: tiles.baseAddress!, norms: norms.baseAddress!, count: ids.count,
                                              firstRow: baseCount, live: nil, include: include)
                        scan(segment, queries: queryBase, count: queries.count, queryNorms: queryNorms, heaps: &heaps, out: out)
                    }
                }
            }
        }
        return heaps.enumerated().map { index, heap in
            let kept = heap.sorted()
            guard metric == .l2 else { return kept.map { Match(id: id(row: $0.row), score: $0.score) } }
            // The expansion loses precision for close vectors (a stored copy of the query would
            // score −0.001 instead of 0): the kept few are measured again directly.
            return kept.map { entry in
                let distance = queries[index].withUnsafeBufferPointer { query in
                    vector(row: entry.row).withUnsafeBufferPointer { vector in
                        VectorKernels.squaredDistance(query.baseAddress!, vector.baseAddress!, dimension)
                    }
                }
                return Match(id: id(row: entry.row), score: -distance.squareRoot())
            }.sorted { $0.score > $1.score }
        }
    }

    private func id(row: Int) -> String { row < baseCount ? base!.id(row) : ids[row - baseCount] }
    private func vector(row: Int) -> [Float] { row < baseCount ? base!.vector(row) : read(row: row - baseCount) }

    /// Threads one search may use on a large index (the scan is split by tiles, each part keeps
    /// its own top-k, then they are merged). 1 scans on the caller's thread only.
    public var searchThreads = min(4, max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
    /// A segment is split only when each part gets at least this many tiles.
    var tilesPerThread = 2048

    private func scan(_ segment: Segment, queries: UnsafePointer<Float>, count queryCount: Int, queryNorms: [Float],
                      heaps: inout [TopK], out: UnsafeMutablePointer<Float>) {
        let tiles = (segment.count + Self.tileRows - 1) / Self.tileRows
        let parts = min(searchThreads, tiles / tilesPerThread)
        guard parts > 1 else {
            scan(segment, tiles: 0..<tiles, queries: queries, count: queryCount, queryNorms: queryNorms, heaps: &heaps, out: out)
            return
        }
        var partHeaps = [[TopK]](repeating: heaps.map { TopK($0.k) }, count: parts)
        partHeaps.withUnsafeMutableBufferPointer { partBuffer in
            // Each part writes only its own heaps; the pointers outlive the parallel loop.
            let job = ParallelScan(segment: segment, queries: queries, heaps: partBuffer.baseAddress!)
            let index = self
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                var scores = [Float](repeating: 0, count: queryCount * Self.tileChunk * Self.tileRows)
                scores.withUnsafeMutableBufferPointer { buffer in
                    index.scan(job.segment, tiles: tiles * part / parts..<tiles * (part + 1) / parts, queries: job.queries,
                               count: queryCount, queryNorms: queryNorms, heaps: &job.heaps[part], out: buffer.baseAddress!)
                }
            }
        }
        for part in partHeaps {
            for (query, heap) in part.enumerated() {
                for (score, row) in zip(heap.scores, heap.rows) { heaps[query].offer(score, row: row) }
            }
        }
    }

    private func scan(_ segment: Segment, tiles range: Range<Int>, queries: UnsafePointer<Float>, count queryCount: Int,
                      queryNorms: [Float], heaps: inout [TopK], out: UnsafeMutablePointer<Float>) {
        let tileRows = Self.tileRows, dimension = self.dimension
        let l2 = metric == .l2
        var tile = range.lowerBound
        while tile < range.upperBound {
            let chunk = min(Self.tileChunk, range.upperBound - tile)
            jina_tile_scores(queries, queryCount, segment.tiles + tile * tileRows * dimension, chunk, dimension, out)
            let first = tile * tileRows
            let rowsHere = min(chunk * tileRows, segment.count - first)  // the last tile's padding is not scored
            for query in 0..<queryCount {
                let line = out + query * chunk * tileRows
                var threshold = heaps[query].threshold
                for offset in 0..<rowsHere {
                    var score = line[offset]
                    // l2: the negated squared distance ranks like the negated distance.
                    if l2 { score = -(queryNorms[query] + segment.norms[first + offset] - 2 * score) }
                    guard score > threshold else { continue }
                    if let live = segment.live, !live[first + offset] { continue }
                    if let include = segment.include, !include(segment.firstRow + first + offset) { continue }
                    heaps[query].offer(score, row: segment.firstRow + first + offset)
                    threshold = heaps[query].threshold
                }
            }
            tile += chunk
        }
    }

    /// Writes every live row (with `document(id)`, its stored document as JSON bytes) as an
    /// `IndexSnapshot` at `path`.
    public func writeSnapshot(to path: String, document: (String) -> [UInt8]) throws(VectorIndexError) {
        var writer = try IndexSnapshotWriter(path: path, dimension: dimension, metric: metric, count: count)
        if let base {
            for row in 0..<base.count where isLiveBaseRow(row) {
                let id = base.id(row)
                try writer.append(id: id, document: document(id), vector: base.vector(row))
            }
        }
        for (row, id) in ids.enumerated() {
            try writer.append(id: id, document: document(id), vector: read(row: row))
        }
        try writer.finish()
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

extension Optional where Wrapped == [Bool] {
    /// The array's storage, or nil.
    func withUnsafeOptionalBuffer<R>(_ body: (UnsafePointer<Bool>?) -> R) -> R {
        switch self {
        case .some(let array): array.withUnsafeBufferPointer { body($0.baseAddress) }
        case .none: body(nil)
        }
    }
}
