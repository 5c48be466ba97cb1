import JinaProto
import Synchronization
import Tracing

/// One executor of the Flow as the router reaches it: its shards, each a set of replicas, with
/// replica balancing, failover, retries and `timeout_send`.
///
/// * Balancing: least requests in flight, ties broken round-robin, so sequential requests
///   alternate between replicas (as Jina's round robin) and a slow replica gets fewer.
/// * Failover: a replica that is unreachable (or whose connection breaks mid-request) is left
///   out and the request goes to another one; once every replica has failed, later rounds wait
///   for a replica's connection to come back (0.5 s, 1 s, 2 s… at most 5 s) — how a restarted
///   executor is picked up. Attempts: `retries + 1`, or max(3, replicas) for Jina's `-1`.
/// * `timeout_send` bounds each attempt. A replica whose attempt timed out is taken out of
///   rotation (a frozen or overloaded process): it gets no requests for 2 s, doubling while it
///   keeps timing out (at most 8 s), as long as another replica of its shard is in rotation; the
///   first request after that pause probes it, and an answer puts it back. With
///   `retry_on_timeout` (the default) the timed-out request is sent again to another replica —
///   the first may still be working on it, so an endpoint that must not run twice sets it false.
final class Deployment: Sendable {
    let name: String
    let shards: [any ReplicaSource]
    /// Jina's `retries`: negative = max(3, replicas) attempts.
    let retries: Int
    /// `timeout_send` per attempt; nil = none.
    let timeout: Duration?
    /// `retry_on_timeout`: a timed-out attempt is tried again on another replica.
    let retryOnTimeout: Bool

    /// How long a replica that timed out stays out of rotation, the first time and at most.
    static let firstPause: Duration = .seconds(2)
    static let longestPause: Duration = .seconds(8)

    private struct Balance {
        var nextReplica: [Int]
        var nextShard = 0
        var inFlight: [String: Int] = [:]
        /// Replicas out of rotation after timeouts: until when, and how many timeouts in a row.
        var pausedUntil: [String: ContinuousClock.Instant] = [:]
        var timeoutsInARow: [String: Int] = [:]
    }

    private let balance: Mutex<Balance>

    init(name: String, shards: [any ReplicaSource], retries: Int, timeout: Duration?, retryOnTimeout: Bool = true) {
        self.name = name
        self.shards = shards
        self.retries = retries
        self.timeout = timeout
        self.retryOnTimeout = retryOnTimeout
        balance = Mutex(Balance(nextReplica: Array(repeating: 0, count: shards.count)))
    }

    var shardCount: Int { shards.count }

    /// The shard for a request under polling ANY: round-robin.
    func nextShard() -> Int {
        balance.withLock { state in
            defer { state.nextShard = (state.nextShard + 1) % max(shards.count, 1) }
            return state.nextShard
        }
    }

    /// Sends `request` to one replica of `shard`, failing over as described above.
    /// With tracing, `span` (the hop's) records the replica that answered and each failed attempt.
    func send(_ request: LazyDataRequest, shard: Int, span: (any Span)? = nil) async -> Result<LazyDataRequest, DeploymentFailure> {
        await deliver(request.requestID, shard: shard, timeout: timeout, span: span) { replica, readyWait throws(ExecutorCallFailure) in
            try await replica.call(request, readyWait: readyWait)
        }
    }

    /// Sends `requests` as one `process_data` call (a `uses_after` head) to one replica of
    /// `shard`, with the same balancing, failover and `timeout_send`.
    func send(all requests: [LazyDataRequest], shard: Int, span: (any Span)? = nil) async -> Result<LazyDataRequest, DeploymentFailure> {
        await deliver(requests.first?.requestID ?? "", shard: shard, timeout: timeout, span: span) { replica, readyWait throws(ExecutorCallFailure) in
            try await replica.call(all: requests, readyWait: readyWait)
        }
    }

    typealias Call = @Sendable (any ExecutorCaller, Duration?) async throws(ExecutorCallFailure) -> LazyDataRequest

    private func deliver(
        _ request: String, shard: Int, timeout: Duration?, span: (any Span)? = nil, call: @escaping Call
    ) async -> Result<LazyDataRequest, DeploymentFailure> {
        let source = shards[shard]
        var tried: Set<String> = []
        var round = 0
        var attempt = 0
        var lastProblem = "no replica answered"
        while true {
            var replicas = source.replicas
            if replicas.isEmpty {
                await source.waitForReplicas(upTo: Self.readyWait(round: max(round, 1)))
                replicas = source.replicas
                if replicas.isEmpty {
                    return .failure(DeploymentFailure(
                        .unavailable, "executor `\(name)` has no replica to send request \(request) to (\(lastProblem))"))
                }
            }
            let attempts = retries < 0 ? max(3, replicas.count) : retries + 1
            guard attempt < attempts else { break }
            attempt += 1
            var candidates = replicas.filter { !tried.contains($0.address) }
            if candidates.isEmpty {
                tried.removeAll()
                round += 1
                candidates = replicas
                source.replicasFailed()
            }
            let replica = pick(inRotation(candidates), shard: shard)
            let readyWait = round == 0 ? nil : Self.readyWait(round: round)
            if let span {
                span.attributes["jina.replica"] = replicas.firstIndex { $0.address == replica.address } ?? -1
                span.attributes["jina.replica.address"] = replica.address
                span.attributes["jina.attempts"] = attempt
            }
            let outcome = await callOnce(replica, readyWait: readyWait, timeout: timeout, call: call)
            if let span, !outcome.isReply {
                span.addEvent(SpanEvent(name: "attempt failed", attributes: [
                    "jina.replica.address": .string(replica.address), "jina.problem": .string(outcome.problem),
                ]))
            }
            switch outcome {
            case .reply(let reply):
                answered(replica.address)
                return .success(reply)
            case .failure(.unavailable(let problem)):
                tried.insert(replica.address)
                lastProblem = "\(replica.address): \(problem)"
            case .failure(.failed(let problem)):
                return .failure(DeploymentFailure(
                    .failed, "executor `\(name)` at \(replica.address) failed request \(request): \(problem)"))
            case .failure(.cancelled):
                return .failure(DeploymentFailure(.cancelled, "request \(request) to executor `\(name)` was cancelled"))
            case .timedOut(let limit):
                timedOut(replica.address)
                let others = replicas.contains { $0.address != replica.address && !tried.contains($0.address) }
                if retryOnTimeout, others, attempt < attempts {
                    tried.insert(replica.address)
                    lastProblem = "\(replica.address): no answer within \(limit.millisecondsText) (timeout_send)"
                    continue
                }
                return .failure(DeploymentFailure(
                    .timeout,
                    "executor `\(name)` did not answer request \(request) within \(limit.millisecondsText) "
                        + "(timeout_send) at \(replica.address)"))
            }
        }
        return .failure(DeploymentFailure(
            .unavailable,
            "executor `\(name)` is unreachable for request \(request) after \(attempt) attempt\(attempt == 1 ? "" : "s") (last: \(lastProblem))"))
    }

    /// Streams `request` from one replica of `shard` (`stream_doc`), handing each message to
    /// `onMessage`. Balancing and failover as `send`, as long as nothing was delivered yet (a
    /// replica fails over only while `.unavailable`); no `timeout_send` (a stream may rightly run
    /// long; the client's deadline bounds it). nil when the stream ended normally.
    func stream(
        _ request: Jina_SingleDocumentRequestProto, shard: Int,
        onMessage: @escaping @Sendable (Jina_SingleDocumentRequestProto) async throws -> Void
    ) async -> DeploymentFailure? {
        let result = await deliver(request.header.requestID, shard: shard, timeout: nil) { replica, readyWait throws(ExecutorCallFailure) in
            try await replica.stream(request, readyWait: readyWait, onMessage: onMessage)
            return LazyDataRequest(head: Jina_DataRequestProtoWoData())
        }
        if case .failure(let failure) = result { return failure }
        return nil
    }

    /// How long the `round`-th round of retries waits for a replica to become reachable.
    static func readyWait(round: Int) -> Duration {
        .milliseconds(min(500 << min(round - 1, 8), 5000))
    }

    /// The candidates not paused after a timeout; all of them when every one is paused.
    private func inRotation(_ candidates: [any ExecutorCaller]) -> [any ExecutorCaller] {
        guard candidates.count > 1 else { return candidates }
        let now = ContinuousClock.now
        let paused = balance.withLock { state in
            Set(state.pausedUntil.filter { $0.value > now }.keys)
        }
        guard !paused.isEmpty else { return candidates }
        let active = candidates.filter { !paused.contains($0.address) }
        return active.isEmpty ? candidates : active
    }

    /// A timeout: the replica leaves the rotation for a pause that doubles with each timeout in a row.
    private func timedOut(_ address: String) {
        balance.withLock { state in
            let count = state.timeoutsInARow[address, default: 0] + 1
            state.timeoutsInARow[address] = count
            let pause = min(Self.firstPause * (1 << min(count - 1, 10)), Self.longestPause)
            state.pausedUntil[address] = .now + pause
        }
    }

    /// An answer: the replica is back in rotation.
    private func answered(_ address: String) {
        balance.withLock { state in
            guard state.timeoutsInARow[address] != nil else { return }
            state.timeoutsInARow[address] = nil
            state.pausedUntil[address] = nil
        }
    }

    /// Least in flight, scanning from the shard's round-robin position.
    private func pick(_ candidates: [any ExecutorCaller], shard: Int) -> any ExecutorCaller {
        guard candidates.count > 1 else { return candidates[0] }
        let index: Int = balance.withLock { state in
            let start = state.nextReplica[shard] % candidates.count
            state.nextReplica[shard] = start + 1
            var best = start
            var bestLoad = Int.max
            for offset in 0..<candidates.count {
                let index = (start + offset) % candidates.count
                let load = state.inFlight[candidates[index].address, default: 0]
                if load < bestLoad {
                    best = index
                    bestLoad = load
                }
            }
            return best
        }
        return candidates[index]
    }

    private enum Outcome: Sendable {
        case reply(LazyDataRequest)
        case failure(ExecutorCallFailure)
        case timedOut(Duration)

        var isReply: Bool { if case .reply = self { true } else { false } }

        /// What went wrong, for a span event.
        var problem: String {
            switch self {
            case .reply: "none"
            case .failure(.unavailable(let problem)): "unavailable: \(problem)"
            case .failure(.failed(let problem)): "failed: \(problem)"
            case .failure(.cancelled): "cancelled"
            case .timedOut(let limit): "no answer within \(limit.millisecondsText) (timeout_send)"
            }
        }
    }

    private func callOnce(_ replica: any ExecutorCaller, readyWait: Duration?, timeout: Duration?, call: @escaping Call) async -> Outcome {
        let address = replica.address
        balance.withLock { $0.inFlight[address, default: 0] += 1 }
        defer { balance.withLock { $0.inFlight[address, default: 1] -= 1 } }
        guard let timeout else {
            return await Self.outcome(call, replica, readyWait)
        }
        return await withTaskGroup(of: Outcome?.self) { group in
            group.addTask { await Self.outcome(call, replica, readyWait) }
            group.addTask {
                do {
                    try await Task.sleep(for: timeout)
                    return .timedOut(timeout)
                } catch {
                    return nil
                }
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .failure(.cancelled)
        }
    }

    private static func outcome(_ call: Call, _ replica: any ExecutorCaller, _ readyWait: Duration?) async -> Outcome {
        do {
            return .reply(try await call(replica, readyWait))
        } catch {
            return .failure(error)
        }
    }
}

/// Why a deployment gave no reply; `message` names the executor, the request and the replica.
struct DeploymentFailure: Error, Sendable {
    enum Reason: Sendable { case unavailable, timeout, failed, cancelled }

    var reason: Reason
    var message: String

    init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }
}

extension Duration {
    /// `500ms`, `1500ms`: how Jina's `timeout_send` is written.
    var millisecondsText: String {
        let (seconds, attoseconds) = components
        return "\(seconds * 1000 + attoseconds / 1_000_000_000_000_000)ms"
    }
}
