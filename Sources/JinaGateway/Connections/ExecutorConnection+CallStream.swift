import GRPCCore
import GRPCNIOTransportHTTP2
import GRPCProtobuf
import JinaCore
import JinaProto
import Logging
import SwiftProtobuf
import Synchronization

/// The multiplexed `Call` stream of an `ExecutorConnection`: opened, served, failed over and
/// opened again.
extension ExecutorConnection {
    /// Opens the `Call` stream (waiting for the executor to be reachable), serves it until it
    /// breaks, fails what was on it, and opens it again — until `close()`.
    func keepStreamOpen() async {
        var quickFailures = 0
        var options = Self.callOptions
        options.waitForReady = true
        while !isClosed {
            let started = ContinuousClock.now
            if let localWirePath, await serveLocalWire(at: localWirePath) {
                if isClosed { break }
                await Self.pace(since: started, quickFailures: &quickFailures)
                continue
            }
            var problem = "the executor ended the Call stream"
            do {
                if try await !answersCallsConcurrently(options: options) {
                    // Python Jina's worker answers a Call stream's requests one at a time, so a
                    // stream would serialize them (and dynamic batching would never batch):
                    // unary calls, as Jina's own gateway makes.
                    logger.info("executor \(executor) at \(address) is not a jina-swift executor: one process_single_data call per request, as Python Jina's gateway sends")
                    useUnaryCalls()
                    return
                }
                try await client.bidirectionalStreaming(
                    request: StreamingClientRequest(metadata: callMetadata, producer: { writer in
                        let queue = OutboundQueue<Message>()
                        guard self.opened(.stream(queue)) else {
                            queue.finish()
                            return
                        }
                        while let batch = await queue.next() {
                            try await writer.write(contentsOf: batch)
                        }
                    }),
                    descriptor: Jina_JinaRPC.Method.Call.descriptor,
                    serializer: ProtobufSerializer<Message>(),
                    deserializer: ProtobufDeserializer<Message>(),
                    options: options
                ) { response in
                    for try await reply in response.messages { self.deliver(reply, sentID: reply.header.requestID) }
                }
            } catch let error as RPCError where error.code == .unimplemented {
                logger.warning("executor \(executor) at \(address) does not serve JinaRPC/Call: using process_single_data")
                streamBroke("the executor does not serve JinaRPC/Call")
                useUnaryCalls()
                return
            } catch {
                problem = RPCErrorText.describe(error)
            }
            let wasOpen = streamBroke(problem)
            if isClosed { break }
            if wasOpen {
                logger.warning("lost the Call stream to executor \(executor) at \(address): \(problem); reconnecting")
            }
            await Self.pace(since: started, quickFailures: &quickFailures)
        }
        client.beginGracefulShutdown()
    }

    /// Whether the executor answers the requests of one `Call` stream concurrently: ours do
    /// (their `_status` names `jina-swift`); Python Jina's worker, or anything that does not
    /// answer `_status`, is taken to answer them in turn.
    private func answersCallsConcurrently(options: CallOptions) async throws -> Bool {
        var options = options
        // Bounded, so that the loop looks at `isClosed` again while an executor stays down.
        options.timeout = .seconds(5)
        do {
            let info = try await client.unary(
                request: ClientRequest(message: Google_Protobuf_Empty(), metadata: callMetadata),
                descriptor: Jina_JinaInfoRPC.Method._status.descriptor,
                serializer: ProtobufSerializer<Google_Protobuf_Empty>(), deserializer: ProtobufDeserializer<Jina_JinaInfoProto>(),
                options: options
            ) { try $0.message }
            return info.jina["jina-swift"] != nil
        } catch let error as RPCError where error.code == .unimplemented {
            return false
        }
    }

    /// From now on every request is one `process_single_data` call; callers waiting for the
    /// stream go ahead.
    private func useUnaryCalls() {
        let waiters = state.withLock { state in
            state.unaryOnly = true
            defer { state.readyWaiters = [:] }
            return Array(state.readyWaiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Backs off before reconnecting to a peer that accepted the connection and dropped it at
    /// once (an unreachable peer is waited for by gRPC's own reconnect backoff, or by the
    /// local wire's health wait): 50 ms doubling to 1 s after the second quick failure in a row.
    static func pace(since started: ContinuousClock.Instant, quickFailures: inout Int) async {
        quickFailures = ContinuousClock.now - started < .seconds(1) ? quickFailures + 1 : 0
        if quickFailures > 1 {
            try? await Task.sleep(for: .milliseconds(min(25 << min(quickFailures, 6), 1000)))
        }
    }

    /// The stream (or local-wire connection) is up: take requests on it. False once the
    /// connection is closed: the caller ends what it opened.
    func opened(_ outlet: Outlet) -> Bool {
        let waiters: [CheckedContinuation<Void, Never>]? = state.withLock { state in
            guard case .connecting = state.phase else { return nil }
            state.phase = .open(outlet)
            state.openedOnce = true
            defer { state.readyWaiters = [:] }
            return Array(state.readyWaiters.values)
        }
        guard let waiters else { return false }
        if case .local = outlet {
            logger.debug("local wire to executor \(executor) at \(address) is open")
        } else {
            logger.debug("Call stream to executor \(executor) at \(address) is open")
        }
        for waiter in waiters { waiter.resume() }
        return true
    }

    func deliver(_ reply: Message, sentID: String) {
        defer { closeDrainedWire() }
        let (continuation, clientID): (Reply?, String?) = state.withLock { state in
            guard case .waiting(let continuation)? = state.slots[sentID] else { return (nil, nil) }
            state.slots[sentID] = nil
            return (continuation, state.clientIDs.removeValue(forKey: sentID))
        }
        guard let continuation else {
            logger.warning("executor \(executor) at \(address) answered request \(sentID), which is not waiting (late or unknown)")
            return
        }
        var reply = reply
        if let clientID { reply.header.requestID = clientID }
        continuation.resume(returning: LazyDataRequest(head: reply))
    }

    /// Fails every request on the broken stream with `.unavailable`; whether it was open.
    @discardableResult
    func streamBroke(_ problem: String) -> Bool {
        let (outlet, failed): (Outlet?, [Reply]) = state.withLock { state in
            var outlet: Outlet?
            if case .open(let open) = state.phase {
                outlet = open
                state.phase = .connecting
            }
            state.closingWire = nil
            state.lastProblem = problem
            state.failedOnce = true
            var failed: [Reply] = []
            for (id, slot) in state.slots {
                switch slot {
                case .waiting(let continuation):
                    failed.append(continuation)
                    state.slots[id] = nil
                    state.clientIDs[id] = nil
                case .reserved:
                    state.slots[id] = .done(.failure(.unavailable("the connection to \(address) broke: \(problem)")))
                case .done:
                    break
                }
            }
            return (outlet, failed)
        }
        if case .stream(let queue)? = outlet { queue.finish() }
        for continuation in failed {
            continuation.resume(throwing: ExecutorCallFailure.unavailable("the connection to \(address) broke: \(problem)"))
        }
        return outlet != nil
    }

    /// Waits until the stream is open, `limit` has passed, or the connection closes.
    func waitUntilOpen(upTo limit: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForOpen() }
            group.addTask { try? await Task.sleep(for: limit) }
            await group.next()
            group.cancelAll()
        }
    }

    func waitForOpen() async {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state in
                    guard case .connecting = state.phase, !state.unaryOnly, !Task.isCancelled else { return true }
                    state.readyWaiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.readyWaiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }

}
