/// What the Flow runner's single event loop reacts to: reports from the replicas' supervisors,
/// the gateway's start and end, and shutdown signals.
enum FlowEvent: Sendable {
    /// A replica answered its health check. `restart` is 0 for the first start.
    case ready(ReplicaPlan, pid: Int32, after: Duration, restart: Int)
    /// A replica's first start failed: the Flow cannot run. Its supervisor has ended.
    case failedToStart(ReplicaPlan, StartFailure)
    /// A replica that had started died (or a restart failed); it starts again after `restartIn`.
    case died(ReplicaPlan, reason: String, stderr: [String], restartIn: Duration)
    /// The gateway listens.
    case gatewayReady([FlowListener])
    /// The gateway returned: nil after a requested stop, else why it failed.
    case gatewayEnded(failure: OrchestratorError?)
    /// SIGINT or SIGTERM (the first one).
    case stopRequested(signal: Int32)
    /// The gateway has stopped (drained, or failed): every executor process gets SIGTERM now.
    /// Reported to observers only.
    case stoppingExecutors
}

/// Why an executor process did not become ready.
struct StartFailure: Sendable, Equatable {
    /// `exited with status 1`, `it was not ready within 60 s …`, `cannot be started: …`.
    var reason: String
    /// The last lines of its output (stderr and stdout, as they came).
    var stderr: [String]
}
