import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import JinaCore
@testable import JinaGateway
import JinaProto
import JinaRuntime
import SwiftProtobuf
import Testing

@Suite("Gateway in front of real executors (in-process, Unix sockets)")
struct GatewayTests {
    /// The hello world on Unix sockets in a fresh directory; `body` gets the gateway's port.
    func withHelloWorld<R: Sendable>(
        transport: ExecutorTransport = .callStream, _ body: @Sendable (Int) async throws -> R
    ) async throws -> R {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let executors = ["greeter", "echoer"].map { name in
            ExecutorToStart(name: name, usesWith: ["text": "hello, world!"], address: .unix(path: "\(directory)/\(name).sock"))
        }
        let flow = try loadFlow(helloFlow)
        return try await withExecutors(executors) { addresses in
            var configuration = GatewayConfiguration(
                flow: flow,
                addresses: [
                    "greeter": DeploymentAddresses(replicas: [addresses[0].executorAddress]),
                    "echoer": DeploymentAddresses(replicas: [addresses[1].executorAddress]),
                ],
                host: "127.0.0.1", ports: [0])
            configuration.executorTransport = transport
            return try await withGateway(configuration, body)
        }
    }

    @Test("hello world through process_single_data, over both executor transports", arguments: ExecutorTransport.allCases)
    func helloWorldUnary(transport: ExecutorTransport) async throws {
        try await withHelloWorld(transport: transport) { port in
            try await withClient(port: port) { client in
                let rpc = Jina_JinaSingleDataRequestRPC.Client(wrapping: client)
                let request = try Jina_DataRequestProto(
                    endpoint: "/", documents: [Document(id: "d0"), Document(id: "d1")], requestID: "hello-1")
                let reply = try await rpc.process_single_data(request)
                #expect(reply.requestID == "hello-1")
                #expect(reply.header.status.code == .success)
                #expect(try reply.documents().map(\.text) == ["hello, world!hello, world!", "hello, world!hello, world!"])
                #expect(reply.routes.map(\.executor) == ["gateway", "greeter", "echoer"])
            }
        }
    }

    @Test("hello world through the Call stream: many requests (same id too) answered on one stream")
    func helloWorldStream() async throws {
        try await withHelloWorld { port in
            try await withClient(port: port) { client in
                let rpc = Jina_JinaRPC.Client(wrapping: client)
                let requests = try (0..<50).map { index in
                    try Jina_DataRequestProto(
                        endpoint: "/", documents: [Document(id: "d\(index)", text: "\(index):")],
                        requestID: index < 40 ? "r\(index)" : "same")
                }
                let replies = try await rpc.call(request: StreamingClientRequest { writer in
                    try await writer.write(contentsOf: requests)
                }) { response in
                    var replies: [Jina_DataRequestProto] = []
                    for try await reply in response.messages { replies.append(reply) }
                    return replies
                }
                #expect(replies.count == 50)
                for reply in replies {
                    let text = try reply.documents()[0].text ?? ""
                    let index = Int(text.prefix { $0 != ":" }) ?? -1
                    #expect(reply.requestID == (index < 40 ? "r\(index)" : "same"))
                    #expect(text == "\(index):hello, world!hello, world!")
                }
            }
        }
    }

    @Test("health is SERVING; dry_run succeeds; endpoint discovery is the executors' union; _status answers")
    func controlMethods() async throws {
        try await withHelloWorld { port in
            try await withClient(port: port) { client in
                let health = try await Grpc_Health_V1_Health.Client(wrapping: client).check(Grpc_Health_V1_HealthCheckRequest())
                #expect(health.status == .serving)
                let dry = try await Jina_JinaGatewayDryRunRPC.Client(wrapping: client).dry_run(Google_Protobuf_Empty())
                #expect(dry.code == .success)
                let endpoints = try await Jina_JinaDiscoverEndpointsRPC.Client(wrapping: client).endpoint_discovery(Google_Protobuf_Empty())
                #expect(endpoints.endpoints.contains("_jina_dry_run_"))
                #expect(endpoints.endpoints.contains("/default"))
                if case .structValue(let schema)? = endpoints.schemas.fields["/default"]?.kind {
                    #expect(Set(schema.fields.keys) == ["input", "output", "is_generator", "is_singleton_doc"])
                } else {
                    Issue.record("no schema for /default")
                }
                let info = try await Jina_JinaInfoRPC.Client(wrapping: client)._status(Google_Protobuf_Empty())
                #expect(info.jina["jina"] == JinaProtocolVersion.jina)
            }
        }
    }

    @Test("an executor that is down: dry_run names it, a request gets an error reply naming it")
    func executorDown() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let flow = try loadFlow(helloFlow)
        try await withExecutors([ExecutorToStart(name: "greeter", usesWith: ["text": "hi"], address: .unix(path: "\(directory)/g.sock"))]) { addresses in
            let configuration = GatewayConfiguration(flow: flow, addresses: [
                "greeter": DeploymentAddresses(replicas: [addresses[0].executorAddress]),
                "echoer": DeploymentAddresses(replicas: [.unix(path: "\(directory)/missing.sock")]),
            ], host: "127.0.0.1", ports: [0])
            try await withGateway(configuration) { port in
                try await withClient(port: port) { client in
                    let dry = try await Jina_JinaGatewayDryRunRPC.Client(wrapping: client).dry_run(Google_Protobuf_Empty())
                    #expect(dry.code == .error)
                    #expect(dry.exception.executor == "echoer")
                    #expect(dry.exception.name == "InternalNetworkError")
                    let reply = try await Jina_JinaSingleDataRequestRPC.Client(wrapping: client)
                        .process_single_data(try Jina_DataRequestProto(endpoint: "/", documents: [Document(id: "x")], requestID: "down-1"))
                    #expect(reply.header.status.code == .error)
                    #expect(reply.header.status.description_p.contains("echoer"))
                    #expect(reply.header.status.description_p.contains("down-1"))
                }
            }
        }
    }

    @Test("a port already in use is a runtime error naming the port")
    func portInUse() async throws {
        let flow = try loadFlow("jtype: Flow\nexecutors: []\n")
        try await withGateway(GatewayConfiguration(flow: flow, addresses: [:], host: "127.0.0.1", ports: [0])) { port in
            let second = Gateway(
                configuration: GatewayConfiguration(flow: flow, addresses: [:], host: "127.0.0.1", ports: [port]),
                logger: quietLogger())
            let error = await #expect(throws: GatewayError.self) {
                try await second.run { _ in Issue.record("the second gateway should not be ready") }
            }
            #expect(error?.kind == .runtime)
            #expect(error?.summary.contains("\(port)") == true, "\(String(describing: error))")
            #expect(error?.summary.contains("already in use") == true, "\(String(describing: error))")
        }
    }

    @Test("a missing executor address is invalid input naming the executor")
    func missingAddress() async throws {
        let gateway = Gateway(configuration: GatewayConfiguration(flow: try loadFlow(helloFlow), addresses: [:]), logger: quietLogger())
        let error = await #expect(throws: GatewayError.self) { try await gateway.run { _ in } }
        #expect(error?.kind == .invalidInput)
        #expect(error?.summary.contains("greeter") == true)
    }

    @Test("cancelling run drains: an open Call stream is ended cleanly, and run returns")
    func drainAnswersInFlight() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let flow = try loadFlow(helloFlow)
        try await withExecutors(["greeter", "echoer"].map {
            ExecutorToStart(name: $0, usesWith: ["text": "!"], address: .unix(path: "\(directory)/\($0).sock"))
        }) { addresses in
            let configuration = GatewayConfiguration(flow: flow, addresses: [
                "greeter": DeploymentAddresses(replicas: [addresses[0].executorAddress]),
                "echoer": DeploymentAddresses(replicas: [addresses[1].executorAddress]),
            ], host: "127.0.0.1", ports: [0])
            let gateway = Gateway(configuration: configuration, logger: quietLogger())
            let (ready, readyIn) = AsyncStream.makeStream(of: Int.self)
            // A task of its own, so the test can drain it while a stream is open.
            let running = Task { try await gateway.run { readyIn.yield($0[0].port) } }
            var iterator = ready.makeAsyncIterator()
            guard let port = await iterator.next() else { throw TestFailure("not ready") }
            let (answered, answeredIn) = AsyncStream.makeStream(of: Void.self)
            try await withClient(port: port) { client in
                let rpc = Jina_JinaRPC.Client(wrapping: client)
                try await rpc.call(request: StreamingClientRequest { writer in
                    try await writer.write(try Jina_DataRequestProto(endpoint: "/", documents: [Document(id: "a")], requestID: "before"))
                    // Once answered, begin the drain while this stream is still open: the
                    // gateway stops reading it and ends it cleanly (status OK).
                    for await _ in answered { break }
                    gateway.drain()
                }) { response in
                    var ids: [String] = []
                    for try await reply in response.messages {
                        ids.append(reply.requestID)
                        answeredIn.yield()
                    }
                    #expect(ids == ["before"])
                }
            }
            try await running.value
        }
    }
}

@Suite("Gateway and executor restarts")
struct RestartTests {
    @Test("an executor restarted on the same socket is picked up again; while it is down, requests get an error naming it")
    func executorRestart() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socket = "\(directory)/g.sock"
        let flow = try loadFlow("jtype: Flow\nexecutors:\n  - name: greeter\n    uses: TextAppend\n    uses_with: {text: '!'}\n")
        let executor = [ExecutorToStart(name: "greeter", usesWith: ["text": "!"], address: .unix(path: socket))]
        let configuration = GatewayConfiguration(
            flow: flow, addresses: ["greeter": DeploymentAddresses(replicas: [.unix(path: socket)])], host: "127.0.0.1", ports: [0])
        try await withGateway(configuration) { port in
            try await withClient(port: port) { client in
                let rpc = Jina_JinaSingleDataRequestRPC.Client(wrapping: client)
                @Sendable func send(_ id: String) async throws -> Jina_DataRequestProto {
                    try await rpc.process_single_data(try Jina_DataRequestProto(endpoint: "/", documents: [Document(id: "d", text: "x")], requestID: id))
                }
                try await withExecutors(executor) { _ in
                    let reply = try await send("first")
                    #expect(try reply.documents().first?.text == "x!")
                }
                let down = try await send("while-down")
                #expect(down.header.status.code == .error)
                #expect(down.header.status.exception.executor == "greeter")
                try await withExecutors(executor) { _ in
                    let reply = try await send("again")
                    #expect(try reply.documents().first?.text == "x!")
                }
            }
        }
    }
}

@Suite("dns:// replicas")
struct DNSTests {
    @Test("dns://localhost:PORT becomes one replica per address the name resolves to")
    func localhost() async throws {
        #expect(await DNSReplicas.addresses(of: "localhost").contains("127.0.0.1"))
        let flow = try loadFlow("jtype: Flow\nexecutors:\n  - name: greeter\n    uses: TextAppend\n    uses_with: {text: '!'}\n")
        try await withExecutors([ExecutorToStart(name: "greeter", usesWith: ["text": "!"], address: .tcp(host: "127.0.0.1", port: 0))]) { addresses in
            guard case .tcp(_, let port) = addresses[0] else { throw TestFailure("not TCP") }
            let configuration = GatewayConfiguration(
                flow: flow, addresses: ["greeter": DeploymentAddresses(replicas: [.dns(name: "localhost", port: port)])],
                host: "127.0.0.1", ports: [0])
            try await withGateway(configuration) { gatewayPort in
                try await withClient(port: gatewayPort) { client in
                    let rpc = Jina_JinaSingleDataRequestRPC.Client(wrapping: client)
                    for index in 0..<4 {
                        // localhost may also resolve to ::1, where nothing listens: failover covers it.
                        let reply = try await rpc.process_single_data(
                            try Jina_DataRequestProto(endpoint: "/", documents: [Document(id: "d", text: "\(index)")]))
                        #expect(reply.header.status.code == .success)
                        #expect(try reply.documents().first?.text == "\(index)!")
                    }
                }
            }
        }
    }
}
