#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import JinaCore

/// SIGINT and SIGTERM delivered as an async sequence (`SignalPipe`: caught from the moment
/// `stream()` returns, so none is lost). Children started afterwards get default dispositions
/// again (caught signals are reset by `exec`; swift-subprocess also spawns with
/// `POSIX_SPAWN_SETSIGDEF`).
enum ShutdownSignals {
    static let handled: [Int32] = [SIGINT, SIGTERM]

    static func stream() -> AsyncStream<Int32> {
        SignalPipe.stream(handled)
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
