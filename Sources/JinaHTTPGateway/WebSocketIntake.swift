import HummingbirdWebSocket
import JinaCore
import NIOCore

/// The reading side of a WebSocket data connection, and how it ends.
///
/// Messages go to `incoming` until the client ends its stream (the single byte `0x00`), closes,
/// or the gateway drains. After the `0x00` the connection stays open and is read (anything more
/// is ignored) until the client closes it: Jina's client drops a reply that reaches it together
/// with the server's close, so the server lets the client close first once every reply is
/// written, and closes itself only after `closeGrace`.
enum WebSocketIntake {
    /// How long, once every reply is written, the server waits for the client to close.
    static let closeGrace: Duration = .seconds(2)

    /// One task of a connection.
    enum Part: Sendable { case reader, writer, grace }

    /// Reads until the client closes or the gateway drains (see the type); `incoming` is finished
    /// at the client's `0x00` or when reading ends. With `permits`, one is taken per message
    /// read and given back by whoever finishes with it (a `0x00` gives its own back).
    static func read(
        _ inbound: WebSocketInboundStream, maxSize: Int, permits: AsyncPermits?, phase: ServingPhase,
        into incoming: AsyncStream<WebSocketSession.Incoming>.Continuation
    ) async throws {
        defer { incoming.finish() }
        try await withThrowingTaskGroup(of: Void.self) { reading in
            reading.addTask {
                var messages = inbound.messages(maxSize: maxSize).makeAsyncIterator()
                var ended = false
                while true {
                    if !ended { try await permits?.acquire() }
                    guard let message = try await messages.next() else {
                        if !ended { permits?.release() }
                        return
                    }
                    if ended { continue }
                    switch message {
                    case .binary(let buffer):
                        if buffer.readableBytes == 1, buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) == 0 {
                            permits?.release()
                            ended = true
                            incoming.finish()
                            continue
                        }
                        incoming.yield(.binary(buffer))
                    case .text(let text):
                        incoming.yield(.text(text))
                    }
                }
            }
            reading.addTask { await phase.waitUntilDraining() }
            _ = try await reading.next()
            reading.cancelAll()
        }
    }

    /// Waits, once routing is done, for the writer to write every reply and then for the reader
    /// to end (the client closed) — at most `closeGrace` after the writer — and stops what is left.
    static func finish(_ group: inout ThrowingTaskGroup<Part, any Error>) async throws {
        var readerDone = false
        var writerDone = false
        while !(readerDone && writerDone), let part = try await group.next() {
            switch part {
            case .reader:
                readerDone = true
            case .writer:
                writerDone = true
                if !readerDone {
                    group.addTask {
                        try? await Task.sleep(for: closeGrace)
                        return .grace
                    }
                }
            case .grace:
                readerDone = true
            }
        }
        group.cancelAll()
    }
}
