import Synchronization

/// A stream of requests as the stream engine reads it: `next()` is called by one task at a
/// time, and a nil is the end of the stream.
public protocol RequestSource: Sendable {
    associatedtype Request: Sendable
    func next() async throws -> Request?
}

/// The one stream engine of every request stream we serve — the gateway's `Call`
/// (`DataRequestService`), the executor's `Call` (`CallService`) and WebSocket connections:
///
/// * **intake**: a permit is taken before each read, so at most `permits` requests of a stream
///   are between being read and being finished with (their reply written); a client that
///   pipelines without end, or never reads its replies, is simply not read further. Reading
///   stops at the end of the stream, on a read error, or when the server drains.
/// * **processing**: every request read runs concurrently, in a child task.
/// * **writer**: replies are written in completion order, everything queued at once.
/// * **drain**: the intake stops taking requests, the ones read are processed and answered,
///   then the stream ends (`Ending.drained` tells the caller, which decides the status).
public enum RequestStream {
    public enum Ending: Sendable, Equatable {
        /// The client ended its stream (or its reads failed after the last request).
        case ended
        /// The server began draining; requests sent after that were not read.
        case drained
    }

    /// What the writer does after a write fails (the client went away).
    public enum WriteFailure: Sendable {
        /// Throw at once, which cancels the stream.
        case stop
        /// Drop the remaining replies (still giving their permits back, so the intake is never
        /// stuck) and throw once the queue is finished.
        case dropTheRest
    }

    /// Reads `source` and processes each request with `process`; returns once the intake has
    /// stopped and every request read has been processed. A read error is thrown after that.
    public static func intake<Source: RequestSource>(
        _ source: Source, permits: AsyncPermits?, phase: ServingPhase,
        process: @escaping @Sendable (Source.Request) async -> Void
    ) async throws -> Ending {
        let (incoming, incomingIn) = AsyncThrowingStream.makeStream(of: Source.Request.self)
        let drained = OnceFlag()
        try await withThrowingTaskGroup(of: Void.self) { sources in
            sources.addTask {
                do {
                    while true {
                        try await permits?.acquire()
                        guard let request = try await source.next() else {
                            permits?.release()
                            break
                        }
                        incomingIn.yield(request)
                    }
                    incomingIn.finish()
                } catch is CancellationError {
                    incomingIn.finish()
                } catch {
                    incomingIn.finish(throwing: error)
                }
            }
            sources.addTask {
                await phase.waitUntilDraining()
                if !Task.isCancelled { drained.set() }
                incomingIn.finish()
            }
            var failure: (any Error)?
            await withDiscardingTaskGroup { processors in
                do {
                    for try await request in incoming {
                        processors.addTask { await process(request) }
                    }
                } catch {
                    failure = error
                }
            }
            sources.cancelAll()
            if let failure { throw failure }
        }
        return drained.isSet ? .drained : .ended
    }

    /// Writes what `replies` holds as it comes until it is finished, giving back one of
    /// `permits` per reply written (nil: the processing gives them back).
    public static func write<Reply: Sendable>(
        _ replies: OutboundQueue<Reply>, permits: AsyncPermits?, onFailure: WriteFailure,
        _ write: ([Reply]) async throws -> Void
    ) async throws {
        var failure: (any Error)?
        while let batch = await replies.next() {
            if failure == nil {
                do {
                    try await write(batch)
                } catch {
                    if case .stop = onFailure { throw error }
                    failure = error
                }
            }
            permits?.release(batch.count)
        }
        if let failure { throw failure }
    }
}

/// An async sequence read as a request source (its iterator is used by one task at a time, as
/// `RequestSource` promises).
public final class SequenceSource<Base: AsyncSequence & Sendable>: RequestSource, @unchecked Sendable
where Base.Element: Sendable {
    private var iterator: Base.AsyncIterator

    public init(_ base: Base) {
        iterator = base.makeAsyncIterator()
    }

    public func next() async throws -> Base.Element? {
        try await iterator.next()
    }
}
