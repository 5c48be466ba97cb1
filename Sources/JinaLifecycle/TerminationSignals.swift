#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import JinaCore

/// SIGTERM and SIGINT as an async sequence (`SignalPipe`): each delivery is yielded instead of
/// terminating the process.
///
/// With `JINA_LIFELINE=stdin` in the environment (set by `jina flow` for its children) and
/// `lifeline` asked for, the end of standard input counts as SIGTERM too: the parent holds the
/// pipe's other end, so when the parent dies — even by SIGKILL — the executor drains and exits
/// instead of lingering.
public enum TerminationSignals {
    public static let handled: [Int32] = [SIGTERM, SIGINT]
    public static let lifelineVariable = "JINA_LIFELINE"

    public static func stream(_ numbers: [Int32] = handled, lifeline: Bool = false) -> AsyncStream<Int32> {
        // The signals are caught before this returns (`SignalPipe`), so one sent right after
        // the ready line is not lost.
        let signals = SignalPipe.stream(numbers)
        guard lifeline, getenv(lifelineVariable).map({ String(cString: $0) }) == "stdin" else { return signals }
        return AsyncStream { continuation in
            let forward = Task {
                for await number in signals { continuation.yield(number) }
            }
            watchLifeline { continuation.yield(SIGTERM) }
            continuation.onTermination = { _ in forward.cancel() }
        }
    }

    /// `SIGINT`, `SIGTERM`, or the number.
    public static func name(_ number: Int32) -> String {
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

    /// Watches standard input and calls `onEnd` once when it reaches end of file (or fails).
    ///
    /// A thread of its own blocks in `read(0)`: a Dispatch read source on stdin crashed
    /// libdispatch's event loop (`_dispatch_event_loop_drain`, a freed registration) when the
    /// source was cancelled at end of file, seen in executors whose `jina flow` was killed.
    private static func watchLifeline(onEnd: @escaping @Sendable () -> Void) {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        defer { pthread_attr_destroy(&attributes) }
        let box = Unmanaged.passRetained(LifelineBox(onEnd)).toOpaque()
        var thread = pthread_t()
        let started = pthread_create(&thread, &attributes, { context in
            let box = Unmanaged<LifelineBox>.fromOpaque(context!).takeRetainedValue()
            var buffer = [UInt8](repeating: 0, count: 512)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
                if count > 0 || (count < 0 && errno == EINTR) { continue }
                break
            }
            box.onEnd()
            return nil
        }, box)
        if started != 0 {
            Unmanaged<LifelineBox>.fromOpaque(box).release()
        }
    }
}

/// Carries the lifeline's callback into its thread.
private final class LifelineBox {
    let onEnd: @Sendable () -> Void
    init(_ onEnd: @escaping @Sendable () -> Void) { self.onEnd = onEnd }
}
