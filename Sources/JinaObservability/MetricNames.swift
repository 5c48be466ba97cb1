/// The names, help texts and buckets of every metric the gateway, the executors and `jina flow`
/// export. Jina 3.34's names, label names and meanings are kept, so its dashboards and alerts
/// keep working; where Jina has a summary we export a histogram (it aggregates across replicas).
public enum MetricName {
    // Jina's, on the gateway and on executors (label `runtime_name`).
    public static let receivingRequestSeconds = "jina_receiving_request_seconds"
    public static let successfulRequests = "jina_successful_requests_total"
    public static let failedRequests = "jina_failed_requests_total"
    public static let pendingRequests = "jina_number_of_pending_requests"
    public static let receivedRequestBytes = "jina_received_request_bytes"
    public static let sentResponseBytes = "jina_sent_response_bytes"
    // Jina's, gateway → executor hop (we add the label `executor`: the executor's name).
    public static let sendingRequestSeconds = "jina_sending_request_seconds"
    public static let sentRequestBytes = "jina_sent_request_bytes"
    public static let receivedResponseBytes = "jina_received_response_bytes"
    // Jina's, executor side (labels `executor` = class, `executor_endpoint`, `runtime_name`).
    public static let processRequestSeconds = "jina_process_request_seconds"
    public static let documentsProcessed = "jina_document_processed_total"
    // Ours.
    /// Gateway: requests sent to one executor and not answered yet (label `executor`).
    public static let executorPendingRequests = "jina_executor_pending_requests"
    /// `jina flow`: restarts of an executor process (labels `executor`, `shard`, `replica`).
    public static let executorRestarts = "jina_executor_restarts_total"
    /// Executor: documents per batch of a dynamically batched endpoint (label `executor_endpoint`).
    public static let batchSize = "jina_dynamic_batch_size_documents"
    /// Executor: time a request waited in its endpoint's batching queue before its first batch ran.
    public static let batchQueueSeconds = "jina_dynamic_batch_queue_seconds"
    /// The byte-size histograms (their buckets are `byteBuckets`).
    public static let byteHistograms = [receivedRequestBytes, sentResponseBytes, sentRequestBytes, receivedResponseBytes]

    /// A metric's OpenTelemetry instrument name: the Prometheus name without the `_total` a
    /// counter's exposition adds (Jina's worker names its OpenTelemetry counters so).
    public static func instrumentName(_ name: String) -> String {
        name.hasSuffix("_total") ? String(name.dropLast("_total".count)) : name
    }

    /// `jina flow`'s aggregated endpoint: 1 when the child answered the last scrape, else 0.
    public static let scrapeUp = "jina_scrape_up"

    /// Help text per name (the `# HELP` line).
    public static let help: [String: String] = [
        receivingRequestSeconds: "Time to handle a request, from receiving it to replying",
        successfulRequests: "Requests answered without an error",
        failedRequests: "Requests answered with an error",
        pendingRequests: "Requests received and not answered yet",
        receivedRequestBytes: "Size of the requests received, in bytes (protobuf encoding)",
        sentResponseBytes: "Size of the replies sent, in bytes (protobuf encoding)",
        sendingRequestSeconds: "Round trip of a request from the gateway to an executor",
        sentRequestBytes: "Size of the requests the gateway sent to an executor, in bytes",
        receivedResponseBytes: "Size of the replies the gateway received from an executor, in bytes",
        processRequestSeconds: "Time the executor's handler took for a request",
        documentsProcessed: "Documents the executor's handler processed",
        executorPendingRequests: "Requests the gateway sent to an executor and has no reply for yet",
        batchSize: "Documents per batch of a dynamically batched endpoint",
        batchQueueSeconds: "Time a request waited for its first batch to start",
        executorRestarts: "Restarts of an executor process by jina flow",
        scrapeUp: "Whether the last scrape of a process of the Flow succeeded",
    ]

    /// Buckets of the duration histograms, in seconds: 0.5 ms to 60 s.
    public static let durationBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30), .seconds(60),
    ]

    /// Buckets of the batch-size histogram, in documents: 1 to 4,096, ×2.
    public static let documentBuckets: [Double] = (0...12).map { Double(1 << $0) }

    /// Buckets of the size histograms, in bytes: 128 B to 64 MiB, ×4.
    public static let byteBuckets: [Double] = (0..<10).map { 128 * pow4($0) }

    private static func pow4(_ exponent: Int) -> Double {
        var value = 1.0
        for _ in 0..<exponent { value *= 4 }
        return value
    }
}
