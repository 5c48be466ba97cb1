import HummingbirdCore
import Logging
import NIOCore

/// The WebSocket port's connections with a deadline on their opening request: one whose headers
/// have not ended (a blank line) within `deadline` is closed, and so is one still in its headers
/// when the server shuts down. Hummingbird's idle timer and its shutdown handling start only
/// once an upgrade request's headers are complete, so without this a client that sends headers
/// slowly, or none at all (slowloris), held its connection forever — and held up `jina flow`'s
/// stop by 40 s (measured) while it did.
struct HandshakeDeadline<Inner: ServerChildChannel>: ServerChildChannel {
    typealias Value = Inner.Value

    let inner: Inner
    /// nil: no deadline (`idle_timeout: 0`); the close at shutdown still applies.
    let deadline: TimeAmount?

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            // Last so far: after TLS (it sees the plain request), before Hummingbird's handlers.
            try channel.pipeline.syncOperations.addHandler(HeaderDeadlineHandler(deadline: deadline))
        }.flatMap {
            inner.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

/// Closes the connection unless the first request's headers end within `deadline`, or when the
/// server asks connections to quiesce before they have; then steps aside (it passes every byte
/// and event on unchanged).
final class HeaderDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let deadline: TimeAmount?
    private var timer: Scheduled<Void>?
    /// How much of the `\r\n\r\n` that ends the headers the bytes so far end with (0–4), so that
    /// one split across reads is found without keeping or copying any bytes.
    private var matched = 0
    private var done = false

    init(deadline: TimeAmount?) {
        self.deadline = deadline
    }

    func handlerAdded(context: ChannelHandlerContext) {
        guard let deadline else { return }
        let channel = context.channel
        timer = context.eventLoop.scheduleTask(in: deadline) { channel.close(promise: nil) }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if !done, event is ChannelShouldQuiesceEvent {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !done {
            for byte in unwrapInboundIn(data).readableBytesView {
                matched = Self.step(matched, byte)
                if matched == 4 { break }
            }
            if matched == 4 {
                done = true
                timer?.cancel()
                timer = nil
            }
        }
        context.fireChannelRead(data)
    }

    /// The next state of the search for `\r\n\r\n` after `byte`: one more matched, or back to
    /// 1 on a `\r` (the only prefix a mismatch can leave), else 0.
    static func step(_ matched: Int, _ byte: UInt8) -> Int {
        let expected: UInt8 = matched % 2 == 0 ? 13 : 10
        if byte == expected { return matched + 1 }
        return byte == 13 ? 1 : 0
    }
}
