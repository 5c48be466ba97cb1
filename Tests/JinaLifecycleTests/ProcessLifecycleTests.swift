#if canImport(Glibc)
import Glibc
#endif
import JinaLifecycle
import Logging
import ServiceLifecycle
import Synchronization
import Testing

/// What each service did, in order, with a way to wait for one entry (no sleeps).
final class Journal: Sendable {
    private let state = Mutex<(entries: [String], waiters: [(String, CheckedContinuation<Void, Never>)])>(([], []))

    func record(_ entry: String) {
        let ready = state.withLock { state in
            state.entries.append(entry)
            let ready = state.waiters.filter { $0.0 == entry }.map(\.1)
            state.waiters.removeAll { $0.0 == entry }
            return ready
        }
        for waiter in ready { waiter.resume() }
    }

    var entries: [String] { state.withLock { $0.entries } }

    func wait(for entry: String) async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if state.entries.contains(entry) { return true }
                state.waiters.append((entry, continuation))
                return false
            }
            if done { continuation.resume() }
        }
    }
}

/// A service that takes a graceful shutdown as "drain, then return" — or, `stubborn`, ignores it
/// and ends only when cancelled.
struct Recorder: Service {
    let name: String
    let journal: Journal
    var stubborn = false

    func run() async throws {
        journal.record("start \(name)")
        let (drained, drainedIn) = AsyncStream.makeStream(of: Void.self)
        await withGracefulShutdownHandler {
            for await _ in drained { break }
            if Task.isCancelled { journal.record("cancelled \(name)") }
        } onGracefulShutdown: {
            journal.record("drain \(name)")
            if !stubborn { drainedIn.finish() }
        }
        journal.record("stopped \(name)")
    }
}

/// `ProcessLifecycle` with SIGUSR2 standing in for SIGTERM (the test run itself must not stop).
@Suite("one lifecycle per process", .serialized)
struct ProcessLifecycleTests {
    func lifecycle(_ services: [any Service], grace: Duration? = nil) -> ProcessLifecycle {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        var lifecycle = ProcessLifecycle(services: services, logger: logger)
        lifecycle.signals = [SIGUSR2]
        lifecycle.gracePeriod = grace
        return lifecycle
    }

    @Test("a signal shuts the services down gracefully in reverse start order: intake drains before what it uses stops")
    func reverseOrder() async throws {
        let journal = Journal()
        let run = lifecycle([Recorder(name: "exporter", journal: journal), Recorder(name: "server", journal: journal)])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await run.run() }
            await journal.wait(for: "start exporter")
            await journal.wait(for: "start server")
            kill(getpid(), SIGUSR2)
            try await group.waitForAll()
        }
        // The services start together; they stop one after the other, the last one first.
        #expect(journal.entries.dropFirst(2) == ["drain server", "stopped server", "drain exporter", "stopped exporter"])
    }

    @Test("a second signal stops at once: what still drains is cancelled, and run returns")
    func secondSignal() async throws {
        let journal = Journal()
        let run = lifecycle([Recorder(name: "server", journal: journal, stubborn: true)])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await run.run() }
            await journal.wait(for: "start server")
            kill(getpid(), SIGUSR2)
            await journal.wait(for: "drain server")
            kill(getpid(), SIGUSR2)
            try await group.waitForAll()
        }
        #expect(journal.entries == ["start server", "drain server", "cancelled server", "stopped server"])
    }

    @Test("a graceful shutdown that outlasts the grace period is cancelled")
    func gracePeriod() async throws {
        let journal = Journal()
        let run = lifecycle([Recorder(name: "server", journal: journal, stubborn: true)], grace: .milliseconds(50))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await run.run() }
            await journal.wait(for: "start server")
            kill(getpid(), SIGUSR2)
            try await group.waitForAll()
        }
        #expect(journal.entries == ["start server", "drain server", "cancelled server", "stopped server"])
    }

    @Test("cancelling the run is cancellation, not a drain")
    func cancellation() async throws {
        let journal = Journal()
        let run = lifecycle([Recorder(name: "server", journal: journal, stubborn: true)])
        let task = Task { try await run.run() }
        await journal.wait(for: "start server")
        task.cancel()
        _ = await task.result
        #expect(journal.entries == ["start server", "cancelled server", "stopped server"])
    }

    @Test("a service that fails ends the run with its error, and the others are cancelled")
    func failure() async throws {
        struct Broken: Service, Error { func run() async throws { throw self } }
        let journal = Journal()
        await #expect(throws: Broken.self) {
            try await lifecycle([Recorder(name: "exporter", journal: journal, stubborn: true), Broken()]).run()
        }
        #expect(journal.entries.last == "stopped exporter")
    }
}
