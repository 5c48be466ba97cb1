#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
public import Logging
public import ServiceLifecycle

/// The one lifecycle of a `jina` process (an executor, `jina gateway`): its long-lived parts are
/// `Service`s of one `ServiceGroup`, started together and shut down gracefully one after the
/// other in reverse order — so a process lists what others depend on first (telemetry
/// exporters, then metrics, then the server that takes requests), and the server stops taking
/// requests and drains before the rest stops.
///
/// * The first SIGTERM or SIGINT (or, with `lifeline`, the end of standard input) is a graceful
///   shutdown of the group. The signals are caught from before the first service starts
///   (`SignalPipe`), so one sent right after a ready line is never lost — swift-service-lifecycle's
///   own signal handling is not used for that reason, and because it ignores a second
///   graceful signal.
/// * A second signal, or a graceful shutdown that outlasts `gracePeriod`, is cancellation: every
///   service stops at once (or, with `secondSignal: .exit`, the process exits).
/// * Cancelling the task that runs `run()` cancels every service; it does not drain.
public struct ProcessLifecycle: Sendable {
    /// What a second signal during a graceful shutdown does.
    public enum SecondSignal: Sendable {
        /// Cancel every service; `run()` returns normally.
        case stopAtOnce
        /// Exit the process with this status at once.
        case exit(Int32)
    }

    public var services: [any Service]
    /// Whether SIGTERM/SIGINT are handled as above; false leaves them alone (embedding).
    public var handleSignals = true
    /// The signals that stop the process (tests use others, so as not to stop the test run).
    public var signals = TerminationSignals.handled
    /// With `handleSignals`: the end of standard input counts as SIGTERM when the environment
    /// says so (`JINA_LIFELINE=stdin`, set by `jina flow` for its children).
    public var lifeline = false
    public var secondSignal = SecondSignal.stopAtOnce
    /// How long a graceful shutdown may take before what is left is cancelled; nil = no limit.
    public var gracePeriod: Duration?
    public var logger: Logger

    public init(services: [any Service], logger: Logger) {
        self.services = services
        self.logger = logger
    }

    private enum Event: Sendable {
        case signal(Int32)
        case stopAtOnce(String)
        case ended
    }

    /// Runs every service until the group has shut down; rethrows the first service failure.
    public func run() async throws {
        let signals = handleSignals ? TerminationSignals.stream(self.signals, lifeline: lifeline) : nil
        // The service that serves ends the run: when it returns, the others shut down gracefully.
        let configurations = services.map {
            ServiceGroupConfiguration.ServiceConfiguration(service: $0, successTerminationBehavior: .gracefullyShutdownGroup)
        }
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .notice)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: configurations, logger: quiet))
        let (events, sink) = AsyncStream.makeStream(of: Event.self)
        var stoppedAtOnce = false
        do {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask {
                    defer { sink.yield(.ended) }
                    try await group.run()
                }
                if let signals {
                    tasks.addTask {
                        for await number in signals { sink.yield(.signal(number)) }
                    }
                }
                var received = 0
                loop: for await event in events {
                    switch event {
                    case .ended:
                        break loop
                    case .signal(let number) where received == 0:
                        received += 1
                        logger.info("\(TerminationSignals.name(number)) received: draining")
                        await group.triggerGracefulShutdown()
                        if let gracePeriod {
                            tasks.addTask {
                                try? await Task.sleep(for: gracePeriod)
                                if !Task.isCancelled {
                                    sink.yield(.stopAtOnce("the shutdown grace period (\(gracePeriod)) ran out"))
                                }
                            }
                        }
                    case .signal(let number):
                        if case .exit(let status) = secondSignal { exit(status) }
                        sink.yield(.stopAtOnce("\(TerminationSignals.name(number)) received again"))
                    case .stopAtOnce(let reason):
                        guard !stoppedAtOnce else { continue }
                        logger.warning("stopping at once: \(reason)")
                        stoppedAtOnce = true
                        tasks.cancelAll()
                    }
                }
                tasks.cancelAll()
                try await tasks.waitForAll()
            }
        } catch {
            // What a cancelled service throws is how a stop at once ends.
            if stoppedAtOnce { return }
            throw error
        }
    }
}
