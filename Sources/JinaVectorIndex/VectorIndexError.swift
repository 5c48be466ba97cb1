/// Why a vector cannot be stored or searched with.
public enum VectorIndexError: Error, Equatable, CustomStringConvertible {
    case wrongDimension(id: String, expected: Int, got: Int)
    case notFinite(id: String)
    case zeroVector(id: String)
    /// The HNSW library refused (its message).
    case backend(String)
    /// A snapshot could not be read or written (what and why).
    case storage(String)

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
        case .storage(let message):
            message
        }
    }
}
