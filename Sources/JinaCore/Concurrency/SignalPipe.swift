#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// Process signals (SIGTERM, SIGINT…) as async sequences, without a window where one is lost.
///
/// `stream` installs, synchronously with `sigaction`, a handler that writes the signal's number
/// into a pipe (all it does in signal context: `write` is async-signal-safe); a thread of its own
/// reads the pipe and yields each number to every open stream. Once `stream` has returned, a
/// signal is never dropped: it is either handled or waits in the pipe. (Dispatch signal
/// sources, used before, register asynchronously after `resume()`: a SIGTERM sent right after
/// an executor printed its ready line was ignored, and the process never stopped.)
///
/// Children started afterwards get default dispositions again: `exec` resets caught signals.
public enum SignalPipe {
    private struct State {
        var installed = Set<Int32>()
        var next = 0
        var streams: [Int: (signals: Set<Int32>, continuation: AsyncStream<Int32>.Continuation)] = [:]
        var readerStarted = false
    }

    private static let state = Mutex(State())

    /// The pipe's ends, made once (read by the handler, so plain globals).
    nonisolated(unsafe) private static var readEnd: Int32 = -1
    nonisolated(unsafe) private static var writeEnd: Int32 = -1
    private static let pipeMade: Bool = {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return false }
        readEnd = ends[0]
        writeEnd = ends[1]
        // Neither end reaches children; only the handler's writes must never block (the
        // reader thread blocks in read).
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writeEnd, F_SETFL, fcntl(writeEnd, F_GETFL) | O_NONBLOCK)
        return true
    }()

    /// The numbers of `signals` as they arrive, from now until the sequence ends. While any
    /// stream for a signal is open its default action (terminate) does not happen; when the last
    /// one ends, the default action is back.
    public static func stream(_ signals: [Int32]) -> AsyncStream<Int32> {
        let (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
        guard pipeMade else {
            continuation.finish()
            return stream
        }
        let id = state.withLock { state -> Int in
            let id = state.next
            state.next += 1
            state.streams[id] = (Set(signals), continuation)
            for number in signals where state.installed.insert(number).inserted {
                var action = sigaction()
                action.__sigaction_handler.sa_handler = { number in
                    let saved = errno
                    var byte = UInt8(truncatingIfNeeded: number)
                    _ = write(SignalPipe.writeEnd, &byte, 1)
                    errno = saved
                }
                sigemptyset(&action.sa_mask)
                action.sa_flags = SA_RESTART
                sigaction(number, &action, nil)
            }
            if !state.readerStarted {
                state.readerStarted = true
                startReader()
            }
            return id
        }
        continuation.onTermination = { _ in
            state.withLock { state in
                guard let ended = state.streams.removeValue(forKey: id) else { return }
                // A signal nobody listens to any more takes its default action again.
                for number in ended.signals where !state.streams.values.contains(where: { $0.signals.contains(number) }) {
                    signal(number, SIG_DFL)
                    state.installed.remove(number)
                }
            }
        }
        return stream
    }

    /// The thread that turns bytes of the pipe into yields.
    private static func startReader() {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        defer { pthread_attr_destroy(&attributes) }
        var thread = pthread_t()
        _ = pthread_create(&thread, &attributes, { _ in
            var byte: UInt8 = 0
            while true {
                let count = read(SignalPipe.readEnd, &byte, 1)
                if count < 0, errno == EINTR { continue }
                guard count == 1 else { return nil }
                let number = Int32(byte)
                let receivers = SignalPipe.state.withLock { state in
                    state.streams.values.filter { $0.signals.contains(number) }.map(\.continuation)
                }
                for receiver in receivers { receiver.yield(number) }
            }
        }, nil)
    }
}
