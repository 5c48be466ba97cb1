import Foundation
import JinaCore
@testable import JinaGateway
import JinaProto
import JinaRuntime
import Synchronization
import Testing

/// An executor for comparing transports: appends, fails, waits (and notices cancellation),
/// echoes large documents.
struct ParityExecutor: Executor {
    struct Boom: Error, CustomStringConvertible {
        var description: String
    }

    /// What `/slow` handlers report, by the request's `tag` parameter: `started`, `cancelled`.
    static let listeners = Mutex<[String: AsyncStream<String>.Continuation]>([:])

    /// The events of `/slow` requests tagged `tag`.
    static func events(_ tag: String) -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        listeners.withLock { $0[tag] = continuation }
        return stream
    }

    static func report(_ tag: String?, _ event: String) {
        guard let tag else { return }
        _ = listeners.withLock { $0[tag] }?.yield(event)
    }

    init(configuration: NoConfiguration, context: ExecutorContext) {}

    var endpoints: [Endpoint] {
        Endpoint("/append") { documents, parameters in
            let suffix = parameters["suffix"]?.stringValue ?? "!"
            for index in documents.indices { documents[index].text = (documents[index].text ?? "") + suffix }
        }
        Endpoint("/boom") { _, parameters in
            throw Boom(description: parameters["reason"]?.stringValue ?? "boom")
        }
        Endpoint("/slow") { documents, parameters in
            let milliseconds = parameters["ms"]?.intValue ?? 100
            let tag = parameters["tag"]?.stringValue
            Self.report(tag, "started")
            do {
                try await Task.sleep(for: .milliseconds(milliseconds))
            } catch {
                Self.report(tag, "cancelled")
                throw error
            }
            for index in documents.indices { documents[index].text = "slept" }
        }
        Endpoint { _, _ in }
    }
}

/// Runs a `ParityExecutor` on a Unix socket until `body` returns.
func withParityExecutor<R: Sendable>(
    socket: String, offerLocalWire: Bool = true, _ body: @Sendable (ExecutorServer) async throws -> R
) async throws -> R {
    var configuration = ExecutorServer.Configuration(address: .unix(path: socket))
    configuration.offerLocalWire = offerLocalWire
    let server = ExecutorServer(
        executor: ExecutorFactory(ParityExecutor.self), usesWith: nil,
        context: ExecutorContext(name: "parity", logger: quietLogger()), configuration: configuration)
    let (ready, readyIn) = AsyncStream.makeStream(of: Void.self)
    return try await withThrowingTaskGroup(of: R?.self) { group in
        group.addTask {
            defer { readyIn.finish() }
            try await server.run { _ in readyIn.yield() }
            return nil
        }
        var iterator = ready.makeAsyncIterator()
        guard await iterator.next() != nil else {
            while try await group.next() != nil {}
            throw TestFailure("the executor did not start")
        }
        let result = try await body(server)
        server.shutdown()
        while try await group.next() != nil {}
        return result
    }
}

/// An `ExecutorConnection` to `socket` over `transport`, running for `body`.
func withConnection<R: Sendable>(
    socket: String, transport: ExecutorTransport, _ body: @Sendable (ExecutorConnection) async throws -> R
) async throws -> R {
    let connection = try ExecutorConnection(
        executor: "parity", address: .unix(path: socket), transport: transport, logger: quietLogger())
    return try await withThrowingTaskGroup(of: R?.self) { group in
        group.addTask {
            await connection.run()
            return nil
        }
        defer { connection.close() }
        return try await body(connection)
    }
}

/// A reply, fully decoded (maps compare by content, not by their encoding order), with what
/// differs between two runs of the same request (route times) cleared.
func comparable(_ reply: LazyDataRequest) throws -> Jina_DataRequestProto {
    var message = try reply.decoded()
    for index in message.routes.indices {
        message.routes[index].clearStartTime()
        message.routes[index].clearEndTime()
    }
    return message
}

@Suite("Local wire: the same replies as gRPC, negotiation, restarts, drain, cancellation")
struct LocalWireTests {
    /// Requests that cover the shapes the gateway sends: documents, parameters, an endpoint
    /// nobody binds, a handler that throws, a request without documents, `__results__`.
    static func requests() throws -> [LazyDataRequest] {
        [
            try makeRequest(["a", nil, "c"], endpoint: "/append", id: "r1", parameters: ["suffix": "?"]),
            try makeRequest(["x"], tags: [["k": "v", "n": 2.5]], endpoint: "/append", id: "r2"),
            try makeRequest(["untouched"], endpoint: "/nobody", id: "r3"),
            try makeRequest(["y"], endpoint: "/boom", id: "r4", parameters: ["reason": "it had to fail"]),
            try makeRequest([], endpoint: "/append", id: "r5"),
            try makeRequest(["z"], endpoint: "/append", id: "r6", parameters: ["__results__": .object([:])]),
        ]
    }

    @Test("every transport gives byte-identical replies (less route times), errors included")
    func parity() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socket = "\(directory)/p.sock"
        let requests = try Self.requests()
        try await withParityExecutor(socket: socket) { _ in
            var answers: [ExecutorTransport: [Jina_DataRequestProto]] = [:]
            for transport in ExecutorTransport.allCases {
                answers[transport] = try await withConnection(socket: socket, transport: transport) { connection in
                    var replies: [Jina_DataRequestProto] = []
                    for request in requests {
                        replies.append(try comparable(try await connection.call(request, readyWait: .seconds(5))))
                    }
                    if transport == .local { #expect(connection.openOutlet == "local") }
                    if transport == .callStream { #expect(connection.openOutlet == "stream") }
                    return replies
                }
            }
            let local = try #require(answers[.local])
            #expect(local == answers[.callStream])
            #expect(local == answers[.unary])
            #expect(local[3].header.status.code == .error)
            #expect(local[3].header.status.exception.name == "Boom")
            #expect(local[3].header.status.exception.args == ["it had to fail"])
            #expect(try local[0].documents().map(\.text) == ["a?", "?", "c?"])
        }
    }

    @Test("many concurrent requests with the same id come back to their own callers")
    func concurrentSameID() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socket = "\(directory)/p.sock"
        try await withParityExecutor(socket: socket) { _ in
            try await withConnection(socket: socket, transport: .local) { connection in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<200 {
                        group.addTask {
                            let request = try makeRequest(["\(index)"], endpoint: "/append", id: index % 2 == 0 ? "same" : "r\(index)")
                            let reply = try await connection.call(request, readyWait: .seconds(5))
                            #expect(reply.texts == ["\(index)!"])
                            #expect(reply.requestID == (index % 2 == 0 ? "same" : "r\(index)"))
                        }
                    }
                    try await group.waitForAll()
                }
                #expect(connection.openOutlet == "local")
            }
        }
    }

    /// Heavy (hundreds of MiB copied in a debug build): scripts/test.sh runs it on its own,
    /// after the other suites, so it cannot starve their deadlines.
    @Test(
        "a document over 64 MiB goes through the local wire and the Call stream unchanged",
        .enabled(if: ProcessInfo.processInfo.environment["JINA_LARGE_TESTS"] == "1", "set JINA_LARGE_TESTS=1"))
    func largeDocument() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socket = "\(directory)/p.sock"
        var blob = [UInt8](repeating: 0xA5, count: 65 * 1024 * 1024 + 7)
        for index in stride(from: 0, to: blob.count, by: 4093) { blob[index] = UInt8(truncatingIfNeeded: index) }
        let expected = blob
        let request = try LazyDataRequest(
            Jina_DataRequestProto(endpoint: "/nobody", documents: [Document(id: "big", bytes: expected)], requestID: "big"))
        try await withParityExecutor(socket: socket) { _ in
            for transport in [ExecutorTransport.local, .callStream] {
                try await withConnection(socket: socket, transport: transport) { connection in
                    let reply = try await connection.call(request, readyWait: .seconds(5))
                    #expect(try reply.documents().first?.bytes == expected, "\(transport)")
                }
            }
        }
    }

    @Test("an executor that does not offer the local wire is used over gRPC")
    func fallback() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socket = "\(directory)/p.sock"
        try await withParityExecutor(socket: socket, offerLocalWire: false) { _ in
            #expect(!FileManager.default.fileExists(atPath: socket + ".lw"))
            try await withConnection(socket: socket, transport: .local) { connection in
                let reply = try await connection.call(try makeRequest(["a"], endpoint: "/append"), readyWait: .seconds(5))
                #expect(reply.texts == ["a!"])
                #expect(connection.openOutlet == "stream")
            }
        }
    }

    @Test("a restarted executor is reached over the local wire again; while it is down calls fail as unavailable")
    func restart() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socket = "\(directory)/p.sock"
        try await withConnection(socket: socket, transport: .local) { connection in
            for round in 0..<2 {
                try await withParityExecutor(socket: socket) { _ in
                    let reply = try await connection.call(try makeRequest(["\(round)"], endpoint: "/append"), readyWait: .seconds(10))
                    #expect(reply.texts == ["\(round)!"])
                    #expect(connection.openOutlet == "local")
                }
                #expect(!FileManager.default.fileExists(atPath: socket + ".lw"))
                await #expect(throws: ExecutorCallFailure.self) {
                    _ = try await connection.call(try makeRequest(["down"]), readyWait: nil)
                }
            }
        }
    }

    @Test("draining: a request in flight is answered, the next one is refused as unavailable")
    func drain() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socket = "\(directory)/p.sock"
        try await withConnection(socket: socket, transport: .local) { connection in
            try await withParityExecutor(socket: socket) { server in
                _ = try await connection.call(try makeRequest(["warm"]), readyWait: .seconds(5))
                var events = ParityExecutor.events("drain").makeAsyncIterator()
                let slow = Task {
                    try await connection.call(
                        try makeRequest(["s"], endpoint: "/slow", id: "slow", parameters: ["ms": 300, "tag": "drain"]), readyWait: nil)
                }
                #expect(await events.next() == "started")
                server.shutdown()
                let reply = try await slow.value
                #expect(reply.texts == ["slept"])
                #expect(!reply.isError)
                do {
                    _ = try await connection.call(try makeRequest(["late"]), readyWait: nil)
                    Issue.record("a request after the drain began was answered")
                } catch let failure as ExecutorCallFailure {
                    guard case .unavailable = failure else {
                        Issue.record("expected unavailable, got \(failure)")
                        return
                    }
                }
            }
        }
    }

    @Test("a cancelled call is cancelled in the executor too; the connection keeps working")
    func cancellation() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socket = "\(directory)/p.sock"
        try await withParityExecutor(socket: socket) { _ in
            try await withConnection(socket: socket, transport: .local) { connection in
                _ = try await connection.call(try makeRequest(["warm"]), readyWait: .seconds(5))
                var events = ParityExecutor.events("cancel").makeAsyncIterator()
                let call = Task {
                    try await connection.call(
                        try makeRequest(["s"], endpoint: "/slow", id: "gone", parameters: ["ms": 60_000, "tag": "cancel"]), readyWait: nil)
                }
                #expect(await events.next() == "started")
                call.cancel()
                await #expect(throws: ExecutorCallFailure.cancelled) { _ = try await call.value }
                // The executor hears of it: the handler's minute-long sleep ends now.
                #expect(await events.next() == "cancelled")
                let reply = try await connection.call(try makeRequest(["after"], endpoint: "/append"), readyWait: nil)
                #expect(reply.texts == ["after!"])
            }
        }
    }

    @Test("a peer that is not ours on the local-wire path is not spoken to; gRPC is used")
    func foreignPeer() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socket = "\(directory)/p.sock"
        try await withParityExecutor(socket: socket, offerLocalWire: false) { _ in
            // Something else listens where the local wire would be: an HTTP/2-only gRPC server.
            try await withParityExecutor(socket: socket + ".lw", offerLocalWire: false) { _ in
                try await withConnection(socket: socket, transport: .local) { connection in
                    let reply = try await connection.call(try makeRequest(["a"], endpoint: "/append"), readyWait: .seconds(10))
                    #expect(reply.texts == ["a!"])
                    #expect(connection.openOutlet == "stream")
                }
            }
        }
    }
}
