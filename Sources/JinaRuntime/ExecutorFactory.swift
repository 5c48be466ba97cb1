import JinaCore

/// Creates one kind of executor from `uses_with` and a context, without knowing its type: what
/// a registry of built-ins holds and what `ExecutorServer` serves.
package struct ExecutorFactory: Sendable {
    /// The executor's type name, reported in error replies as `exception.executor`.
    package let typeName: String
    private let make: @Sendable (JSONValue?, ExecutorContext) async throws -> LoadedExecutor

    /// A factory for `E`: decodes `E.Configuration` from `uses_with`, then runs `E.init`.
    package init<E: Executor>(_ type: E.Type) {
        let typeName = String(describing: type)
        self.typeName = typeName
        make = { usesWith, context in
            let configuration = try ConfigurationDecoder.decode(E.Configuration.self, from: usesWith, executor: typeName)
            let executor: E
            do {
                executor = try await E(configuration: configuration, context: context)
            } catch let error as ExecutorError {
                throw error
            } catch {
                throw ExecutorError(.runtime, "executor \(typeName) failed to load: \(error)")
            }
            let table = try EndpointTable(executor.endpoints, executor: typeName)
            return LoadedExecutor(typeName: typeName, endpoints: table, close: { await executor.close() })
        }
    }

    /// Decodes the configuration and loads the executor. Throws `ExecutorError`: invalid input
    /// for a bad `uses_with`, runtime when `init` fails.
    func load(usesWith: JSONValue?, context: ExecutorContext) async throws -> LoadedExecutor {
        try await make(usesWith, context)
    }
}

/// A loaded executor, type-erased: its endpoint table and how to close it.
struct LoadedExecutor: Sendable {
    var typeName: String
    var endpoints: EndpointTable
    var close: @Sendable () async -> Void
}
