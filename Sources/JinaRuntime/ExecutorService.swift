import JinaCore
import ServiceLifecycle

/// An `ExecutorServer` as a service of its process (`ProcessLifecycle`): it serves until the
/// process shuts down gracefully, then drains; cancellation stops it at once. A graceful
/// shutdown that comes before the server is ready (a Ctrl-C while a model loads) stops the
/// start-up at once instead: there is nothing to drain.
struct ExecutorService: Service {
    let server: ExecutorServer
    /// Called with the bound address once the server accepts requests (the ready line).
    let onReady: @Sendable (ServerAddress) -> Void

    private enum Outcome: Sendable { case served, stopBeforeReady }

    func run() async throws {
        let ready = OnceFlag()
        let (early, earlyIn) = AsyncStream.makeStream(of: Void.self)
        let onReady = self.onReady
        let server = self.server
        try await withThrowingTaskGroup(of: Outcome.self) { group in
            group.addTask {
                try await withGracefulShutdownHandler {
                    try await server.run { address in
                        ready.set()
                        onReady(address)
                    }
                } onGracefulShutdown: {
                    if ready.isSet { server.shutdown() } else { earlyIn.yield() }
                }
                return .served
            }
            group.addTask {
                for await _ in early { return .stopBeforeReady }
                return .served
            }
            do {
                if try await group.next() == .stopBeforeReady {
                    group.cancelAll()
                    while (try? await group.next()) != nil {}
                    return
                }
            } catch {
                group.cancelAll()
                throw error
            }
            earlyIn.finish()
            try await group.waitForAll()
        }
    }
}
