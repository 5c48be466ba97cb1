/// Where a gateway (or executor) listens: `grpc://HOST:PORT`, `grpcs://HOST:PORT`,
/// `http(s)://HOST:PORT`, `ws(s)://HOST:PORT` (`websocket://` is an alias of `ws://`, as in Jina),
/// `unix:///PATH` (gRPC over a Unix socket) or a bare `HOST:PORT` (gRPC).
public struct GatewayTarget: Sendable, Equatable, CustomStringConvertible {
    public enum Scheme: String, Sendable, CaseIterable {
        case grpc, grpcs, unix, http, https, ws, wss, websocket
    }

    /// The three wire protocols a scheme stands for.
    public enum WireProtocol: Sendable { case grpc, http, websocket }

    public var scheme: Scheme
    /// Host and port for network schemes; the socket path for `unix`.
    public var host: String
    public var port: Int
    public var path: String

    /// The forms accepted, for error hints.
    public static let forms = "grpc://HOST:PORT, grpcs://, http://, https://, ws://, wss://, unix:///PATH or HOST:PORT"

    /// Parses a target; invalid input (exit 2) naming the forms when it is malformed.
    public init(parsing text: String) throws(ClientError) {
        let invalid = ClientError(.invalidInput, "invalid target `\(text)`", hint: "write \(Self.forms)")
        var rest = Substring(text)
        var scheme = Scheme.grpc
        if let range = text.range(of: "://") {
            guard let known = Scheme(rawValue: text[..<range.lowerBound].lowercased()) else { throw invalid }
            scheme = known == .websocket ? .ws : known
            rest = text[range.upperBound...]
        } else if text.hasPrefix("unix:") {
            scheme = .unix
            rest = text.dropFirst("unix:".count)
        }
        self.scheme = scheme
        if scheme == .unix {
            guard !rest.isEmpty else { throw invalid }
            host = ""
            port = 0
            path = String(rest)
            return
        }
        var trimmed = rest.hasSuffix("/") ? rest.dropLast() : rest
        // `http(s)://HOST:PORT/graphql`: the gateway's GraphQL endpoint.
        var pathPart = ""
        if scheme == .http || scheme == .https, let slash = trimmed.firstIndex(of: "/") {
            pathPart = String(trimmed[slash...])
            guard pathPart == Self.graphQLPath else {
                throw ClientError(.invalidInput, "invalid target `\(text)`: the only path a gateway URL takes is \(Self.graphQLPath)",
                                  hint: "write http://HOST:PORT (Jina's HTTP routes) or http://HOST:PORT/graphql (GraphQL)")
            }
            trimmed = trimmed[..<slash]
        }
        guard let colon = trimmed.lastIndex(of: ":") else { throw invalid }
        var hostPart = trimmed[..<colon]
        if hostPart.hasPrefix("["), hostPart.hasSuffix("]") { hostPart = hostPart.dropFirst().dropLast() }
        guard !hostPart.isEmpty, !hostPart.contains("/"), let port = Int(trimmed[trimmed.index(after: colon)...]),
              (1...65535).contains(port) else { throw invalid }
        host = String(hostPart)
        self.port = port
        path = pathPart
    }

    /// The path of the gateway's GraphQL endpoint.
    public static let graphQLPath = "/graphql"

    /// Whether the target is the gateway's GraphQL endpoint (`http://HOST:PORT/graphql`).
    public var isGraphQL: Bool { wireProtocol == .http && path == Self.graphQLPath }

    /// Which protocol the scheme speaks.
    public var wireProtocol: WireProtocol {
        switch scheme {
        case .grpc, .grpcs, .unix: .grpc
        case .http, .https: .http
        case .ws, .wss, .websocket: .websocket
        }
    }

    /// Whether the scheme speaks gRPC.
    public var isGRPC: Bool { wireProtocol == .grpc }

    /// Whether the connection is TLS (`grpcs`, `https`, `wss`).
    public var usesTLS: Bool { [.grpcs, .https, .wss].contains(scheme) }

    /// `HOST:PORT` with IPv6 hosts bracketed.
    public var authority: String { "\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    /// An `http(s)://` URL on the same host and port (the WebSocket gateway serves plain HTTP too).
    public func httpURL(_ path: String) -> String { "\(usesTLS ? "https" : "http")://\(authority)\(path)" }

    /// A `ws(s)://` URL on the same host and port.
    public func webSocketURL(_ path: String) -> String { "\(usesTLS ? "wss" : "ws")://\(authority)\(path)" }

    public var description: String {
        switch scheme {
        case .unix: "unix://\(path)"
        default: "\(scheme.rawValue)://\(authority)\(path)"
        }
    }
}
