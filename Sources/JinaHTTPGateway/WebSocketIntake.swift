import HummingbirdWebSocket
import JinaCore
import NIOCore

/// The reading side of a WebSocket data connection, and how it ends.
///
/// Messages go to `incoming` until the client ends its stream (the single byte `0x00`), closes,
/// or the gateway drains. After the `0x00` the connection is still read (anything more is
/// ignored) until every reply is written; then the server closes, as Python Jina's gateway does,
/// and the WebSocket library waits for the client's close frame (the close handshake). An
/// earlier version waited up to 2 s for the client to close first, because Jina's client had
/// been seen dropping a reply that came together with the close; that no longer happens (0
/// of 2,300 posts, debug and release, also under CPU contention), and every `Client.post` over
/// WebSocket paid the 2 s (docs/reliability.md, the soak).
enum WebSocketIntake {
    /// One task of a connection.
    enum Part: Sendable { case reader, writer }

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

    /// Waits, once routing is done, for the writer to write every reply, then stops the reader
    /// (the caller closes the connection).
    static func finish(_ group: inout ThrowingTaskGroup<Part, any Error>) async throws {
        while let part = try await group.next(), part != .writer {}
        group.cancelAll()
    }
}
