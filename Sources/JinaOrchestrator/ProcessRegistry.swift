#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// The executor processes alive right now, by process id (each leads its own process group),
/// so that a forced stop (a second Ctrl-C) can SIGKILL them all at once without waiting for
/// their supervisors.
final class ProcessRegistry: Sendable {
    private let pids = Mutex<Set<Int32>>([])

    func insert(_ pid: Int32) { pids.withLock { _ = $0.insert(pid) } }
    func remove(_ pid: Int32) { pids.withLock { _ = $0.remove(pid) } }
    var all: Set<Int32> { pids.withLock { $0 } }

    /// SIGKILL to every registered process group.
    func killAll() {
        for pid in all where pid > 0 {
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
        }
    }
}
