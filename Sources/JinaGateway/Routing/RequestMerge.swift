import JinaCore
import JinaProto
import SwiftProtobuf

/// Reducing several replies into one, and Jina's executor-specific parameters.
enum RequestMerge {
    /// The parameters key under which executors return results.
    static let resultsKey = Jina_DataRequestProto.resultsKey

    /// Reduces `parts` (in `needs`, shard or gateway-input order) into the first one: documents
    /// reduced by id (`[Document](reducing:)`), optionally every document's matches sorted by
    /// score and cut to `topK` (shard reduce); `__results__` of all parts merged; routes of the
    /// later parts appended once per executor, as Jina's `reduce_requests`/`merge_routes`.
    static func reduce(_ parts: [LazyDataRequest], sortingMatches: Bool = false, topK: Int? = nil) throws(DocumentError) -> LazyDataRequest {
        var base = parts[0]
        var batches: [[Document]] = []
        batches.reserveCapacity(parts.count)
        for part in parts { batches.append(try part.documents()) }
        var documents = [Document](reducing: batches)
        if sortingMatches { documents.sortMatches(topK: topK) }
        try base.setDocuments(documents)

        if parts.dropFirst().contains(where: { $0.head.parameters.fields[resultsKey] != nil }) {
            var results = Google_Protobuf_Struct()
            for part in parts {
                if case .structValue(let more)? = part.head.parameters.fields[resultsKey]?.kind {
                    results.fields.merge(more.fields) { _, new in new }
                }
            }
            var value = Google_Protobuf_Value()
            value.kind = .structValue(results)
            base.head.parameters.fields[resultsKey] = value
        }

        var seen = Set(base.head.routes.map(\.executor))
        for part in parts.dropFirst() {
            for route in part.head.routes where seen.insert(route.executor).inserted {
                base.head.routes.append(route)
            }
        }
        return base
    }

    /// The first part with the documents of all parts one after another (`no_reduce` shards:
    /// Jina's head concatenates instead of reducing).
    static func concatenate(_ parts: [LazyDataRequest]) throws(DocumentError) -> LazyDataRequest {
        var base = parts[0]
        var documents: [Document] = []
        for part in parts { documents += try part.documents() }
        try base.setDocuments(documents)
        return base
    }

    /// Whether a parameters key is meant for one executor: `executor__key` (Jina's form; keys
    /// that start or end with `__`, such as `__results__`, are for everyone).
    static func isExecutorSpecific(_ key: String) -> Bool {
        let separator = ExecutorParameters.separator
        return key.contains(separator) && !key.hasPrefix(separator) && !key.hasSuffix(separator)
    }

    /// The parameters `executor` receives (Jina's `_parse_specific_params`, see
    /// `ExecutorParameters.forGateway`), with `results` (the `__results__` gathered so far)
    /// carried along.
    static func scopedParameters(_ original: [String: JSONValue], for executor: String, results: JSONValue?) -> [String: JSONValue] {
        var scoped = ExecutorParameters.forGateway(original, executor: executor)
        if let results { scoped[resultsKey] = results }
        return scoped
    }
}
