/// A protocol a gateway (or an executor's own server) speaks.
public enum ServerProtocol: String, Sendable, Equatable, CaseIterable, Encodable {
    case grpc = "GRPC"
    case http = "HTTP"
    case websocket = "WEBSOCKET"

    /// Lower-case name, as in URLs and messages (`grpc`, `http`, `websocket`).
    public var displayName: String { rawValue.lowercased() }
}
