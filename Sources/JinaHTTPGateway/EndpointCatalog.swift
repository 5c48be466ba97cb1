import JinaGateway
import JinaProto
import Synchronization

/// The executors' endpoints as the gateway discovered them, asked once and kept (Jina builds
/// its HTTP routes once at start-up too). While discovery fails, every request asks again.
final class EndpointCatalog: Sendable {
    private let backend: GatewayBackend
    private let cached = Mutex<Jina_EndpointsProto?>(nil)

    init(backend: GatewayBackend) {
        self.backend = backend
    }

    /// The endpoints, or nil when the executors cannot be asked right now.
    func endpoints() async -> Jina_EndpointsProto? {
        if let known = cached.withLock({ $0 }) { return known }
        guard let fresh = try? await backend.discoverEndpoints() else { return nil }
        cached.withLock { $0 = fresh }
        return fresh
    }

    /// Whether `POST path` is a route: a discovered endpoint (the catch-all `/default` among
    /// them). Unknown when discovery fails: then the request is routed and the executors decide.
    func isRoute(_ path: String) async -> Bool {
        guard let endpoints = await endpoints() else { return true }
        return endpoints.endpoints.contains(path)
    }

    /// Whether discovery reports `endpoint` as streaming (`is_generator: true` in its schema).
    static func isStreaming(_ endpoint: String, in endpoints: Jina_EndpointsProto) -> Bool {
        guard case .structValue(let schema)? = endpoints.schemas.fields[endpoint]?.kind,
              case .boolValue(let generator)? = schema.fields["is_generator"]?.kind else { return false }
        return generator
    }
}
