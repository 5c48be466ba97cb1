import JinaRuntime

/// Returns the documents unchanged: what an entry without `uses` runs (`BaseExecutor` in Jina).
/// Its only endpoint is the catch-all, so every request passes through it with a route added.
public struct Identity: Executor {
    public init(configuration: NoConfiguration, context: ExecutorContext) {}

    public var endpoints: [Endpoint] {
        Endpoint { _, _ in }
    }
}
