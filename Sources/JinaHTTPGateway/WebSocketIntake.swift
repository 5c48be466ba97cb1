import HummingbirdWebSocket
import JinaCore
import NIOCore

/// The reading side of a WebSocket data connection, and how it ends.
///
/// Messages go to `incoming` until the client ends its stream (the single byte `0x00`), closes,
/// or the gateway drains. After the `0x00` the connection is still read (anything more is
/// ignored). Once every reply is written the server closes, as Python Jina's gateway does, and
/// the WebSocket library waits for the client's close frame — unless a reply was an error:
/// then the server waits up to `closeGrace` for the client to close first. Jina's client raises
/// an error reply only while its receiving task still runs: when the server's close has already
/// ended that task, it swallows the error and `Client.post` returns as if it had succeeded
/// (about half of single-request failing posts did, measured). Waiting on every connection
/// instead made each `Client.post` over WebSocket take 2 s, since Jina's client never closes
/// first on success.
enum WebSocketIntake {
    /// How long, after an error reply, the server waits for the client to close.
    static let closeGrace: Duration = .seconds(2)

    /// One task of a connection.
    enum Part: Sendable, Equatable {
        case reader
        /// Every reply is written; whether one of them was an error.
        case writer(answeredAnError: Bool)
        case grace
    }

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

    /// Waits, once routing is done, for the writer to write every reply; after an error reply
    /// also for the reader to end (the client closed), at most `closeGrace` longer. Then stops
    /// what is left (the caller closes the connection).
    static func finish(_ group: inout ThrowingTaskGroup<Part, any Error>) async throws {
        var readerDone = false
        var waitForClient = false
        while let part = try await group.next() {
            switch part {
            case .reader:
                readerDone = true
                if waitForClient { break }
                continue
            case .writer(let answeredAnError):
                guard answeredAnError, !readerDone else { break }
                waitForClient = true
                group.addTask {
                    try? await Task.sleep(for: closeGrace)
                    return .grace
                }
                continue
            case .grace:
                break
            }
            break
        }
        group.cancelAll()
    }
}
