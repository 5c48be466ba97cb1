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
enum TerminationSignals {
    static let handled: [Int32] = [SIGTERM, SIGINT]

    static func stream() -> AsyncStream<Int32> {
        AsyncStream { continuation in
            let sources = SignalSources(handled.map { number in
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { continuation.yield(number) }
                source.resume()
                return source
            })
            continuation.onTermination = { _ in sources.cancel() }
        }
    }
}

/// Dispatch sources are thread-safe but not marked `Sendable`.
private struct SignalSources: @unchecked Sendable {
    let sources: [any DispatchSourceSignal]
    init(_ sources: [any DispatchSourceSignal]) { self.sources = sources }
    func cancel() { for source in sources { source.cancel() } }
}
