public import JinaProto
/// One replica of one shard of an executor, as the router reaches it. `ExecutorConnection`
/// is the real one (gRPC over a Unix socket or TCP); tests use in-process fakes.
public protocol ExecutorCaller: Sendable {
    /// The replica's address as users write it (`unix:///run/a.sock`, `grpc://10.0.0.5:8080`):
    /// names the replica in messages and in balancing.
    var address: String { get }

    /// Sends `request` and returns the executor's reply. An executor's ERROR reply is a reply,
    /// not a failure. `readyWait` nil: fail at once with `.unavailable` when the replica is not
    /// connected; a duration: wait up to that long for it to become reachable first.
    func call(_ request: LazyDataRequest, readyWait: Duration?) async throws(ExecutorCallFailure) -> LazyDataRequest

    /// Sends several requests as one (`JinaDataRequestRPC/process_data`: a `uses_after` head gets
    /// every shard's reply, its `docs_matrix`) and returns the executor's one reply.
    func call(all requests: [LazyDataRequest], readyWait: Duration?) async throws(ExecutorCallFailure) -> LazyDataRequest

    /// Sends a `stream_doc` request and hands each message the executor streams back to
    /// `onMessage` as it arrives. Fails with `.unavailable` only when the replica could not be
    /// reached before anything was delivered (so another replica may be tried); an error from
    /// `onMessage` (the reader went away) ends the call as `.cancelled`.
    func stream(
        _ request: Jina_SingleDocumentRequestProto, readyWait: Duration?,
        onMessage: @escaping @Sendable (Jina_SingleDocumentRequestProto) async throws -> Void
    ) async throws(ExecutorCallFailure)
}

extension ExecutorCaller {
    /// A caller without `process_data` (an in-process fake): fails.
    public func call(all requests: [LazyDataRequest], readyWait: Duration?) async throws(ExecutorCallFailure) -> LazyDataRequest {
        throw .failed("\(address) does not serve process_data")
    }

    /// A caller that cannot stream (an in-process fake).
    public func stream(
        _ request: Jina_SingleDocumentRequestProto, readyWait: Duration?,
        onMessage: @escaping @Sendable (Jina_SingleDocumentRequestProto) async throws -> Void
    ) async throws(ExecutorCallFailure) {
        throw .failed("\(address) does not serve stream_doc")
    }
}

/// Why a call to a replica did not produce a reply.
public enum ExecutorCallFailure: Error, Sendable, Equatable {
    /// The replica could not be reached, or its connection broke before the reply came:
    /// another replica (or a later attempt) may answer.
    case unavailable(String)
    /// Anything else (the executor rejected the message…): retrying would not help.
    case failed(String)
    /// The calling task was cancelled (a timeout or shutdown).
    case cancelled
}

/// Where a shard's replicas come from: a fixed list, or the addresses a DNS name resolves to.
protocol ReplicaSource: Sendable {
    /// The replicas now (never empty for a fixed list; may be empty while a name resolves).
    var replicas: [any ExecutorCaller] { get }
    /// Every replica failed: look the addresses up again if they can change.
    func replicasFailed()
    /// Waits until there is at least one replica, up to `limit`.
    func waitForReplicas(upTo limit: Duration) async
}

/// A shard with a fixed set of replicas.
struct FixedReplicas: ReplicaSource {
    let replicas: [any ExecutorCaller]

    func replicasFailed() {}
    func waitForReplicas(upTo limit: Duration) async {}
}
