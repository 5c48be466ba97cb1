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
}

extension ExactVectorIndex: VectorSearching {}
