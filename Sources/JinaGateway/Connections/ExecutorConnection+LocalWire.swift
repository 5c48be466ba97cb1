import JinaProto
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// The local wire of an `ExecutorConnection`: our own framed protocol to our own executors on a
/// Unix socket, negotiated at connection time (an executor that does not offer it keeps gRPC).
extension ExecutorConnection {
    /// How long the executor may take to answer `hello`.
    static let localWireHelloTimeout: Duration = .seconds(2)

    /// Connects to the local wire at `path` and serves requests on it until it closes. False
    /// when the executor does not offer it: then the caller uses a gRPC `Call` stream.
    ///
    /// A missing socket may also mean that the executor is (re)starting: before giving up, wait
    /// until its gRPC side answers (our executors bind the local wire first) and look again.
    func serveLocalWire(at path: String) async -> Bool {
        var wire = await LocalWireSet.connect(path: path, connection: self)
        if wire == nil {
            // Not reachable at all yet: look again next round rather than settle for gRPC.
            guard await waitUntilReachable(upTo: .seconds(5)), !isClosed else { return true }
            wire = await LocalWireSet.connect(path: path, connection: self)
        }
        guard let wire else { return false }
        guard opened(.local(wire)) else {
            wire.close()
            return true
        }
        let problem = await wire.closed()
        if streamBroke(problem) && !isClosed {
            logger.warning("lost the local wire to executor \(executor) at \(address): \(problem); reconnecting")
        }
        return true
    }

    /// The executor is draining: send it nothing more; replies to what it holds still come.
    func executorWentAway(_ wire: LocalWireChannel) {
        state.withLock { state in
            if case .open(.local(let open)) = state.phase, open.contains(wire) {
                state.phase = .connecting
                state.lastProblem = "executor \(executor) is shutting down"
            }
        }
    }

    /// Closes the local wire that `close()` left open once its last reply has come.
    func closeDrainedWire() {
        let wire: LocalWireSet? = state.withLock { state in
            guard let wire = state.closingWire, state.slots.isEmpty else { return nil }
            state.closingWire = nil
            return wire
        }
        wire?.close()
    }
}

/// One local-wire connection from the gateway to an executor.
///
/// Requests travel under wire ids of their own — a counter, never reused on the connection —
/// so that a late `cancel`, or a reply to a request the caller gave up on, can never meet a
/// newer request that reuses the client's id.
final class LocalWireChannel: Sendable {
    private let channel: any Channel
    private let problem = Mutex("the executor closed the local wire")
    private let away = Atomic(false)
    private let ids = Mutex(WireIDs())

    private struct WireIDs {
        var next: UInt64 = 1
        /// Wire id → the id the connection knows the request by.
        var sent: [String: String] = [:]
        /// The other way round.
        var wire: [String: String] = [:]
    }

    private init(channel: any Channel) {
        self.channel = channel
    }

    var eventLoop: any EventLoop { channel.eventLoop }

    /// Runs `body` once the connection has closed.
    func whenClosed(_ body: @escaping @Sendable () -> Void) {
        channel.closeFuture.whenComplete { _ in body() }
    }

    /// Connects on `loop` and exchanges `hello`; nil when nobody offers the local wire at `path`.
    static func connect(path: String, connection: ExecutorConnection, on loop: any EventLoop) async -> LocalWireChannel? {
        let greeted = loop.makePromise(of: UInt16.self)
        let holder = WireHolder()
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: greeted.futureResult.eventLoop)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandlers([
                            ByteToMessageHandler(LocalFrameDecoder()),
                            MessageToByteHandler(LocalFrameEncoder()),
                            LocalWireClientHandler(connection: connection, holder: holder, greeted: greeted),
                        ])
                    }
                }
                .connect(unixDomainSocketPath: path)
                .get()
        } catch {
            greeted.fail(error)
            return nil
        }
        let wire = LocalWireChannel(channel: channel)
        holder.wire = wire
        channel.writeAndFlush(LocalFrame.hello(version: LocalFrame.version), promise: nil)
        let deadline = channel.eventLoop.scheduleTask(in: .nanoseconds(
            Int64(ExecutorConnection.localWireHelloTimeout.components.seconds) * 1_000_000_000)) {
            greeted.fail(LocalFrameError.helloTimeout)
        }
        defer { deadline.cancel() }
        do {
            _ = try await greeted.futureResult.get()
            return wire
        } catch {
            channel.close(promise: nil)
            return nil
        }
    }

    /// Writes request `id`; false when the connection is gone.
    func send(_ message: Jina_DataRequestProtoWoData, id: String, metadata: [String: String] = [:]) -> Bool {
        guard channel.isActive else { return false }
        let bytes: [UInt8]
        do {
            bytes = try message.serializedBytes()
        } catch {
            return false
        }
        let wireID: String = ids.withLock { ids in
            let wireID = String(ids.next)
            ids.next += 1
            ids.sent[wireID] = id
            ids.wire[id] = wireID
            return wireID
        }
        let frame = LocalFrame.request(id: wireID, metadata: metadata, message: channel.allocator.buffer(bytes: bytes))
        channel.writeAndFlush(frame, promise: nil)
        return true
    }

    /// The caller gave up on `id`: the executor is told, and a reply to it is ignored.
    func cancel(_ id: String) {
        let wireID: String? = ids.withLock { ids in
            guard let wireID = ids.wire.removeValue(forKey: id) else { return nil }
            ids.sent[wireID] = nil
            return wireID
        }
        if let wireID { channel.writeAndFlush(LocalFrame.cancel(id: wireID), promise: nil) }
    }

    /// The id of the request a reply or failure under `wireID` answers (once); nil when the
    /// caller has given up on it.
    func answered(_ wireID: String) -> String? {
        ids.withLock { ids in
            guard let id = ids.sent.removeValue(forKey: wireID) else { return nil }
            ids.wire[id] = nil
            return id
        }
    }

    func close() {
        channel.close(promise: nil)
    }

    /// Records why the connection is about to close.
    func noteProblem(_ text: String) {
        problem.withLock { $0 = text }
    }

    /// The executor sent `goAway` here: it closes once its replies are written.
    var wentAway: Bool { away.load(ordering: .acquiring) }

    func noteWentAway() {
        away.store(true, ordering: .releasing)
        noteProblem("the executor is shutting down")
    }

    /// Waits until the connection has closed (closing it when the calling task is cancelled);
    /// why it closed.
    func closed() async -> String {
        await withTaskCancellationHandler {
            try? await channel.closeFuture.get()
        } onCancel: {
            channel.close(promise: nil)
        }
        return problem.withLock { $0 }
    }
}

/// Lets the handler reach the `LocalWireChannel` made after the pipeline.
private final class WireHolder: @unchecked Sendable {
    // Written once before the `hello` is sent; read on the event loop after the answer.
    var wire: LocalWireChannel?
}

/// Reads the executor's frames on the event loop and hands replies to the connection.
private final class LocalWireClientHandler: ChannelInboundHandler {
    typealias InboundIn = LocalFrame

    private let connection: ExecutorConnection
    private let holder: WireHolder
    private let greeted: EventLoopPromise<UInt16>

    init(connection: ExecutorConnection, holder: WireHolder, greeted: EventLoopPromise<UInt16>) {
        self.connection = connection
        self.holder = holder
        self.greeted = greeted
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .hello(let version):
            greeted.succeed(version)
        case .reply(let wireID, let message):
            guard let id = holder.wire?.answered(wireID) else { return }
            do {
                let reply = try ExecutorConnection.Message(serializedBytes: Array(message.readableBytesView))
                connection.deliver(reply, sentID: id)
            } catch {
                connection.settle(id, .failed("the executor's reply is not a DataRequestProto: \(error)"))
            }
        case .failure(let wireID, let reason, let message):
            guard let id = holder.wire?.answered(wireID) else { return }
            connection.settle(id, reason == .unavailable ? .unavailable(message) : .failed(message))
        case .goAway:
            if let wire = holder.wire {
                wire.noteWentAway()
                connection.executorWentAway(wire)
            }
        case .request, .cancel:
            holder.wire?.noteProblem("the executor sent a frame only a gateway sends")
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        greeted.fail(LocalFrameError.closed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        holder.wire?.noteProblem("local wire: \(error)")
        context.close(promise: nil)
    }
}

extension LocalFrameError {
    static let helloTimeout = LocalFrameError("the executor did not answer hello")
    static let closed = LocalFrameError("the connection closed")
}

extension ExecutorConnection {
    /// What carries requests right now: `local`, `stream`, or nil while not connected (tests and
    /// debug logs).
    var openOutlet: String? {
        state.withLock { state in
            switch state.phase {
            case .open(.local): "local"
            case .open(.stream): "stream"
            case .connecting, .closed: nil
            }
        }
    }
}
