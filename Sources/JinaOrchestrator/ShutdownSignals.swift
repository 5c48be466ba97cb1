#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Dispatch

/// SIGINT and SIGTERM delivered as an async sequence while it is being consumed. Their default
/// action (terminate) is ignored meanwhile and restored when the sequence ends; Dispatch signal
/// sources deliver them, so no code runs in signal context. Children started afterwards get
/// default dispositions again (swift-subprocess spawns with `POSIX_SPAWN_SETSIGDEF`).
enum ShutdownSignals {
    static let handled: [Int32] = [SIGINT, SIGTERM]

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

    /// `SIGINT`, `SIGTERM`, or the number.
    static func name(_ number: Int32) -> String {
        switch number {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        case SIGKILL: "SIGKILL"
        case SIGSEGV: "SIGSEGV"
        case SIGABRT: "SIGABRT"
        case SIGILL: "SIGILL"
        case SIGBUS: "SIGBUS"
        case SIGFPE: "SIGFPE"
        case SIGTRAP: "SIGTRAP"
        case SIGHUP: "SIGHUP"
        case SIGQUIT: "SIGQUIT"
        case SIGPIPE: "SIGPIPE"
        case SIGUSR1: "SIGUSR1"
        case SIGUSR2: "SIGUSR2"
        default: "signal \(number)"
        }
    }
}

/// Dispatch sources are thread-safe but not marked `Sendable`.
private struct SignalSources: @unchecked Sendable {
    let sources: [any DispatchSourceSignal]
    init(_ sources: [any DispatchSourceSignal]) { self.sources = sources }
    func cancel() {
        for source in sources { source.cancel() }
        for number in ShutdownSignals.handled { signal(number, SIG_DFL) }
    }
}
