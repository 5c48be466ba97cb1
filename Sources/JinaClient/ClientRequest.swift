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

/// A successful reply: the documents the Flow returned.
public struct ClientReply: Sendable, Equatable {
    public var requestID: String
    public var documents: [Document]

    public init(requestID: String, documents: [Document]) {
        self.requestID = requestID
        self.documents = documents
    }
}
