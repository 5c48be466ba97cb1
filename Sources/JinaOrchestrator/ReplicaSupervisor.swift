#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Subprocess
import Synchronization
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// Runs one replica process for the life of the Flow: starts it, waits until it is ready,
/// forwards its stderr, and restarts it with backoff when it dies. Cancellation stops it:
/// SIGTERM to its process group, `gracePeriod`, then SIGKILL (swift-subprocess's teardown).
///
/// The process is spawned in its own process group (so it and anything it forks are signalled
/// together, and a Ctrl-C at the terminal reaches only `jina flow`), with a clean signal state,
/// and with its stdin a pipe held open by this process: the "lifeline" an executor may watch
/// to exit when `jina flow` is gone.
struct ReplicaSupervisor: Sendable {
    let plan: ReplicaPlan
    let gracePeriod: Duration
    let backoff: RestartBackoff
    let events: AsyncStream<SupervisorEvent>.Continuation
    let processes: ProcessRegistry
    let console: Console

    func run() async {
        var delays = backoff.makeState()
        var restart = 0
        while !Task.isCancelled {
            let attempt = await runOnce(restart: restart)
            if Task.isCancelled { return }
            if restart == 0 && !attempt.becameReady {
                events.yield(.failedToStart(plan, StartFailure(reason: attempt.reason, stderr: attempt.stderr)))
                return
            }
            let delay = delays.delay(afterUptime: attempt.uptime)
            events.yield(.died(plan, reason: attempt.reason, stderr: attempt.stderr, restartIn: delay))
            do { try await Task.sleep(for: delay) } catch { return }
            restart += 1
        }
    }

    /// How one process run ended.
    struct Attempt: Sendable {
        var becameReady: Bool
        var reason: String
        var stderr: [String]
        var uptime: Duration
    }

    private func runOnce(restart: Int) async -> Attempt {
        let tail = Mutex(StderrTail())
        let notReady = Mutex<String?>(nil)
        let started = ContinuousClock.now
        var options = PlatformOptions()
        options.processGroupID = 0
        options.teardownSequence = [.send(signal: .terminate, toProcessGroup: true, allowedDurationToNextStep: gracePeriod)]
        let environment = Environment.inherit.updating(
            Dictionary(uniqueKeysWithValues: plan.environment.map { (Environment.Key(rawValue: $0.key)!, Optional($0.value)) }))
        do {
            let result = try await Subprocess.run(
                .path(FilePath(plan.executable)), arguments: Arguments(plan.arguments), environment: environment,
                platformOptions: options, input: .inputWriter, output: .sequence, error: .sequence
            ) { execution in
                let pid = execution.processIdentifier.value
                processes.insert(pid)
                defer { processes.remove(pid) }
                return await watch(execution, pid: pid, restart: restart, started: started, tail: tail, notReady: notReady)
            }
            let ending: String
            switch result.terminationStatus {
            case .exited(let code): ending = ChildTermination.exited(code).description
            case .unhandledException(let signal): ending = ChildTermination.signalled(signal).description
            }
            let reason = notReady.withLock { $0 }.map { "\($0); it \(ending)" } ?? ending
            return Attempt(becameReady: result.value, reason: reason, stderr: tail.withLock { $0.lines },
                           uptime: ContinuousClock.now - started)
        } catch {
            return Attempt(becameReady: false, reason: "cannot be started: \(error)", stderr: tail.withLock { $0.lines },
                           uptime: ContinuousClock.now - started)
        }
    }

    /// Reads the child's stdout (for the ready line) and stderr (kept and forwarded) until it
    /// ends; meanwhile waits for readiness with the deadline. Returns whether it became ready.
    /// Never throws: a throwing body would make swift-subprocess tear the child down a second time.
    private func watch(
        _ execution: Execution<CustomWriteInput, SequenceOutput, SequenceOutput>, pid: Int32, restart: Int,
        started: ContinuousClock.Instant, tail: Mutex<StderrTail>, notReady: Mutex<String?>
    ) async -> Bool {
        let (readyLines, readyLine) = AsyncStream.makeStream(of: String.self)
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                do {
                    for try await line in execution.standardOutput.strings() {
                        let text = line.trimmingTrailingNewline
                        if text.hasPrefix("ready ") { readyLine.yield(text) } else { console.childOutput(plan.label, text) }
                    }
                } catch {}
                readyLine.finish()
                return false
            }
            group.addTask {
                do {
                    for try await line in execution.standardError.strings() {
                        let text = line.trimmingTrailingNewline
                        tail.withLock { $0.append(text) }
                        console.childOutput(plan.label, text)
                    }
                } catch {}
                return false
            }
            group.addTask {
                let outcome = await awaitReadiness(readyLines)
                switch outcome {
                case .ready:
                    events.yield(.ready(plan, pid: pid, after: ContinuousClock.now - started, restart: restart))
                    return true
                case .ended:
                    return false
                case .failed(let reason):
                    notReady.withLock { $0 = reason }
                    await execution.teardown(using: [
                        .send(signal: .terminate, toProcessGroup: true, allowedDurationToNextStep: gracePeriod),
                    ])
                    return false
                }
            }
            var ready = false
            for await value in group { ready = ready || value }
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
        let remaining = deadline.map { $0 - ContinuousClock.now } ?? .seconds(30)
        switch await HealthProbe.check(socketPath: plan.socketPath, timeout: max(remaining, .seconds(1))) {
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
