public import JinaCore

/// One request of `jina client post`: a batch of documents for an endpoint, with its id.
public struct ClientRequest: Sendable, Equatable {
    public var requestID: String
    public var endpoint: String
    public var documents: [Document]
    public var parameters: [String: JSONValue]?
    /// Only this executor runs (`header.target_executor`), when set.
    public var targetExecutor: String?

    public init(requestID: String = Document.generateID(), endpoint: String, documents: [Document],
                parameters: [String: JSONValue]? = nil, targetExecutor: String? = nil) {
        self.requestID = requestID
        self.endpoint = endpoint
        self.documents = documents
        self.parameters = parameters
        self.targetExecutor = targetExecutor
    }
}

/// A successful reply: the documents the Flow returned, and what executors returned in
/// `parameters["__results__"]` (by replica name: `NAME/rep-0`, `NAME/shard-1/rep-0`).
public struct ClientReply: Sendable, Equatable {
    public var requestID: String
    public var documents: [Document]
    public var results: [String: JSONValue]

    public init(requestID: String, documents: [Document], results: [String: JSONValue] = [:]) {
        self.requestID = requestID
        self.documents = documents
        self.results = results
    }
}
