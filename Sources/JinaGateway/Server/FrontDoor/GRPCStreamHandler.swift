import GRPCCore
import JinaCore
import JinaObservability
import JinaProto
import Logging
import NIOCore
import NIOHPACK
import NIOHTTP2

/// One HTTP/2 stream of the gateway's gRPC front door. The two data methods are served here,
/// on the event loop, with one task per request for the routing itself:
///
/// * `jina.JinaSingleDataRequestRPC/process_single_data`: one message in, one reply out (an
///   error reply carries `is-error: true` in the trailers);
/// * `jina.JinaRPC/Call`: requests routed concurrently (at most `prefetch` at once, 0 = no
///   limit: past it the stream stops reading, so HTTP/2 flow control holds the client back) and
///   answered in completion order — or in the order they came when the client sends Jina's
///   `__results_in_order__: true` metadata (`Client.post(results_in_order=True)`: a finished
///   reply then waits for the ones before it, and counts as in flight until it is written);
///   when the client half-closes, or the gateway drains (then it
///   takes no more requests), the stream ends with status OK once every reply is written.
///
/// Every other method is forwarded to grpc-swift in process (`InProcessServices`).
final class GRPCStreamHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias OutboundIn = HTTP2Frame.FramePayload
    typealias OutboundOut = HTTP2Frame.FramePayload

    private enum Mode {
        case awaitingHeaders
        case unary
        case call
        case forwarded(AsyncStream<[UInt8]>.Continuation)
        case done
    }

    private let context: FrontDoorContext
    private var mode = Mode.awaitingHeaders
    private var reader: GRPCMessageReader
    private var channelContext: ChannelHandlerContext?
    private var headersSent = false
    /// The client's trace context (`traceparent`, `tracestate`) when tracing is on.
    private var traceHeaders: [String: String]?
    /// The client half-closed (END_STREAM): what is in `reader` is all there is.
    private var clientDone = false
    /// The gateway drains: no more requests are taken from this stream.
    private var intakeClosed = false
    private var readHeld = false
    private var unaryMessage: ByteBuffer?
    private var inFlight = 0
    /// `__results_in_order__`: replies are written in request order.
    private var inOrder = false
    /// In-order mode: finished replies waiting for earlier ones, by request number.
    private var heldReplies: [Int: (frame: ByteBuffer?, isError: Bool)] = [:]
    /// In-order mode: the request number whose reply goes out next.
    private var nextToWrite = 0
    private var tasks: [Int: Task<Void, Never>] = [:]
    private var nextTask = 0
    private var deadline: Scheduled<Void>?

    init(context: FrontDoorContext) {
        self.context = context
        reader = GRPCMessageReader(maxMessageBytes: context.backend.limits.maxRequestBytes)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        channelContext = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        channelContext = nil
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .headers(let headers):
            if case .awaitingHeaders = mode {
                start(headers.headers, context: context)
            }
            if headers.endStream { endOfInput(context: context) }
        case .data(let data):
            guard case .byteBuffer(let bytes) = data.data else { return }
            received(bytes, context: context)
            if data.endStream { endOfInput(context: context) }
        default:
            break
        }
    }

    private func start(_ headers: HPACKHeaders, context: ChannelHandlerContext) {
        let path = headers.first(name: ":path") ?? ""
        guard headers.first(name: "content-type")?.hasPrefix("application/grpc") == true else {
            finish(rawStatus: "415", context: context)
            return
        }
        if let encoding = headers.first(name: "grpc-encoding"), encoding != "identity" {
            fail(.unimplemented, "compression \(encoding) is not supported; send messages uncompressed", context: context,
                 metadata: [("grpc-accept-encoding", "identity")])
            return
        }
        if let limit = GRPCHeaders.timeout(headers.first(name: "grpc-timeout")) {
            let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
            deadline = context.eventLoop.scheduleTask(in: .nanoseconds(Self.nanoseconds(limit))) {
                bound.value.deadlineExceeded()
            }
        }
        switch path {
        case FrontDoorContext.unaryPath, FrontDoorContext.callPath:
            if RequestTracing.isOn {
                traceHeaders = [:]
                for key in RequestTracing.headerNames { traceHeaders?[key] = headers.first(name: key) }
            }
            if let problem = self.context.authorizationProblem(path: path, header: headers.first(name: "authorization")) {
                fail(.unauthenticated, problem, context: context)
                return
            }
            if self.context.backend.phase.phase == .draining {
                fail(.unavailable, "the gateway is shutting down", context: context)
                return
            }
            if path == FrontDoorContext.unaryPath {
                mode = .unary
            } else {
                mode = .call
                inOrder = headers.first(name: "__results_in_order__")?.lowercased() == "true"
            }
        default:
            forward(path: path, headers: headers, context: context)
        }
    }

    private func received(_ bytes: ByteBuffer, context: ChannelHandlerContext) {
        switch mode {
        case .call where intakeClosed:
            break  // draining: what the client still sends is not taken
        case .unary, .call:
            reader.append(bytes)
            takeMessages(context: context)
        case .forwarded(let messages):
            reader.append(bytes)
            do {
                while let message = try reader.next() { messages.yield(Array(message.readableBytesView)) }
            } catch {
                messages.finish()
                fail(problem: error, context: context)
            }
        case .awaitingHeaders, .done:
            break
        }
    }

    private func endOfInput(context: ChannelHandlerContext) {
        clientDone = true
        switch mode {
        case .unary:
            guard let message = unaryMessage else {
                fail(reader.hasPartialMessage ? .internalError : .unimplemented,
                     reader.hasPartialMessage ? "the request message ended early" : "process_single_data needs one request message",
                     context: context)
                return
            }
            unaryMessage = nil
            route(message, context: context)
        case .call:
            takeMessages(context: context)
            finishIfDone(context: context)
        case .forwarded(let messages):
            messages.finish()
        case .awaitingHeaders, .done:
            break
        }
    }

    /// Reads whole messages out of what has arrived, as far as `prefetch` allows.
    private func takeMessages(context: ChannelHandlerContext) {
        do {
            switch mode {
            case .unary:
                while let message = try reader.next() {
                    guard unaryMessage == nil else {
                        fail(.unimplemented, "process_single_data takes exactly one request message", context: context)
                        return
                    }
                    unaryMessage = message
                }
            case .call:
                while !intakeClosed, !atLimit(context), let message = try reader.next() {
                    route(message, context: context)
                }
            default:
                break
            }
        } catch {
            fail(problem: error, context: context)
        }
    }

    private var atPrefetchLimit: Bool {
        let prefetch = context.backend.gateway.prefetch
        return prefetch > 0 && inFlight >= prefetch
    }

    /// No more requests for now: `prefetch` of them are in flight, or the replies are not
    /// being read (the stream cannot take more writes) — either way the client waits.
    private func atLimit(_ context: ChannelHandlerContext) -> Bool {
        atPrefetchLimit || !context.channel.isWritable
    }

    // MARK: Routing

    private func route(_ bytes: ByteBuffer, context: ChannelHandlerContext) {
        let message: Jina_DataRequestProtoWoData
        do {
            message = try Jina_DataRequestProtoWoData(serializedBytes: Array(bytes.readableBytesView))
        } catch {
            fail(.internalError, "the request is not a jina.DataRequestProto: \(error)", context: context)
            return
        }
        let request = LazyDataRequest(head: message)
        let backend = self.context.backend
        inFlight += 1
        let id = nextTask
        nextTask += 1
        let loop = context.eventLoop
        let bound = NIOLoopBound(self, eventLoop: loop)
        let allocator = context.channel.allocator
        let traceHeaders = self.traceHeaders
        tasks[id] = Task {
            @Sendable func send(_ reply: LazyDataRequest) {
                let frame = (try? reply.head.serializedBytes() as [UInt8]).map { GRPCMessageReader.frame($0, allocator: allocator) }
                let isError = reply.isError
                loop.execute { bound.value.replied(id, frame, isError: isError) }
            }
            if let rejected = backend.limits.rejection(of: request) {
                send(rejected)
            } else {
                // The reply goes out as soon as it is known; floating executors may still run.
                await RequestTracing.withIncoming({ traceHeaders?[$0] }) {
                    await backend.router.route(request) { send($0) }
                }
            }
        }
    }

    private func replied(_ id: Int, _ frame: ByteBuffer?, isError: Bool) {
        tasks[id] = nil
        if inOrder, case .call = mode {
            heldReplies[id] = (frame, isError)
            while let next = heldReplies.removeValue(forKey: nextToWrite) {
                nextToWrite += 1
                write(reply: next.frame, isError: next.isError)
            }
            return
        }
        write(reply: frame, isError: isError)
    }

    private func write(reply frame: ByteBuffer?, isError: Bool) {
        inFlight -= 1
        guard let context = channelContext, !isDone else { return }
        guard let frame else {
            fail(.internalError, "the reply could not be encoded", context: context)
            return
        }
        sendHeadersIfNeeded(context: context)
        context.write(wrapOutboundOut(.data(.init(data: .byteBuffer(frame)))), promise: nil)
        if case .unary = mode {
            end(GRPCHeaders.trailers(nil, metadata: isError ? [("is-error", "true")] : []), context: context)
            return
        }
        context.flush()
        resumeIntake(context: context)
    }

    /// Takes what waits in `reader`, reads more when below the limits, and ends the stream
    /// when everything is answered.
    private func resumeIntake(context: ChannelHandlerContext) {
        takeMessages(context: context)
        if readHeld, !atLimit(context), !isDone {
            readHeld = false
            context.read()
        }
        finishIfDone(context: context)
    }

    private func finishIfDone(context: ChannelHandlerContext) {
        guard case .call = mode, inFlight == 0 else { return }
        if intakeClosed || (clientDone && !reader.hasWholeMessage) {
            if clientDone, !intakeClosed, reader.hasPartialMessage {
                fail(.internalError, "the last request message ended early", context: context)
                return
            }
            sendHeadersIfNeeded(context: context)
            end(GRPCHeaders.trailers(nil), context: context)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, case .call = mode {
            // Later, not now: NIO can report the stream writable from inside a write. A reply
            // above the stream channel's high watermark (8196 bytes) makes the stream unwritable,
            // and NIOHTTP2Handler counts that DATA frame as written before it encodes it; ending
            // the stream here (the client has half-closed, nothing is in flight) would put the
            // trailers on the wire ahead of the reply, and the client would drop the reply.
            let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
            context.eventLoop.execute {
                let handler = bound.value
                guard let context = handler.channelContext, case .call = handler.mode, context.channel.isWritable else { return }
                handler.resumeIntake(context: context)
            }
        }
        context.fireChannelWritabilityChanged()
    }

    /// User event: the gateway drains (see `GRPCFrontDoor.drain()`). A `Call` stream stops
    /// taking requests and ends once it has answered what it holds.
    struct Drain {}

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is Drain else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        guard case .call = mode, !intakeClosed else { return }
        intakeClosed = true
        finishIfDone(context: context)
    }

    // MARK: Forwarded methods

    private func forward(path: String, headers: HPACKHeaders, context: ChannelHandlerContext) {
        let (messages, messagesIn) = AsyncStream.makeStream(of: [UInt8].self)
        mode = .forwarded(messagesIn)
        let loop = context.eventLoop
        let bound = NIOLoopBound(self, eventLoop: loop)
        let allocator = context.channel.allocator
        let sink = ResponseSink(
            headers: { pairs in
                loop.execute {
                    guard let context = bound.value.channelContext, !bound.value.isDone else { return }
                    bound.value.sendHeadersIfNeeded(context: context, extra: pairs)
                }
            },
            message: { bytes in
                let frame = GRPCMessageReader.frame(bytes, allocator: allocator)
                loop.execute {
                    guard let context = bound.value.channelContext, !bound.value.isDone else { return }
                    bound.value.sendHeadersIfNeeded(context: context)
                    context.writeAndFlush(bound.value.wrapOutboundOut(.data(.init(data: .byteBuffer(frame)))), promise: nil)
                }
            },
            finish: { code, message, pairs in
                loop.execute {
                    guard let context = bound.value.channelContext, !bound.value.isDone else { return }
                    let handler = bound.value
                    handler.fail(code, message, context: context, metadata: pairs)
                }
            })
        let services = self.context.services
        let id = nextTask
        nextTask += 1
        tasks[id] = Task {
            await services.forward(path: path, headers: headers, messages: messages, sink: sink)
            loop.execute { bound.value.tasks[id] = nil }
        }
    }

    // MARK: Outbound

    func read(context: ChannelHandlerContext) {
        if case .call = mode, !intakeClosed, atLimit(context) {
            readHeld = true
        } else {
            context.read()
        }
    }

    private func sendHeadersIfNeeded(context: ChannelHandlerContext, extra: [(String, String)] = []) {
        guard !headersSent else { return }
        headersSent = true
        var headers = GRPCHeaders.response
        for (name, value) in extra { headers.add(name: name, value: value) }
        context.write(wrapOutboundOut(.headers(.init(headers: headers))), promise: nil)
    }

    private var isDone: Bool {
        if case .done = mode { true } else { false }
    }

    /// Ends the stream with `trailers`.
    private func end(_ trailers: HPACKHeaders, context: ChannelHandlerContext) {
        guard !isDone else { return }
        closeIntake()
        writeLast(.headers(.init(headers: trailers, endStream: true)), context: context)
        cancelWork()
    }

    /// Writes the stream's last frame. A client still sending is then told to stop (the stream
    /// closes, which resets it): its requests would not be read.
    private func writeLast(_ frame: HTTP2Frame.FramePayload, context: ChannelHandlerContext) {
        readHeld = false
        if clientDone {
            context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
        } else {
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(frame)).whenComplete { _ in channel.close(promise: nil) }
        }
    }

    /// Ends the stream with status `code` (nil = OK), as trailers only when nothing was sent yet.
    private func fail(_ code: RPCError.Code?, _ message: String, context: ChannelHandlerContext, metadata: [(String, String)] = []) {
        guard !isDone else { return }
        if headersSent {
            end(GRPCHeaders.trailers(code, message: message, metadata: metadata), context: context)
        } else {
            closeIntake()
            let headers = GRPCHeaders.trailersOnly(code, message: message, metadata: metadata)
            writeLast(.headers(.init(headers: headers, endStream: true)), context: context)
        }
        cancelWork()
    }

    private func fail(problem: GRPCMessageProblem, context: ChannelHandlerContext) {
        switch problem {
        case .compressed:
            fail(.internalError, "a compressed message arrived, but no grpc-encoding was agreed", context: context)
        case .tooLarge(let size):
            fail(.resourceExhausted,
                 "the request message is \(size) bytes; the gateway accepts at most \(reader.maxMessageBytes) (max_request_bytes)",
                 context: context)
        }
    }

    private func finish(rawStatus: String, context: ChannelHandlerContext) {
        closeIntake()
        writeLast(.headers(.init(headers: [":status": rawStatus], endStream: true)), context: context)
    }

    private func closeIntake() {
        if case .forwarded(let messages) = mode { messages.finish() }
        mode = .done
        deadline?.cancel()
        deadline = nil
    }

    private func cancelWork() {
        for task in tasks.values { task.cancel() }
        tasks = [:]
    }

    private func deadlineExceeded() {
        deadline = nil
        guard let context = channelContext, !isDone else { return }
        fail(.deadlineExceeded, "the call's deadline (grpc-timeout) passed", context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        // The client reset the stream or the connection went away: nobody waits for replies.
        if case .forwarded(let messages) = mode { messages.finish() }
        mode = .done
        deadline?.cancel()
        cancelWork()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.context.logger.debug("gRPC stream: \(error)")
        context.close(promise: nil)
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds.multipliedReportingOverflow(by: 1_000_000_000).overflow
            ? Int64.max : seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
