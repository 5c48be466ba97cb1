/// Where an OTLP/gRPC exporter sends (traces or metrics), from Jina's `*_exporter_host` and
/// `*_exporter_port` keys.
///
/// Where Jina's exporter turns a host without a scheme into a TLS connection (and a missing host
/// into the endpoint `None:None`), the host's scheme decides here: `https://` is TLS, `http://`
/// or none is plain; no host is OpenTelemetry's default collector, `localhost:4317`.
public struct OTLPCollector: Sendable, Equatable, Codable {
    /// The collector's host as written, without its scheme.
    public var host: String
    public var port: Int
    /// Whether the collector is reached over TLS (`https://` host).
    public var tls: Bool

    public static let defaultHost = "localhost"
    public static let defaultPort = 4317

    public init(host: String? = nil, port: Int? = nil) {
        var host = host ?? Self.defaultHost
        tls = false
        if host.hasPrefix("https://") {
            host.removeFirst("https://".count)
            tls = true
        } else if host.hasPrefix("http://") {
            host.removeFirst("http://".count)
        }
        while host.hasSuffix("/") { host.removeLast() }
        self.host = host.isEmpty ? Self.defaultHost : host
        self.port = port ?? Self.defaultPort
    }

    /// The collector as an OTLP endpoint URL (`http://localhost:4317`).
    public var endpoint: String {
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(tls ? "https" : "http")://\(bracketed):\(port)"
    }

    /// The host as Jina's worker must get it so that its exporter agrees on TLS (it reads a
    /// plain connection only from an `http://` scheme).
    public var schemeHost: String { "\(tls ? "https" : "http")://\(host)" }
}
