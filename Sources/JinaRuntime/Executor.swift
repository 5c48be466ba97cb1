import JinaCore

/// A unit of logic bound to endpoints: what a custom executor program implements.
///
/// ```swift
/// struct Shout: Executor {
///     struct Configuration: Decodable, Sendable { var suffix: String? }
///     let suffix: String
///
///     init(configuration: Configuration, context: ExecutorContext) {
///         suffix = configuration.suffix ?? "!"
///     }
///
///     var endpoints: [Endpoint] {
///         Endpoint("/shout") { documents, _ in
///             for index in documents.indices {
///                 documents[index].text = (documents[index].text ?? "").uppercased() + suffix
///             }
///         }
///         Endpoint { _, _ in }  // every other endpoint: pass the documents through
///     }
/// }
///
/// try await ExecutorMain.run(Shout.self)
/// ```
///
/// The runtime creates one instance when the process starts, decoding `Configuration` from
/// `uses_with` (unknown or mistyped keys are reported by name), then calls the handlers of
/// `endpoints` concurrently — an executor must be `Sendable`; keep mutable state in an actor or
/// behind a `Mutex`.
public protocol Executor: Sendable {
    /// What `uses_with` decodes into. Use optionals for keys that may be left out (synthesized
    /// `Decodable` requires every non-optional key). `NoConfiguration` accepts no keys.
    associatedtype Configuration: Decodable & Sendable = NoConfiguration

    /// Loads the executor (open files under `context.workspace`, load models…). A thrown error
    /// stops the process before it reports ready.
    init(configuration: Configuration, context: ExecutorContext) async throws

    /// The endpoints and their handlers, in the order `endpoint_discovery` lists them. An
    /// `Endpoint` without a name is the catch-all (Jina's `@requests` without `on=`), reported
    /// as `/default`; a request for an endpoint nobody binds goes to it, or passes through
    /// unchanged when there is none.
    @EndpointBuilder var endpoints: [Endpoint] { get }

    /// Called once when the process shuts down, after the last request (Jina's `close()`).
    func close() async
}

extension Executor {
    /// Does nothing.
    public func close() async {}
}

/// An executor without configuration: it is made with `init()`, so the smallest one is its
/// endpoints alone.
///
/// ```swift
/// import JinaRuntime
/// struct Shout: SimpleExecutor {
///     var endpoints: [Endpoint] { Endpoint.forEach("/shout") { $0.text = $0.text?.uppercased() } }
/// }
/// await ExecutorMain.run(Shout.self)
/// ```
public protocol SimpleExecutor: Executor where Configuration == NoConfiguration {
    init()
}

extension SimpleExecutor {
    /// Makes the executor with `init()` (a `uses_with` key is still an error).
    public init(configuration: NoConfiguration, context: ExecutorContext) {
        self.init()
    }
}

/// The configuration of an executor that takes no `uses_with` keys: any key is an error.
public struct NoConfiguration: Decodable, Sendable, Equatable {
    public init() {}

    public init(from decoder: any Decoder) throws {
        // Opening the object (and reading nothing) makes every key present an unknown key.
        _ = try decoder.container(keyedBy: NoKeys.self)
    }

    private struct NoKeys: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
