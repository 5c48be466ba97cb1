/// What a replica's supervisor reports to the Flow runner.
enum SupervisorEvent: Sendable {
    /// The process answered its health check. `restart` is 0 for the first start.
    case ready(ReplicaPlan, pid: Int32, after: Duration, restart: Int)
    /// The first start failed: the Flow cannot run. The supervisor has ended.
    case failedToStart(ReplicaPlan, StartFailure)
    /// A process that had started died (or a restart failed); it starts again after `restartIn`.
    case died(ReplicaPlan, reason: String, stderr: [String], restartIn: Duration)
}

/// Why an executor process did not become ready.
struct StartFailure: Sendable, Equatable {
    /// `exited with status 1`, `was not ready within 60 s`, `cannot be started: …`.
    var reason: String
    /// The last lines of its stderr.
    var stderr: [String]
}
