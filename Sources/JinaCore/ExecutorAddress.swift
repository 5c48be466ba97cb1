/// Where a gateway reaches one executor replica (or where `jina ping` looks): a Unix socket,
/// a TCP host and port (optionally TLS), or a DNS name to resolve to every address behind it
/// (Kubernetes headless services).
public enum ExecutorAddress: Sendable, Hashable, CustomStringConvertible {
    case unix(path: String)
    case tcp(host: String, port: Int, tls: Bool)
    case dns(name: String, port: Int)

    /// Parses `grpc://host:port`, `grpcs://host:port`, `unix:///path` (or `unix:/path`),
    /// `dns://name:port`, or a bare `host:port` (gRPC, no TLS).
    public init(parsing text: String) throws(JinaError) {
        let invalid = JinaError(.invalidInput, "invalid executor address `\(text)`",
                                hint: "write grpc://HOST:PORT, grpcs://HOST:PORT, unix:///PATH or dns://NAME:PORT")
        if text.hasPrefix("unix:") {
            var path = String(text.dropFirst("unix:".count))
            if path.hasPrefix("//") { path.removeFirst(2) }
            guard !path.isEmpty else { throw invalid }
            self = .unix(path: path)
            return
        }
        var rest = Substring(text)
        var scheme = "grpc"
        if let range = text.range(of: "://") {
            scheme = String(text[..<range.lowerBound]).lowercased()
            rest = text[range.upperBound...]
        }
        guard let (host, port) = Self.hostPort(rest) else { throw invalid }
        switch scheme {
        case "grpc": self = .tcp(host: host, port: port, tls: false)
        case "grpcs": self = .tcp(host: host, port: port, tls: true)
        case "dns": self = .dns(name: host, port: port)
        default: throw invalid
        }
    }

    /// Splits `host:port` (IPv6 hosts in brackets); nil when either part is missing or bad.
    static func hostPort(_ text: Substring) -> (String, Int)? {
        let trimmed = text.hasSuffix("/") ? text.dropLast() : text
        guard let colon = trimmed.lastIndex(of: ":") else { return nil }
        var host = trimmed[..<colon]
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        guard !host.isEmpty, let port = Int(trimmed[trimmed.index(after: colon)...]),
              (1...65535).contains(port) else { return nil }
        return (String(host), port)
    }

    public var description: String {
        switch self {
        case .unix(let path): "unix://\(path)"
        case .tcp(let host, let port, let tls): "\(tls ? "grpcs" : "grpc")://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        case .dns(let name, let port): "dns://\(name):\(port)"
        }
    }
}
