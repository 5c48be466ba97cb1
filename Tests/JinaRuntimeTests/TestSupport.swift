import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import JinaProto
@testable import JinaRuntime
import Synchronization

/// A fresh directory with a short path (Unix socket paths are limited to 107 bytes).
func temporaryDirectory() throws -> String {
    var template = Array("/tmp/jrt-XXXXXX".utf8CString)
    guard let path = mkdtemp(&template) else { throw TestFailure("mkdtemp failed") }
    return String(cString: path)
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A logger that keeps tests quiet (raise the level to debug a failure).
func quietLogger(_ label: String = "test") -> Logger {
    var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
    logger.logLevel = .critical
    return logger
}

/// Runs an executor server in-process for the duration of `body`, which gets the bound address
/// and the server; the server is shut down gracefully when `body` returns.
func withServer<R: Sendable>(
    _ factory: ExecutorFactory, usesWith: JSONValue? = nil, address: ServerAddress? = nil, name: String = "test",
    configure: (inout ExecutorServer.Configuration) -> Void = { _ in },
    _ body: @Sendable (ServerAddress, ExecutorServer) async throws -> R
) async throws -> R {
    var configuration = ExecutorServer.Configuration(address: address ?? .tcp(host: "127.0.0.1", port: 0))
    configure(&configuration)
    let server = ExecutorServer(
        executor: factory, usesWith: usesWith, context: ExecutorContext(name: name, logger: quietLogger()),
        configuration: configuration)
    let (ready, readyIn) = AsyncStream.makeStream(of: ServerAddress.self)
    return try await withThrowingTaskGroup(of: R?.self) { group in
        group.addTask {
            defer { readyIn.finish() }
            try await server.run { readyIn.yield($0) }
            return nil
        }
        var iterator = ready.makeAsyncIterator()
        guard let bound = await iterator.next() else {
            // `run` ended before it was ready: surface its error.
            while try await group.next() != nil {}
            throw TestFailure("the server stopped before it was ready")
        }
        let result = try await body(bound, server)
        server.shutdown()
        while try await group.next() != nil {}
        return result
    }
}

/// A gRPC client connected to `address` for the duration of `body`.
func withClient<R: Sendable>(
    _ address: ServerAddress, _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> R
) async throws -> R {
    let transport: HTTP2ClientTransport.Posix
    switch address {
    case .unix(let path):
        transport = try HTTP2ClientTransport.Posix(target: .unixDomainSocket(path: path), transportSecurity: .plaintext)
    case .tcp(let host, let port):
        transport = try HTTP2ClientTransport.Posix(target: .ipv4(address: host, port: port), transportSecurity: .plaintext)
    }
    return try await withGRPCClient(transport: transport) { client in try await body(client) }
}

/// A request for `endpoint` with documents `d0`, `d1`… carrying these texts.
func request(_ endpoint: String, texts: [String?] = ["hello"], id: String = Document.generateID(),
             parameters: [String: JSONValue]? = nil) throws -> Jina_DataRequestProto {
    let documents = texts.enumerated().map { index, text in Document(id: "d\(index)", text: text) }
    return try Jina_DataRequestProto(endpoint: endpoint, documents: documents, parameters: parameters, requestID: id)
}

/// Passes bytes through unchanged: lets a test send a payload that is not a valid message.
struct RawBytesCoder: MessageSerializer, MessageDeserializer {
    func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes { Bytes(message) }
    func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> [UInt8] {
        serializedMessageBytes.withUnsafeBytes { Array($0) }
    }
}

/// Counts how many handlers run at once (the highest value seen is `peak`).
final class ConcurrencyProbe: Sendable {
    private let state = Mutex((current: 0, peak: 0))
    func enter() { state.withLock { $0.current += 1; $0.peak = max($0.peak, $0.current) } }
    func leave() { state.withLock { $0.current -= 1 } }
    var peak: Int { state.withLock { $0.peak } }
}
