public import JinaCore

/// How an endpoint batches requests (Jina's `@dynamic_batching`): requests to the endpoint
/// queue, requests with the same parameters share a batch, and the handler runs once per batch.
///
/// * A batch runs as soon as `preferredBatchSize` documents wait, or when the oldest waiting
///   request has waited `timeout`; it holds at most `preferredBatchSize` documents (a request's
///   documents may be split between two batches) unless `flushAll`, when it takes all that wait.
/// * Each request is answered as soon as all of its own documents are done.
/// * The handler must return as many documents as it got (in the same order); otherwise, or
///   when it throws, every request with documents in that batch fails with the error.
/// * `maxQueueDocuments` (not in Jina): when the documents waiting or being processed for the
///   endpoint would pass it, a request is refused at once with an `Overloaded` error reply
///   (HTTP 503) instead of waiting.
///
/// ```swift
/// Endpoint("/encode") { documents, _ in try await model.encode(&documents) }
///     .dynamicBatching(DynamicBatching(preferredBatchSize: 32, timeout: .milliseconds(20)))
/// ```
///
/// Flow YAML's `uses_dynamic_batching` (and an executor YAML's `dynamic_batching`) override
/// these settings key by key, naming the endpoint (`/encode`) or the handler (`.named("encode")`).
public struct DynamicBatching: Sendable {
    public var preferredBatchSize: Int
    public var timeout: Duration
    public var flushAll: Bool
    public var maxQueueDocuments: Int?
    /// The weight of a document (default 1 each): a batch starts when the weights waiting reach
    /// `preferredBatchSize`, and holds documents up to that weight.
    public var customMetric: (@Sendable (Document) -> Double)?

    /// Jina's defaults: 4 documents, 10 seconds.
    public init(
        preferredBatchSize: Int = DynamicBatchingSettings.defaultPreferredBatchSize,
        timeout: Duration = .milliseconds(Int(DynamicBatchingSettings.defaultTimeoutMilliseconds)),
        flushAll: Bool = false, maxQueueDocuments: Int? = nil,
        customMetric: (@Sendable (Document) -> Double)? = nil
    ) {
        self.preferredBatchSize = max(1, preferredBatchSize)
        self.timeout = timeout
        self.flushAll = flushAll
        self.maxQueueDocuments = maxQueueDocuments
        self.customMetric = customMetric
    }

    /// These settings with `settings`' fields laid over them; nil when they turn batching off.
    func updated(by settings: DynamicBatchingSettings) -> DynamicBatching? {
        if settings.enabled == false { return nil }
        var batching = self
        if let size = settings.preferredBatchSize { batching.preferredBatchSize = size }
        if let milliseconds = settings.timeout { batching.timeout = .microseconds(Int64((milliseconds * 1000).rounded())) }
        if let flushAll = settings.flushAll { batching.flushAll = flushAll }
        if let limit = settings.maxQueueDocuments { batching.maxQueueDocuments = limit }
        return batching
    }
}

extension Endpoint {
    /// This endpoint with dynamic batching (`DynamicBatching`).
    public func dynamicBatching(_ batching: DynamicBatching = DynamicBatching()) -> Endpoint {
        var endpoint = self
        endpoint.batching = batching
        return endpoint
    }

    /// This endpoint with a handler name, as a Python method has one: Flow YAML's
    /// `uses_dynamic_batching` may name it (`encode:`) to configure all its endpoints at once.
    public func named(_ handlerName: String) -> Endpoint {
        var endpoint = self
        endpoint.handlerName = handlerName
        return endpoint
    }
}

/// Why a request was refused before its handler ran: the endpoint's batching queue is full.
/// The error reply is named `Overloaded`, and the HTTP gateway answers 503.
public struct Overloaded: Error, CustomStringConvertible {
    public var endpoint: String
    public var queued: Int
    public var limit: Int
    /// Documents of the refused request.
    public var requested: Int = 0

    public var description: String {
        if requested > limit {
            return "a request of \(requested) documents is more than endpoint \(endpoint) ever queues (max_queue_documents is \(limit)); send smaller requests (request_size)"
        }
        return "endpoint \(endpoint) has \(queued) documents queued or in a batch, and max_queue_documents is \(limit); try again later or add replicas"
    }
}
