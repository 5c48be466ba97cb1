import Logging

/// What every stream of the gRPC front door shares.
struct FrontDoorContext: Sendable {
    static let unaryPath = "/jina.JinaSingleDataRequestRPC/process_single_data"
    static let callPath = "/jina.JinaRPC/Call"

    let backend: GatewayBackend
    let services: InProcessServices
    let logger: Logger

    /// Why a call to `path` with this `authorization` header is refused; nil when it may go on.
    /// The same rule as `BearerTokenInterceptor` (which guards the forwarded methods).
    func authorizationProblem(path: String, header: String?) -> String? {
        guard let tokens = backend.security.tokens else { return nil }
        let service = path.split(separator: "/").first.map(String.init) ?? ""
        if backend.security.exempt.contains(service) { return nil }
        guard tokens.acceptsAuthorization(header) else {
            return header == nil
                ? "missing authorization metadata: send `authorization: Bearer <token>`"
                : "the bearer token is not accepted"
        }
        return nil
    }
}
