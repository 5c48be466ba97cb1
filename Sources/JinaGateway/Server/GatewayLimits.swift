public import JinaProto

/// Limits on one request, for every protocol.
public struct GatewayLimits: Sendable, Equatable {
    /// Largest request (body, message) accepted, in bytes.
    public var maxRequestBytes: Int
    /// Most documents in one request; 0 = no limit.
    public var maxDocuments: Int
    /// How long a client connection may stay idle — no request in progress, or a request whose
    /// headers never end (slowloris) — before it is closed; nil = never.
    public var idleTimeout: Duration?

    public init(maxRequestBytes: Int = 64 << 20, maxDocuments: Int = 100_000, idleTimeout: Duration? = .seconds(60)) {
        self.maxRequestBytes = maxRequestBytes
        self.maxDocuments = maxDocuments
        self.idleTimeout = idleTimeout
    }

    /// The problem with `count` documents, or nil when it is within the limit.
    public func documentProblem(count: Int) -> String? {
        guard maxDocuments > 0, count > maxDocuments else { return nil }
        return "the request has \(count) documents; the gateway accepts at most \(maxDocuments) (max_documents)"
    }

    /// An ERROR reply when `request` has more documents than allowed (counted without decoding
    /// them), else nil. The reply names the limit, as an executor error would name its cause.
    public func rejection(of request: LazyDataRequest) -> LazyDataRequest? {
        guard maxDocuments > 0, let count = DocumentCount.of(request), let problem = documentProblem(count: count) else {
            return nil
        }
        var reply = request
        reply.setError(description: "LimitExceeded: \(problem)", name: "LimitExceeded", args: [problem], executor: "gateway")
        reply.rejection = .limitExceeded
        return reply
    }
}
