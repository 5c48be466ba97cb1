#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Subprocess
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// Runs one replica process for the life of the Flow: starts it, waits until it is ready,
/// forwards its stderr, and restarts it with backoff when it dies. `stop` ends it: SIGTERM to
/// its process group, `gracePeriod`, then SIGKILL, while its output is read to the end.
/// (Cancelling the task also stops the process, through swift-subprocess's own teardown.)
///
/// The process is spawned in its own process group (so it and anything it forks are signalled
/// together, and a Ctrl-C at the terminal reaches only `jina flow`), with a clean signal state,
/// and with its stdin a pipe held open by this process: the "lifeline" an executor may watch
/// to exit when `jina flow` is gone.
struct ReplicaSupervisor: Sendable {
    /// What runs; a reload may give it new arguments (`replan`).
    private(set) var plan: ReplicaPlan
    let gracePeriod: Duration
    let backoff: RestartBackoff
    let events: AsyncStream<FlowEvent>.Continuation
    let processes: ProcessRegistry
    let console: Console
    let stop: StopSignal
    /// `reload: true`: fired when the executor's files change.
    var reload: ReloadSignal?
    /// `reload: true` for an executor YAML: the plan with the file read again (nil = the same).
    var replan: (@Sendable (ReplicaPlan) throws -> ReplicaPlan)?

    /// Tells the child that its standard input is the lifeline: end of file there means
    /// `jina flow` is gone and the executor should stop (as after SIGTERM).
    static let lifelineVariable = "JINA_LIFELINE"

    mutating func run() async {
        var delays = backoff.makeState()
        var restart = 0
        while !Task.isCancelled, !stop.isFired {
            let generation = reload?.generation ?? 0
            let attempt = await runOnce(restart: restart, reloadGeneration: generation)
            if Task.isCancelled || stop.isFired {
                console.logger.debug("executor \(plan.label) stopped: it \(attempt.reason)")
                return
            }
            if let reload, reload.generation > generation {
                // Stopped on purpose, for new code or configuration: start again at once.
                events.yield(.died(plan, reason: "was stopped to reload (\(reload.reason) changed)", stderr: [], restartIn: .zero))
                if let replan {
                    do {
                        plan = try replan(plan)
                    } catch {
                        console.logger.error("executor \(plan.label): \(reload.reason) cannot be used (\(error)); restarting with what it had")
                    }
                }
                restart += 1
                continue
            }
            if restart == 0 && !attempt.becameReady {
                events.yield(.failedToStart(plan, StartFailure(reason: attempt.reason, stderr: attempt.stderr)))
                return
            }
            let delay = delays.delay(afterUptime: attempt.uptime)
            events.yield(.died(plan, reason: attempt.reason, stderr: attempt.stderr, restartIn: delay))
            guard await sleepUnlessStopped(delay) else { return }
            restart += 1
        }
    }

    /// Waits `delay`; false when stopped (or cancelled) meanwhile.
    private func sleepUnlessStopped(_ delay: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                do { try await Task.sleep(for: delay) } catch { return false }
                return true
            }
            group.addTask {
                await stop.wait()
                return false
            }
            let slept = await group.next()!
            group.cancelAll()
            return slept && !stop.isFired && !Task.isCancelled
        }
    }

    /// How one process run ended.
    struct Attempt: Sendable {
        var becameReady: Bool
        var reason: String
        var stderr: [String]
        var uptime: Duration
    }

    private func runOnce(restart: Int, reloadGeneration: Int) async -> Attempt {
        let tail = Locked(StderrTail())
        let notReady = Locked<String?>(nil)
        let started = ContinuousClock.now
        // A Python replica keeps its TCP port across restarts (the gateway knows it): if another
        // program took it meanwhile, say so instead of a bind error deep in Python's log.
        if case .tcp(let host, let port, _) = plan.address, let problem = PortCheck.bindProblem(host: host, port: port) {
            return Attempt(becameReady: false,
                           reason: "cannot listen on \(host):\(port): \(problem) (`ss -ltnp 'sport = :\(port)'` shows who has it)",
                           stderr: [], uptime: .zero)
        }
        var options = PlatformOptions()
        options.processGroupID = 0
        options.teardownSequence = [.send(signal: .terminate, toProcessGroup: true, allowedDurationToNextStep: gracePeriod)]
        var variables = plan.environment
        variables[Self.lifelineVariable] = "stdin"
        let environment = Environment.inherit.updating(
            Dictionary(uniqueKeysWithValues: variables.compactMap { key, value in
                Environment.Key(rawValue: key).map { ($0, Optional(value)) }
            }))
        do {
            let group = Locked<Int32?>(nil)
            // Whatever the executor forked and left behind goes too: its process group outlives
            // it, and the kernel does not hand out a group's id again while the group has members.
            defer { if let leader = group.withLock({ $0 }) { kill(-leader, SIGKILL) } }
            let result = try await Subprocess.run(
                .path(FilePath(plan.executable)),
                arguments: Arguments(executablePathOverride: plan.argumentZero, remainingValues: plan.arguments),
                environment: environment, platformOptions: options,
                input: .inputWriter, output: .sequence, error: .sequence
            ) { execution in
                let pid = execution.processIdentifier.value
                group.withLock { $0 = pid }
                processes.insert(pid)
                defer { processes.remove(pid) }
                return await watch(execution, pid: pid, restart: restart, started: started, tail: tail, notReady: notReady,
                                   reloadGeneration: reloadGeneration)
            }
            let ending: String
            switch result.terminationStatus {
            case .exited(let code): ending = ChildTermination.exited(code).description
            case .signaled(let signal): ending = ChildTermination.signalled(signal).description
            }
            let reason = notReady.withLock { $0 }.map { "\($0); it \(ending)" } ?? ending
            return Attempt(becameReady: result.closureResult, reason: reason, stderr: tail.withLock { $0.lines },
                           uptime: ContinuousClock.now - started)
        } catch {
            return Attempt(becameReady: false, reason: "cannot be started: \(error)", stderr: tail.withLock { $0.lines },
                           uptime: ContinuousClock.now - started)
        }
    }

    /// Reads the child's stdout (for the ready line) and stderr (kept and forwarded) to the end;
    /// meanwhile waits for readiness with the deadline, and for a stop. Returns whether it
    /// became ready. Never throws: a throwing body would make swift-subprocess tear the child
    /// down a second time.
    private func watch(
        _ execution: Execution<CustomWriteInput, SequenceOutput, SequenceOutput>, pid: Int32, restart: Int,
        started: ContinuousClock.Instant, tail: Locked<StderrTail>, notReady: Locked<String?>, reloadGeneration: Int
    ) async -> Bool {
        enum Step: Sendable { case outputEnded, exited, ready(Bool), stopped }
        let (readyLines, readyLine) = AsyncStream.makeStream(of: String.self)
        let teardown: [TeardownStep] = [
            .send(signal: .terminate, toProcessGroup: true, allowedDurationToNextStep: gracePeriod),
        ]
        return await withTaskGroup(of: Step.self) { group in
            group.addTask {
                do {
                    for try await line in execution.standardOutput.strings() {
                        let text = line.trimmingTrailingNewline
                        if text.hasPrefix("ready ") {
                            readyLine.yield(text)
                        } else {
                            // Python Jina logs (and prints a failed import's traceback) on stdout.
                            tail.withLock { $0.append(text) }
                            console.childOutput(plan, text)
                        }
                    }
                } catch {}
                readyLine.finish()
                return .outputEnded
            }
            group.addTask {
                do {
                    for try await line in execution.standardError.strings() {
                        let text = line.trimmingTrailingNewline
                        tail.withLock { $0.append(text) }
                        console.childOutput(plan, text)
                    }
                } catch {}
                return .outputEnded
            }
            group.addTask {
                switch await awaitReadiness(readyLines) {
                case .ready:
                    events.yield(.ready(plan, pid: pid, after: ContinuousClock.now - started, restart: restart))
                    return .ready(true)
                case .ended:
                    return .ready(false)
                case .failed(let reason):
                    notReady.withLock { $0 = reason }
                    await execution.teardown(using: teardown)
                    return .ready(false)
                }
            }
            group.addTask {
                await stop.wait()
                if stop.isFired { await execution.teardown(using: teardown) }
                return .stopped
            }
            if let reload {
                group.addTask {
                    await reload.wait(after: reloadGeneration)
                    if !Task.isCancelled, reload.generation > reloadGeneration { await execution.teardown(using: teardown) }
                    return .stopped
                }
            }
            var ready = false
            var endedOutputs = 0
            for await step in group {
                switch step {
                case .ready(let value):
                    ready = value
                case .outputEnded:
                    endedOutputs += 1
                    // Both pipes closed: the process is ending, or closed them and lives on (then
                    // the stop waiter stays to tear it down later). Either way, wait for the exit.
                    if endedOutputs == 2 {
                        group.addTask {
                            await ProcessExit.wait(pid)
                            return .exited
                        }
                    }
                case .exited:
                    group.cancelAll()
                case .stopped:
                    continue
                }
            }
            return ready
        }
    }

    enum Readiness { case ready, ended, failed(String) }

    /// The ready line within `readyTimeout`, then a SERVING health answer.
    private func awaitReadiness(_ lines: AsyncStream<String>) async -> Readiness {
        enum LineWait: Sendable { case line, ended, timedOut }
        let deadline = plan.readyTimeout.map { ContinuousClock.now + $0 }
        let wait = await withTaskGroup(of: LineWait.self) { group in
            group.addTask { await lines.first { _ in true } == nil ? .ended : .line }
            if let deadline {
                group.addTask {
                    do { try await Task.sleep(until: deadline, clock: .continuous) } catch { return .ended }
                    return .timedOut
                }
            }
            let first = await group.next()!
            group.cancelAll()
            return first
        }
        switch wait {
        case .ended:
            return .ended
        case .timedOut:
            return .failed("it was not ready within \(Self.format(plan.readyTimeout!)) (timeout_ready)")
        case .line:
            guard !Task.isCancelled else { return .ended }
        }
        // A process that has printed its ready line answers at once; 30 s at most, whatever is
        // left of timeout_ready.
        let remaining = deadline.map { $0 - ContinuousClock.now } ?? .seconds(30)
        switch await HealthProbe.check(plan.address, timeout: min(max(remaining, .seconds(1)), .seconds(30))) {
        case .serving: return .ready
        case .notServing(let reason): return Task.isCancelled ? .ended : .failed("it printed its ready line but \(reason)")
        }
    }

    static func format(_ duration: Duration) -> String {
        let milliseconds = Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000) s" }
        return "\(milliseconds) ms"
    }
}

extension StringProtocol {
    var trimmingTrailingNewline: String {
        var text = Substring(self)
        while text.last == "\n" || text.last == "\r" { text = text.dropLast() }
        return String(text)
    }
}
