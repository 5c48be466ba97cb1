import GRPCCore
import GRPCNIOTransportHTTP2
import GRPCProtobuf
import JinaCore
import JinaObservability
import JinaProto
import Logging
import Synchronization

/// A long-lived client to one executor replica (Unix socket or TCP).
///
/// With `.local` (the default) and a Unix socket, requests travel over the local wire
/// (`LocalFrame`) when the executor offers it beside its gRPC socket, multiplexed the same way
/// as on a `Call` stream; otherwise, and with `.callStream`, requests travel over one long-lived `JinaRPC/Call`
/// stream, multiplexed: each is written as it comes and its reply is matched by
/// `header.request_id` (the executor answers in completion order). A request id already in
/// flight on the stream is sent under a suffixed id and given back its own on the reply. When
/// the stream breaks (the executor died or restarted), the requests on it fail with
/// `.unavailable` — the deployment retries them on another replica — and the stream is opened
/// again as soon as the executor is reachable (gRPC reconnects with a short backoff). An
/// executor that does not serve `Call` is used with unary calls instead.
///
/// With `.unary` each request is one `process_single_data` call.
final class ExecutorConnection: ExecutorCaller {
    typealias Message = Jina_DataRequestProtoWoData
    typealias Reply = CheckedContinuation<LazyDataRequest, any Error>

    let address: String
    let executor: String
    let client: GRPCClient<HTTP2ClientTransport.Posix>
    let transport: ExecutorTransport
    let logger: Logger
    /// The local-wire socket beside the executor's Unix socket (`.local` transport only).
    let localWirePath: String?
    /// The executor's `grpc_metadata`, sent with every call (and every local-wire request).
    let metadata: [String: String]
    /// The same as gRPC metadata.
    var callMetadata: Metadata { Metadata(metadata.map { (key: $0.key, value: Metadata.Value.string($0.value)) }) }

    /// `callMetadata` plus the current trace context when tracing is on (`traceparent`…).
    var tracedCallMetadata: Metadata {
        guard let trace = RequestTracing.outgoingHeaders() else { return callMetadata }
        return Metadata(Self.merging(metadata, trace).map { (key: $0.key, value: Metadata.Value.string($0.value)) })
    }

    /// The executor's `grpc_metadata` with the trace context over it.
    static func merging(_ metadata: [String: String], _ trace: [String: String]) -> [String: String] {
        metadata.merging(trace) { _, traced in traced }
    }
    let state = Mutex(State())

    enum Slot {
        /// Registered, the caller is about to wait.
        case reserved
        case waiting(Reply)
        /// Settled before the caller waited (the stream broke, or the call was cancelled).
        case done(Result<LazyDataRequest, ExecutorCallFailure>)
    }

    enum Phase {
        case connecting
        case open(Outlet)
        case closed
    }

    /// Where an open connection's requests go.
    enum Outlet: Sendable {
        /// The writer of a gRPC `Call` stream.
        case stream(OutboundQueue<Message>)
        /// The local-wire connections (one per event loop).
        case local(LocalWireSet)

        /// Sends `message` under `sentID`; false once the outlet is gone.
        func send(_ message: Message, sentID: String, metadata: [String: String]) -> Bool {
            switch self {
            case .stream(let queue): queue.enqueue(message)
            case .local(let wire): wire.send(message, id: sentID, metadata: metadata)
            }
        }

        /// The caller gave up on `sentID` (a `Call` stream has no way to say so).
        func cancel(_ sentID: String) {
            if case .local(let wire) = self { wire.cancel(sentID) }
        }
    }

    struct State {
        var phase = Phase.connecting
        /// Requests on the stream by the id they were sent under.
        var slots: [String: Slot] = [:]
        /// Sent id → the client's id, for requests sent under a suffixed id.
        var clientIDs: [String: String] = [:]
        var readyWaiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
        var nextSuffix = 0
        /// The executor does not serve `Call`: use `process_single_data`.
        var unaryOnly = false
        /// A local-wire connection closed by `close()`, kept until its last reply has come.
        var closingWire: LocalWireSet?
        var lastProblem = "not connected yet"
        /// The connection has been open at least once, or has failed: until then the first
        /// connection is being made (see `firstConnectionWait`).
        var openedOnce = false
        var failedOnce = false
    }

    /// How long a request waits for the first connection while it is being made (not yet open,
    /// not yet failed): a request that arrives as the Flow becomes ready is not failed for racing
    /// the gateway's own connection.
    static let firstConnectionWait: Duration = .seconds(2)

    init(
        executor: String, address: ExecutorAddress, transport: ExecutorTransport, metadata: [String: String] = [:], logger: Logger
    ) throws(GatewayError) {
        self.address = address.description
        self.metadata = metadata
        self.executor = executor
        self.transport = transport
        self.logger = logger
        let target: any ResolvableTarget
        var security = HTTP2ClientTransport.Posix.TransportSecurity.plaintext
        var tcp = true
        var localWirePath: String?
        switch address {
        case .unix(let path):
            target = .unixDomainSocket(path: path)
            tcp = false
            if transport == .local { localWirePath = LocalFrame.socketPath(besides: path) }
        case .tcp(let host, let port, let tls):
            target = Self.target(host: host, port: port)
            if tls { security = .tls }
        case .dns(let name, let port):
            target = .dns(host: name, port: port)
        }
        self.localWirePath = localWirePath
        let config = HTTP2ClientTransport.Posix.Config.defaults { config in
            // Pick a restarted executor up quickly; local restarts take well under a second. On a
            // Unix socket (an executor `jina flow` supervises) a failed connect costs a system
            // call, so the wait stays short even after a crash loop (it was up to 2 s, and requests
            // found a restarted executor "unreachable" meanwhile).
            config.backoff = .init(initial: .milliseconds(50), max: tcp ? .seconds(2) : .milliseconds(250),
                                   multiplier: 1.6, jitter: 0.2)
            if tcp {
                config.connection.keepalive = .init(time: .seconds(30), timeout: .seconds(10), allowWithoutCalls: true)
            }
        }
        do {
            let transport = try HTTP2ClientTransport.Posix(target: target, transportSecurity: security, config: config)
            client = GRPCClient(transport: transport)
        } catch {
            throw GatewayError(.invalidInput, "cannot use address \(address) of executor `\(executor)`: \(error)")
        }
    }

    private static func target(host: String, port: Int) -> any ResolvableTarget {
        if host.contains(":") { return .ipv6(address: host, port: port) }
        let parts = host.split(separator: ".")
        if parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }) { return .ipv4(address: host, port: port) }
        return .dns(host: host == "localhost" ? "127.0.0.1" : host, port: port)
    }

    static let callOptions: CallOptions = {
        var options = CallOptions.defaults
        options.maxRequestMessageBytes = Int(Int32.max)
        options.maxResponseMessageBytes = Int(Int32.max)
        return options
    }()

    // MARK: Lifetime

    /// Keeps the connection (and the `Call` stream) up until `close()` and the stream has
    /// drained.
    func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask {
                do {
                    try await self.client.runConnections()
                } catch {
                    self.logger.debug("connections to \(self.address) ended: \(RPCErrorText.describe(error))")
                }
            }
            if transport != .unary {
                group.addTask { await self.keepStreamOpen() }
            }
        }
    }

    /// Stops taking requests; those in flight are answered (the stream half-closes and the
    /// executor finishes what it holds), then the connection closes.
    func close() {
        let (outlet, waiters, streaming, idle) = state.withLock { state in
            var outlet: Outlet?
            if case .open(let open) = state.phase { outlet = open }
            state.phase = .closed
            if case .local(let wire)? = outlet { state.closingWire = wire }
            defer { state.readyWaiters = [:] }
            return (outlet, Array(state.readyWaiters.values), outlet != nil && !state.unaryOnly, state.slots.isEmpty)
        }
        switch outlet {
        case .stream(let queue)?: queue.finish()
        case .local?: if idle { closeDrainedWire() }
        case nil: break
        }
        for waiter in waiters { waiter.resume() }
        // With an open stream, `keepStreamOpen` shuts the client down once the stream ends.
        if !streaming || transport == .unary { client.beginGracefulShutdown() }
    }

    var isClosed: Bool {
        state.withLock { if case .closed = $0.phase { true } else { false } }
    }

    // MARK: Calls

    func call(_ request: LazyDataRequest, readyWait: Duration?) async throws(ExecutorCallFailure) -> LazyDataRequest {
        // A traced request carries its own `traceparent`: over the local wire, or as a unary
        // call (a `Call` stream has one set of metadata for every request on it).
        let trace = RequestTracing.outgoingHeaders()
        if transport == .unary || state.withLock({ $0.unaryOnly }) {
            return try await callUnary(request, readyWait: readyWait)
        }
        let sentMetadata = trace.map { Self.merging(metadata, $0) } ?? metadata
        var reservation = reserve(request.requestID)
        if reservation == nil, !isClosed,
           let wait = readyWait ?? (state.withLock { $0.openedOnce || $0.failedOnce } ? nil : Self.firstConnectionWait) {
            await waitUntilOpen(upTo: wait)
            reservation = reserve(request.requestID)
        }
        guard let (sentID, outlet) = reservation else {
            if state.withLock({ $0.unaryOnly }) { return try await callUnary(request, readyWait: readyWait) }
            throw .unavailable(isClosed ? "the gateway is shutting down" : "not connected (\(state.withLock { $0.lastProblem }))")
        }
        if trace != nil, case .stream = outlet {
            // A `Call` stream carries one set of metadata for all its requests: a traced request
            // goes as a unary call with its own.
            state.withLock { state in
                state.slots[sentID] = nil
                state.clientIDs[sentID] = nil
            }
            return try await callUnary(request, readyWait: readyWait)
        }
        var message = request.head
        if sentID != request.requestID { message.header.requestID = sentID }
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: Reply) in
                    let settled: Result<LazyDataRequest, ExecutorCallFailure>? = state.withLock { state in
                        if case .done(let result)? = state.slots[sentID] {
                            state.slots[sentID] = nil
                            state.clientIDs[sentID] = nil
                            return result
                        }
                        state.slots[sentID] = .waiting(continuation)
                        return nil
                    }
                    if let settled {
                        continuation.resume(with: settled)
                    } else if !outlet.send(message, sentID: sentID, metadata: sentMetadata) {
                        settle(sentID, .unavailable("the stream to \(address) closed"))
                    }
                }
            } onCancel: {
                settle(sentID, .cancelled)
                outlet.cancel(sentID)
            }
        } catch let failure as ExecutorCallFailure {
            throw failure
        } catch {
            throw .failed(RPCErrorText.describe(error))
        }
    }

    /// Registers a request on the open stream under a unique id; nil when no stream is open.
    private func reserve(_ clientID: String) -> (String, Outlet)? {
        state.withLock { state in
            guard case .open(let outlet) = state.phase else { return nil }
            var sentID = clientID
            while sentID.isEmpty || state.slots[sentID] != nil {
                state.nextSuffix += 1
                sentID = "\(clientID)~\(state.nextSuffix)"
            }
            if sentID != clientID { state.clientIDs[sentID] = clientID }
            state.slots[sentID] = .reserved
            return (sentID, outlet)
        }
    }

    /// Ends a request without a reply: resumes its caller, or records the outcome for it.
    func settle(_ sentID: String, _ failure: ExecutorCallFailure) {
        defer { closeDrainedWire() }
        let waiting: Reply? = state.withLock { state in
            switch state.slots[sentID] {
            case .waiting(let continuation)?:
                state.slots[sentID] = nil
                state.clientIDs[sentID] = nil
                return continuation
            case .reserved?:
                state.slots[sentID] = .done(.failure(failure))
                return nil
            default:
                return nil
            }
        }
        waiting?.resume(throwing: failure)
    }

    private func callUnary(_ request: LazyDataRequest, readyWait: Duration?) async throws(ExecutorCallFailure) -> LazyDataRequest {
        if isClosed { throw .unavailable("the gateway is shutting down") }
        if let readyWait { await waitUntilReachable(upTo: readyWait) }
        do {
            let reply = try await client.unary(
                request: ClientRequest(message: request.head, metadata: tracedCallMetadata),
                descriptor: Jina_JinaSingleDataRequestRPC.Method.process_single_data.descriptor,
                serializer: ProtobufSerializer<Message>(), deserializer: ProtobufDeserializer<Message>(),
                options: Self.callOptions
            ) { try $0.message }
            return LazyDataRequest(head: reply)
        } catch {
            throw Self.failure(error)
        }
    }

    /// A gRPC health check that waits for the connection (unary mode's "wait for ready");
    /// whether the executor answered within `limit` — any answer counts, an error status too
    /// (a custom program may not serve the health service).
    @discardableResult
    func waitUntilReachable(upTo limit: Duration) async -> Bool {
        var options = CallOptions.defaults
        options.waitForReady = true
        options.timeout = limit
        do {
            _ = try await Grpc_Health_V1_Health.Client(wrapping: client).check(
                Grpc_Health_V1_HealthCheckRequest(), metadata: callMetadata, options: options)
            return true
        } catch let error as RPCError {
            return error.code != .unavailable && error.code != .deadlineExceeded && error.code != .cancelled
        } catch {
            return false
        }
    }

    static func failure(_ error: any Error) -> ExecutorCallFailure {
        if error is CancellationError { return .cancelled }
        if let rpc = error as? RPCError {
            switch rpc.code {
            case .unavailable: return .unavailable(RPCErrorText.describe(rpc))
            case .cancelled: return .cancelled
            case .unimplemented: return .failed("the executor does not serve this method (\(rpc.message))")
            default: return .failed("\(rpc.code): \(RPCErrorText.describe(rpc))")
            }
        }
        return .failed(RPCErrorText.describe(error))
    }
}
