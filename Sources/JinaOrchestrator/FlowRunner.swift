#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
public import JinaCore
public import JinaObservability
public import Logging
import Foundation
import JinaLifecycle
import ServiceLifecycle

/// Runs a Flow on this machine: one supervised process per replica of every shard of every
/// local executor, each on its own Unix socket in a private run directory, then the gateway in
/// front of them; until SIGINT/SIGTERM, then a clean stop.
///
/// Life cycle, all structured (one task per child, one for the gateway, one for signals):
/// 1. every process starts at once; each must print its `ready` line and answer a gRPC health
///    check within its `timeout_ready`. The first that fails ends the start-up: everything
///    else is stopped and `run` throws, naming the replica, its exit status and stderr tail.
/// 2. the gateway binds and the ready banner is printed. A replica that dies is reported and
///    restarted with backoff on the same socket; the gateway fails over meanwhile.
/// 3. the first SIGINT/SIGTERM stops the gateway (it drains in-flight requests, bounded), then
///    every process gets SIGTERM, `gracePeriod`, SIGKILL; the run directory is removed and
///    `run` returns. A second signal SIGKILLs every process and exits 128 + signal at once.
public struct FlowRunner: Sendable {
    public struct Options: Sendable {
        /// Between SIGTERM and SIGKILL for each executor process.
        public var gracePeriod: Duration = .seconds(5)
        public var restart: RestartBackoff = .standard
        /// Live progress lines (a terminal) or log lines.
        public var liveProgress: Bool = Console.stderrIsTerminal
        /// Handle SIGINT/SIGTERM (tests that cancel the task instead turn this off).
        public var handleSignals = true
        /// The signals handled (tests use another one, so as not to stop the test run).
        public var stopSignals = TerminationSignals.handled
        /// Sees every event the runner handles (tests wait on these instead of sleeping).
        var observer: (@Sendable (FlowEvent) -> Void)?
        /// Passed to every executor as flags; `json` also makes the executors' lines JSON.
        public var logging: LoggingConfiguration?
        /// Metrics: executor restarts, the gateway's and the aggregated `/metrics`; nil = none.
        public var monitoring: FlowMonitoring?
        /// `--python`: the interpreter of Python executors when `JINA_PYTHON` is not set.
        public var python: String?

        public init() {}
    }

    public let flow: Flow
    public let plan: FlowPlan
    public let runDirectory: RunDirectory
    let gateway: any FlowGateway
    let options: Options
    let logger: Logger
    /// Executors with `reload: true` → the files whose change restarts them.
    var reloadFiles: [String: ReloadFiles] = [:]
    /// Executors with `reload: true` whose executor YAML is read into their flags → how to read
    /// it again.
    var replans: [String: @Sendable (ReplicaPlan) throws -> ReplicaPlan] = [:]

    public init(flow: Flow, plan: FlowPlan, runDirectory: RunDirectory, gateway: any FlowGateway, logger: Logger,
                options: Options = Options()) {
        self.flow = flow
        self.plan = plan
        self.runDirectory = runDirectory
        self.gateway = gateway
        self.logger = logger
        self.options = options
    }

    /// Plans `flow`, checks the gateway's ports, creates the run directory and runs until
    /// stopped. Nothing is started when planning fails.
    /// - Parameters:
    ///   - flowDirectory: the Flow file's folder (absolute), where relative `uses` paths start.
    ///   - executablePath: the `jina` binary that serves built-in executors.
    public static func run(
        flow: Flow, flowDirectory: String, executablePath: String, gateway: any FlowGateway, logger: Logger,
        options: Options = Options()
    ) async throws {
        try PortCheck.ensureFree(host: flow.gateway.host, ports: flow.gateway.ports)
        for path in RunDirectory.removeStale() {
            logger.debug("removed the run directory of a Flow that was killed: \(path)")
        }
        let runDirectory = try RunDirectory.create()
        let plan: FlowPlan
        do {
            let environment = ProcessInfo.processInfo.environment
            plan = try FlowPlan(flow: flow, runDirectory: runDirectory, flowDirectory: flowDirectory,
                                executablePath: executablePath, logging: options.logging,
                                reservedPorts: options.monitoring?.ports ?? [],
                                python: PythonInterpreter.locate(option: options.python, environment: environment),
                                environment: environment)
            // Once, before anything starts: the interpreter must have Jina 3.x and docarray v2.
            if !plan.pythonExecutors.isEmpty { try await PythonInterpreter.check(plan.python) }
        } catch {
            runDirectory.remove()
            throw error
        }
        var runner = FlowRunner(flow: flow, plan: plan, runDirectory: runDirectory, gateway: gateway,
                                logger: logger, options: options)
        for spec in flow.executors where spec.reload && !spec.external {
            let files = ReloadFiles(spec: spec, flowDirectory: flowDirectory)
            if files.isEmpty {
                logger.warning("executor \(spec.name): reload: true, but a built-in has no files of its own to watch")
                continue
            }
            runner.reloadFiles[spec.name] = files
            if case .config = spec.uses, plan.replicas.first(where: { $0.executor == spec.name })?.executable == executablePath {
                runner.replans[spec.name] = { old in
                    let launch = try ExecutorLaunch(spec: spec, flowDirectory: flowDirectory, executablePath: executablePath)
                    guard let name = old.arguments.firstIndex(of: "--name") else { return old }
                    var plan = old
                    plan.arguments = launch.configurationArguments + old.arguments[name...]
                    return plan
                }
            }
        }
        try await runner.run()
    }

    /// Runs until stopped (a signal, or cancellation of the calling task). Removes the run
    /// directory before returning or throwing.
    public func run() async throws {
        defer { runDirectory.remove() }
        // A closed stdout or stderr (`jina flow … | head -1`) must not kill the supervisor and
        // orphan the executors: writes fail with EPIPE instead. Children get default signals.
        signal(SIGPIPE, SIG_IGN)
        let (events, sink) = AsyncStream.makeStream(of: FlowEvent.self)
        let format = options.logging?.format ?? .text
        let console = Console(liveProgress: options.liveProgress && format == .text, logger: logger, format: format)
        options.monitoring?.prepare(plan)
        let processes = ProcessRegistry()
        let stop = StopSignal()
        let outcome: OrchestratorError? = await withTaskGroup(of: Void.self) { root in
            if options.handleSignals {
                let signals = TerminationSignals.stream(options.stopSignals)
                root.addTask {
                    var received = 0
                    for await number in signals {
                        received += 1
                        if received == 1 {
                            sink.yield(.stopRequested(signal: number))
                        } else {
                            forceStop(number, processes: processes)
                        }
                    }
                }
            }
            let outcome = await supervise(events: events, sink: sink, console: console, processes: processes, stop: stop)
            root.cancelAll()
            return outcome
        }
        if let outcome { throw outcome }
    }

    /// Starts the supervisors, waits for start-up, serves, and stops everything; returns the
    /// failure that ended the run, if any.
    private func supervise(
        events: AsyncStream<FlowEvent>, sink: AsyncStream<FlowEvent>.Continuation, console: Console,
        processes: ProcessRegistry, stop: StopSignal
    ) async -> OrchestratorError? {
        let started = ContinuousClock.now
        return await withTaskGroup(of: Void.self, returning: OrchestratorError?.self) { supervision in
            console.startupBegan(plan, executors: flow.executorsWithHeads.map(\.name))
            let reloads = reloadFiles.mapValues { _ in ReloadSignal() }
            for replica in plan.replicas {
                var supervisor = ReplicaSupervisor(
                    plan: replica, gracePeriod: options.gracePeriod, backoff: options.restart, events: sink,
                    processes: processes, console: console, stop: stop)
                supervisor.reload = reloads[replica.executor]
                supervisor.replan = replans[replica.executor]
                supervision.addTask {
                    var supervisor = supervisor
                    await supervisor.run()
                }
            }
            for (executor, signal) in reloads {
                let files = reloadFiles[executor]!
                let logger = self.logger
                supervision.addTask { await Self.watch(executor, files, signal: signal, stop: stop, logger: logger) }
            }
            var iterator = events.makeAsyncIterator()
            var failure: OrchestratorError?
            let startup = await awaitStartup(&iterator, console: console)
            console.startupEnded()
            switch startup {
            case .ready: failure = await serve(&iterator, sink: sink, console: console, started: started)
            case .failed(let error): failure = error
            case .stopped: failure = nil
            }
            if !plan.replicas.isEmpty {
                logger.info("stopping \(plan.replicas.count) executor process\(plan.replicas.count == 1 ? "" : "es")")
            }
            options.observer?(.stoppingExecutors)
            stop.fire()
            await supervision.waitForAll()
            return failure
        }
    }

    /// `reload: true`: restarts the executor's replicas when one of its files changes (its new
    /// content complete), until the Flow stops.
    private static func watch(_ executor: String, _ files: ReloadFiles, signal: ReloadSignal, stop: StopSignal, logger: Logger) async {
        let changes: AsyncStream<String>
        do {
            changes = try FileWatcher.changes(files: files.files, folders: files.folders)
        } catch {
            logger.warning("executor \(executor): \(error.summary); it is not reloaded")
            return
        }
        logger.info("executor \(executor): reloading when \((files.files + files.folders).joined(separator: ", ")) change")
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await path in changes {
                    logger.notice("executor \(executor): \(path) changed: restarting its replicas (reload: true)")
                    signal.fire(reason: path)
                }
            }
            group.addTask { await stop.wait() }
            await group.next()
            group.cancelAll()
        }
    }

    enum StartupOutcome { case ready, failed(OrchestratorError), stopped }

    /// Consumes events until every replica is ready, one fails, or a stop is requested.
    private func awaitStartup(_ iterator: inout AsyncStream<FlowEvent>.Iterator, console: Console) async -> StartupOutcome {
        var ready = Set<String>()
        while ready.count < plan.replicas.count {
            guard let event = await iterator.next() else { return .stopped }
            options.observer?(event)
            switch event {
            case .ready(let replica, _, let after, _):
                if ready.insert(replica.runtimeName).inserted { console.replicaReady(replica, after: after) }
            case .failedToStart(let replica, let failure):
                console.replicaFailed(replica)
                return .failed(Self.startError(replica, failure))
            case .died(let replica, let reason, let stderr, let restartIn):
                ready.remove(replica.runtimeName)
                report(replica, reason: reason, stderr: stderr, restartIn: restartIn)
            case .stopRequested(let signal):
                logger.notice("\(TerminationSignals.name(signal)) received during start-up: stopping")
                return .stopped
            case .gatewayReady, .gatewayEnded, .stoppingExecutors:
                continue
            }
        }
        return .ready
    }

    /// Runs the gateway and reacts to supervision events until a stop (nil) or a gateway failure.
    private func serve(
        _ iterator: inout AsyncStream<FlowEvent>.Iterator, sink: AsyncStream<FlowEvent>.Continuation, console: Console,
        started: ContinuousClock.Instant
    ) async -> OrchestratorError? {
        let front = frontServices(sink: sink)
        return await withTaskGroup(of: Void.self, returning: OrchestratorError?.self) { tasks in
            tasks.addTask { try? await front.run() }
            var stopping = false
            while true {
                guard let event = await iterator.next() else {
                    // The calling task was cancelled: the gateway stops at once, then the executors.
                    tasks.cancelAll()
                    await tasks.waitForAll()
                    return nil
                }
                options.observer?(event)
                switch event {
                case .gatewayReady(let listeners):
                    console.banner(listeners, processes: plan.replicas.count, after: ContinuousClock.now - started,
                                   metrics: options.monitoring?.addresses(plan) ?? [])
                case .gatewayEnded(let failure):
                    tasks.cancelAll()
                    // A cancelled caller cancels the gateway too; its end can arrive before the
                    // stream reports the cancellation, and is then a stop, not a failure.
                    if stopping || Task.isCancelled { return nil }
                    return failure ?? OrchestratorError("the gateway stopped unexpectedly")
                case .stopRequested(let signal):
                    guard !stopping else { continue }
                    stopping = true
                    logger.notice("\(TerminationSignals.name(signal)) received: the gateway drains in-flight requests, then the executors stop")
                    await front.triggerGracefulShutdown()
                case .died(let replica, let reason, let stderr, let restartIn):
                    report(replica, reason: reason, stderr: stderr, restartIn: restartIn)
                case .ready(let replica, let pid, let after, let restart):
                    if restart > 0 {
                        logger.notice("executor \(replica.label) is back (restart \(restart), pid \(pid), ready in \(Console.format(after)))")
                    }
                case .failedToStart, .stoppingExecutors:
                    continue
                }
            }
        }
    }

    /// The Flow's front — the aggregated metrics, then the gateway — as one `ServiceGroup`: a
    /// graceful shutdown drains the gateway first and stops the metrics after it; cancellation
    /// stops both at once. Each reports its end as `gatewayEnded`.
    private func frontServices(sink: AsyncStream<FlowEvent>.Continuation) -> ServiceGroup {
        let gateway = self.gateway
        let addresses = plan.addresses
        var services: [any Service] = []
        if let monitoring = options.monitoring {
            let plan = self.plan
            let logger = self.logger
            services.append(ClosureService {
                do {
                    try await cancelWhenGracefulShutdown { try await monitoring.serve(plan, logger: logger) }
                } catch {
                    if !Task.isCancelled { sink.yield(.gatewayEnded(failure: Self.gatewayError(error))) }
                }
            })
        }
        services.append(ClosureService {
            do {
                try await gateway.run(addresses: addresses) { listeners in sink.yield(.gatewayReady(listeners)) }
                sink.yield(.gatewayEnded(failure: nil))
            } catch {
                sink.yield(.gatewayEnded(failure: Self.gatewayError(error)))
            }
        })
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .notice)
        return ServiceGroup(configuration: ServiceGroupConfiguration(
            services: services.map { .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup) },
            logger: quiet))
    }

    /// A replica died: name, status, stderr tail, and when it comes back.
    private func report(_ replica: ReplicaPlan, reason: String, stderr: [String], restartIn: Duration) {
        options.monitoring?.restarted(replica)
        var message = "executor \(replica.label) \(reason); restarting it in \(Console.format(restartIn))"
        if !stderr.isEmpty {
            message += "; last lines of its output:\n" + stderr.map { "    | \($0)" }.joined(separator: "\n")
        }
        logger.error("\(message)")
    }

    static func startError(_ replica: ReplicaPlan, _ failure: StartFailure) -> OrchestratorError {
        var summary = "executor \(replica.label) could not start: \(failure.reason)"
        if failure.stderr.isEmpty {
            summary += " (it wrote nothing)"
        } else {
            summary += "; last lines of its output:\n" + failure.stderr.map { "    | \($0)" }.joined(separator: "\n")
        }
        return OrchestratorError(summary, hint: "every other executor was stopped; fix the executor and run the Flow again")
    }

    static func gatewayError(_ error: any Error) -> OrchestratorError {
        if let error = error as? OrchestratorError { return error }
        if let error = error as? any UserFacingError {
            return OrchestratorError(error.kind, "the gateway could not run: \(error.summary)", hint: error.hint)
        }
        return OrchestratorError("the gateway could not run: \(error)")
    }

    /// The second signal: no more waiting.
    private func forceStop(_ signal: Int32, processes: ProcessRegistry) -> Never {
        Console.write(fd: 2, "\(TerminationSignals.name(signal)) received again: killing every executor process now\n")
        processes.killAll()
        runDirectory.remove()
        _exit(128 + signal)
    }
}
