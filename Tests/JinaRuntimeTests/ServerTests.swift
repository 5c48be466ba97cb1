import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import JinaCore
import JinaExecutors
import JinaProto
@testable import JinaRuntime
import SwiftProtobuf
import Synchronization
import Testing

@Suite("ExecutorServer over gRPC")
struct ServerTests {
    static let textAppend = ExecutorFactory(TextAppend.self)
    static let router = ExecutorFactory(Router.self)

    @Test("process_single_data with TextAppend on a Unix socket; the socket file is removed after")
    func unixSocket() async throws {
        let directory = try temporaryDirectory()
        let path = directory + "/e.sock"
        let bound = try await withServer(Self.textAppend, usesWith: ["text": "!"], address: .unix(path: path)) { address, _ in
            #expect(FileManager.default.fileExists(atPath: path))
            let reply = try await withClient(address) { client in
                try await Jina_JinaSingleDataRequestRPC.Client(wrapping: client)
                    .process_single_data(request("/", texts: ["hello", nil], id: "req-1"))
            }
            #expect(reply.requestID == "req-1")
            #expect(reply.header.status.code == .success)
            #expect(try reply.documents().map(\.text) == ["hello!", "!"])
            return address
        }
        #expect(bound == .unix(path: path))
        #expect(!FileManager.default.fileExists(atPath: path))
        try? FileManager.default.removeItem(atPath: directory)
    }

    @Test("a TCP server on port 0 reports the port it got, and answers there")
    func tcpPortZero() async throws {
        try await withServer(Self.textAppend, usesWith: ["text": "?"]) { address, _ in
            guard case .tcp(let host, let port) = address else { throw TestFailure("not TCP: \(address)") }
            #expect(host == "127.0.0.1")
            #expect(port > 0)
            let reply = try await withClient(address) { client in
                try await Jina_JinaSingleDataRequestRPC.Client(wrapping: client).process_single_data(request("/x"))
            }
            #expect(try reply.documents().first?.text == "hello?")
        }
    }

    @Test("routing: exact endpoint, further names, catch-all, dry run")
    func routing() async throws {
        try await withServer(Self.router, usesWith: ["tag": "dflt"]) { address, _ in
            try await withClient(address) { client in
                let rpc = Jina_JinaSingleDataRequestRPC.Client(wrapping: client)
                #expect(try await rpc.process_single_data(request("/a")).documents()[0].text == "hello+a")
                #expect(try await rpc.process_single_data(request("/a2")).documents()[0].text == "hello+a")
                #expect(try await rpc.process_single_data(request("/nope")).documents()[0].text == "hello+dflt")
                #expect(try await rpc.process_single_data(request("/default")).documents()[0].text == "hello+dflt")
                #expect(try await rpc.process_single_data(request("/replace")).documents() == [Document(id: "new", text: "replaced")])

                let dry = try await rpc.process_single_data(request("_jina_dry_run_"))
                #expect(try dry.documents()[0].text == "hello")
                #expect(dry.header.status.code == .success)
                #expect(dry.routes.map(\.executor) == ["test"])
            }
        }
    }

    @Test("without a catch-all, an unknown endpoint passes through unchanged (no route)")
    func passThrough() async throws {
        try await withServer(ExecutorFactory(OnlyOne.self)) { address, _ in
            try await withClient(address) { client in
                let rpc = Jina_JinaSingleDataRequestRPC.Client(wrapping: client)
                let sent = try request("/other", parameters: ["k": "v"])
                #expect(try await rpc.process_single_data(sent) == sent)
                #expect(try await rpc.process_single_data(request("/only")).documents()[0].text == "only")
            }
        }
    }

    @Test("the route is appended with times; parameters pass through, the executor's own laid over")
    func routeAndParameters() async throws {
        try await withServer(Self.router, name: "router") { address, _ in
            var sent = try request("/params", parameters: ["a": 1, "b": "x", "router": ["b": "own"], "other": ["b": "no"]])
            var earlier = Jina_RouteProto()
            earlier.executor = "gateway"
            sent.routes = [earlier]
            let reply = try await withClient(address) { client in
                try await Jina_JinaSingleDataRequestRPC.Client(wrapping: client).process_single_data(sent)
            }
            #expect(reply.routes.map(\.executor) == ["gateway", "router"])
            let route = reply.routes[1]
            #expect(route.hasStartTime && route.hasEndTime)
            #expect(route.startTime <= route.endTime)
            #expect(route.status.code == .success)
            #expect(reply.parameters == sent.parameters)
            let tags = try reply.documents()[0].tags
            #expect(tags?["a"] == .float(1))
            #expect(tags?["b"] == .text("own"))
        }
    }

    @Test("a throwing handler gives an ERROR reply with the exception, and the server keeps serving")
    func errorReply() async throws {
        try await withServer(Self.router, name: "router") { address, _ in
            try await withClient(address) { client in
                let rpc = Jina_JinaSingleDataRequestRPC.Client(wrapping: client)
                let sent = try request("/fail", id: "bad-1")
                let (reply, trailers) = try await rpc.process_single_data(sent) { response in
                    (try response.message, response.trailingMetadata)
                }
                #expect(reply.requestID == "bad-1")
                #expect(reply.header.status.code == .error)
                #expect(reply.header.status.description_p == "Boom: handler failed on purpose")
                #expect(reply.header.status.exception.name == "Boom")
                #expect(reply.header.status.exception.args == ["handler failed on purpose"])
                #expect(reply.header.status.exception.executor == "Router")
                #expect(try reply.documents() == (try sent.documents()))
                #expect(reply.routes.last?.status.code == .error)
                #expect(Array(trailers[stringValues: "is-error"]) == ["true"])

                #expect(try await rpc.process_single_data(request("/a")).header.status.code == .success)
            }
        }
    }

    @Test("a document that cannot be read is an ERROR reply too")
    func unreadableDocument() async throws {
        try await withServer(Self.router) { address, _ in
            var sent = try request("/a")
            var node = Docarray_NodeProto()
            node.ndarray.dense.buffer = Data([1, 2, 3])
            node.ndarray.dense.shape = [5]
            node.ndarray.dense.dtype = "<f4"
            sent.data.docs.docs[0].data["embedding"] = node
            let reply = try await withClient(address) { client in
                try await Jina_JinaSingleDataRequestRPC.Client(wrapping: client).process_single_data(sent)
            }
            #expect(reply.header.status.code == .error)
            #expect(reply.header.status.description_p.contains("docs[0].embedding"))
        }
    }

    @Test("bytes that are not a DataRequestProto get a gRPC error status")
    func malformedMessage() async throws {
        try await withServer(Self.router) { address, _ in
            try await withClient(address) { client in
                let error = await #expect(throws: RPCError.self) {
                    try await client.unary(
                        request: ClientRequest(message: [0xFF, 0xFF, 0xFF, 0x01]),
                        descriptor: Jina_JinaSingleDataRequestRPC.Method.process_single_data.descriptor,
                        serializer: RawBytesCoder(), deserializer: RawBytesCoder(), options: .defaults
                    ) { try $0.message }
                }
                #expect(error?.code == .invalidArgument)
                // Still serving.
                let reply = try await Jina_JinaSingleDataRequestRPC.Client(wrapping: client).process_single_data(request("/a"))
                #expect(reply.header.status.code == .success)
            }
        }
    }

    @Test("process_data reduces the documents of several requests by id")
    func processData() async throws {
        try await withServer(Self.router, name: "router") { address, _ in
            var first = try Jina_DataRequestProto(
                endpoint: "/a", documents: [Document(id: "x", text: "one"), Document(id: "y", text: "y")],
                parameters: ["__results__": ["e1": 1]], requestID: "r")
            var branchRoute = Jina_RouteProto()
            branchRoute.executor = "branch1"
            first.routes = [branchRoute]
            var second = try Jina_DataRequestProto(
                endpoint: "/a", documents: [Document(fields: ["id": .text("x", type: "id"), "extra": 5]), Document(id: "z", text: "z")],
                parameters: ["__results__": ["e2": 2]], requestID: "r")
            branchRoute.executor = "branch2"
            second.routes = [branchRoute]
            var list = Jina_DataRequestListProto()
            list.requests = [first, second]
            let reply = try await withClient(address) { client in
                try await Jina_JinaDataRequestRPC.Client(wrapping: client).process_data(list)
            }
            let documents = try reply.documents()
            #expect(documents.map(\.id) == ["x", "y", "z"])
            #expect(documents.map(\.text) == ["one+a", "y+a", "z+a"])
            #expect(documents[0]["extra"] == 5)
            #expect(reply.routes.map(\.executor) == ["branch1", "branch2", "router"])
            #expect(reply.parametersJSON["__results__"] == ["e1": .number(1), "e2": .number(2)])
        }
    }

    @Test("Call: many concurrent requests on one stream, each answered once, by id, concurrently")
    func callStream() async throws {
        let count = 200
        try await withServer(Self.router) { address, _ in
            let replies = try await withClient(address) { client in
                try await Jina_JinaRPC.Client(wrapping: client).call { writer in
                    for index in 0..<count {
                        // Later requests finish sooner, so completion order differs from sending order.
                        try await writer.write(request(
                            "/slow", texts: ["t\(index)"], id: "id-\(index)",
                            parameters: ["delay_ms": .integer((count - index) % 7 * 3)]))
                    }
                } onResponse: { response in
                    var seen: [String: Jina_DataRequestProto] = [:]
                    for try await reply in response.messages { seen[reply.requestID] = reply }
                    return seen
                }
            }
            #expect(replies.count == count)
            for index in 0..<count {
                let reply = try #require(replies["id-\(index)"])
                #expect(try reply.documents()[0].text == "t\(index)+slow")
            }
            #expect(Probes.shared.peak > 1)
            #expect(Probes.shared.peak <= 64)
        }
    }

    @Test("endpoint_discovery answers what Python Jina's executor answers for an untyped handler")
    func discovery() async throws {
        let expected = try Jina_EndpointsProto(serializedBytes: Data(contentsOf: fixture("jina/endpoints-untyped.pb")))
        try await withServer(ExecutorFactory(Echo.self)) { address, _ in
            let answer = try await withClient(address) { client in
                try await Jina_JinaDiscoverEndpointsRPC.Client(wrapping: client).endpoint_discovery(Google_Protobuf_Empty())
            }
            #expect(answer == expected)
        }
        try await withServer(Self.router) { address, _ in
            let answer = try await withClient(address) { client in
                try await Jina_JinaDiscoverEndpointsRPC.Client(wrapping: client).endpoint_discovery(Google_Protobuf_Empty())
            }
            #expect(answer.endpoints == ["/a", "/a2", "/params", "/fail", "/replace", "/slow", "/wait", "/default", "_jina_dry_run_"])
            #expect(answer.schemas.fields["/a"] == expected.schemas.fields["/default"])
        }
    }

    @Test("_status reports the Jina protocol version and ours")
    func status() async throws {
        try await withServer(Self.router) { address, _ in
            let info = try await withClient(address) { client in
                try await Jina_JinaInfoRPC.Client(wrapping: client)._status(Google_Protobuf_Empty())
            }
            #expect(info.jina["jina"] == "3.34.0")
            #expect(info.jina["jina-swift"] == JinaVersion.current)
            #expect(info.jina["docarray"] != nil)
            #expect(info.envs["JINA_LOG_LEVEL"] != nil)
        }
    }

    @Test("health: SERVING when ready; Watch sees NOT_SERVING when draining; unknown service NOT_FOUND")
    func health() async throws {
        try await withServer(Self.router) { address, server in
            try await withClient(address) { client in
                let health = Grpc_Health_V1_Health.Client(wrapping: client)
                #expect(try await health.check(Grpc_Health_V1_HealthCheckRequest()).status == .serving)
                var named = Grpc_Health_V1_HealthCheckRequest()
                named.service = "jina.JinaRPC"
                #expect(try await health.check(named).status == .serving)
                named.service = "no.such.Service"
                let error = await #expect(throws: RPCError.self) { try await health.check(named) }
                #expect(error?.code == .notFound)

                let statuses = try await health.watch(Grpc_Health_V1_HealthCheckRequest()) { response in
                    var statuses: [Grpc_Health_V1_HealthCheckResponse.ServingStatus] = []
                    for try await message in response.messages {
                        statuses.append(message.status)
                        if statuses.count == 1 { server.shutdown() }
                    }
                    return statuses
                }
                #expect(statuses == [.serving, .notServing])
            }
        }
    }

    @Test("shutdown lets an in-flight Call request finish, then ends the stream as UNAVAILABLE")
    func drainCall() async throws {
        try await withServer(Self.router) { address, server in
            let replies = Mutex<[String]>([])
            let (ended, endedIn) = AsyncStream.makeStream(of: Void.self)
            let error = await #expect(throws: RPCError.self) {
                try await withClient(address) { client in
                    try await Jina_JinaRPC.Client(wrapping: client).call { writer in
                        let sent = try Jina_DataRequestProto(
                            endpoint: "/wait", documents: [Document(id: "drain-doc")], parameters: ["delay_ms": 300],
                            requestID: "in-flight")
                        try await writer.write(sent)
                        for await id in Probes.started.stream where id == "drain-doc" { break }
                        server.shutdown()
                        // The stream stays open from our side: the server must end it.
                        for await _ in ended {}
                    } onResponse: { response in
                        defer { endedIn.finish() }
                        for try await reply in response.messages { replies.withLock { $0.append(reply.requestID) } }
                    }
                }
            }
            #expect(error?.code == .unavailable)
            #expect(replies.withLock { $0 } == ["in-flight"])
        }
    }

    @Test("a second server on the same TCP port fails with a runtime error naming the address")
    func addressInUse() async throws {
        try await withServer(Self.router) { address, _ in
            guard case .tcp(_, let port) = address else { return }
            let second = ExecutorServer(
                executor: Self.router, usesWith: nil, context: ExecutorContext(name: "second", logger: quietLogger()),
                configuration: .init(address: .tcp(host: "127.0.0.1", port: port)))
            let error = await #expect(throws: ExecutorError.self) { try await second.run() }
            #expect(error?.kind == .runtime)
            #expect(error?.message == "cannot listen on grpc://127.0.0.1:\(port): address already in use")
        }
    }

    @Test("a live Unix socket is not stolen; a stale one is replaced")
    func unixSocketInUse() async throws {
        let directory = try temporaryDirectory()
        let path = directory + "/e.sock"
        try await withServer(Self.router, address: .unix(path: path)) { _, _ in
            let second = ExecutorServer(
                executor: Self.router, usesWith: nil, context: ExecutorContext(name: "second", logger: quietLogger()),
                configuration: .init(address: .unix(path: path)))
            let error = await #expect(throws: ExecutorError.self) { try await second.run() }
            #expect(error?.message == "cannot listen on unix://\(path): address already in use")
            #expect(FileManager.default.fileExists(atPath: path))
        }
        // A socket file nobody listens on (left by a crash) is removed at start.
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.enumerated() { buffer[index] = byte }
        }
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        close(fd)
        #expect(FileManager.default.fileExists(atPath: path))
        try await withServer(Self.router, address: .unix(path: path)) { address, _ in
            let reply = try await withClient(address) { client in
                try await Jina_JinaSingleDataRequestRPC.Client(wrapping: client).process_single_data(request("/a"))
            }
            #expect(reply.header.status.code == .success)
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}

func fixture(_ name: String) -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent(name)
}

extension Google_Protobuf_Timestamp {
    static func <= (lhs: Self, rhs: Self) -> Bool {
        (lhs.seconds, lhs.nanos) <= (rhs.seconds, rhs.nanos)
    }
}
