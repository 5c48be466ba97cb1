import JinaCore
import JinaGateway
import JinaRuntime
import JinaVectorIndex

/// The built-in vector index (issue #13, docs/vector-index.md): documents stored by id with
/// their embeddings, exact top-k search, kept in the executor's workspace (an fsynced log plus
/// snapshots). Endpoints use Jina's CRUD names.
public struct VectorIndex: Executor {
    public struct Configuration: Decodable, Sendable {
        public var dim: Int?
        public var metric: String?
        public var index: String?
        public var m: Int?
        public var ef_construction: Int?
        public var ef_search: Int?
        public var default_top_k: Int?
        public var search_threads: Int?
        public var search_endpoint: String?
        /// One field name or a list, as the Flow's validator accepts it.
        public var fields: [String]?

        enum CodingKeys: String, CodingKey {
            case dim, metric, index, m, ef_construction, ef_search, default_top_k, search_threads, search_endpoint, fields
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            dim = try container.decodeIfPresent(Int.self, forKey: .dim)
            metric = try container.decodeIfPresent(String.self, forKey: .metric)
            index = try container.decodeIfPresent(String.self, forKey: .index)
            m = try container.decodeIfPresent(Int.self, forKey: .m)
            ef_construction = try container.decodeIfPresent(Int.self, forKey: .ef_construction)
            ef_search = try container.decodeIfPresent(Int.self, forKey: .ef_search)
            default_top_k = try container.decodeIfPresent(Int.self, forKey: .default_top_k)
            search_threads = try container.decodeIfPresent(Int.self, forKey: .search_threads)
            search_endpoint = try container.decodeIfPresent(String.self, forKey: .search_endpoint)
            if let one = try? container.decodeIfPresent(String.self, forKey: .fields) {
                fields = [one]
            } else {
                fields = try container.decodeIfPresent([String].self, forKey: .fields)
            }
        }
    }

    let store: VectorStore
    let defaultTopK: Int
    /// Where searches come (`/search` unless `search_endpoint` says otherwise).
    let searchEndpoint: String

    public init(configuration: Configuration, context: ExecutorContext) async throws {
        guard let dimension = configuration.dim else {
            throw ExecutorError(.invalidInput, "VectorIndex needs `dim`, the length of the embeddings",
                                hint: "set it in uses_with, e.g. `uses_with: {dim: 512}`")
        }
        guard dimension > 0 else { throw ExecutorError(.invalidInput, "VectorIndex: `dim` must be positive, got \(dimension)") }
        guard let metric = VectorMetric(rawValue: configuration.metric ?? "cosine") else {
            throw ExecutorError(.invalidInput, "VectorIndex: unknown metric `\(configuration.metric ?? "")`",
                                hint: "metrics: cosine, dot, l2")
        }
        let makeIndex: VectorStore.IndexFactory
        switch configuration.index ?? "exact" {
        case "exact":
            let threads = configuration.search_threads
            if let threads, threads < 1 {
                throw ExecutorError(.invalidInput, "VectorIndex: `search_threads` must be positive, got \(threads)")
            }
            makeIndex = { snapshot in
                var index = try snapshot.map(ExactVectorIndex.init(snapshot:)) ?? ExactVectorIndex(dimension: dimension, metric: metric)
                if let threads { index.searchThreads = threads }
                return index
            }
        case "hnsw":
            for (key, value) in [("m", configuration.m), ("ef_construction", configuration.ef_construction),
                                 ("ef_search", configuration.ef_search)] where (value ?? 1) < 1 {
                throw ExecutorError(.invalidInput, "VectorIndex: `\(key)` must be positive, got \(value!)")
            }
            let m = configuration.m ?? 16, efConstruction = configuration.ef_construction ?? 200
            let efSearch = configuration.ef_search ?? 64
            makeIndex = { snapshot in
                if let snapshot {
                    return try HNSWVectorIndex(snapshot: snapshot, m: m, efConstruction: efConstruction, efSearch: efSearch)
                }
                return try HNSWVectorIndex(dimension: dimension, metric: metric, m: m, efConstruction: efConstruction,
                                           efSearch: efSearch)
            }
        case let other:
            throw ExecutorError(.invalidInput, "VectorIndex: unknown index `\(other)`", hint: "indexes: exact, hnsw")
        }
        let topK = configuration.default_top_k ?? 10
        guard topK > 0 else { throw ExecutorError(.invalidInput, "VectorIndex: `default_top_k` must be positive, got \(topK)") }
        defaultTopK = topK
        let endpoint = configuration.search_endpoint ?? "/search"
        guard endpoint.hasPrefix("/"), endpoint.count > 1 else {
            throw ExecutorError(.invalidInput, "VectorIndex: `search_endpoint` must be an endpoint such as /search_text, got `\(endpoint)`")
        }
        searchEndpoint = endpoint
        store = try await VectorStore(
            dimension: dimension, metric: metric, fields: configuration.fields, workspace: context.workspace,
            logger: context.logger, makeIndex: makeIndex)
    }

    public var endpoints: [Endpoint] {
        Endpoint("/index") { documents, _ in try await store.put(documents, onlyExisting: false) }
        Endpoint("/update") { documents, _ in try await store.put(documents, onlyExisting: true) }
        Endpoint("/delete") { documents, _ in try await store.delete(documents.compactMap(\.id)) }
        Endpoint(searchEndpoint) { documents, parameters in
            let topK = Self.topK(parameters["top_k"], default: defaultTopK)
            let filter = try parameters["filter"].flatMap { try Self.filter($0) }
            documents = try await store.search(documents, topK: topK, filter: filter)
        }
        Endpoint.returning("/count") { _, _ in .integer(await store.count) }
        Endpoint("/clear") { _, _ in try await store.clear() }
        Endpoint.returning("/snapshot") { _, _ in try await store.snapshot() }
    }

    /// `parameters.top_k` as an Int: Jina's client sends numbers as doubles; one past Int's
    /// range means every match, a negative one none.
    static func topK(_ value: JSONValue?, default fallback: Int) -> Int {
        guard let value else { return fallback }
        if let exact = value.intValue { return exact }
        guard let number = value.doubleValue, number.isFinite else { return fallback }
        return number >= Double(Int.max) ? Int.max : number <= 0 ? 0 : Int(number)
    }

    /// `parameters.filter`: the `when` query language, on the stored documents.
    static func filter(_ value: JSONValue) throws -> WhenFilter? {
        if value.isNull { return nil }
        do {
            return try WhenFilter(SpecValue(json: value))
        } catch {
            throw RequestError("parameters.filter: \(error.summary)")
        }
    }
}


extension SpecValue {
    /// The same value as a Flow YAML value (numbers that are whole become integers).
    init(json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let value): self = .bool(value)
        case .integer(let value): self = .int(value)
        case .number(let value): self = value.rounded() == value && abs(value) < 1e15 ? .int(Int(value)) : .double(value)
        case .string(let value): self = .string(value)
        case .array(let values): self = .array(values.map(SpecValue.init(json:)))
        case .object(let members): self = .object(members.mapValues(SpecValue.init(json:)))
        }
    }
}
