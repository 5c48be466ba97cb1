import ServiceLifecycle

/// An `ExecutorServer` as a service of its process (`ProcessLifecycle`): it serves until the
/// process shuts down gracefully, then drains; cancellation stops it at once.
struct ExecutorService: Service {
    let server: ExecutorServer
    /// Called with the bound address once the server accepts requests (the ready line).
    let onReady: @Sendable (ServerAddress) -> Void

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await server.run(onReady: onReady)
        } onGracefulShutdown: {
            server.shutdown()
        }
    }
}
