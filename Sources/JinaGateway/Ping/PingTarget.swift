import JinaCore

/// What `jina ping` checks.
public enum PingKind: String, Sendable, CaseIterable {
    /// The whole graph: a dry run through every executor (`JinaGatewayDryRunRPC/dry_run`).
    case flow
    /// The gateway server alone: gRPC health (`service=""` → SERVING).
    case gateway
    /// One executor server: gRPC health.
    case executor
}

/// A `jina ping` target: `grpc://HOST:PORT`, `grpcs://HOST:PORT`, `unix:///PATH`, a bare
/// `HOST:PORT` (gRPC), or `http(s)://`, `ws(s)://`, `websocket://` (not served yet).
public struct PingTarget: Sendable, Equatable, CustomStringConvertible {
    public enum Scheme: String, Sendable, CaseIterable {
        case grpc, grpcs, unix, http, https, ws, wss, websocket
    }

    public var scheme: Scheme
    /// Host and port for network schemes; the socket path for `unix`.
    public var host: String
    public var port: Int
    public var path: String

    /// Parses a target; invalid input (exit 2) naming the forms when it is malformed.
    public init(parsing text: String) throws(GatewayError) {
        let invalid = GatewayError(
            .invalidInput, "invalid ping target `\(text)`",
            hint: "write grpc://HOST:PORT, grpcs://HOST:PORT, unix:///PATH or HOST:PORT")
        var rest = Substring(text)
        var scheme = Scheme.grpc
        if let range = text.range(of: "://") {
            guard let known = Scheme(rawValue: text[..<range.lowerBound].lowercased()) else { throw invalid }
            scheme = known
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
        let trimmed = rest.hasSuffix("/") ? rest.dropLast() : rest
        guard let colon = trimmed.lastIndex(of: ":") else { throw invalid }
        var hostPart = trimmed[..<colon]
        if hostPart.hasPrefix("["), hostPart.hasSuffix("]") { hostPart = hostPart.dropFirst().dropLast() }
        guard !hostPart.isEmpty, !hostPart.contains("/"), let port = Int(trimmed[trimmed.index(after: colon)...]),
              (1...65535).contains(port) else { throw invalid }
        host = String(hostPart)
        self.port = port
        path = ""
    }

    /// Whether the target speaks gRPC (the others come with the HTTP/WebSocket gateway).
    public var isGRPC: Bool { [.grpc, .grpcs, .unix].contains(scheme) }

    public var description: String {
        switch scheme {
        case .unix: "unix://\(path)"
        default: "\(scheme.rawValue)://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        }
    }

    /// The address to dial, for gRPC targets.
    var address: ExecutorAddress {
        switch scheme {
        case .unix: .unix(path: path)
        default: .tcp(host: host, port: port, tls: scheme == .grpcs)
        }
    }
}

/// `--timeout`: a duration (`3s`, `500ms`, `1.5s`, `2m`) or a bare number of milliseconds
/// (Jina's form); `-1` waits forever (nil).
public enum PingTimeout {
    public static func parse(_ text: String) throws(GatewayError) -> Duration? {
        let value = text.trimmingWhitespace
        if value == "-1" { return nil }
        let units: [(suffix: String, milliseconds: Double)] = [("ms", 1), ("s", 1000), ("m", 60_000)]
        var number = Substring(value)
        var scale = 1.0
        for unit in units where value.hasSuffix(unit.suffix) {
            number = value.dropLast(unit.suffix.count)
            scale = unit.milliseconds
            break
        }
        guard let amount = Double(number), amount.isFinite, amount >= 0 else {
            throw GatewayError(.invalidInput, "invalid --timeout `\(text)`",
                               hint: "a duration such as 3s or 500ms, a number of milliseconds, or -1 to wait forever")
        }
        return .microseconds(Int64(amount * scale * 1000))
    }
}

extension String {
    fileprivate var trimmingWhitespace: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
