#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// SIGTERM and SIGINT as an async sequence. While the sequence is being consumed the signals'
/// default action (terminate) is ignored and each delivery is yielded instead; Dispatch signal
/// sources do the delivery, so no handler runs in signal context.
///
/// With `JINA_LIFELINE=stdin` in the environment (set by `jina flow` for its children), the end
/// of standard input counts as SIGTERM too: the parent holds the pipe's other end, so when the
/// parent dies — even by SIGKILL — the executor drains and exits instead of lingering.
enum TerminationSignals {
    static let handled: [Int32] = [SIGTERM, SIGINT]
    static let lifelineVariable = "JINA_LIFELINE"

    static func stream() -> AsyncStream<Int32> {
        AsyncStream { continuation in
            var sources: [any DispatchSourceProtocol] = handled.map { number in
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { continuation.yield(number) }
                source.resume()
                return source
            }
            if getenv(lifelineVariable).map({ String(cString: $0) }) == "stdin" {
                sources.append(lifeline { continuation.yield(SIGTERM) })
            }
            let all = Sources(sources)
            continuation.onTermination = { _ in all.cancel() }
        }
    }

    /// Watches standard input and calls `onEnd` once when it reaches end of file (or fails).
    private static func lifeline(onEnd: @escaping @Sendable () -> Void) -> any DispatchSourceRead {
        let source = DispatchSource.makeReadSource(fileDescriptor: 0, queue: .global())
        source.setEventHandler {
            var buffer = [UInt8](repeating: 0, count: 512)
            let count = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if count == 0 || (count < 0 && errno != EINTR && errno != EAGAIN) {
                source.cancel()
                onEnd()
            }
        }
        source.resume()
        return source
    }
}

/// Dispatch sources are thread-safe but not marked `Sendable`.
private struct Sources: @unchecked Sendable {
    let sources: [any DispatchSourceProtocol]
    init(_ sources: [any DispatchSourceProtocol]) { self.sources = sources }
    func cancel() { for source in sources { source.cancel() } }
}
