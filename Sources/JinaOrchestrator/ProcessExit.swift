#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Dispatch

/// Waiting for a child to end without reaping it: swift-subprocess reaps it and reports the
/// status; we only need to know the moment. A child's pipes close during its exit a little
/// before it becomes a zombie, so "both pipes closed" alone cannot tell that it has ended.
enum ProcessExit {
    /// Returns once `pid` has exited (or is no longer our child, because it was reaped already).
    /// Blocks a Dispatch thread, not the cooperative pool, while the process runs.
    static func wait(_ pid: Int32) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                var info = siginfo_t()
                while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == -1, errno == EINTR {}
                continuation.resume()
            }
        }
    }
}
