import Foundation
import JinaCore
@testable import JinaOrchestrator
import Logging
import ServiceLifecycle
import Testing

/// The runner with real executor processes (the built `jina` binary and small scripts) and a
/// fake gateway: start-up, readiness, failure reports, restarts and a clean stop.
@Suite("running a Flow's processes", .serialized)
struct FlowRunnerTests {
    @Test("every replica starts on its socket, the gateway gets the addresses, and a stop leaves nothing behind")
    func startAndStop() async throws {
        let fixture = try Fixture("""
            executors:
              - name: a
                uses: TextAppend
                uses_with: {text: "!"}
                replicas: 2
              - name: b
                uses: Identity
                shards: 2
            """)
        let gateway = FakeGateway()
        let events = EventLog()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await fixture.runner(gateway: gateway, events: events).run() }
            _ = try await events.wait("the gateway is ready") { if case .gatewayReady = $0 { true } else { false } }
            let addresses = try #require(gateway.addresses)
            #expect(addresses["a"]?.count == 1 && addresses["a"]?[0].count == 2)
            #expect(addresses["b"]?.count == 2 && addresses["b"]?[1].count == 1)
            for replica in fixture.plan.replicas {
                #expect(FileManager.default.fileExists(atPath: replica.socketPath ?? ""), "\(replica.address)")
            }
            let pids = events.readyPIDs
            #expect(pids.count == 4)
            for pid in pids {
                #expect(kill(pid, 0) == 0)
                #expect(getpgid(pid) == pid, "each executor leads its own process group")
            }
            group.cancelAll()
            try await group.waitForAll()
            for pid in pids { #expect(!isAlive(pid), "pid \(pid) still exists") }
        }
        #expect(!fixture.runDirectory.exists)
    }

    @Test("a stop drains the gateway first, with every executor up, and only then stops the executors")
    func shutdownOrder() async throws {
        let fixture = try Fixture("executors:\n  - name: a\n    uses: Identity\n    replicas: 2\n")
        let events = EventLog()
        let gateway = DrainingGateway(events: events)
        try await withThrowingTaskGroup(of: Void.self) { group in
            let runner = fixture.runner(gateway: gateway, events: events, stopSignal: SIGUSR1)
            group.addTask { try await runner.run() }
            _ = try await events.wait("the gateway is ready") { if case .gatewayReady = $0 { true } else { false } }
            let pids = events.readyPIDs
            #expect(pids.count == 2)
            kill(getpid(), SIGUSR1)
            for await _ in gateway.drainBegan { break }
            // The gateway takes no more requests and drains; the executors have not been told to stop.
            #expect(!events.sawStoppingExecutors)
            for pid in pids { #expect(kill(pid, 0) == 0, "executor \(pid) is still up while the gateway drains") }
            gateway.finishIn.yield()
            _ = try await events.wait("the executors are stopped") { if case .stoppingExecutors = $0 { true } else { false } }
            gateway.record(events.sawStoppingExecutors ? "stopping executors" : "-")
            try await group.waitForAll()
            for pid in pids { #expect(!isAlive(pid), "pid \(pid) still exists") }
        }
        #expect(gateway.entries == ["drain began", "drained", "stopping executors"])
    }

    @Test("an executor that exits during start-up is reported with its status and stderr, and the others are stopped")
    func startFailure() async throws {
        let fixture = try Fixture("""
            executors:
              - name: good
                uses: Identity
              - name: broken
                uses: ./broken.sh
            """, scripts: ["broken.sh": "#!/bin/sh\necho 'loading the model' >&2\necho 'boom: model file missing' >&2\nexit 3\n"])
        let events = EventLog()
        await #expect {
            try await fixture.runner(gateway: FakeGateway(), events: events).run()
        } throws: { error in
            guard let error = error as? OrchestratorError else { return false }
            return error.summary.hasPrefix("executor broken could not start: exited with status 3")
                && error.summary.contains("    | boom: model file missing")
                && error.summary.contains("    | loading the model")
        }
        for pid in events.readyPIDs { #expect(!isAlive(pid)) }
        #expect(!fixture.runDirectory.exists)
    }

    @Test("an executor that never gets ready is stopped after timeout_ready")
    func readyTimeout() async throws {
        let fixture = try Fixture("""
            executors:
              - name: slow
                uses: ./slow.sh
                timeout_ready: 300
            """, scripts: ["slow.sh": "#!/bin/sh\necho \"$$\" > \"$(dirname \"$0\")/slow.pid\"\necho 'warming up' >&2\nexec sleep 30\n"])
        let started = ContinuousClock.now
        await #expect {
            try await fixture.runner(gateway: FakeGateway(), events: EventLog()).run()
        } throws: { error in
            (error as? OrchestratorError)?.summary.contains("was not ready within 300 ms (timeout_ready); it was killed by SIGTERM") == true
        }
        // Killed at timeout_ready, not after the script's 30 s (room for a machine under contention).
        #expect(ContinuousClock.now - started < .seconds(25))
        let pid = try #require(Int32(String(contentsOfFile: fixture.folder + "/slow.pid", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(!isAlive(pid))
    }

    @Test("a replica killed with SIGKILL is reported and comes back on the same socket; its process group goes with it")
    func restart() async throws {
        let fixture = try Fixture("""
            executors:
              - name: worker
                uses: ./worker.sh
                replicas: 2
            """, scripts: ["worker.sh": """
                #!/bin/sh
                sleep 1000 &
                echo "$!" >> "$(dirname "$0")/grandchildren"
                exec "$JINA_TEST_BINARY" executor --uses Identity "$@"

                """])
        setenv("JINA_TEST_BINARY", jinaBinary(), 1)
        let events = EventLog()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await fixture.runner(gateway: FakeGateway(), events: events).run() }
            _ = try await events.wait("the gateway is ready") { if case .gatewayReady = $0 { true } else { false } }
            let victim = try #require(events.readyEvents.first { $0.replica.replica == 1 })
            kill(victim.pid, SIGKILL)
            let died = try await events.wait("replica 1 died") { if case .died = $0 { true } else { false } }
            guard case .died(let replica, let reason, _, let restartIn) = died else { return }
            #expect(replica.replica == 1)
            #expect(reason == "was killed by SIGKILL")
            #expect(restartIn == .milliseconds(10))
            let back = try await events.wait("replica 1 is back") {
                if case .ready(_, _, _, let restart) = $0 { restart == 1 } else { false }
            }
            guard case .ready(let again, let pid, _, _) = back else { return }
            #expect(again.socketPath == victim.replica.socketPath)
            #expect(pid != victim.pid)
            group.cancelAll()
            try await group.waitForAll()
        }
        let grandchildren = try String(contentsOfFile: fixture.folder + "/grandchildren", encoding: .utf8)
            .split(separator: "\n").compactMap { Int32($0) }
        #expect(grandchildren.count == 3)
        for pid in grandchildren { #expect(!isAlive(pid), "grandchild \(pid) outlived its executor") }
        #expect(!fixture.runDirectory.exists)
    }

    @Test("a gateway that cannot start stops the executors and reports why")
    func gatewayFailure() async throws {
        let fixture = try Fixture("executors:\n  - name: a\n    uses: Identity\n")
        let events = EventLog()
        await #expect {
            try await fixture.runner(gateway: FakeGateway(failure: OrchestratorError("port 1 is already in use")), events: events).run()
        } throws: { error in
            (error as? OrchestratorError)?.summary == "port 1 is already in use"
        }
        for pid in events.readyPIDs { #expect(!isAlive(pid)) }
    }
}

// MARK: - support

/// Whether `pid` is a live process: not gone and not a zombie waiting for a reaper (in a
/// container, PID 1 may never reap orphans).
func isAlive(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return false }
    let state = stat[stat.index(after: close)...].split(separator: " ").first
    return state != "Z"
}

func jinaBinary() -> String {
    if let path = ProcessInfo.processInfo.environment["JINA_BINARY"] { return path }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/debug/jina").path
}

/// A Flow loaded from text, its scripts in a temporary folder, a run directory and a plan.
struct Fixture {
    let flow: Flow
    let folder: String
    let runDirectory: RunDirectory
    let plan: FlowPlan

    init(_ text: String, scripts: [String: String] = [:]) throws {
        let binary = jinaBinary()
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the jina binary first: \(binary)")
        let result = FlowLoader.load(text: "jtype: Flow\n" + text, file: "test.yml", environment: [:])
        flow = try #require(result.flow, "\(DiagnosticRenderer.text(result.diagnostics))")
        folder = NSTemporaryDirectory() + "runner-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, content) in scripts {
            _ = FileManager.default.createFile(atPath: folder + "/" + name, contents: Data(content.utf8), attributes: [.posixPermissions: 0o755])
        }
        runDirectory = try RunDirectory.create(base: "/tmp")
        plan = try FlowPlan(flow: flow, runDirectory: runDirectory, flowDirectory: folder, executablePath: binary)
    }

    func runner(gateway: any FlowGateway, events: EventLog, stopSignal: Int32? = nil) -> FlowRunner {
        var options = FlowRunner.Options()
        options.handleSignals = stopSignal != nil
        options.stopSignals = stopSignal.map { [$0] } ?? []
        options.liveProgress = false
        options.gracePeriod = .seconds(2)
        options.restart = RestartBackoff(initial: .milliseconds(10), maximum: .milliseconds(50), multiplier: 2, stableAfter: .seconds(60))
        options.observer = { events.record($0) }
        var logger = Logger(label: "test")
        logger.logLevel = .error
        return FlowRunner(flow: flow, plan: plan, runDirectory: runDirectory, gateway: gateway, logger: logger, options: options)
    }
}

/// Stands in for the gateway: reports one listener, then waits for the graceful shutdown (or fails).
final class FakeGateway: FlowGateway, @unchecked Sendable {
    private let lock = NSLock()
    private var received: [String: [[ExecutorAddress]]]?
    let failure: OrchestratorError?

    init(failure: OrchestratorError? = nil) { self.failure = failure }

    var addresses: [String: [[ExecutorAddress]]]? { lock.withLock { received } }

    func run(addresses: [String: [[ExecutorAddress]]], onReady: @escaping @Sendable ([FlowListener]) -> Void) async throws {
        if let failure { throw failure }
        lock.withLock { received = addresses }
        onReady([FlowListener(protocolName: .grpc, host: "127.0.0.1", port: 1)])
        // Until the runner's graceful shutdown (or cancellation).
        try? await gracefulShutdown()
    }
}

/// A gateway whose drain the test holds open: it reports when the drain begins (its intake
/// stopped) and finishes it when told.
final class DrainingGateway: FlowGateway, @unchecked Sendable {
    let events: EventLog
    init(events: EventLog) { self.events = events }
    private let lock = NSLock()
    private var journal: [String] = []
    let (drainBegan, drainBeganIn) = AsyncStream.makeStream(of: Void.self)
    let (finish, finishIn) = AsyncStream.makeStream(of: Void.self)

    var entries: [String] { lock.withLock { journal } }
    func record(_ entry: String) { lock.withLock { journal.append(entry) } }

    func run(addresses: [String: [[ExecutorAddress]]], onReady: @escaping @Sendable ([FlowListener]) -> Void) async throws {
        onReady([FlowListener(protocolName: .grpc, host: "127.0.0.1", port: 1)])
        try await gracefulShutdown()
        record("drain began")
        drainBeganIn.yield()
        for await _ in finish { break }
        record(events.sawStoppingExecutors ? "drained after the executors were stopped" : "drained")
    }
}

/// Every event the runner handled, and a way to wait for one with a deadline.
final class EventLog: @unchecked Sendable {
    private struct Waiter {
        var id: UUID
        var predicate: @Sendable (FlowEvent) -> Bool
        var continuation: CheckedContinuation<FlowEvent?, Never>
    }

    private let lock = NSLock()
    private var events: [FlowEvent] = []
    private var waiters: [Waiter] = []

    func record(_ event: FlowEvent) {
        let matching: [Waiter] = lock.withLock {
            events.append(event)
            let matching = waiters.filter { $0.predicate(event) }
            waiters.removeAll { $0.predicate(event) }
            return matching
        }
        for waiter in matching { waiter.continuation.resume(returning: event) }
    }

    var readyEvents: [(replica: ReplicaPlan, pid: Int32)] {
        lock.withLock {
            events.compactMap { if case .ready(let replica, let pid, _, _) = $0 { (replica, pid) } else { nil } }
        }
    }

    var readyPIDs: [Int32] { readyEvents.map(\.pid) }

    var sawStoppingExecutors: Bool {
        lock.withLock { events.contains { if case .stoppingExecutors = $0 { true } else { false } } }
    }

    /// The first event (already seen or to come) matching `predicate`, within `timeout`.
    func wait(_ what: String, timeout: Duration = .seconds(30), _ predicate: @escaping @Sendable (FlowEvent) -> Bool) async throws -> FlowEvent {
        let id = UUID()
        let found: FlowEvent? = await withTaskGroup(of: FlowEvent?.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let seen: FlowEvent? = self.lock.withLock {
                        if let event = self.events.first(where: predicate) { return event }
                        self.waiters.append(Waiter(id: id, predicate: predicate, continuation: continuation))
                        return nil
                    }
                    if let seen { continuation.resume(returning: seen) }
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                let waiter = self.lock.withLock { () -> Waiter? in
                    guard let index = self.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                    return self.waiters.remove(at: index)
                }
                waiter?.continuation.resume(returning: nil)
                return nil
            }
            var result: FlowEvent?
            for await value in group {
                if let value { result = value }
                group.cancelAll()
            }
            return result
        }
        guard let found else { throw OrchestratorError("timed out waiting for: \(what)") }
        return found
    }
}
