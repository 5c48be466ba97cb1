/// Where an executor listens: a Unix domain socket (local Flows) or a TCP host and port.
package enum ServerAddress: Sendable, Equatable, CustomStringConvertible {
    /// A Unix socket at this path.
    case unix(path: String)
    /// A TCP address; port 0 asks the system for a free port.
    case tcp(host: String, port: Int)

    /// `unix://PATH` or `grpc://HOST:PORT`, the form of the ready line and of `--executor ADDR`.
    package var description: String {
        switch self {
        case .unix(let path): "unix://\(path)"
        case .tcp(let host, let port): "grpc://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        }
    }

    /// The longest Unix socket path the system accepts (`sun_path` less its terminating NUL).
    package static let maxUnixPathLength = 107
}
