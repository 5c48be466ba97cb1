import JinaCore
import JinaProto
import Logging
import NIOCore

/// One local-wire connection at the executor: reads frames on the event loop, runs each request
/// through the runtime in a task of its own, and writes the reply back on the event loop. It
/// holds reads while `maxInFlight` requests are being processed, so a gateway that sends faster
/// than the executor works is slowed by the socket, not by memory.
final class LocalWireServerHandler: ChannelDuplexHandler {
    typealias InboundIn = LocalFrame
    typealias OutboundIn = LocalFrame
    typealias OutboundOut = LocalFrame

    /// User event: the executor is draining.
    struct Drain {}

    private let runtime: ExecutorRuntime
    private let maxInFlight: Int
    private let logger: Logger
    private var context: ChannelHandlerContext?
    private var greeted = false
    private var draining = false
    private var readHeld = false
    /// Requests being processed, by id, with the task that processes them.
    private var working: [String: Task<Void, Never>] = [:]
    /// Ids the client cancelled while they were processed: their replies are not written.
    private var cancelled: Set<String> = []
    private var inFlight = 0
    /// Requests read (a socket read can hold many) but not started: over `maxInFlight`.
    private var waiting: [(id: String, message: ByteBuffer, metadata: [String: String])] = []
    private var waitingStart = 0

    init(runtime: ExecutorRuntime, maxInFlight: Int, logger: Logger) {
        self.runtime = runtime
        self.maxInFlight = max(1, maxInFlight)
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        guard greeted else {
            guard case .hello(let version) = frame, version >= 1 else {
                logger.debug("local wire: a peer that did not greet; closing")
                context.close(promise: nil)
                return
            }
            greeted = true
            context.writeAndFlush(wrapOutboundOut(.hello(version: LocalFrame.version)), promise: nil)
            if draining { context.writeAndFlush(wrapOutboundOut(.goAway), promise: nil) }
            return
        }
        switch frame {
        case .request(let id, let metadata, let message):
            if inFlight >= maxInFlight, !draining {
                waiting.append((id, message, metadata))
            } else {
                accept(id: id, message: message, metadata: metadata, context: context)
            }
        case .cancel(let id):
            if let task = working[id] {
                task.cancel()
                cancelled.insert(id)
            } else if let index = waiting[waitingStart...].firstIndex(where: { $0.id == id }) {
                waiting.remove(at: index)
            }
        case .hello, .reply, .failure, .goAway:
            logger.debug("local wire: unexpected frame from the gateway; closing")
            context.close(promise: nil)
        }
    }

    private func accept(id: String, message: ByteBuffer, metadata: [String: String], context: ChannelHandlerContext) {
        if draining {
            context.writeAndFlush(
                wrapOutboundOut(.failure(id: id, .unavailable, message: "the executor is shutting down")), promise: nil)
            return
        }
        let request: LazyDataRequest
        do {
            // Header, parameters and routes are decoded; the documents stay bytes until the
            // handler's endpoint is known to need them.
            request = LazyDataRequest(head: try Jina_DataRequestProtoWoData(serializedBytes: Array(message.readableBytesView)))
        } catch {
            context.writeAndFlush(
                wrapOutboundOut(.failure(id: id, .invalid, message: "not a DataRequestProto: \(error)")), promise: nil)
            return
        }
        guard working[id] == nil else {
            context.writeAndFlush(
                wrapOutboundOut(.failure(id: id, .invalid, message: "request id \(id) is already in flight")), promise: nil)
            return
        }
        inFlight += 1
        let loop = context.eventLoop
        let bound = NIOLoopBound(self, eventLoop: loop)
        let runtime = self.runtime
        let allocator = context.channel.allocator
        let trace = TraceLookup.of(metadata)
        working[id] = Task {
            let reply = await runtime.process(request, trace: trace)
            let frame: LocalFrame
            do {
                frame = .reply(id: id, message: allocator.buffer(bytes: try reply.head.serializedBytes() as [UInt8]))
            } catch {
                frame = .failure(id: id, .invalid, message: "the reply could not be encoded: \(error)")
            }
            loop.execute { bound.value.finish(id: id, reply: frame) }
        }
    }

    private func finish(id: String, reply: LocalFrame) {
        working[id] = nil
        inFlight -= 1
        guard let context else { return }
        let written = cancelled.remove(id) == nil
            ? context.writeAndFlush(wrapOutboundOut(reply)) : context.eventLoop.makeSucceededVoidFuture()
        while inFlight < maxInFlight, waitingStart < waiting.count {
            let next = waiting[waitingStart]
            waitingStart += 1
            accept(id: next.id, message: next.message, metadata: next.metadata, context: context)
        }
        if waitingStart == waiting.count {
            waiting.removeAll(keepingCapacity: true)
            waitingStart = 0
        }
        if draining, inFlight == 0 {
            closeAfter(written, context: context)
        } else if readHeld, inFlight < maxInFlight {
            readHeld = false
            context.read()
        }
    }

    /// Closes once `write` has reached the socket: a close drops writes still pending.
    private func closeAfter(_ write: EventLoopFuture<Void>, context: ChannelHandlerContext) {
        let channel = context.channel
        write.whenComplete { _ in channel.close(promise: nil) }
    }

    func read(context: ChannelHandlerContext) {
        if inFlight >= maxInFlight, !draining {
            readHeld = true
        } else {
            context.read()
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is Drain else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        guard !draining else { return }
        draining = true
        // Requests read but not started yet are refused: another replica may take them.
        for request in waiting[waitingStart...] {
            context.write(
                wrapOutboundOut(.failure(id: request.id, .unavailable, message: "the executor is shutting down")), promise: nil)
        }
        waiting = []
        waitingStart = 0
        let written = greeted
            ? context.writeAndFlush(wrapOutboundOut(.goAway)) : context.eventLoop.makeSucceededVoidFuture()
        if inFlight == 0 {
            closeAfter(written, context: context)
        } else if readHeld {
            // Keep reading while draining: requests that arrive now are refused at once.
            readHeld = false
            context.read()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        for task in working.values { task.cancel() }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("local wire: \(error); closing the connection")
        context.close(promise: nil)
    }
}
