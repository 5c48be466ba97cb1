/// What the VectorIndex executor needs of an index kind (`ExactVectorIndex`, `HNSWVectorIndex`).
public protocol VectorSearching: Sendable {
    var dimension: Int { get }
    var metric: VectorMetric { get }
    var count: Int { get }
    var allIDs: [String] { get }
    func contains(_ id: String) -> Bool
    func check(id: String, vector: [Float]) throws(VectorIndexError)
    mutating func upsert(id: String, vector: [Float]) throws(VectorIndexError)
    @discardableResult mutating func remove(_ id: String) -> Bool
    mutating func removeAll()
    /// The stored vector (normalised for `cosine`).
    func vector(_ id: String) -> [Float]?
    func search(batch queries: [[Float]], topK: Int, include: ((String) -> Bool)?) throws(VectorIndexError) -> [[Match]]
    /// Writes the whole index as an `IndexSnapshot` at `path` (atomically), each row with
    /// `document(id)`: its stored document as JSON bytes.
    func writeSnapshot(to path: String, document: (String) -> [UInt8]) throws(VectorIndexError)
    /// Why opening a snapshot built the index again rather than loading it (nil when it did not).
    var rebuildReason: String? { get }
}

extension VectorSearching {
    /// Checks `vector` for `id` without storing it: the dimension, finite values, and a
    /// direction for `cosine`.
    public func check(id: String, vector: [Float]) throws(VectorIndexError) {
        guard vector.count == dimension else {
            throw .wrongDimension(id: id, expected: dimension, got: vector.count)
        }
        guard vector.allSatisfy(\.isFinite) else { throw .notFinite(id: id) }
        if metric == .cosine, vector.allSatisfy({ $0 == 0 }) { throw .zeroVector(id: id) }
    }
}

extension ExactVectorIndex: VectorSearching {
    public var rebuildReason: String? { nil }
}
