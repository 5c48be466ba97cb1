import GRPCCore
import GRPCNIOTransportHTTP2

/// The gateway's gRPC server, whichever serves it (see `GRPCServerKind`).
enum GRPCListener: Sendable {
    case frontDoor(GRPCFrontDoor, InProcessServices)
    case grpcSwift(GRPCServer<HTTP2ServerTransport.Posix>, HTTP2ServerTransport.Posix, requestedPort: Int)

    /// Serves until a graceful shutdown has finished.
    func serve() async throws {
        switch self {
        case .frontDoor(let frontDoor, let services):
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await services.run() }
                await frontDoor.run()
                services.shutdown()
            }
        case .grpcSwift(let server, _, _):
            try await server.serve()
        }
    }

    /// The port it listens on; throws why it could not bind.
    func listeningPort() async throws -> Int {
        switch self {
        case .frontDoor(let frontDoor, let services):
            // Ready only once the forwarded methods are served too.
            _ = try await services.server.listeningAddress
            return frontDoor.port
        case .grpcSwift(_, let transport, let requested):
            let address = try await transport.listeningAddress
            return address.ipv4?.port ?? address.ipv6?.port ?? requested
        }
    }

    /// Stops accepting; calls in flight finish.
    func beginGracefulShutdown() {
        switch self {
        case .frontDoor(let frontDoor, _): frontDoor.drain()
        case .grpcSwift(let server, _, _): server.beginGracefulShutdown()
        }
    }
}
