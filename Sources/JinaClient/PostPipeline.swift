public import JinaCore

/// `jina client post`'s streaming loop: reads batches, keeps at most `inFlight` requests
/// outstanding, and hands replies to `output` in input order. Memory is bounded by the window
/// (requests in flight plus replies waiting for an earlier one), whatever the input size.
public struct PostPipeline: Sendable {
    public var endpoint: String
    public var parameters: [String: JSONValue]?
    public var targetExecutor: String?
    /// Requests sent but not yet written out.
    public var inFlight: Int

    public init(endpoint: String, parameters: [String: JSONValue]? = nil, targetExecutor: String? = nil, inFlight: Int = 16) {
        precondition(inFlight > 0, "at least one request must be allowed in flight")
        self.endpoint = endpoint
        self.parameters = parameters
        self.targetExecutor = targetExecutor
        self.inFlight = inFlight
    }

    /// Totals of a finished run.
    public struct Summary: Sendable, Equatable {
        public var requests = 0
        public var documentsSent = 0
        public var documentsReceived = 0

        public init(requests: Int = 0, documentsSent: Int = 0, documentsReceived: Int = 0) {
            self.requests = requests
            self.documentsSent = documentsSent
            self.documentsReceived = documentsReceived
        }
    }

    /// Sends every batch of `input` over `connection`; `output` receives each reply in input
    /// order. An empty input sends one request without documents, as Jina's client does (so
    /// `/count` or `/snapshot` can be called with no input). Stops at the first failure (a failed request, a lost connection, a bad input line),
    /// cancelling the requests still in flight, and throws it; replies of earlier requests have
    /// been written by then.
    public func run(
        input: inout DocumentBatcher, connection: any ClientConnection,
        output: (ClientReply, Summary) throws(ClientError) -> Void
    ) async throws(ClientError) -> Summary {
        var summary = Summary()
        do {
            try await withThrowingTaskGroup(of: (Int, ClientReply).self) { group in
                var nextToSend = 0
                var nextToWrite = 0
                var inputEnded = false
                var waiting: [Int: ClientReply] = [:]
                while true {
                    while !inputEnded, nextToSend - nextToWrite < inFlight {
                        guard let documents = try input.next() ?? (nextToSend == 0 ? [] : nil) else {
                            inputEnded = true
                            break
                        }
                        let request = ClientRequest(endpoint: endpoint, documents: documents, parameters: parameters, targetExecutor: targetExecutor)
                        let sequence = nextToSend
                        nextToSend += 1
                        summary.documentsSent += documents.count
                        group.addTask { (sequence, try await connection.send(request)) }
                    }
                    guard let (sequence, reply) = try await group.next() else { break }
                    waiting[sequence] = reply
                    while let ready = waiting.removeValue(forKey: nextToWrite) {
                        nextToWrite += 1
                        summary.requests += 1
                        summary.documentsReceived += ready.documents.count
                        try output(ready, summary)
                    }
                }
            }
        } catch let error as ClientError {
            throw error
        } catch {
            throw ClientError(.runtime, "the client stopped: \(error)")
        }
        return summary
    }
}
