/// The Flow runner's "stop now" to every supervisor. Stopping is a message rather than task
/// cancellation on purpose: a cancelled supervisor would stop reading its child's stdout and
/// stderr at once, so the child's last lines (and its shutdown messages) would hit a closed
/// pipe; a message lets each supervisor run the teardown itself and read to the end.
final class StopSignal: Sendable {
    private let signal = GenerationSignal()

    var isFired: Bool { signal.generation > 0 }

    func fire() { signal.fire() }

    /// Returns once `fire()` was called, or when the calling task is cancelled.
    func wait() async { await signal.wait(after: 0) }
}
