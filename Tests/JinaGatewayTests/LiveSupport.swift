import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import JinaCore
import JinaExecutors
@testable import JinaGateway
import JinaProto
import JinaRuntime

/// A fresh directory with a short path (Unix socket paths are limited to 107 bytes).
func temporaryDirectory() throws -> String {
    var template = Array("/tmp/jgw-XXXXXX".utf8CString)
    guard let path = mkdtemp(&template) else { throw TestFailure("mkdtemp failed") }
    return String(cString: path)
}

/// One executor to start in-process: a built-in by name, its `uses_with`, where it listens.
struct ExecutorToStart: Sendable {
    var name: String
    var uses: String = "TextAppend"
    var usesWith: JSONValue? = nil
    var address: ServerAddress
}

/// Starts the executors (in-process, concurrently), runs `body` with their bound addresses,
/// then shuts them down.
func withExecutors<R: Sendable>(
    _ executors: [ExecutorToStart], _ body: @Sendable ([ServerAddress]) async throws -> R
) async throws -> R {
    let servers = try executors.map { executor in
        ExecutorServer(
            executor: try BuiltinExecutors.factory(named: executor.uses), usesWith: executor.usesWith,
            context: ExecutorContext(name: executor.name, logger: quietLogger()),
            configuration: ExecutorServer.Configuration(address: executor.address))
    }
    let (ready, readyIn) = AsyncStream.makeStream(of: (Int, ServerAddress).self)
    return try await withThrowingTaskGroup(of: R?.self) { group in
        for (index, server) in servers.enumerated() {
            group.addTask {
                try await server.run { readyIn.yield((index, $0)) }
                return nil
            }
        }
        var bound = [ServerAddress?](repeating: nil, count: servers.count)
        var iterator = ready.makeAsyncIterator()
        for _ in servers.indices {
            guard let (index, address) = await iterator.next() else { throw TestFailure("an executor did not start") }
            bound[index] = address
        }
        let result = try await body(bound.map { $0! })
        for server in servers { server.shutdown() }
        while try await group.next() != nil {}
        return result
    }
}

/// Runs a gateway for `body` (which gets its gRPC port), then drains it (its graceful shutdown).
func withGateway<R: Sendable>(
    _ configuration: GatewayConfiguration, drainTimeout: Duration = .seconds(5),
    _ body: @Sendable (Int) async throws -> R
) async throws -> R {
    let gateway = Gateway(configuration: configuration, logger: quietLogger())
    let (ready, readyIn) = AsyncStream.makeStream(of: Int.self)
    return try await withThrowingTaskGroup(of: R?.self) { group in
        group.addTask {
            defer { readyIn.finish() }
            try await gateway.run(drainTimeout: drainTimeout) { listeners in
                readyIn.yield(listeners[0].port)
            }
            return nil
        }
        var iterator = ready.makeAsyncIterator()
        guard let port = await iterator.next() else {
            while try await group.next() != nil {}
            throw TestFailure("the gateway stopped before it was ready")
        }
        let result = try await body(port)
        gateway.drain()
        while try await group.next() != nil {}
        return result
    }
}

/// A gRPC client to 127.0.0.1:`port` for `body`.
func withClient<R: Sendable>(port: Int, _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> R) async throws -> R {
    let transport = try HTTP2ClientTransport.Posix(target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext)
    return try await withGRPCClient(transport: transport) { try await body($0) }
}

extension ServerAddress {
    /// The same address as the gateway takes it.
    var executorAddress: ExecutorAddress {
        switch self {
        case .unix(let path): .unix(path: path)
        case .tcp(let host, let port): .tcp(host: host, port: port, tls: false)
        }
    }
}

/// The hello world: two TextAppend executors appending "hello, world!".
let helloFlow = """
    jtype: Flow
    executors:
      - name: greeter
        uses: TextAppend
        uses_with:
          text: "hello, world!"
      - name: echoer
        uses: TextAppend
        uses_with:
          text: "hello, world!"
    """
