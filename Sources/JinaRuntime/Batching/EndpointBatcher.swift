import JinaCore
import JinaObservability

/// The dynamic batching of one endpoint: a queue per distinct parameters, cut into batches
/// (`DynamicBatching` says when and how large), each batch run by the handler once.
///
/// No task of its own: every batch runs in the task of a request that has documents in it (its
/// *leader*), so work stays inside the requests' structured tasks and ends with them. A cut
/// batch goes to a member that is not leading another batch; when every member is busy it
/// waits in `ready` until one of them finishes. A request returns once all its documents are
/// done — it may lead further batches first.
actor EndpointBatcher {
    typealias Handler = @Sendable (_ documents: inout [Document], _ parameters: JSONValue) async throws -> JSONValue?

    let endpoint: String
    let batching: DynamicBatching
    private let handler: Handler
    private let metrics: EndpointMetrics?
    private let batchMetrics: BatchingMetrics?

    /// A batch: documents cut from one or more requests of the same queue.
    struct Batch: Sendable {
        struct Piece: Sendable {
            var request: Int
            var range: Range<Int>
        }

        var parameters: JSONValue
        var pieces: [Piece]
        var documents: [Document]

        var members: [Int] { pieces.map(\.request) }
    }

    /// What a request's task does next.
    enum Step: Sendable {
        case lead(Batch)
        case wait
        case done(Result<[Document], any Error>)
    }

    private struct Request {
        var parameters: JSONValue
        /// The documents; replaced piece by piece with the handler's output.
        var documents: [Document]
        var weights: [Double]
        /// Documents before this offset are in a batch.
        var cut = 0
        /// Documents not done yet.
        var remaining: Int
        var failure: (any Error)?
        var enqueued: ContinuousClock.Instant
        var queueTimeRecorded = false
        /// Leading a batch, or told to.
        var leading = false
        /// A step for the request's task that it has not taken yet.
        var pending: Step?
        var continuation: CheckedContinuation<Step, Never>?
    }

    private struct Queue {
        var waiting: [Int] = []
        var weight = 0.0
    }

    private var requests: [Int: Request] = [:]
    private var queues: [JSONValue: Queue] = [:]
    /// Batches whose members are all leading other batches.
    private var ready: [Batch] = []
    private var nextID = 0
    /// Documents queued or in a batch (what `maxQueueDocuments` bounds).
    private var outstanding = 0
    private var draining = false
    private let clock = ContinuousClock()

    init(endpoint: String, batching: DynamicBatching, handler: @escaping Handler,
         metrics: EndpointMetrics?, batchMetrics: BatchingMetrics?) {
        self.endpoint = endpoint
        self.batching = batching
        self.handler = handler
        self.metrics = metrics
        self.batchMetrics = batchMetrics
    }

    /// Runs `documents` through the handler as part of batches; returns the handler's output
    /// for them, or throws the error of a batch they were in (or `Overloaded`).
    nonisolated func submit(_ documents: [Document], parameters: JSONValue) async throws -> [Document] {
        // Nothing to batch: nothing would ever cut it.
        if documents.isEmpty { return [] }
        let weights = documents.map { document in batching.customMetric.map { $0(document) } ?? 1 }
        let (id, first) = try await enqueue(documents, weights: weights, parameters: parameters)
        var step = first
        while true {
            switch step {
            case .done(let result):
                return try result.get()
            case .lead(let batch):
                let outcome = await run(batch)
                step = await finished(batch, outcome: outcome, leader: id)
            case .wait:
                step = await waitForStep(id)
            }
        }
    }

    /// Flushes whatever waits, now and from now on (graceful shutdown).
    func drain() {
        draining = true
        for parameters in Array(queues.keys) { cut(parameters, everything: true, caller: nil) }
    }

    // MARK: steps (on the actor)

    private func enqueue(
        _ documents: [Document], weights: [Double], parameters: JSONValue
    ) throws -> (Int, Step) {
        if let limit = batching.maxQueueDocuments, outstanding + documents.count > limit {
            throw Overloaded(endpoint: endpoint, queued: outstanding, limit: limit, requested: documents.count)
        }
        let id = nextID
        nextID += 1
        outstanding += documents.count
        requests[id] = Request(parameters: parameters, documents: documents, weights: weights,
                               remaining: documents.count, enqueued: clock.now)
        var queue = queues[parameters] ?? Queue()
        queue.waiting.append(id)
        queue.weight += weights.reduce(0, +)
        queues[parameters] = queue
        if queue.weight >= Double(batching.preferredBatchSize) || draining { cut(parameters, everything: true, caller: id) }
        return (id, takeStep(id))
    }

    /// The next step of a request whose task is free, waiting for one if there is none yet.
    private func waitForStep(_ id: Int) async -> Step {
        if let step = takeStepIfAny(id) { return step }
        guard let request = requests[id] else { return .done(.failure(CancellationError())) }
        let uncut = request.cut < request.documents.count
        if uncut {
            // The oldest waiting request's deadline cuts its queue; a request's own deadline is
            // the latest its documents wait.
            let deadline = request.enqueued + batching.timeout
            return await withTaskGroup(of: Step?.self) { group in
                group.addTask {
                    // Cancelled (a step came, or the request's task was cancelled): the queue is
                    // cut now rather than never, so no document waits for a timer that is gone.
                    try? await Task.sleep(until: deadline, clock: .continuous)
                    await self.expire(id)
                    return nil
                }
                group.addTask { await self.suspend(id) }
                var step: Step?
                while let next = await group.next() {
                    if let next {
                        step = next
                        group.cancelAll()
                    }
                }
                return step!
            }
        }
        return await suspend(id)
    }

    private func suspend(_ id: Int) async -> Step {
        if let step = takeStepIfAny(id) { return step }
        return await withCheckedContinuation { continuation in
            requests[id]?.continuation = continuation
        }
    }

    /// The deadline of `id` passed: if its documents still wait, its queue is cut.
    private func expire(_ id: Int) {
        guard let request = requests[id], request.cut < request.documents.count else { return }
        cut(request.parameters, everything: true, caller: nil)
    }

    /// A batch's leader is back with the handler's outcome.
    private func finished(_ batch: Batch, outcome: Result<[Document], any Error>, leader: Int) -> Step {
        requests[leader]?.leading = false
        var offset = 0
        for piece in batch.pieces {
            guard var request = requests[piece.request] else { continue }
            switch outcome {
            case .success(let output):
                request.documents.replaceSubrange(piece.range, with: output[offset..<offset + piece.range.count])
            case .failure(let error):
                if request.failure == nil { request.failure = error }
            }
            offset += piece.range.count
            request.remaining -= piece.range.count
            requests[piece.request] = request
            if request.remaining == 0, piece.request != leader { complete(piece.request) }
        }
        if let index = ready.firstIndex(where: { $0.members.contains(leader) }) {
            requests[leader]?.leading = true
            return .lead(ready.remove(at: index))
        }
        if requests[leader]?.remaining == 0 {
            let step = result(of: leader)
            forget(leader, after: step)
            return step
        }
        return .wait
    }

    // MARK: batches

    /// Cuts the waiting documents of a queue into batches when they reach the preferred size
    /// (or `everything`), as Jina does: all that waits is taken, in batches of at most
    /// `preferredBatchSize` (one batch with `flushAll`).
    private func cut(_ parameters: JSONValue, everything: Bool, caller: Int?) {
        guard let queue = queues.removeValue(forKey: parameters), !queue.waiting.isEmpty else { return }
        let limit = Double(batching.preferredBatchSize)
        var batches: [Batch] = []
        var current = Batch(parameters: parameters, pieces: [], documents: [])
        var weight = 0.0
        for id in queue.waiting {
            guard var request = requests[id] else { continue }
            var start = request.cut
            for index in request.cut..<request.documents.count {
                weight += request.weights[index]
                if !batching.flushAll, weight >= limit {
                    current.pieces.append(.init(request: id, range: start..<index + 1))
                    current.documents += request.documents[start...index]
                    batches.append(current)
                    current = Batch(parameters: parameters, pieces: [], documents: [])
                    weight = 0
                    start = index + 1
                }
            }
            if start < request.documents.count {
                current.pieces.append(.init(request: id, range: start..<request.documents.count))
                current.documents += request.documents[start...]
            }
            request.cut = request.documents.count
            requests[id] = request
        }
        if !current.pieces.isEmpty { batches.append(current) }
        for batch in batches { assign(batch, caller: caller) }
    }

    /// Gives `batch` to a member that is not leading one (the caller first), else parks it.
    private func assign(_ batch: Batch, caller: Int?) {
        let now = clock.now
        for id in batch.members {
            guard var request = requests[id], !request.queueTimeRecorded else { continue }
            request.queueTimeRecorded = true
            requests[id] = request
            batchMetrics?.queueSeconds.record(now - request.enqueued)
        }
        var candidates = batch.members
        if let caller, let index = candidates.firstIndex(of: caller) { candidates.swapAt(0, index) }
        guard let leader = candidates.first(where: { requests[$0]?.leading == false }) else {
            ready.append(batch)
            return
        }
        requests[leader]?.leading = true
        send(leader, .lead(batch))
    }

    /// Runs the handler on a batch (off the actor). The batch belongs to every request in it, so
    /// it runs in a task of its own: the leader's cancellation (its client went away, its
    /// deadline passed) must not fail the others' documents.
    private nonisolated func run(_ batch: Batch) async -> Result<[Document], any Error> {
        let handler = self.handler
        let started = ContinuousClock.now
        batchMetrics?.batchSize.record(Double(batch.documents.count))
        let outcome = await Task {
            var documents = batch.documents
            let answer = try await handler(&documents, batch.parameters)
            return (documents, answer)
        }.result
        do {
            let (documents, answer) = try outcome.get()
            if answer != nil { throw BatchedEndpointError.answered(endpoint) }
            guard documents.count == batch.documents.count else {
                throw BatchedEndpointError.sizeChanged(endpoint, given: batch.documents.count, returned: documents.count)
            }
            if let metrics {
                metrics.processSeconds.record(ContinuousClock.now - started)
                metrics.documentsProcessed.increment(by: Int64(documents.count))
            }
            return .success(documents)
        } catch {
            return .failure(error)
        }
    }

    // MARK: requests

    /// A request other than the caller has all its documents done: its task gets the result.
    private func complete(_ id: Int) {
        send(id, result(of: id))
    }

    /// The result of a request whose documents are all done; it leaves the count of outstanding
    /// documents (its entry goes when its task takes the step).
    private func result(of id: Int) -> Step {
        guard let request = requests[id] else { return .done(.failure(CancellationError())) }
        outstanding -= request.documents.count
        if let failure = request.failure { return .done(.failure(failure)) }
        return .done(.success(request.documents))
    }

    /// Hands a step to a request's task: at once when it is suspended, else when it asks.
    private func send(_ id: Int, _ step: Step) {
        guard var request = requests[id] else { return }
        if let continuation = request.continuation {
            request.continuation = nil
            requests[id] = request
            forget(id, after: step)
            continuation.resume(returning: step)
        } else {
            request.pending = step
            requests[id] = request
        }
    }

    private func takeStep(_ id: Int) -> Step {
        takeStepIfAny(id) ?? .wait
    }

    private func takeStepIfAny(_ id: Int) -> Step? {
        guard let step = requests[id]?.pending else { return nil }
        requests[id]?.pending = nil
        forget(id, after: step)
        return step
    }

    /// A request whose task takes its final step leaves the books.
    private func forget(_ id: Int, after step: Step) {
        if case .done = step { requests[id] = nil }
    }
}

/// A batched handler broke the batching contract.
enum BatchedEndpointError: Error, CustomStringConvertible {
    case sizeChanged(String, given: Int, returned: Int)
    case answered(String)

    var description: String {
        switch self {
        case .sizeChanged(let endpoint, let given, let returned):
            "dynamic batching of \(endpoint) needs as many documents out as in: the handler got \(given) and returned \(returned)"
        case .answered(let endpoint):
            "\(endpoint) is batched: its handler must not return results (__results__); turn batching off for it or return nothing"
        }
    }
}
