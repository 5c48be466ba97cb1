import AsyncHTTPClient
import Foundation
import JinaCore
import JinaExecutors
import JinaGateway
import JinaHTTPGateway
import JinaRuntime
import Logging
import NIOCore
import NIOHTTP1

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func quietLogger() -> Logger {
    var logger = Logger(label: "test") { StreamLogHandler.standardError(label: $0) }
    logger.logLevel = .critical
    return logger
}

func loadFlow(_ yaml: String) throws -> Flow {
    let result = FlowLoader.load(text: yaml, file: "test.yml", environment: [:])
    guard let flow = result.flow else { throw TestFailure(DiagnosticRenderer.text(result.diagnostics)) }
    return flow
}

/// A TextAppend executor (appending `suffix`) in-process on a Unix socket, a gateway in front of
/// it with the HTTP frontend serving `gatewaySection`'s protocols on free ports; `body` gets
/// the bound listeners. The gateway is then cancelled (a drain) and awaited.
func withLiveGateway<R: Sendable>(
    gatewaySection: String, suffix: String = "!", security: GatewaySecurity? = nil,
    _ body: @Sendable ([ServerProtocol: Int]) async throws -> R
) async throws -> R {
    var template = Array("/tmp/jhttp-XXXXXX".utf8CString)
    guard let directory = mkdtemp(&template) else { throw TestFailure("mkdtemp failed") }
    let socket = String(cString: directory) + "/e.sock"
    let server = ExecutorServer(
        executor: try BuiltinExecutors.factory(named: "TextAppend"), usesWith: .object(["text": .string(suffix)]),
        context: ExecutorContext(name: "greeter", logger: quietLogger()),
        configuration: ExecutorServer.Configuration(address: .unix(path: socket)))
    let flow = try loadFlow("jtype: Flow\ngateway:\n\(gatewaySection)\nexecutors:\n  - name: greeter\n")
    var configuration = GatewayConfiguration(
        flow: flow, addresses: ["greeter": DeploymentAddresses(replicas: [.unix(path: socket)])], host: "127.0.0.1")
    configuration.security = security ?? GatewaySecurity()
    let gateway = Gateway(configuration: configuration, logger: quietLogger(), frontend: HTTPFrontend())
    let (executorReady, executorReadyIn) = AsyncStream.makeStream(of: Void.self)
    let (ready, readyIn) = AsyncStream.makeStream(of: [ServerProtocol: Int].self)
    return try await withThrowingTaskGroup(of: R?.self) { group in
        group.addTask {
            try await server.run { _ in executorReadyIn.yield() }
            return nil
        }
        var executorIterator = executorReady.makeAsyncIterator()
        _ = await executorIterator.next()
        let result = try await withThrowingTaskGroup(of: R?.self) { gatewayGroup in
            gatewayGroup.addTask {
                defer { readyIn.finish() }
                try await gateway.run(drainTimeout: .seconds(5)) { listeners in
                    readyIn.yield(Dictionary(listeners.map { ($0.protocol, $0.port) }, uniquingKeysWith: { a, _ in a }))
                }
                return nil
            }
            var iterator = ready.makeAsyncIterator()
            guard let ports = await iterator.next() else { throw TestFailure("the gateway stopped before it was ready") }
            let result = try await body(ports)
            // The drain (the process's graceful shutdown); the gateway must then return on its own.
            gateway.drain()
            while try await gatewayGroup.next() != nil {}
            return result
        }
        server.shutdown()
        while try await group.next() != nil {}
        return result
    }
}

/// One HTTP exchange: (status, body text).
func http(
    _ method: HTTPMethod, _ url: String, body: String? = nil, headers: [(String, String)] = []
) async throws -> (Int, String) {
    var request = HTTPClientRequest(url: url)
    request.method = method
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    if let body { request.body = .bytes(ByteBuffer(string: body)) }
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
    let bytes = try await response.body.collect(upTo: 1 << 24)
    return (Int(response.status.code), String(buffer: bytes))
}
